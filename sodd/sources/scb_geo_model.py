"""The WFS layers sodd reads, the scopes it asks for, and the check of one GeoJSON page.

Shared by :mod:`sodd.sources.scb_geo` (fetching) and :mod:`sodd.sources.scb_geo_parse`
(parsing); pure, no I/O.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final, Literal

ScopeKind = Literal["kommun", "lan", "riket"]

_KOMMUN: Final = re.compile(r"^\d{4}$")
_LAN: Final = re.compile(r"^\d{2}$")


@dataclass(frozen=True)
class WfsLayer:
    """One DeSO or RegSO layer of SCB's WFS.

    Attributes
    ----------
    type_name
        The WFS ``typeName``, e.g. ``stat:DeSO_2025``.
    level
        ``deso`` or ``regso`` (see :data:`sodd.schema.LEVELS`).
    geo_vintage
        The vintage the codes belong to: ``2018``/``2025`` for DeSO, ``2020``/``2025``
        for RegSO.
    """

    type_name: str
    level: Literal["deso", "regso"]
    geo_vintage: str

    @property
    def code_attribute(self) -> str:
        """The attribute holding the area's own code (``desokod`` or ``regsokod``)."""
        return "desokod" if self.level == "deso" else "regsokod"

    @property
    def dataset_id(self) -> str:
        """The store dataset the layer is kept in, e.g. ``scb_geo__deso_2025``."""
        return f"scb_geo__{self.level}_{self.geo_vintage}"


LAYERS: Final[dict[str, WfsLayer]] = {
    layer.type_name: layer
    for layer in (
        WfsLayer("stat:DeSO_2018", "deso", "2018"),
        WfsLayer("stat:RegSO_2020", "regso", "2020"),
        WfsLayer("stat:DeSO_2025", "deso", "2025"),
        WfsLayer("stat:RegSO_2025", "regso", "2025"),
    )
}
# Statistics of reference years up to 2023 use DeSO 2018 with RegSO 2020; from 2024 on,
# DeSO 2025 with RegSO 2025 (data-sources.md §1.2). A "vintage" here names the DeSO one.
VINTAGE_LAYERS: Final[dict[str, tuple[str, str]]] = {
    "2018": ("stat:DeSO_2018", "stat:RegSO_2020"),
    "2025": ("stat:DeSO_2025", "stat:RegSO_2025"),
}


def get_layer(name: str | WfsLayer) -> WfsLayer:
    """Look a layer up by its type name, with or without the ``stat:`` prefix.

    Raises
    ------
    ValueError
        Naming the unknown layer and the known ones.
    """
    if isinstance(name, WfsLayer):
        return name
    wanted = name if name.startswith("stat:") else f"stat:{name}"
    for type_name, layer in LAYERS.items():
        if type_name.lower() == wanted.lower():
            return layer
    raise ValueError(f"Okänt WFS-lager {name!r}; sodd känner till {', '.join(LAYERS)}.")


@dataclass(frozen=True)
class GeoScope:
    """Which areas to fetch: one kommun, one län or the whole country.

    Attributes
    ----------
    kind
        ``kommun``, ``lan`` or ``riket``.
    code
        Four-digit kommun code or two-digit län code; empty for ``riket``.

    Raises
    ------
    ValueError
        When the kind is unknown or the code does not fit it.
    """

    kind: ScopeKind
    code: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("kommun", "lan", "riket"):
            raise ValueError(f"Okänt urval {self.kind!r}; välj kommun, lan eller riket.")
        if self.kind == "kommun" and not _KOMMUN.fullmatch(self.code):
            raise ValueError(f"Kommunkoden måste ha fyra siffror (t.ex. 1780), inte {self.code!r}.")
        if self.kind == "lan" and not _LAN.fullmatch(self.code):
            raise ValueError(f"Länskoden måste ha två siffror (t.ex. 17), inte {self.code!r}.")
        if self.kind == "riket" and self.code not in ("", "00"):
            raise ValueError(f"Riket har ingen kod utom '00', inte {self.code!r}.")
        if self.kind == "riket":
            object.__setattr__(self, "code", "")

    @property
    def slug(self) -> str:
        """Short name for file names and provenance: ``kommun_1780``, ``lan_17``, ``riket``."""
        return "riket" if self.kind == "riket" else f"{self.kind}_{self.code}"

    @property
    def label(self) -> str:
        """Swedish label for messages: ``kommun 1780``, ``län 17``, ``hela riket``."""
        return {"kommun": f"kommun {self.code}", "lan": f"län {self.code}"}.get(
            self.kind, "hela riket"
        )

    def cql_filter(self) -> str | None:
        """The ``CQL_FILTER`` selecting the scope; ``None`` for the whole country."""
        if self.kind == "kommun":
            return f"kommunkod='{self.code}'"
        if self.kind == "lan":
            return f"lanskod='{self.code}'"
        return None

    def covers(self, other: GeoScope) -> bool:
        """Whether every area of ``other`` lies inside this scope."""
        if self.kind == "riket":
            return True
        if self.kind == "lan":
            return other.kind != "riket" and other.code[:2] == self.code
        return other == self

    @classmethod
    def from_slug(cls, slug: str) -> GeoScope | None:
        """Inverse of :attr:`slug`; ``None`` when ``slug`` is not one."""
        kind, _, code = slug.partition("_")
        try:
            return cls(kind, code)  # type: ignore[arg-type]
        except ValueError:
            return None


class MalformedPageError(ValueError):
    """A response body that is not a complete GeoJSON FeatureCollection."""


def load_page(body: bytes) -> dict[str, Any]:
    """Decode one GetFeature page and check that it is complete.

    Raises
    ------
    MalformedPageError
        When the body is not JSON (for example cut short), not a FeatureCollection,
        or holds a different number of features than its ``numberReturned`` says.
    """
    try:
        page = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedPageError(
            f"inte giltig JSON ({len(body)} byte, {error.__class__.__name__}: {error})"
        ) from None
    if not isinstance(page, dict) or page.get("type") != "FeatureCollection":
        raise MalformedPageError("inte en GeoJSON FeatureCollection")
    features = page.get("features")
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise MalformedPageError("'features' saknas eller är inte en lista av objekt")
    returned = page.get("numberReturned")
    if isinstance(returned, int) and returned != len(features):
        raise MalformedPageError(
            f"numberReturned är {returned} men sidan har {len(features)} objekt"
        )
    return page
