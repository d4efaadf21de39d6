"""JSON-stat 2.0 datasets (PxWebApi's ``json-stat2``) to observation rows. Pure, no I/O.

The parser follows data-sources §2.9: dimension order comes from ``id``, category order
from ``category.index`` (object or list; never label order), ``value`` is row-major with
the last dimension fastest, and a null cell keeps its published symbol from ``status``.
A payload whose parts disagree (value count, sizes, dimensions) is refused instead of
being cut to fit ([P] does the same), because a silently shifted cell would put one
area's figure on another.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from sodd.errors import SourceError
from sodd.schema import OBSERVATION_COLUMNS, STATUS_SUPPRESSED
from sodd.sources.scb_codes import classify_region_code

Payload: TypeAlias = bytes | str | Mapping[str, Any]


def load_json(payload: Payload, what: str) -> Mapping[str, Any]:
    """Decode a JSON object from bytes or text; a mapping is returned as it is.

    Parameters
    ----------
    payload
        Raw response body, its text, or an already decoded object.
    what
        Swedish description for messages, e.g. ``"SCB-tabell TAB6574"``.

    Returns
    -------
    Mapping
        The decoded top-level object.

    Raises
    ------
    SourceError
        ``ofullständigt svar`` when the body ends too early (a truncated download),
        ``trasigt svar`` when it is not JSON, or when the top level is not an object.
    """
    if isinstance(payload, Mapping):
        return payload
    if isinstance(payload, bytes | bytearray | memoryview):
        raw = bytes(payload)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            # A cut inside a multi-byte letter (å, ä, ö) is a truncation too.
            kind = "ofullständigt" if error.end >= len(raw) - 1 else "trasigt"
            raise SourceError(
                f"{what}: {kind} svar (inte giltig UTF-8 vid byte {error.start})."
            ) from None
    else:
        text = payload
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # A cut body fails at its very end, or inside a string or literal running into it.
        end = len(text.rstrip())
        if error.pos >= end - 5 or error.msg.startswith("Unterminated string"):
            raise SourceError(
                f"{what}: ofullständigt svar – JSON-texten tar slut efter {len(text)} tecken."
            ) from None
        raise SourceError(
            f"{what}: trasigt svar – ogiltig JSON på rad {error.lineno}, kolumn "
            f"{error.colno}: {error.msg}."
        ) from None
    if not isinstance(data, Mapping):
        raise SourceError(f"{what}: svaret är inte ett JSON-objekt utan {type(data).__name__}.")
    return data


def dimension_codes(data: Mapping[str, Any], dim: str, what: str) -> list[str]:
    """Return the category codes of one dimension in index order.

    Raises
    ------
    SourceError
        When the dimension is missing or its index is not a permutation of positions.
    """
    dimensions = data.get("dimension")
    dimension = dimensions.get(dim) if isinstance(dimensions, Mapping) else None
    if not isinstance(dimension, Mapping) or not isinstance(dimension.get("category"), Mapping):
        raise SourceError(f"{what}: dimensionen {dim!r} saknas eller saknar kategorier.")
    category = dimension["category"]
    index = category.get("index")
    if isinstance(index, list):
        codes = list(index)
    elif isinstance(index, Mapping):
        positions = sorted(
            index.items(), key=lambda item: item[1] if isinstance(item[1], int) else -1
        )
        if [pos for _, pos in positions] != list(range(len(positions))):
            raise SourceError(
                f"{what}: dimensionen {dim!r} har ett index som inte numrerar "
                "kategorierna 0, 1, 2, …"
            )
        codes = [code for code, _ in positions]
    elif (
        index is None and isinstance(category.get("label"), Mapping) and len(category["label"]) == 1
    ):
        codes = list(category["label"])  # JSON-stat lets a single category omit its index
    else:
        raise SourceError(f"{what}: dimensionen {dim!r} saknar category.index.")
    if not all(isinstance(code, str) for code in codes) or len(set(codes)) != len(codes):
        raise SourceError(f"{what}: dimensionen {dim!r} har koder som inte är unika texter.")
    return codes


def dimension_labels(payload: Payload, *, table_id: str = "") -> dict[str, dict[str, str]]:
    """Return ``{dimension: {code: label}}`` in ``id`` and index order (region names etc.).

    A category without a label gets its code as label.

    Raises
    ------
    SourceError
        When the payload is not JSON-stat or a dimension is malformed.
    """
    what = f"SCB-tabell {table_id}" if table_id else "JSON-stat-svaret"
    data = load_json(payload, what)
    ids = data.get("id")
    if not isinstance(ids, list):
        raise SourceError(f"{what}: svaret saknar listan 'id' över dimensioner.")
    out: dict[str, dict[str, str]] = {}
    for dim in ids:
        dim_codes = dimension_codes(data, dim, what)
        labels = data["dimension"][dim]["category"].get("label") or {}
        out[dim] = {code: str(labels.get(code, code)) for code in dim_codes}
    return out


def _values(data: Mapping[str, Any], n: int, shape: str, what: str) -> np.ndarray:
    raw = data.get("value")
    if isinstance(raw, Mapping):  # sparse form {"position": number}
        values = np.full(n, np.nan)
        for key, value in raw.items():
            position = int(key) if str(key).isdigit() else -1
            if not 0 <= position < n:
                raise SourceError(f"{what}: värdet på position {key!r} ligger utanför 0–{n - 1}.")
            values[position] = _number(value, key, what)
        return values
    if not isinstance(raw, list):
        raise SourceError(f"{what}: svaret saknar listan 'value'.")
    if len(raw) != n:
        raise SourceError(
            f"{what}: svaret har {len(raw)} värden men dimensionerna ({shape}) ger {n} celler."
        )
    kinds = set(map(type, raw))
    if not kinds <= {int, float, type(None)}:
        bad = next(pos for pos, v in enumerate(raw) if type(v) not in {int, float, type(None)})
        _number(raw[bad], bad, what)
    return np.array(raw, dtype=np.float64)  # None becomes NaN


def _number(value: Any, position: object, what: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise SourceError(
        f"{what}: värdet på position {position} är {value!r}, inte ett tal eller null."
    )


def _status(data: Mapping[str, Any], n: int, what: str) -> np.ndarray:
    out = np.full(n, None, dtype=object)
    raw = data.get("status")
    if raw is None:
        return out
    if isinstance(raw, str):  # one symbol for every cell
        items: Any = enumerate([raw] * n)
    elif isinstance(raw, list):
        if len(raw) == 1:
            raw = raw * n
        if len(raw) != n:
            raise SourceError(f"{what}: 'status' har {len(raw)} poster men svaret har {n} celler.")
        items = enumerate(raw)
    elif isinstance(raw, Mapping):
        items = raw.items()
    else:
        raise SourceError(f"{what}: 'status' är varken objekt, lista eller text.")
    for key, symbol in items:
        position = key if isinstance(key, int) else int(key) if str(key).isdigit() else -1
        if not 0 <= position < n:
            raise SourceError(f"{what}: status på position {key!r} ligger utanför 0–{n - 1}.")
        if symbol is not None and not isinstance(symbol, str):
            raise SourceError(f"{what}: status på position {key} är {symbol!r}, inte text.")
        out[position] = symbol or None
    return out


def _unit(data: Mapping[str, Any], contents_dimension: str, code: str) -> str:
    units = data["dimension"][contents_dimension]["category"].get("unit") or {}
    unit = units.get(code) if isinstance(units, Mapping) else None
    if not isinstance(unit, Mapping):
        return ""
    return str(unit.get("base") or unit.get("label") or "")


def parse_jsonstat(
    payload: Payload,
    *,
    table_id: str,
    fetched_at: str,
    provider: str = "scb",
    region_dimension: str = "Region",
    time_dimension: str = "Tid",
    contents_dimension: str = "ContentsCode",
) -> pd.DataFrame:
    """Turn one JSON-stat 2.0 dataset into observation rows, one per cell.

    Parameters
    ----------
    payload
        The response body (bytes or text) or the decoded object.
    table_id
        Table id stored with every row and named in messages.
    fetched_at
        ISO 8601 UTC fetch time stored with every row.
    provider
        Provider name stored with every row.
    region_dimension, time_dimension, contents_dimension
        Codes of the region, time and contents (measure) dimensions.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`sodd.schema.OBSERVATION_COLUMNS` in row-major cell order:
        ``variable`` is the contents code, ``region_code`` the plain code with its
        ``level`` and ``geo_vintage``, ``period`` the time code, ``dims`` the JSON text
        of the other dimensions' codes (keys sorted, ``"{}"`` when none), ``value``
        float (NaN where not published), ``status`` the published symbol (``".."``
        for a null cell without one), ``unit`` the contents code's unit.

    Raises
    ------
    SourceError
        Naming the table when the payload is truncated, not JSON, lacks a dimension,
        has a value count that differs from the product of the sizes, holds values
        that are not numbers or null, or has a region code SCB does not use.
    """
    what = f"SCB-tabell {table_id}"
    data = load_json(payload, what)
    ids, sizes = data.get("id"), data.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise SourceError(f"{what}: svaret saknar 'id' och 'size' av samma längd.")
    for needed in (region_dimension, time_dimension, contents_dimension):
        if needed not in ids:
            raise SourceError(
                f"{what}: svaret saknar dimensionen {needed!r} (har {', '.join(map(str, ids))})."
            )
    codes = [dimension_codes(data, dim, what) for dim in ids]
    for dim, size, dim_codes in zip(ids, sizes, codes, strict=True):
        if size != len(dim_codes):
            raise SourceError(
                f"{what}: dimensionen {dim!r} har size {size} men {len(dim_codes)} kategorier."
            )
    n = math.prod(sizes)
    shape = " × ".join(f"{dim} {size}" for dim, size in zip(ids, sizes, strict=True))
    values = _values(data, n, shape, what)
    status = _status(data, n, what)
    status[np.isnan(values) & pd.isna(status)] = STATUS_SUPPRESSED

    # Coordinates of every cell: row-major, the last dimension varies fastest.
    positions = np.arange(n, dtype=np.int64)
    strides = [math.prod(sizes[k + 1 :]) for k in range(len(sizes))]
    coord = {dim: (positions // strides[k]) % sizes[k] for k, dim in enumerate(ids)}

    def take(dim: str, table: list[str]) -> Any:
        # Taking from the small per-category array keeps 150 000 cells well under a second.
        return pd.array(table, dtype="str").take(coord[dim])

    try:
        classified = [classify_region_code(c) for c in codes[ids.index(region_dimension)]]
    except SourceError as error:
        raise SourceError(f"{what}: {error}") from None
    contents_codes = codes[ids.index(contents_dimension)]
    others = [
        dim for dim in ids if dim not in (region_dimension, time_dimension, contents_dimension)
    ]
    if others:
        # One JSON text per combination of the other dimensions, then looked up per cell.
        combo = np.zeros(n, dtype=np.int64)
        for dim in others:
            combo = combo * sizes[ids.index(dim)] + coord[dim]
        texts = [
            json.dumps(
                dict(zip(others, combination, strict=True)), sort_keys=True, ensure_ascii=False
            )
            for combination in itertools.product(*(codes[ids.index(dim)] for dim in others))
        ]
        dims: Any = pd.array(texts, dtype="str").take(combo)
    else:
        dims = "{}"
    columns: dict[str, Any] = {
        "provider": provider,
        "table_id": table_id,
        "variable": take(contents_dimension, contents_codes),
        "region_code": take(region_dimension, [c[0] for c in classified]),
        "geo_vintage": take(region_dimension, [c[2] for c in classified]),
        "level": take(region_dimension, [c[1] for c in classified]),
        "period": take(time_dimension, codes[ids.index(time_dimension)]),
        "dims": dims,
        "value": values,
        "status": pd.array(status, dtype="str"),
        "unit": take(
            contents_dimension, [_unit(data, contents_dimension, c) for c in contents_codes]
        ),
        "fetched_at": fetched_at,
    }
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n))
    return frame[list(OBSERVATION_COLUMNS)]
