"""``sodd kopplingstabell``: SCB's DeSO → RegSO key files in the store, and their use.

A key file is stored as dataset ``scb__deso_regso_<vintage>`` (kind ``crosswalk``) with
the file itself kept as its raw response, so an offline install can be given the file
SCB publishes (data-sources §1.3) instead of fetching it; online, ``--hamta`` fetches it
from SCB's DeSO page (:mod:`sodd.crosswalk_fetch`). Regions whose WFS answer
lacked the parent RegSO code get it from here (:func:`fill_parent_codes`).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from sodd.errors import SoddError, SourceError
from sodd.manifest import DatasetEntry
from sodd.sources.http import RetryPolicy
from sodd.sources.scb_keys import REGSO_VINTAGE, VINTAGES, parse_kopplingstabell
from sodd.sources.scb_keys_page import DEFAULT_DESO_PAGE_URL
from sodd.store import Store
from sodd.store_transaction import Transaction

_REGSO: re.Pattern[str] = re.compile(r"^\d{4}R\d{3}$")


def crosswalk_dataset_id(vintage: str) -> str:
    """The store dataset of one vintage's key file, e.g. ``scb__deso_regso_2025``."""
    return f"scb__deso_regso_{vintage}"


def _raw_name(path: Path) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", path.name).lstrip("._-")
    return cleaned or "kopplingstabell"


def import_crosswalk(store: Store, path: Path, *, vintage: str | None = None) -> DatasetEntry:
    """Parse a key file and store it as ``scb__deso_regso_<vintage>``, replacing the old one.

    Parameters
    ----------
    store
        Target store.
    path
        The XLSX, CSV or JSON key file.
    vintage
        ``"2018"`` or ``"2025"`` when the file does not say.

    Returns
    -------
    DatasetEntry
        The stored dataset.

    Raises
    ------
    SourceError
        When the file cannot be read or is not a key file (nothing is stored).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"Kunde inte läsa kopplingstabellen {path}: {exc}") from exc
    frame = parse_kopplingstabell(data, name=Path(path).name, vintage=vintage)
    with store.transaction() as tx:
        return stage_crosswalk(tx, frame, Path(path).name, data, url=None)


def stage_crosswalk(
    tx: Transaction, frame: pd.DataFrame, name: str, data: bytes, *, url: str | None
) -> DatasetEntry:
    """Stage one parsed key file as ``scb__deso_regso_<vintage>``, the file kept as raw.

    Parameters
    ----------
    tx
        An open store transaction.
    frame
        The parsed key file (:func:`sodd.sources.scb_keys.parse_kopplingstabell`).
    name
        The file's name, kept in the title and as the raw file's name.
    data
        The file as read or downloaded.
    url
        Where it was downloaded from; ``None`` for a local file.

    Returns
    -------
    DatasetEntry
        The entry the dataset will have once the transaction commits.
    """
    chosen = str(frame["vintage"].iloc[0])
    regso = REGSO_VINTAGE[chosen]
    return tx.write(
        crosswalk_dataset_id(chosen),
        "crosswalk",
        frame,
        provider="scb",
        title=f"Kopplingstabell DeSO {chosen} – RegSO {regso} ({name})",
        table_id=f"koppling-deso{chosen}-regso{regso}",
        url=url,
        raw={_raw_name(Path(name)): data},
    )


def load_crosswalk(store: Store, vintage: str) -> pd.DataFrame:
    """The stored key file of one DeSO vintage; empty when none was imported."""
    dataset_id = crosswalk_dataset_id(vintage)
    if dataset_id not in store.manifest().datasets:
        return store.read("crosswalk", dataset_ids=[])
    return store.read("crosswalk", dataset_ids=[dataset_id])


def fill_parent_codes(regions: gpd.GeoDataFrame, crosswalk: pd.DataFrame) -> gpd.GeoDataFrame:
    """Give DeSO without a RegSO parent code the one in the key file of their own vintage.

    A parent the WFS did give is kept: the key file only fills gaps, and it is never
    applied across vintages (a DeSO 2018 code is looked up in the 2018 key file only).

    Parameters
    ----------
    regions
        Regions (the regions contract).
    crosswalk
        Key files (:data:`sodd.schema.CROSSWALK_COLUMNS`), one or both vintages.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``regions`` with the missing parent codes filled in.
    """
    filled = regions.copy()
    keys = crosswalk.dropna(subset=["regso_code"])
    lookup = dict(
        zip(
            zip(keys["deso_code"], keys["vintage"], strict=True),
            keys["regso_code"],
            strict=True,
        )
    )
    parent = filled["parent_code"].astype("str")
    lacking = (filled["level"] == "deso") & ~parent.str.fullmatch(_REGSO.pattern).fillna(False)
    for position in filled.index[lacking]:
        key = (filled.at[position, "region_code"], str(filled.at[position, "geo_vintage"]))
        if key in lookup:
            filled.at[position, "parent_code"] = lookup[key]
    return filled


def run_import(file: str, vintage: str | None = None) -> int:
    """Import a key file into the configured store, printing the outcome (the CLI's body).

    Parameters
    ----------
    file
        Path of the key file.
    vintage
        ``"2018"`` or ``"2025"`` when the file does not say.

    Returns
    -------
    int
        The exit code: 0 when stored, 1 when the file was refused (message printed).
    """
    from sodd.config import load_settings

    try:
        entry = import_crosswalk(Store.from_settings(load_settings()), Path(file), vintage=vintage)
    except SoddError as error:
        print(f"Fel: {error}")
        return 1
    print(f"{entry.rows} DeSO sparade i {entry.dataset_id}.")
    return 0


def run_fetch(vintage: str = "both", page_url: str | None = None) -> int:
    """Fetch the key files from SCB into the configured store, printing the outcome.

    Parameters
    ----------
    vintage
        ``"2018"``, ``"2025"`` or ``"both"``.
    page_url
        SCB's DeSO page; by default the setting ``scb_deso_page_url``
        (``SODD_SCB_DESO_PAGE_URL``).

    Returns
    -------
    int
        The exit code: 0 when stored, 1 when nothing was stored (message printed).
    """
    from sodd.config import load_settings
    from sodd.crosswalk_fetch import fetch_crosswalks  # it builds on this module

    try:
        settings = load_settings()
        url = page_url or settings.scb_deso_page_url
        print(f"Hämtar kopplingstabeller från {url} …", flush=True)
        entries = fetch_crosswalks(
            Store.from_settings(settings),
            VINTAGES if vintage == "both" else (vintage,),
            url,
            policy=RetryPolicy(timeout_seconds=settings.http_timeout_seconds),
        )
    except SoddError as error:
        print(f"Fel: {error}")
        return 1
    for entry in entries:
        print(f"{entry.rows} DeSO sparade i {entry.dataset_id} från {entry.url}.")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    if args.hamta:
        if args.file is not None:
            print("Fel: ange antingen FIL eller --hamta, inte båda.")
            return 2
        return run_fetch(args.vintage or "both", args.sida)
    if args.file is None:
        print("Fel: ange kopplingstabellen (FIL) eller --hamta för att hämta den från SCB.")
        return 2
    if args.vintage == "both" or args.sida is not None:
        print("Fel: --vintage both och --sida gäller bara --hamta.")
        return 2
    return run_import(args.file, args.vintage)


def add_parser(import_subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``kopplingstabell`` command to ``sodd import``.

    Parameters
    ----------
    import_subparsers
        The object returned by ``add_subparsers()`` of the ``import`` parser.

    Returns
    -------
    argparse.ArgumentParser
        The new parser; its ``func`` default imports the file (or fetches it with
        ``--hamta``) and returns the exit code.
    """
    parser: argparse.ArgumentParser = import_subparsers.add_parser(
        "kopplingstabell",
        help="läs in SCB:s kopplingstabell DeSO–RegSO (fil eller --hamta från SCB)",
        description="Sparar SCB:s kopplingstabell DeSO → RegSO i datalagret: antingen en "
        "fil (xlsx, csv eller json), t.ex. koppling-deso2025-regso2025_<datum>.xlsx från "
        "SCB:s sida om DeSO, eller med --hamta den senaste filen direkt från sidan.",
    )
    parser.add_argument(
        "file", metavar="FIL", nargs="?", default=None,
        help="kopplingstabellen; utelämnas med --hamta (de går inte att kombinera)",
    )  # fmt: skip
    parser.add_argument(
        "--hamta",
        action="store_true",
        help="hämta den senaste kopplingstabellen från SCB:s DeSO-sida i stället för att "
        "läsa en fil (kräver internet; kan inte kombineras med FIL)",
    )
    parser.add_argument(
        "--vintage",
        choices=(*VINTAGES, "both"),
        default=None,
        help="DeSO-årgång: med FIL om filen inte själv säger det; med --hamta vilken "
        "fil som hämtas (standard both)",
    )
    parser.add_argument(
        "--sida",
        metavar="URL",
        default=None,
        help=f"med --hamta: SCB:s DeSO-sida med länkarna (standard {DEFAULT_DESO_PAGE_URL})",
    )
    parser.set_defaults(func=_cmd_import)
    return parser


__all__ = [
    "add_parser",
    "crosswalk_dataset_id",
    "fill_parent_codes",
    "import_crosswalk",
    "load_crosswalk",
    "run_fetch",
    "run_import",
    "stage_crosswalk",
]
