"""Kolada v3: KPI lookup by title, paging, retries, parsing, and a refresh into a store.

Runs against tests/sources/kolada_stub.py (hand-made fixtures, see their README).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
import pytest

from sodd.errors import SourceError
from sodd.refresh_kolada import add_parser, refresh_kolada
from sodd.sources.kolada import KoladaClient, chunks, kolada_api_url
from sodd.sources.kolada_model import TARGETS, Kpi, choose_kpi, parse_kolada, region_of
from sodd.store import Store
from tests.sources.kolada_stub import FIXTURES, kolada_stub

BY_VARIABLE = {target.variable: target for target in TARGETS}


def client(base: str, sleeps: list[float] | None = None) -> KoladaClient:
    return KoladaClient(base, sleep=(sleeps if sleeps is not None else []).append)


def test_base_url_from_environment_with_default() -> None:
    assert kolada_api_url({}) == "https://api.kolada.se/v3"
    assert kolada_api_url({"SODD_KOLADA_API_URL": "http://127.0.0.1:9/v3/"}) == (
        "http://127.0.0.1:9/v3"
    )


def test_kpi_search_follows_next_url_and_titles_confirm_the_measure() -> None:
    with kolada_stub() as stub:
        kpis, pages = client(stub.base).search_kpis("ekonomiskt bistånd")
    assert len(pages) == 2
    assert [kpi.id for kpi in kpis] == ["N31800", "N31807", "N31808", "N31809", "N31816", "N31899"]
    assert choose_kpi(BY_VARIABLE["andel_invanare_bistand"], kpis) == Kpi(
        "N31807", "Invånare som någon gång under året erhållit ekonomiskt bistånd, andel (%)"
    )
    assert choose_kpi(BY_VARIABLE["andel_langvarigt_bistand"], kpis).id == "N31816"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("variable", "title", "accepted"),
    [
        ("andel_invanare_bistand", "Hushåll som erhållit ekonomiskt bistånd, andel (%)", False),
        ("andel_invanare_bistand", "Kostnad för ekonomiskt bistånd, kr/inv", False),
        ("andel_invanare_bistand", "Invånare 18-24 år med ekonomiskt bistånd, andel (%)", False),
        ("verkstallda_per_100000", "Verkställda vräkningar (avhysningar), antal/100 000 inv", True),
        ("verkstallda_per_100000", "Ansökningar om avhysning, antal/100 000 inv", False),
        ("verkstallda_per_100000", "Verkställda avhysningar, antal", False),
    ],
)
def test_title_confirmation(variable: str, title: str, accepted: bool) -> None:
    assert BY_VARIABLE[variable].accepts(title) is accepted


def test_region_codes() -> None:
    assert region_of("0180") == ("0180", "kommun")
    assert region_of("0017") == ("17", "lan")
    assert region_of("0000") == ("00", "riket")
    assert region_of("G33952") is None
    with pytest.raises(SourceError, match="okänd kommun-/regionkod 'abc'"):
        region_of("abc")


def test_parse_kolada_genders_nulls_groups_and_deleted_rows() -> None:
    body = (FIXTURES / "data_bistand_p2.json").read_bytes()
    wanted = {"N31807": BY_VARIABLE["andel_invanare_bistand"]}
    wanted["N31816"] = BY_VARIABLE["andel_langvarigt_bistand"]
    frame = parse_kolada(body, wanted, fetched_at="2026-11-30T00:00:00Z")
    rows = {
        (r.region_code, r.period, json.loads(r.dims)["kon"]): (r.value, r.status)
        for r in frame.itertuples()
    }
    value, status = rows[("1780", "2023", "T")]
    assert value == 1.4 and pd.isna(status)
    assert rows[("1780", "2023", "K")][1] == ".."  # null value, empty status
    assert rows[("1780", "2022", "T")][1] == "Saknas"  # Kolada's own status kept
    assert ("1780", "2022", "T") in rows and len(frame) == 5  # the deleted row is dropped
    assert set(frame["variable"]) == {"andel_langvarigt_bistand"}
    with pytest.raises(SourceError, match="nyckeltalet N31807, som inte efterfrågades"):
        first = (FIXTURES / "data_bistand_p1.json").read_bytes()
        parse_kolada(first, {"N31816": BY_VARIABLE["andel_langvarigt_bistand"]}, fetched_at="x")


def test_malformed_page_is_refused() -> None:
    with pytest.raises(SourceError, match="inte JSON"):
        parse_kolada(b"<html>", {}, fetched_at="x")
    with pytest.raises(SourceError, match="saknar listan 'values'"):
        parse_kolada(b'{"count": 0}', {}, fetched_at="x")


def test_ids_are_split_in_groups_of_25() -> None:
    ids = [f"{n:04d}" for n in range(60)]
    assert [len(group) for group in chunks(ids)] == [25, 25, 10]


def test_data_paths_split_long_municipality_lists() -> None:
    requested: list[str] = []

    class Recorder(KoladaClient):
        def pages(self, path: str, *, what: str) -> list:  # type: ignore[type-arg]
            requested.append(path)
            return []

    Recorder("http://127.0.0.1:9/v3").data(["N1"], [2023], [f"{n:04d}" for n in range(1, 31)])
    assert len(requested) == 2
    assert requested[0].count(",") == 24 and requested[1].endswith("/year/2023")


def test_refresh_end_to_end_with_paging_and_one_429(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    sleeps: list[float] = []
    lines: list[str] = []
    with kolada_stub() as stub:
        report = refresh_kolada(
            store, client(stub.base, sleeps), kommun_codes=["1780"], years=[2022, 2023],
            progress=lines.append,
        )  # fmt: skip
        requests = list(stub.requests)
    assert report.kpis["andel_invanare_bistand"][0] == "N31807"
    assert report.kpis["andel_langvarigt_bistand"][0] == "N31816"
    assert report.kpis["verkstallda_per_100000"][0] == "U00958"
    assert report.missing == []
    assert set(report.missing_optional) == {"barn_berorda_per_100000", "hemloshet", "trangboddhet"}
    assert report.ok and report.recomputed
    data_requests = [r for r in requests if r.startswith("/v3/data/")]
    # The first data request got a 429 and was sent again; page 2 came via next_url.
    assert data_requests[0] == data_requests[1]
    assert data_requests[2].endswith("?page=2")
    assert 2.0 in sleeps  # Retry-After: 2 was honoured (sleep is recorded, not slept)
    obs = store.read("observations", dataset_ids=["kolada__ekonomiskt_bistand"])
    assert len(obs) == 14
    karlstad = obs.loc[(obs["region_code"] == "1780") & (obs["dims"] == '{"kon": "T"}')]
    assert karlstad.set_index(["variable", "period"])["value"].dropna().to_dict() == {
        ("andel_invanare_bistand", "2023"): 4.1,
        ("andel_langvarigt_bistand", "2023"): 1.4,
    }
    assert set(obs.loc[obs["level"] == "lan", "region_code"]) == {"17"}
    entry = store.manifest().datasets["kolada__ekonomiskt_bistand"]
    assert sum(name.endswith(".json") for name in entry.raw_files) == 2 + 2 + 1 + 1 + 1 + 1 + 1
    assert "N31807" in json.loads(entry.query or "")["imports"][0]["kpis"]
    evictions = store.read("observations", dataset_ids=["kolada__avhysningar"])
    assert set(evictions["unit"]) == {"per_100000"}


def test_missing_required_kpi_is_reported(tmp_path: Path) -> None:
    with kolada_stub(throttle_once=False) as stub:
        stub.kpi_overrides["vräkningar"] = "kpi_empty.json"
        stub.kpi_overrides["avhysningar"] = "kpi_empty.json"
        report = refresh_kolada(
            Store(tmp_path / "data"), client(stub.base), kommun_codes=["1780"], years=[2022, 2023]
        )
    assert report.missing == ["verkstallda_per_100000"]
    assert not report.ok
    assert "Hittade inget nyckeltal för: verkstallda_per_100000" in report.summary_sv()


def test_cli_parser() -> None:
    parser = argparse.ArgumentParser(prog="sodd refresh")
    add_parser(parser.add_subparsers(dest="source"))
    args = parser.parse_args(["kolada", "--kommun", "1780", "0180", "--from", "2020"])
    assert (args.kommun, args.first_year) == (["1780", "0180"], 2020)
    assert parser.parse_args(["kolada"]).kommun is None
    with pytest.raises(SystemExit):
        parser.parse_args(["kolada", "--kommun", "178"])


def test_throttle_keeps_about_five_requests_a_second() -> None:
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    with kolada_stub(throttle_once=False) as stub:
        kolada = KoladaClient(stub.base, sleep=sleep, clock=lambda: now[0])
        for _ in range(3):
            kolada.get("/kpi?title=x", what="test")
    assert sleeps == [pytest.approx(0.2), pytest.approx(0.2)]
    assert kolada.request_count == 3
