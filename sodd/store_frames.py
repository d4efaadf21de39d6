"""Column checks and storage types for frames entering and leaving the store.

Every column of a contract in :mod:`sodd.schema` is stored with one fixed type:
``value``, ``numerator`` and ``denominator`` as float64, ``geometry`` as GeoParquet
geometry, everything else as text. Fixed types keep datasets of one kind
stackable, and keep region codes from losing their leading zeros.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import pandas as pd
import pyarrow as pa

from sodd.errors import StoreError
from sodd.schema import (
    AGENDA_COLUMNS,
    CROSSWALK_COLUMNS,
    GOAL_COLUMNS,
    INDICATOR_VALUE_COLUMNS,
    NOTE_COLUMNS,
    OBSERVATION_COLUMNS,
    REGION_COLUMNS,
)

REQUIRED_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "observations": OBSERVATION_COLUMNS,
    "indicator_values": INDICATOR_VALUE_COLUMNS,
    "regions": REGION_COLUMNS,
    "crosswalk": CROSSWALK_COLUMNS,
    "goals": GOAL_COLUMNS,
    "notes": NOTE_COLUMNS,
    "agendas": AGENDA_COLUMNS,
}
NUMERIC_COLUMNS: Final = frozenset({"value", "numerator", "denominator", "target_value"})
CODE_COLUMNS: Final = frozenset(
    {"region_code", "kommun_code", "lan_code", "parent_code", "deso_code", "regso_code"}
)
REGION_CRS: Final = "EPSG:4326"


def storage_type(column: str) -> pa.DataType:
    """Return the Arrow type a contract column is stored with."""
    return pa.float64() if column in NUMERIC_COLUMNS else pa.string()


def check_columns(frame: pd.DataFrame, kind: str, dataset_id: str) -> pd.DataFrame:
    """Check ``frame`` against the column contract of ``kind``.

    Returns
    -------
    pandas.DataFrame
        ``frame``, with contract columns that hold only nulls given their storage
        type (so an empty ``status`` is still text when read back).

    Raises
    ------
    StoreError
        Naming the dataset and the column that is missing or has the wrong type.
    """
    where = f"datamängden {dataset_id!r} ({kind})"
    if not isinstance(frame, pd.DataFrame):
        raise StoreError(f"Data till {where} måste vara en DataFrame, inte {type(frame).__name__}.")
    if not all(isinstance(name, str) for name in frame.columns):
        raise StoreError(f"Alla kolumnnamn i {where} måste vara text.")
    duplicated = sorted(set(frame.columns[frame.columns.duplicated()]))
    if duplicated:
        raise StoreError(f"Kolumnen {', '.join(duplicated)} förekommer flera gånger i {where}.")
    missing = [column for column in REQUIRED_COLUMNS[kind] if column not in frame.columns]
    if missing:
        noun = "kolumnen" if len(missing) == 1 else "kolumnerna"
        raise StoreError(f"I {where} saknas {noun} {', '.join(missing)}.")
    fixes: dict[str, pd.Series] = {}
    for column in REQUIRED_COLUMNS[kind]:
        if column == "geometry":
            continue
        series = frame[column]
        numeric = column in NUMERIC_COLUMNS
        if series.isna().all():
            if numeric and not pd.api.types.is_float_dtype(series):
                fixes[column] = series.astype("float64")
            elif not numeric and not pd.api.types.is_string_dtype(series):
                fixes[column] = series.astype("str")
            continue
        if numeric:
            if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
                raise StoreError(
                    f"Kolumnen {column} i {where} måste innehålla tal, "
                    f"men har typen {series.dtype}."
                )
        elif not pd.api.types.is_string_dtype(series):
            why = (
                " Regionkoder lagras som text eftersom inledande nollor betyder något "
                "(t.ex. '0180')."
                if column in CODE_COLUMNS
                else ""
            )
            raise StoreError(
                f"Kolumnen {column} i {where} måste vara text (str), men har typen "
                f"{series.dtype}.{why}"
            )
    return frame.assign(**fixes) if fixes else frame


def prepare_table(frame: pd.DataFrame, kind: str, dataset_id: str) -> pa.Table:
    """Check ``frame`` and convert it to an Arrow table with the storage types.

    Columns outside the contract are kept with the type Arrow infers. The index
    is not kept.

    Raises
    ------
    StoreError
        When a column is missing, has the wrong type, or cannot be converted.
    """
    frame = check_columns(frame, kind, dataset_id)
    required = set(REQUIRED_COLUMNS[kind])
    try:
        inferred = pa.Schema.from_pandas(frame, preserve_index=False)
        schema = pa.schema(
            [pa.field(f.name, storage_type(f.name)) if f.name in required else f for f in inferred]
        )
        return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    except (pa.ArrowException, ValueError, TypeError) as exc:
        raise StoreError(
            f"Datamängden {dataset_id!r} ({kind}) kan inte lagras som Parquet: {exc}"
        ) from exc


def prepare_regions(frame: pd.DataFrame, dataset_id: str) -> gpd.GeoDataFrame:
    """Check a regions frame: a GeoDataFrame in EPSG:4326 with the contract's columns.

    Raises
    ------
    StoreError
        Naming the dataset and what is wrong (type, CRS, column).
    """
    where = f"Regionerna i datamängden {dataset_id!r}"
    if not isinstance(frame, gpd.GeoDataFrame):
        raise StoreError(f"{where} måste vara en GeoDataFrame, inte {type(frame).__name__}.")
    if frame.active_geometry_name != "geometry":
        raise StoreError(
            f"{where} måste ha sin geometri i kolumnen 'geometry', "
            f"inte {frame.active_geometry_name!r}."
        )
    crs = frame.crs
    if crs is None or crs.to_epsg() != 4326:
        shown = "saknas" if crs is None else f"är {crs.to_string()}"
        raise StoreError(f"{where} måste ha koordinatsystemet {REGION_CRS}, men det {shown}.")
    checked: gpd.GeoDataFrame = check_columns(frame, "regions", dataset_id)
    return checked


def empty_frame(kind: str, columns: Sequence[str] | None) -> pd.DataFrame:
    """Return an empty frame with the storage types of ``columns`` (default: the contract)."""
    names = list(columns) if columns is not None else list(REQUIRED_COLUMNS[kind])
    schema = pa.schema([pa.field(name, storage_type(name)) for name in names])
    frame: pd.DataFrame = schema.empty_table().to_pandas()
    return frame


def empty_regions(columns: Sequence[str] | None) -> gpd.GeoDataFrame:
    """Return an empty regions frame in EPSG:4326 (``columns`` must include geometry)."""
    names = list(columns) if columns is not None else list(REGION_COLUMNS)
    data = {name: pd.Series([], dtype="str") for name in names if name != "geometry"}
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=REGION_CRS), crs=REGION_CRS)
    return frame[names]
