"""Kronofogden, Boverket and Socialstyrelsen files: layouts, failures, store round trips.

The files here are our own fixtures (no real Kronofogden, Boverket shortage or
Socialstyrelsen file is available, data-sources §11); the BME test reads the real
shared file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sodd.errors import SourceError
from sodd.sources.boverket import (
    import_boverket,
    parse_boverket_bme,
    parse_boverket_shortage,
    read_bme,
)
from sodd.sources.kronofogden import import_kronofogden, parse_kronofogden, read_kronofogden
from sodd.sources.socialstyrelsen import import_socialstyrelsen, parse_socialstyrelsen
from sodd.store import Store
from tests.unit.test_tabular import xlsx_bytes

BME_FILE = "data/boverket/bme_kommun_bostadsmarknadslage_2020_2026.csv"


def cells(frame: pd.DataFrame, *, dims: bool = False) -> dict[tuple[str, ...], float | str]:
    """(variable, region, period[, dims]) → value, or the status where no value."""
    out: dict[tuple[str, ...], float | str] = {}
    for row in frame.itertuples():
        key = (row.variable, row.region_code, row.period) + ((row.dims,) if dims else ())
        out[key] = row.status if pd.isna(row.value) else row.value
    return out


# ------------------------------------------------------------------ Kronofogden

KRONOFOGDEN_LONG = (
    "Avhysningar per kommun och år\r\nKälla: Kronofogden\r\n\r\n"
    "Kommun;År;Ansökningar om avhysning;Verkställda avhysningar;Barn berörda\r\n"
    "1780 Karlstad;2023;1 120;45;12\r\n"
    "Karlstad;2022;98;40;..\r\n"
    "Riket;2023;6 923;2 768;674\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_kronofogden_long_csv(encoding: str) -> None:
    frame = parse_kronofogden(KRONOFOGDEN_LONG.encode(encoding), "avhysningar.csv")
    assert cells(frame) == {
        ("ansokta", "1780", "2023"): 1120.0,
        ("verkstallda", "1780", "2023"): 45.0,
        ("barn_berorda", "1780", "2023"): 12.0,
        ("ansokta", "1780", "2022"): 98.0,
        ("verkstallda", "1780", "2022"): 40.0,
        ("barn_berorda", "1780", "2022"): "..",
        ("ansokta", "00", "2023"): 6923.0,
        ("verkstallda", "00", "2023"): 2768.0,
        ("barn_berorda", "00", "2023"): 674.0,
    }
    assert set(frame["dims"]) == {"{}"}  # the catalog's selections name no dimension
    assert frame.set_index("variable")["unit"].to_dict() == {
        "ansokta": "antal",
        "verkstallda": "antal",
        "barn_berorda": "personer",
    }


def test_kronofogden_wide_xlsx_with_years_in_headers() -> None:
    data = xlsx_bytes(
        {
            "Kommuner": [
                ["Verkställda avhysningar och berörda barn"],
                [],
                ["Kommunkod", "Kommunnamn", "Verkställda 2022", "Verkställda 2023", "Barn 2023"],
                [180, "Stockholm", 500, 480, 90],
                ["1780", "Karlstad", 40, 45, 12],
            ]
        }
    )
    parsed = read_kronofogden(data, "kronofogden.xlsx")
    assert cells(parsed.observations) == {
        ("verkstallda", "0180", "2022"): 500.0,
        ("verkstallda", "0180", "2023"): 480.0,
        ("barn_berorda", "0180", "2023"): 90.0,
        ("verkstallda", "1780", "2022"): 40.0,
        ("verkstallda", "1780", "2023"): 45.0,
        ("barn_berorda", "1780", "2023"): 12.0,
    }
    assert parsed.matched["Kommun"] == ["Kommunkod"]
    assert parsed.summary().years == ["2022", "2023"]


def test_kronofogden_one_sheet_per_year() -> None:
    header = ["Kommun", "Ansökta", "Verkställda", "Barn berörda"]
    data = xlsx_bytes(
        {"2022": [header, ["Karlstad", 90, 38, 9]], "2023": [header, ["Karlstad", 98, 40, 11]]}
    )
    frame = parse_kronofogden(data, "avhysningar.xlsx")
    assert cells(frame)[("barn_berorda", "1780", "2022")] == 9.0
    assert cells(frame)[("ansokta", "1780", "2023")] == 98.0
    assert len(frame) == 6


def test_kronofogden_without_counts_lists_headers() -> None:
    with pytest.raises(SourceError) as caught:
        parse_kronofogden("Kommun;År;Skulder\nKarlstad;2023;4\n".encode(), "fel.csv")
    message = str(caught.value)
    assert message.startswith("Kronofogdens avhysningsstatistik: hittade inte")
    assert "Ansökta avhysningar" in message and "Verkställda avhysningar" in message
    assert 'Hittade rubriker: "Kommun", "År", "Skulder"' in message


def test_same_cell_twice_is_refused() -> None:
    text = "Kommun;År;Verkställda\nKarlstad;2023;4\n1780;2023;5\n"
    with pytest.raises(SourceError, match=r"rad 3: 1780 år 2023 .*flera gånger"):
        parse_kronofogden(text.encode(), "dubbel.csv")


# ------------------------------------------------------------------ Boverket


@pytest.mark.shared
def test_real_bme_file(shared_dir: Path) -> None:
    frame = parse_boverket_bme((shared_dir / BME_FILE).read_bytes(), "bme.csv")
    assert len(frame) == 2004  # every line of the file but the header
    assert frame["period"].min() == "2020" and frame["period"].max() == "2026"
    karlstad = frame.loc[frame["region_code"] == "1780"].set_index("period")["value"]
    # PROVENANCE: 2020–22 shortage, 2023–24 balance, 2025 surplus, 2026 balance.
    assert karlstad.to_dict() == {
        "2020": -1.0, "2021": -1.0, "2022": -1.0, "2023": 0.0, "2024": 0.0, "2025": 1.0, "2026": 0.0
    }  # fmt: skip
    assert set(frame["unit"]) == {"läge"}
    assert set(frame["dims"]) == {json.dumps({"grupp": "totalt"})}
    assert frame["value"].value_counts().to_dict() == {-1.0: 1180, 0.0: 649, 1.0: 175}


def test_bme_xlsx_with_swedish_words_and_year_from_file_name() -> None:
    data = xlsx_bytes(
        {
            "BME 2024": [
                ["Bostadsmarknadsenkäten 2024"],
                ["Kommunkod", "Kommun", "Län", "Bedömning av bostadsmarknadsläget i kommunen"],
                ["0114", "Upplands Väsby", "Stockholms län", "Underskott"],
                ["1780", "Karlstad", "Värmlands län", "balans"],
                ["2584", "Kiruna", "Norrbottens län", "ÖVERSKOTT"],
                ["2580", "Luleå", "Norrbottens län", None],
            ]
        }
    )
    parsed = read_bme(data, "bme-2024.xlsx")
    assert cells(parsed.observations) == {
        ("marknadslage", "0114", "2024"): -1.0,
        ("marknadslage", "1780", "2024"): 0.0,
        ("marknadslage", "2584", "2024"): 1.0,
        ("marknadslage", "2580", "2024"): "..",
    }


def test_bme_unknown_status_is_named() -> None:
    with pytest.raises(SourceError, match=r"rad 2: okänt marknadsläge 'ganska bra'"):
        parse_boverket_bme(b"kommun;year;status\n1780;2024;ganska bra\n", "bme.csv")


def test_shortage_measures_found_by_tolerant_names_shares_ignored() -> None:
    text = (
        "Kommun;År;Hushållstyp;Antal hushåll;Trångbodda;Andel trångbodda (%);"
        "Ansträngd boendeekonomi;Trångbodda med ansträngd boendeekonomi;"
        "Ansträngd boendeekonomi (KALP);Flyttar ofta;Hemmaboende vuxna barn\n"
        "1780;2021;Samtliga hushåll;45 000;3 100;6,9;5 200;900;4 800;1 200;700\n"
        "1780;2021;Ensamstående med barn;3 000;400;13,3;700;150;650;200;0\n"
    )
    frame = parse_boverket_shortage(text.encode(), "bostadsbrist.csv")
    got = cells(frame, dims=True)
    alla, single = '{"hushallstyp": "alla"}', '{"hushallstyp": "ensamstaende_med_barn"}'
    assert got[("hushall", "1780", "2021", alla)] == 45000.0
    assert got[("trangbodda", "1780", "2021", alla)] == 3100.0
    assert got[("anstrangd_boendeekonomi", "1780", "2021", alla)] == 5200.0
    assert got[("trangbodd_anstrangd", "1780", "2021", alla)] == 900.0
    assert got[("anstrangd_boendeekonomi_kalp", "1780", "2021", alla)] == 4800.0
    assert got[("flyttar_ofta", "1780", "2021", alla)] == 1200.0
    assert got[("hemmaboende_vuxna_barn", "1780", "2021", single)] == 0.0
    assert len(got) == 14  # 7 count columns × 2 household types; the share column is not read


def test_shortage_requires_households_and_a_measure() -> None:
    with pytest.raises(SourceError, match=r"alltid Hushåll \(totalt\)"):
        parse_boverket_shortage(b"Kommun;Ar;Trangbodda\n1780;2021;5\n", "x.csv")


# ------------------------------------------------------------------ Socialstyrelsen


def test_homelessness_wide_with_year_in_title() -> None:
    text = (
        "Hemlöshetskartläggningen 2023, antal personer\n\n"
        "Kommun;Akut hemlöshet;Situation 2;Situation 3;Eget ordnat kortsiktigt boende;Totalt\n"
        "Stockholm;785;300;1 300;300;2 685\nKarlstad;20;10;60;12;102\n"
    )
    frame = parse_socialstyrelsen(text.encode(), "hemloshet.csv")
    got = cells(frame, dims=True)
    assert got[("personer", "0180", "2023", '{"situation": "1"}')] == 785.0
    assert got[("personer", "0180", "2023", '{"situation": "3"}')] == 1300.0
    assert got[("personer", "1780", "2023", '{"situation": "4"}')] == 12.0
    assert len(got) == 8  # the total column is not stored


def test_homelessness_long_layout() -> None:
    data = xlsx_bytes(
        {
            "Data": [
                ["Kommunkod", "År", "Situation", "Antal personer"],
                ["1780", 2023, "Situation 1", 20],
                ["1780", 2023, "2", 10],
                ["1780", 2023, "Långsiktiga boendelösningar", 60],
                ["1780", 2023, "Eget ordnat boende", 12],
            ]
        }
    )
    frame = parse_socialstyrelsen(data, "hemloshet.xlsx")
    assert sorted(frame["dims"]) == [f'{{"situation": "{n}"}}' for n in "1234"]
    assert frame["value"].tolist() == [20.0, 10.0, 60.0, 12.0]


def test_homelessness_failure_lists_the_four_situations() -> None:
    with pytest.raises(SourceError, match=r"Situation 1: Akut hemlöshet.*Hittade rubriker"):
        parse_socialstyrelsen(b"Kommun;Antal\nKarlstad;4\n", "x.csv")


# ------------------------------------------------------------------ store round trips


def test_import_round_trip_replaces_only_the_periods_in_the_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    first = import_kronofogden(store, KRONOFOGDEN_LONG.encode(), "avhysningar åren.csv")
    assert (first.dataset_id, first.rows_imported, first.periods) == (
        "kronofogden__avhysningar", 9, ("2022", "2023")
    )  # fmt: skip
    update = tmp_path / "avhysningar_2023.csv"
    update.write_bytes("Kommun;Verkställda\nKarlstad;50\n".encode())
    second = import_kronofogden(store, update)
    assert second.rows_total == 4  # 2022 kept (3 cells), 2023 replaced by one cell
    stored = cells(store.read("observations", dataset_ids=["kronofogden__avhysningar"]))
    assert stored == {
        ("ansokta", "1780", "2022"): 98.0,
        ("verkstallda", "1780", "2022"): 40.0,
        ("barn_berorda", "1780", "2022"): "..",
        ("verkstallda", "1780", "2023"): 50.0,
    }
    entry = store.manifest().datasets["kronofogden__avhysningar"]
    raw = {Path(name).name: (tmp_path / "data" / name).read_bytes() for name in entry.raw_files}
    assert raw["avhysningar_2023.csv"] == update.read_bytes()
    assert raw["avhysningar_aren.csv"] == KRONOFOGDEN_LONG.encode()
    assert [item["name"] for item in json.loads(entry.query or "")["imports"]] == [
        "avhysningar åren.csv", "avhysningar_2023.csv"
    ]  # fmt: skip
    assert store.manifest().datasets["indicator_values"].rows > 0


def test_failed_import_leaves_the_store_untouched(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    import_socialstyrelsen(store, b"Kommun;Situation 1\nKarlstad;4\n", "hemloshet_2023.csv")
    before = store.manifest()
    with pytest.raises(SourceError):
        import_socialstyrelsen(store, b"Kommun;Situation 1\nAtlantis;4\n", "hemloshet_2023.csv")
    assert store.manifest() == before


def test_bme_import_into_a_demo_store_removes_the_demo(tmp_path: Path) -> None:
    from sodd.pipeline import install_demo

    store = Store(tmp_path / "data")
    install_demo(store, lan_codes=["17"], districts_per_kommun=2)
    assert store.manifest().is_demo
    import_boverket(store, b"kommun;year;status\n1780;2025;surplus\n", "bme.csv")
    manifest = store.manifest()
    assert not any(entry.demo for entry in manifest.datasets.values())
    assert {"boverket__bme", "scb__admin_regions", "indicator_values"} <= set(manifest.datasets)
    stored = store.read("observations", dataset_ids=["boverket__bme"])
    assert stored[["region_code", "period", "value", "unit"]].values.tolist() == [
        ["1780", "2025", 1.0, "läge"]
    ]


def test_import_from_a_url_downloads_the_file(tmp_path: Path) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "avhysningar_2023.csv").write_bytes(b"Kommun;Verkst\xc3\xa4llda\nKil;4\n")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path / "web"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/avhysningar_2023.csv"
        result = import_kronofogden(Store(tmp_path / "data"), url)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert (result.rows_imported, result.periods) == (1, ("2023",))
    stored = Store(tmp_path / "data").read("observations")
    assert stored[["region_code", "variable", "value"]].values.tolist() == [
        ["1715", "verkstallda", 4.0]
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (KRONOFOGDEN_LONG.encode(), "kronofogden"),
        (b"kommun;year;status\n1780;2024;balance\n", "boverket-bme"),
        (b"Kommun;Ar;Antal hushall;Trangbodda;Hemmaboende vuxna barn\n1780;2021;9;2;1\n",
         "boverket-bostadsbrist"),
        (b"Kommun;Situation 1;Situation 3\nKarlstad;20;60\n", "socialstyrelsen"),
    ],
)  # fmt: skip
def test_auto_recognition_picks_the_importer_with_most_columns(
    content: bytes, expected: str
) -> None:
    from sodd.importers import recognise

    importer, _ = recognise(content, "fil_2023.csv")
    assert importer.name == expected


def test_cli_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sodd.importers import main

    monkeypatch.setenv("SODD_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "hemloshet_2023.csv"
    source.write_bytes(b"Kommun;Situation 1;Situation 2\nKarlstad;20;10\n")
    assert main(["import", "auto", str(source)]) == 0
    out = capsys.readouterr().out
    assert "Socialstyrelsen: hemlöshetskartläggning per kommun: 2 värden, år 2023" in out
    assert "Sparat: socialstyrelsen__hemloshetskartlaggning, 2 rader." in out
    assert main(["import", "kronofogden", str(source)]) == 2
    assert "Fel: Kronofogdens avhysningsstatistik: hittade inte" in capsys.readouterr().err


def test_bme_wide_xlsx_with_numeric_year_headers() -> None:
    data = xlsx_bytes(
        {
            "Läge": [
                ["Kommun", 2023, 2024, 2025],
                ["Karlstad", "Underskott", "Balans", "Överskott"],
                ["Kil", "Balans", None, "Balans"],
            ]
        }
    )
    parsed = read_bme(data, "bme.xlsx")
    assert cells(parsed.observations) == {
        ("marknadslage", "1780", "2023"): -1.0,
        ("marknadslage", "1780", "2024"): 0.0,
        ("marknadslage", "1780", "2025"): 1.0,
        ("marknadslage", "1715", "2023"): 0.0,
        ("marknadslage", "1715", "2024"): "..",
        ("marknadslage", "1715", "2025"): 0.0,
    }
    assert parsed.matched["Bostadsmarknadsläge (underskott, balans, överskott)"] == [
        "2023", "2024", "2025"
    ]  # fmt: skip
