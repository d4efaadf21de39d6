"""Compact Deck JSON with pre-serialised layer records (no Streamlit).

Streamlit sends ``Deck.to_json()`` to the browser as it is. pydeck indents it (one
coordinate per line, doubling the bytes) and re-serialises every coordinate on each
rerun; for a whole-country district map that costs more than everything else a rerun
does. :class:`CompactDeck` writes compact JSON and splices in the ready text of a
:class:`RecordList`, so a rerun only writes colour indices and tooltip texts; the
colours themselves go once per layer, in its fill accessor (:func:`fill_accessor`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

import pydeck as pdk
from pydeck.bindings import deck as _pydeck_deck
from pydeck.bindings.json_tools import default_serialize

# pydeck asks five times per Deck whether its Jupyter widget can be built; without
# ipywidgets each answer is a failed import that re-runs pydeck.widget (about 2 ms of a
# 3 ms rerun for one kommun). The answer cannot change while the process runs, so it
# is asked once; a Deck is built exactly as before.
if not hasattr(_pydeck_deck.has_jupyter_extra, "cache_info"):
    _pydeck_deck.has_jupyter_extra = functools.cache(_pydeck_deck.has_jupyter_extra)


def compact_json(value: object) -> str:
    """``value`` as compact JSON (no spaces, non-ASCII kept as is)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# The JSON string literal of a text (the C encoder json.dumps itself uses for strings).
quote_json: Callable[[str], str] = json.encoder.encode_basestring


class RecordList(list[dict[str, Any]]):
    """Layer records that also carry their compact JSON text.

    Serialising tens of thousands of coordinates on every rerun would cost more than
    everything else a rerun does; :class:`CompactDeck` splices ``json_text``
    into the Deck's JSON instead.
    """

    json_text: str = "[]"
    # RGBA colours the records' ``fill`` indices point into (see sodd.map_records).
    palette: tuple[tuple[int, ...], ...] = ()


def fill_accessor(palette: Sequence[Sequence[int]]) -> str:
    """The layer's fill accessor: the record's ``fill`` index looked up in ``palette``.

    deck.gl's JSON expressions allow array literals and indexing (not calls); its parser
    (jsep) only indexes a parenthesised literal.
    """
    return f"({compact_json([list(colour) for colour in palette])})[fill]"


class CompactDeck(pdk.Deck):  # type: ignore[misc]
    """A Deck whose JSON is compact and reuses its layers' pre-serialised records."""

    def to_json(self) -> str:
        """Return the Deck as compact JSON (the same content as pydeck's)."""
        spliced: dict[str, str] = {}
        swapped: list[tuple[Any, RecordList]] = []
        for layer in self.layers:
            data = getattr(layer, "_data", None)
            if isinstance(data, RecordList):
                token = f"@@sodd-records-{len(spliced)}@@"
                spliced[json.dumps(token)] = data.json_text
                swapped.append((layer, data))
                layer._data = token
        try:
            text = json.dumps(
                self, default=default_serialize, ensure_ascii=False, separators=(",", ":")
            )
        finally:
            for layer, data in swapped:
                layer._data = data
        for token, raw in spliced.items():
            text = text.replace(token, raw, 1)
        return text


__all__ = ["CompactDeck", "RecordList", "compact_json", "fill_accessor", "quote_json"]
