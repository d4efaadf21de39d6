"""Pure parts of the PxWebApi 2.0 client: config and metadata parsing, query batching.

Kept apart from the I/O in :mod:`sodd.sources.pxweb` the way [P] pairs its client with a
module of pure helpers; import the names from :mod:`sodd.sources.pxweb`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any, Final

from sodd.errors import SourceError
from sodd.sources.jsonstat import Payload, dimension_codes, load_json

# data-sources §2.8: the production values, used when /config leaves a field out.
FALLBACK_LIMITS: Final = {"maxDataCells": 150_000, "maxCallsPerTimeWindow": 30, "timeWindow": 10.0}


@dataclass(frozen=True)
class ApiConfig:
    """The limits a PxWebApi 2.0 server reports at ``/config``.

    Attributes
    ----------
    api_version
        ``apiVersion``, e.g. ``"2.2.0"``.
    max_data_cells
        ``maxDataCells``: most cells one data request may select.
    max_calls
        ``maxCallsPerTimeWindow``; 0 means no limit.
    time_window_seconds
        ``timeWindow`` in seconds.
    """

    api_version: str
    max_data_cells: int
    max_calls: int
    time_window_seconds: float


@dataclass(frozen=True)
class Variable:
    """One variable (dimension) of a table, its value codes in the table's order."""

    code: str
    label: str
    values: tuple[str, ...]
    labels: Mapping[str, str]
    elimination: bool
    role: str | None  # "time" | "metric" | "geo" | None


@dataclass(frozen=True)
class TableMetadata:
    """A table's ``/metadata`` answer: variables, notes, units and the raw bytes."""

    table_id: str
    label: str
    updated: str | None
    variables: tuple[Variable, ...]
    notes: tuple[str, ...]
    units: Mapping[str, str]
    raw: bytes

    def variable(self, code: str) -> Variable:
        """Return the variable ``code``.

        Raises
        ------
        SourceError
            Naming the table, the missing variable and the ones that exist.
        """
        for variable in self.variables:
            if variable.code == code:
                return variable
        known = ", ".join(v.code for v in self.variables)
        raise SourceError(
            f"SCB-tabell {self.table_id} har ingen variabel {code!r} (finns: {known})."
        )


@dataclass(frozen=True)
class RawResponse:
    """One data response as received, for the store's raw folder and provenance."""

    url: str
    query: str  # JSON text of the POST body, exactly as sent
    body: bytes
    fetched_at: str  # ISO 8601 UTC


def _limit(data: Mapping[str, Any], key: str, *, low: float, integer: bool) -> Any:
    value: Any = data.get(key, FALLBACK_LIMITS[key])
    number = isinstance(value, int) or (isinstance(value, float) and not integer)
    if isinstance(value, bool) or not number or float(value) < low:
        kind = "ett heltal" if integer else "ett tal"
        raise SourceError(
            f"SCB:s /config har {key} = {value!r}; väntade {kind} som är minst {low:g}."
        )
    return value


def parse_config(payload: Payload) -> ApiConfig:
    """Read and check the limits of a ``/config`` answer.

    Missing limits fall back to SCB's production values (150 000 cells, 30 calls per
    10 s); present but unusable ones are refused.

    Raises
    ------
    SourceError
        When the body is not JSON, the API is not version 2, or a limit is invalid.
    """
    data = load_json(payload, "SCB:s /config")
    version = data.get("apiVersion")
    if not isinstance(version, str) or not version.startswith("2."):
        raise SourceError(
            f"SCB:s /config anger apiVersion {version!r}; sodd kräver PxWebApi 2 "
            "(kontrollera SODD_SCB_API_URL)."
        )
    return ApiConfig(
        api_version=version,
        max_data_cells=int(_limit(data, "maxDataCells", low=1, integer=True)),
        max_calls=int(_limit(data, "maxCallsPerTimeWindow", low=0, integer=True)),
        time_window_seconds=float(_limit(data, "timeWindow", low=0.001, integer=False)),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _raw_bytes(payload: Payload) -> bytes:
    if isinstance(payload, bytes | bytearray | memoryview):
        return bytes(payload)
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def parse_metadata(payload: Payload, *, table_id: str | None = None) -> TableMetadata:
    """Parse a ``/tables/{id}/metadata`` answer (a JSON-stat 2.0 dataset without values).

    Parameters
    ----------
    payload
        Response body or decoded object.
    table_id
        The requested table; checked against ``extension.px.tableid`` when both exist.

    Returns
    -------
    TableMetadata
        Variables in the table's order with codes in index order. ``Region`` gets role
        ``"geo"`` (SCB sets no ``role.geo``); ``units`` maps each contents code to its
        unit's ``base``.

    Raises
    ------
    SourceError
        When the payload is not JSON-stat, a dimension is missing or malformed, or it
        describes another table.
    """
    what = f"Metadata för SCB-tabell {table_id}" if table_id else "SCB-metadata"
    data = load_json(payload, what)
    extension = _mapping(data.get("extension"))
    px = _mapping(extension.get("px"))
    own_id = px.get("tableid")
    if table_id and isinstance(own_id, str) and own_id.upper() != table_id.upper():
        raise SourceError(f"{what}: svaret gäller tabell {own_id}, inte {table_id}.")
    found_id = table_id or (own_id if isinstance(own_id, str) else "")
    ids, sizes = data.get("id"), data.get("size")
    if (
        not isinstance(ids, list)
        or not ids
        or not isinstance(sizes, list)
        or len(sizes) != len(ids)
    ):
        raise SourceError(f"{what}: svaret saknar 'id' och 'size' av samma längd.")
    if not all(isinstance(dim, str) for dim in ids):
        raise SourceError(f"{what}: 'id' innehåller annat än texter: {ids!r:.120}")
    roles = _mapping(data.get("role"))
    role_of = {
        dim: role
        for role, dims in roles.items()
        if isinstance(dims, list)
        for dim in dims
        if isinstance(dim, str)
    }
    variables: list[Variable] = []
    units: dict[str, str] = {}
    for dim, size in zip(ids, sizes, strict=True):
        codes = dimension_codes(data, dim, what)
        if size != len(codes):
            raise SourceError(f"{what}: variabeln {dim!r} har size {size} men {len(codes)} värden.")
        dimension = data["dimension"][dim]
        labels = _mapping(dimension["category"].get("label"))
        ext = _mapping(dimension.get("extension"))
        role = role_of.get(dim) or ("geo" if dim == "Region" else None)
        variables.append(
            Variable(
                code=dim,
                label=str(dimension.get("label") or dim),
                values=tuple(codes),
                labels={code: str(labels.get(code, code)) for code in codes},
                elimination=ext.get("elimination") is True,
                role=role,
            )
        )
        if role == "metric":
            for code, unit in _mapping(dimension["category"].get("unit")).items():
                if isinstance(unit, Mapping):
                    units[code] = str(unit.get("base") or unit.get("label") or "")
    notes = data.get("note") or []
    return TableMetadata(
        table_id=found_id,
        label=str(data.get("label") or ""),
        updated=data["updated"] if isinstance(data.get("updated"), str) else None,
        variables=tuple(variables),
        notes=(notes,) if isinstance(notes, str) else tuple(str(n) for n in _list(notes)),
        units=units,
        raw=_raw_bytes(payload),
    )


def count_cells(selection: Mapping[str, Sequence[str]]) -> int:
    """Number of cells a selection asks for: the product of its value counts."""
    return math.prod(len(values) for values in selection.values())


def describe_selection(selection: Mapping[str, Sequence[str]]) -> str:
    """Short Swedish form of a selection for messages: ``Region 57, Tid 2 = 114 celler``."""
    parts = ", ".join(f"{name} {len(values)}" for name, values in selection.items())
    return f"{parts} = {count_cells(selection)} celler"


def _chunks(values: list[str], size: int) -> list[list[str]]:
    """Split into the fewest near-equal chunks of at most ``size`` values."""
    count = math.ceil(len(values) / size)
    base, extra = divmod(len(values), count)
    out, start = [], 0
    for k in range(count):
        end = start + base + (1 if k < extra else 0)
        out.append(values[start:end])
        start = end
    return out


def plan_batches(
    selection: Mapping[str, Sequence[str]],
    max_cells: int,
    *,
    split_order: Sequence[str] = ("Region", "Tid"),
) -> list[dict[str, list[str]]]:
    """Split a selection into requests of at most ``max_cells`` cells each.

    Variables are split in ``split_order`` first (Region is the long one, data-sources
    §2.8), then the others, largest first. Each is cut into near-equal chunks only as
    far as needed; a variable is cut to single values before the next one is touched.
    Duplicate codes are dropped (the server would drop them too).

    Parameters
    ----------
    selection
        Variable code → value codes; each expression (``TOP(1)``, ``*``) counts as one
        value, so expand expressions with the metadata first when they select many.
    max_cells
        The server's ``maxDataCells``.
    split_order
        Variables to split first, in this order.

    Returns
    -------
    list of dict
        Batches in the selection's variable order; together they cover every cell of
        the selection exactly once.

    Raises
    ------
    ValueError
        When ``max_cells`` is below 1 or a variable has no values.
    """
    if max_cells < 1:
        raise ValueError(f"max_cells must be at least 1, not {max_cells}")
    values = {name: list(dict.fromkeys(codes)) for name, codes in selection.items()}
    for name, codes in values.items():
        if not codes:
            raise ValueError(f"variable {name!r} has no values")
    chunk = {name: len(codes) for name, codes in values.items()}
    first = [name for name in split_order if name in values]
    rest = sorted((n for n in values if n not in first), key=lambda n: -len(values[n]))
    for name in first + rest:
        others = math.prod(size for other, size in chunk.items() if other != name)
        if others * chunk[name] <= max_cells:
            break
        chunk[name] = max(1, max_cells // others)
    pieces = [_chunks(codes, chunk[name]) for name, codes in values.items()]
    return [dict(zip(values, combo, strict=True)) for combo in product(*pieces)]
