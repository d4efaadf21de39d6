"""``sodd refresh geo``: DeSO/RegSO polygons from SCB's WFS into the store.

One regions dataset per WFS layer (``scb_geo__deso_2025`` and so on), each written in
its own transaction, so a layer that fails leaves its previous dataset as it was.

A dataset holds the union of every scope fetched into it: a new fetch replaces the
rows of its own scope (areas SCB has since removed disappear) and keeps the rest, so
fetching Karlstad and then Stockholm gives both (see :mod:`sodd.refresh_geo_stage`).
A scope with no features in a layer writes nothing and is reported as empty.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import requests

from sodd.errors import SoddError
from sodd.pipeline import remove_demo_datasets
from sodd.refresh_geo_stage import (
    ADMIN_REGIONS_ID,
    fill_layer_parents,
    parent_message,
    stage_admin_regions,
    stage_layer,
)
from sodd.sources.http import RetryPolicy, make_session
from sodd.sources.scb_geo import (
    DEFAULT_PAGE_SIZE,
    VINTAGE_LAYERS,
    GeoScope,
    ParsedLayer,
    fetch_features,
    get_layer,
    parse_layer,
)
from sodd.store import Store

__all__ = [
    "ADMIN_REGIONS_ID",
    "GeoRefreshReport",
    "GeoScope",
    "LayerReport",
    "add_parser",
    "refresh_geo",
]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LayerReport:
    """What happened to one layer.

    Attributes
    ----------
    layer, dataset_id
        The WFS layer and the store dataset it goes to.
    status
        ``ok`` (written), ``empty`` (the scope has no features in the layer; nothing
        written) or ``failed`` (nothing written; ``message`` says why).
    regions
        Areas fetched in the scope (with a polygon).
    pages
        Pages fetched.
    without_geometry
        Features that came without a polygon and were left out.
    axes_swapped
        Whether the coordinates came as [lat, lon] and were swapped.
    parents_from_crosswalk
        DeSO whose feature lacked ``regsokod`` and got their RegSO from the stored key
        file of the same vintage.
    without_parent
        DeSO stored without a RegSO: neither the WFS nor a key file gave one.
    message
        A Swedish sentence for the user.
    """

    layer: str
    dataset_id: str
    status: Literal["ok", "empty", "failed"]
    regions: int = 0
    pages: int = 0
    without_geometry: int = 0
    axes_swapped: bool = False
    parents_from_crosswalk: int = 0
    without_parent: int = 0
    message: str = ""


@dataclass(frozen=True)
class GeoRefreshReport:
    """The outcome of :func:`refresh_geo`."""

    scope: GeoScope
    layers: tuple[LayerReport, ...]
    admin_regions_written: bool = False
    demo_removed: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """Whether no layer failed (an empty layer is not a failure)."""
        return all(layer.status != "failed" for layer in self.layers)


def _quiet(message: str) -> None:
    """Progress sink that drops messages."""


def _report(
    layer: str,
    status: Literal["ok", "empty"],
    parsed: ParsedLayer,
    pages: int,
    message: str,
    filled: int = 0,
) -> LayerReport:
    return LayerReport(
        layer,
        get_layer(layer).dataset_id,
        status,
        regions=len(parsed.regions),
        pages=pages,
        without_geometry=len(parsed.without_geometry),
        axes_swapped=parsed.axes_swapped,
        parents_from_crosswalk=filled,
        without_parent=len(parsed.without_parent),
        message=message,
    )


def _empty_message(layer: str, scope: GeoScope, parsed: ParsedLayer) -> str:
    missing = len(parsed.without_geometry)
    extra = f" ({missing} utan geometri hoppades över)" if missing else ""
    return f"{layer} har inga områden med gränser för {scope.label}{extra}; inget sparades."


def refresh_geo(
    store: Store,
    *,
    base_url: str,
    scope: GeoScope,
    vintages: Sequence[str] = ("2018", "2025"),
    progress: Progress | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    session: requests.Session | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> GeoRefreshReport:
    """Fetch DeSO and RegSO polygons for a scope and store one dataset per layer.

    Each layer is fetched and parsed before the store is locked, then written in its
    own transaction. The first write also removes the demo datasets and, when the
    store has no real ``scb__admin_regions``, adds the kommun/län/riket polygons
    shipped with sodd, so those exist offline.

    Parameters
    ----------
    store
        Target store.
    base_url
        WFS endpoint (``Settings.scb_wfs_url``).
    scope
        The kommun, län or whole country to fetch.
    vintages
        ``"2018"`` (DeSO 2018 + RegSO 2020) and/or ``"2025"`` (DeSO 2025 + RegSO 2025).
    progress
        Receives Swedish progress lines.
    page_size, session, policy, sleep
        Paging and HTTP settings (see :func:`sodd.sources.scb_geo.fetch_features`).

    Returns
    -------
    GeoRefreshReport
        Per layer: written, empty or failed (with the reason).

    Raises
    ------
    ValueError
        When a vintage is unknown.
    """
    say = progress or _quiet
    unknown = [v for v in vintages if v not in VINTAGE_LAYERS]
    if unknown:
        raise ValueError(f"Okänd indelningsårgång {unknown[0]!r}; välj 2018 eller 2025.")
    http = session or make_session()
    policy = policy or RetryPolicy()
    reports: list[LayerReport] = []
    admin_written = False
    removed: list[str] = []
    for layer in (name for v in dict.fromkeys(vintages) for name in VINTAGE_LAYERS[v]):
        dataset_id = get_layer(layer).dataset_id
        say(f"Hämtar {layer} för {scope.label} …")
        try:
            pages = fetch_features(
                http, base_url, layer, scope,
                page_size=page_size, policy=policy, sleep=sleep, progress=say,
            )  # fmt: skip
            parsed, filled = fill_layer_parents(store, parse_layer(pages, layer))
            if parsed.regions.empty:
                message = _empty_message(layer, scope, parsed)
                reports.append(_report(layer, "empty", parsed, len(pages), message))
                say(f"  {message}")
                continue
            with store.transaction() as tx:
                removed.extend(remove_demo_datasets(tx))
                if stage_admin_regions(tx):
                    say("  Kommun-, läns- och riksgränserna (ingår i sodd) sparades också.")
                    admin_written = True
                rows = stage_layer(store, tx, parsed, pages, scope=scope, base_url=base_url)
        except SoddError as error:
            reports.append(LayerReport(layer, dataset_id, "failed", message=str(error)))
            say(f"  Misslyckades: {error}")
            continue
        message = f"{len(parsed.regions)} områden sparade i {dataset_id} ({rows} totalt)"
        if parsed.without_geometry:
            message += f"; {len(parsed.without_geometry)} utan geometri hoppades över"
        if parsed.axes_swapped:
            message += "; axelordningen var [lat, lon] och vändes"
        message += parent_message(parsed, filled)
        reports.append(_report(layer, "ok", parsed, len(pages), message, filled))
        say(f"  {message}.")
    return GeoRefreshReport(scope, tuple(reports), admin_written, tuple(removed))


def _code(digits: int, what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not re.fullmatch(rf"\d{{{digits}}}", value):
            raise argparse.ArgumentTypeError(f"{what} ska ha {digits} siffror, inte {value!r}")
        return value

    return check


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"ska vara ett heltal större än noll, inte {value!r}")
    return number


def _cmd_geo(args: argparse.Namespace) -> int:
    from sodd.config import load_settings

    settings = load_settings()
    if args.riket:
        scope = GeoScope("riket")
    elif args.lan:
        scope = GeoScope("lan", args.lan)
    else:
        scope = GeoScope("kommun", args.kommun)
    vintages = ("2018", "2025") if args.vintage == "both" else (args.vintage,)
    report = refresh_geo(
        Store.from_settings(settings),
        base_url=settings.scb_wfs_url,
        scope=scope,
        vintages=vintages,
        progress=lambda line: print(line, flush=True),
        page_size=args.page_size,
        policy=RetryPolicy(timeout_seconds=settings.http_timeout_seconds),
    )
    failed = [layer.layer for layer in report.layers if layer.status == "failed"]
    if failed:
        print(f"Klart med fel: {', '.join(failed)} misslyckades; tidigare data behålls.")
        return 1
    print("Klart.")
    return 0


def add_parser(
    refresh_subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add the ``geo`` command to ``sodd refresh``.

    Parameters
    ----------
    refresh_subparsers
        The sub-parsers of the ``refresh`` command.

    Returns
    -------
    argparse.ArgumentParser
        The ``geo`` parser; its ``func`` default runs the refresh and returns the exit
        code (0 when every layer was written or empty, 1 when a layer failed).
    """
    parser = refresh_subparsers.add_parser(
        "geo", help="hämta DeSO- och RegSO-gränser från SCB:s öppna geodata (WFS)"
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--kommun", metavar="KOD", type=_code(4, "kommunkoden"))
    where.add_argument("--lan", metavar="KOD", type=_code(2, "länskoden"))
    where.add_argument("--riket", action="store_true", help="hela Sverige")
    parser.add_argument(
        "--vintage",
        choices=("2018", "2025", "both"),
        default="both",
        help="DeSO 2018 + RegSO 2020, DeSO 2025 + RegSO 2025, eller båda (standard)",
    )
    parser.add_argument(
        "--page-size", type=_positive, default=DEFAULT_PAGE_SIZE, help="objekt per WFS-fråga"
    )
    parser.set_defaults(func=_cmd_geo)
    return parser
