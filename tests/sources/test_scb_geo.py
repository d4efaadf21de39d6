"""SCB WFS client: parsing real and handmade GeoJSON pages, paging, errors, retries."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import shapely

from sodd.errors import SourceError, SourceUnavailable
from sodd.schema import REGION_COLUMNS
from sodd.sources.http import RetryPolicy, make_session
from sodd.sources.scb_geo import (
    GeoScope,
    build_params,
    exception_text,
    fetch_features,
    get_layer,
    parse_features,
    parse_layer,
)
from tests.sources.wfs_stub import Answer, fixture, wfs_stub

FAST = RetryPolicy(attempts=3, backoff_seconds=0.5, timeout_seconds=5)
KARLSTAD = GeoScope("kommun", "1780")


def _page(name: str) -> dict[str, Any]:
    page: dict[str, Any] = json.loads(fixture(name))
    return page


def _bytes(page: dict[str, Any]) -> bytes:
    return json.dumps(page).encode()


def _deso_page() -> dict[str, Any]:
    """A well-formed two-DeSO page: the swapped fixture turned back to [lon, lat]."""
    page = _page("deso_2025_axes_swapped.json")
    for feature in page["features"]:
        ring = feature["geometry"]["coordinates"][0]
        feature["geometry"]["coordinates"] = [[[y, x] for x, y in ring]]
    return page


# --- parsing ---------------------------------------------------------------------------


@pytest.mark.shared
def test_real_goteborg_answer(shared_dir: Path) -> None:
    body = (shared_dir / "data" / "geo" / "goteborg_deso2025_wfs_response.geojson").read_bytes()
    parsed = parse_layer([body], "stat:DeSO_2025")
    regions = parsed.regions
    assert list(regions.columns) == list(REGION_COLUMNS)
    assert len(regions) == 320 and regions["region_code"].is_unique
    assert regions.crs.to_epsg() == 4326
    assert regions.geometry.is_valid.all()
    assert set(regions.geom_type) <= {"Polygon", "MultiPolygon"}
    minx, miny, maxx, maxy = regions.total_bounds
    assert 11.2 <= minx and maxx <= 12.3 and 57.5 - 1e-3 <= miny and maxy <= 57.9
    assert regions["region_code"].str.fullmatch(r"\d{4}[ABC]\d{4}").all()
    assert (regions["geo_vintage"] == "2025").all() and (regions["level"] == "deso").all()
    assert (regions["kommun_code"] == "1480").all() and (regions["lan_code"] == "14").all()
    assert (regions["name"] == regions["region_code"]).all()  # DeSO have no names at SCB
    expected = {
        f["properties"]["desokod"]: f["properties"]["regsokod"]
        for f in json.loads(body)["features"]
    }
    assert dict(zip(regions["region_code"], regions["parent_code"], strict=True)) == expected
    assert regions["parent_code"].nunique() == 147
    assert not parsed.axes_swapped and parsed.without_geometry == ()


def test_swapped_axes_are_turned_back() -> None:
    parsed = parse_layer([fixture("deso_2025_axes_swapped.json")], "DeSO_2025")
    assert parsed.axes_swapped
    expected = parse_features([_bytes(_deso_page())], "stat:DeSO_2025")
    assert shapely.equals(parsed.regions.geometry.to_numpy(), expected.geometry.to_numpy()).all()
    assert list(parsed.regions.total_bounds) == pytest.approx([13.50, 59.38, 13.52, 59.39])


def test_coordinates_outside_sweden_in_both_orders_are_refused() -> None:
    with pytest.raises(SourceError, match=r"stat:DeSO_2025.*inte i Sverige i någon axelordning"):
        parse_layer([fixture("deso_2025_metres.json")], "stat:DeSO_2025")


def test_declared_crs_other_than_wgs84_is_refused() -> None:
    page = _deso_page()
    page["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}
    with pytest.raises(SourceError, match=r"sida 1.*EPSG::3006.*EPSG:4326"):
        parse_layer([_bytes(page)], "stat:DeSO_2025")


def test_truncated_page_is_refused_naming_the_page() -> None:
    pages = [_bytes(_deso_page()), fixture("deso_2025_truncated.json")]
    with pytest.raises(SourceError, match=r"stat:DeSO_2025, sida 2, är inte giltig GeoJSON"):
        parse_layer(pages, "stat:DeSO_2025")


def test_null_geometry_is_counted_and_parts_are_dissolved() -> None:
    parsed = parse_layer([fixture("regso_2025_null_geometry.json")], "stat:RegSO_2025")
    assert parsed.without_geometry == ("1780R021",)
    row = parsed.regions.iloc[0]
    assert len(parsed.regions) == 1 and row["region_code"] == "1780R020"
    assert (row["name"], row["parent_code"], row["geo_vintage"]) == ("Centrum", "1780", "2025")
    # Two squares sharing an edge come back as one valid polygon of both areas.
    assert row.geometry.geom_type == "Polygon" and row.geometry.is_valid
    assert row.geometry.area == pytest.approx(2 * 0.01 * 0.01)


def test_self_intersecting_polygon_is_made_valid() -> None:
    page = _deso_page()
    bowtie = [[13.50, 59.38], [13.51, 59.39], [13.51, 59.38], [13.50, 59.39], [13.50, 59.38]]
    page["features"][0]["geometry"]["coordinates"] = [bowtie]
    geometry = parse_features([_bytes(page)], "stat:DeSO_2025").geometry.iloc[0]
    assert geometry.is_valid and geometry.geom_type == "MultiPolygon"
    assert geometry.area == pytest.approx(0.01 * 0.01 / 2)


@pytest.mark.parametrize("kind", ["tid", "Point3D", ""])
def test_unknown_geometry_type_is_refused_naming_the_feature(kind: str) -> None:
    """Found by make bench's fuzzing: shapely's GeometryTypeError got past the parser."""
    page = _deso_page()
    page["features"][0]["geometry"]["type"] = kind
    with pytest.raises(SourceError, match="geometri som inte går att läsa"):
        parse_features([_bytes(page)], "stat:DeSO_2025")


def test_duplicates_across_pages_are_kept_once_or_refused_when_different() -> None:
    first, second = _deso_page(), _deso_page()
    parsed = parse_layer([_bytes(first), _bytes(second)], "stat:DeSO_2025")
    assert len(parsed.regions) == 2 and parsed.duplicates == 2
    ring = second["features"][1]["geometry"]["coordinates"][0]
    ring[1] = [13.525, 59.38]
    ring[2] = [13.525, 59.39]
    with pytest.raises(SourceError, match=r"1780C1020 kom två gånger med olika innehåll"):
        parse_layer([_bytes(first), _bytes(second)], "stat:DeSO_2025")


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        ("desokod", "1780X1010", r"desokod '1780X1010'"),
        ("lanskod", 17, r"lanskod 17"),
        ("kommunkod", "1781", r"kommunkod '1781'"),
        ("regsokod", "1780-020", r"regsokod '1780-020'"),
        ("version", "2018_v3", r"version '2018_v3'.*inte blandas"),
    ],
)
def test_bad_attributes_are_refused_naming_the_value(
    attribute: str, value: object, message: str
) -> None:
    page = _deso_page()
    page["features"][0]["properties"][attribute] = value
    with pytest.raises(SourceError, match=rf"objekt DeSO_2025\.1.*{message}"):
        parse_layer([_bytes(page)], "stat:DeSO_2025")


def test_suffixed_codes_are_normalised_and_empty_answers_give_the_contract() -> None:
    page = _deso_page()
    page["features"][0]["properties"]["desokod"] = "1780C1010_DeSO2025"
    assert parse_features([_bytes(page)], "stat:DeSO_2025")["region_code"].iloc[0] == "1780C1010"
    empty = copy.deepcopy(page)
    empty["features"], empty["numberReturned"] = [], 0
    regions = parse_features([_bytes(empty)], "stat:RegSO_2020")
    assert regions.empty and list(regions.columns) == list(REGION_COLUMNS)
    assert regions.crs.to_epsg() == 4326


def test_scope_layers_and_query() -> None:
    assert GeoScope("kommun", "1780").cql_filter() == "kommunkod='1780'"
    assert GeoScope("lan", "17").cql_filter() == "lanskod='17'"
    assert GeoScope("riket", "00").cql_filter() is None and GeoScope("riket").code == ""
    assert GeoScope("lan", "17").covers(KARLSTAD) and not KARLSTAD.covers(GeoScope("lan", "17"))
    for kind, code in (("kommun", "178"), ("lan", "1780"), ("riket", "17"), ("socken", "1")):
        with pytest.raises(ValueError, match=r"kod|urval"):
            GeoScope(kind, code)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Okänt WFS-lager 'stat:RegSO_2018'"):
        get_layer("stat:RegSO_2018")
    params = build_params(get_layer("RegSO_2025"), GeoScope("riket"), 20, 10)
    assert params["typeNames"] == "stat:RegSO_2025" and params["sortBy"] == "regsokod"
    assert (params["count"], params["startIndex"], params["srsName"]) == ("10", "20", "EPSG:4326")
    assert "CQL_FILTER" not in params


# --- fetching --------------------------------------------------------------------------


def test_exception_report_with_status_400_names_layer_and_text() -> None:
    assert exception_text(_bytes(_deso_page())) is None
    with wfs_stub() as (url, script):
        script.answers = [Answer(fixture("exception_report.xml"), 400, "application/xml")]
        with pytest.raises(SourceError) as caught:
            fetch_features(make_session(), url, "stat:DeSO_2025", KARLSTAD, policy=FAST)
    message = str(caught.value)
    assert message.startswith("SCB:s WFS avvisade frågan om lagret stat:DeSO_2025:")
    # The text sits past the first 300 bytes, where the shared helper would cut it off.
    assert "InvalidParameterValue (CQL_FILTER)" in message
    assert 'Was expecting: "AND". Parsing : kommunkod=\'17.' in message
    assert len(script.requests) == 1  # a 400 is not retried


def test_exception_report_with_status_200_is_an_error_too() -> None:
    with wfs_stub() as (url, script):
        script.answers = [Answer(fixture("exception_report.xml"), 200, "application/xml")]
        with pytest.raises(SourceError, match=r"lagret stat:RegSO_2025: InvalidParameterValue"):
            fetch_features(make_session(), url, "stat:RegSO_2025", KARLSTAD, policy=FAST)


def test_truncated_bodies_are_fetched_again() -> None:
    good = _bytes(_deso_page())
    waits: list[float] = []
    with wfs_stub() as (url, script):
        script.answers = [
            Answer(fixture("deso_2025_truncated.json")),  # honest: short but complete HTTP
            Answer(good, cut=len(good) // 2),  # mid-stream: the connection drops
            Answer(good),
        ]
        pages = fetch_features(
            make_session(), url, "stat:DeSO_2025", KARLSTAD, policy=FAST, sleep=waits.append
        )
    assert pages == [good]
    assert waits == [0.5, 1.0] and len(script.requests) == 3


def test_a_body_broken_every_time_gives_up_with_a_source_error() -> None:
    with wfs_stub() as (url, script):
        script.answers = [Answer(fixture("deso_2025_truncated.json"))] * 3
        with pytest.raises(SourceUnavailable, match=r"sida 1\).*efter 3 försök.*trasigt svar"):
            fetch_features(
                make_session(), url, "stat:DeSO_2025", KARLSTAD, policy=FAST, sleep=lambda s: None
            )


def _split_page(page: dict[str, Any], index: int, *, matched: int | None) -> bytes:
    part = copy.deepcopy(page)
    part["features"] = [page["features"][index]]
    part["numberReturned"] = 1
    if matched is None:
        del part["numberMatched"], part["totalFeatures"]
    else:
        part["numberMatched"] = matched
    return _bytes(part)


@pytest.mark.parametrize("matched", [2, None])
def test_paging_follows_start_index_and_stops(matched: int | None) -> None:
    page = _deso_page()
    answers = [_split_page(page, 0, matched=matched), _split_page(page, 1, matched=matched)]
    if matched is None:  # nothing says the second page was the last: one more, empty, page
        empty = copy.deepcopy(page)
        empty["features"], empty["numberReturned"] = [], 0
        del empty["numberMatched"], empty["totalFeatures"]
        answers.append(_bytes(empty))
    lines: list[str] = []
    with wfs_stub() as (url, script):
        script.answers = [Answer(body) for body in answers]
        pages = fetch_features(
            make_session(), url, "DeSO_2025", KARLSTAD, page_size=1, progress=lines.append
        )
    assert pages == answers
    assert [r["startIndex"] for r in script.requests] == [str(i) for i in range(len(answers))]
    first = script.requests[0]
    assert first["typeNames"] == "stat:DeSO_2025" and first["count"] == "1"
    assert first["CQL_FILTER"] == "kommunkod='1780'" and first["sortBy"] == "desokod"
    assert (first["srsName"], first["outputFormat"]) == ("EPSG:4326", "application/json")
    assert re.search(r"sida 2, 2( av 2)? objekt", lines[1])
    regions = parse_features(pages, "stat:DeSO_2025")
    assert list(regions["region_code"]) == ["1780C1010", "1780C1020"]
