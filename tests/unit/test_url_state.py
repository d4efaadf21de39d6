"""URL parameters of the pages: encoding, validation of stale values, links."""

from __future__ import annotations

import pytest

from sodd.url_state import (
    KARTA,
    OMRADESPROFIL,
    PAGES,
    app_root,
    build_link,
    build_query,
    encode_value,
    parse_query,
    split_value,
    validate_value,
)


def test_query_round_trip_keeps_order_codes_and_lists() -> None:
    values = {
        "visa": "kommun",
        "kommun": "0180",
        "indikator": "lag_ekonomisk_standard",
        "ar": "2023",
        "omradestyp": [1, 3],
        "lan": None,
    }
    query = build_query(values)
    assert query == (
        "visa=kommun&kommun=0180&indikator=lag_ekonomisk_standard&ar=2023&omradestyp=1,3"
    )
    back = parse_query("?" + query)
    assert back["kommun"] == "0180"  # leading zero kept: codes are text
    assert split_value(back["omradestyp"]) == ["1", "3"]
    assert "lan" not in back


def test_special_characters_are_escaped_and_restored() -> None:
    query = build_query({"area": "Norra & södra", "vintage": "2025"})
    assert "&" not in query.split("&")[0].split("=", 1)[1]
    assert parse_query(query)["area"] == "Norra & södra"


def test_valid_value_returns_the_widgets_own_option() -> None:
    param = KARTA.param("omradestyp")
    value, notice = validate_value(param, "1,4", (1, 2, 3, 4, 5))
    assert value == [1, 4] and notice is None
    year, notice = validate_value(KARTA.param("ar"), "2022", ["2021", "2022"])
    assert year == "2022" and notice is None


@pytest.mark.parametrize(
    ("name", "raw", "options", "fragment"),
    [
        ("indikator", "borttagen_indikator", ["folkmangd"], "indikatorn ”borttagen_indikator”"),
        ("ar", "1999", ["2022", "2023"], "året ”1999”"),
        ("kommun", "9999", ["1780"], "kommunen ”9999”"),
    ],
)
def test_stale_value_is_dropped_with_a_swedish_notice(
    name: str, raw: str, options: list[str], fragment: str
) -> None:
    value, notice = validate_value(KARTA.param(name), raw, options)
    assert value is None
    assert notice is not None and notice.value == raw
    assert fragment in notice.text("sv")
    assert "Standardvalet visas i stället" in notice.text("sv")
    assert raw in notice.text("en")


def test_partly_stale_list_keeps_the_rest_and_names_the_dropped_item() -> None:
    value, notice = validate_value(KARTA.param("omradestyp"), "2,9", (1, 2, 3, 4, 5))
    assert value == [2]
    assert notice is not None and notice.value == "9"


def test_links_for_pages_and_roots() -> None:
    assert app_root("http://localhost:8501/karta", "karta") == "http://localhost:8501"
    assert app_root("https://x.se/sodd/omradesprofil/", "omradesprofil") == "https://x.se/sodd"
    assert app_root("http://localhost:8501/", "karta") == "http://localhost:8501"
    assert app_root(None, "karta") == ""
    link = build_link("http://h:1", "omradesprofil", {"area": "1780", "level": "kommun"})
    assert link == "http://h:1/omradesprofil?area=1780&level=kommun"
    # The start page is served at the root (its own path answers "Page not found").
    assert build_link("http://h:1", "karta", {"ar": "2023"}) == "http://h:1/?ar=2023"
    assert build_link("", "karta", {"ar": "2023"}) == "./?ar=2023"
    assert build_link("", "datakallor", {}) == "datakallor"


def test_every_page_declares_unique_names_and_the_profile_keeps_its_old_ones() -> None:
    for spec in PAGES.values():
        assert len(set(spec.names)) == len(spec.names), spec.page
        assert all(name.isascii() and name.islower() for name in spec.names)
    assert OMRADESPROFIL.names[:3] == ("area", "level", "vintage")
    assert "jamfor" in OMRADESPROFIL.names
    with pytest.raises(KeyError, match="tema"):
        KARTA.param("tema")


def test_encode_value_of_scalars_and_sequences() -> None:
    assert encode_value("a") == "a"
    assert encode_value(3) == "3"
    assert encode_value(("x", "y")) == "x,y"
