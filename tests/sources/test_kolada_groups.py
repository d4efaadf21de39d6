"""Kolada municipality groups: SKR group names confirmed by title, paging, refresh into a store.

Runs against tests/sources/kolada_stub.py (hand-made fixtures, see their README).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from sodd.errors import SourceError
from sodd.refresh_kommungrupp import add_parser, refresh_kommungrupper
from sodd.sources.kolada import KoladaClient
from sodd.sources.kolada_groups import (
    MunicipalityGroup,
    choose_groups,
    parse_municipality_groups,
    skr_group_name,
    skr_group_number,
)
from sodd.store import Store
from tests.sources.kolada_stub import kolada_stub


def client(base: str) -> KoladaClient:
    return KoladaClient(base, sleep=lambda _s: None)


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("Kommungruppsindelning 2023 (SKR): Storstäder", 1),
        ("Kommungruppsindelning 2023: Större stad", 3),
        ("Pendlingskommun nära större stad, SKR 2017", 5),
        ("Lågpendlingskommun nära större stad", 4),
        ("SKR: Pendlingskommun nära mindre stad/tätort", 7),
        ("Kommungrupp: Mindre stad/tätort", 6),
        ("Landsbygdskommun med besöksnäring (SKR)", 9),
        ("LANDSBYGDSKOMMUN", 8),
        ("Större städer i Värmland (egen jämförelsegrupp)", None),
        ("Kommuner i Värmlands län", None),
    ],
)
def test_title_names_an_skr_group(title: str, number: int | None) -> None:
    assert skr_group_number(title) == number


def test_group_names_in_both_languages() -> None:
    assert skr_group_name(2) == "Pendlingskommun nära storstad"
    assert skr_group_name(9, "en") == "Rural municipality with tourism"
    assert skr_group_name(12) == "grupp 12"


def test_newest_named_indelning_wins_and_regions_are_left_out() -> None:
    groups = [
        MunicipalityGroup("G2", "Kommungruppsindelning 2017: Större stad", ("1780", "0017")),
        MunicipalityGroup("G1", "Kommungruppsindelning 2023: Större stad", ("1780",)),
        MunicipalityGroup("G3", "Större stad", ("1780", "1715")),
        MunicipalityGroup("G4", "Egen grupp", ("1715",)),
    ]
    chosen = choose_groups(groups)
    assert {code: group.id for code, group in chosen.items()} == {"1780": "G1", "1715": "G3"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "inte ett JSON-objekt"),
        (b'{"values": [{"title": "x"}]}', "kommungrupp utan id"),
        (b'{"values": [{"id": "G1", "members": "1780"}]}', "saknar medlemslista"),
        (b'{"values": [{"id": "G1", "members": ["17"]}]}', "okänd medlem i kommungruppen G1"),
        (b'{"count": 0}', "saknar listan 'values'"),
    ],
)
def test_malformed_group_payloads_are_refused(body: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_municipality_groups(body)


def test_group_search_follows_next_url() -> None:
    with kolada_stub() as stub:
        groups, pages = client(stub.base).municipality_groups("Större stad")
    assert len(pages) == 2
    assert [g.id for g in groups] == ["G900003", "G900005", "G170003", "G555001"]
    assert groups[0].members == ("1780", "1880", "0380")
    assert any("/v3/municipality_groups?title=St%C3%B6rre%20stad" in r for r in stub.requests)


def test_refresh_stores_each_kommuns_group_with_the_kolada_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    lines: list[str] = []
    with kolada_stub() as stub:
        report = refresh_kommungrupper(store, client(stub.base), progress=lines.append)
        searched = [r for r in stub.requests if r.startswith("/v3/municipality_groups")]
    assert len(searched) == 10  # nine SKR names, "Större stad" on two pages
    rows = store.read("observations", filters=[("table_id", "==", "kommungrupp")])
    got = {
        code: (value, json.loads(dims)["grupp_id"])
        for code, value, dims in zip(rows["region_code"], rows["value"], rows["dims"], strict=True)
    }
    assert got == {
        "1780": (3.0, "G900003"),  # 2023 beats 2017; the own comparison group is ignored
        "1880": (3.0, "G900003"),
        "0380": (3.0, "G900003"),
        "1715": (5.0, "G900005"),
        "1761": (5.0, "G900005"),
        "1737": (9.0, "G900009"),
        "2161": (9.0, "G900009"),
        "1765": (8.0, "G900008"),
    }
    assert set(rows["level"]) == {"kommun"} and set(rows["provider"]) == {"kolada"}
    assert report.kommuner == 8 and "G900003" in report.summary_sv()
    manifest = store.manifest().datasets["kolada__kommungrupp"]
    assert manifest.raw_files  # the pages as received are kept
    assert lines[-1] == "Kommungrupper: 8 kommuner sparade."


def test_refresh_without_skr_groups_stores_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    with kolada_stub() as stub:
        stub.no_groups = True
        with pytest.raises(SourceError, match="SKR:s nio kommungrupper"):
            refresh_kommungrupper(store, client(stub.base))
    assert "kolada__kommungrupp" not in store.manifest().datasets


def test_command_line_parser() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    add_parser(sub)
    args = parser.parse_args(["kommungrupp"])
    assert args.func.__name__ == "run"
