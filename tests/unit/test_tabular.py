"""Reading agencies' CSV/XLSX files and finding their columns by tolerant names."""

from __future__ import annotations

import io

import openpyxl
import pytest

from sodd.errors import SourceError
from sodd.sources.region_names import resolve_region
from sodd.sources.tabular import normalise_header, parse_number, parse_year, read_sheets
from sodd.sources.tabular_match import ColumnSpec, Layout, extract

LAYOUT = Layout(
    what="Testtabell",
    region=(ColumnSpec("kommun", "Kommun", ("kommun",)),),
    measures=(
        ColumnSpec("barn", "Barn berörda", ("barn",)),
        ColumnSpec("verkstallda", "Verkställda", ("verkstall",), exclude=("barn",)),
    ),
)


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 234", (1234.0, None)),
        ("1\u00a0234,5", (1234.5, None)),
        ("3,6", (3.6, None)),
        ("4.1", (4.1, None)),
        ("1.234,5", (1234.5, None)),
        ("1,234.5", (1234.5, None)),
        ("\u22122,5", (-2.5, None)),
        ("12 %", (12.0, None)),
        (7.0, (7.0, None)),
        (None, (None, "..")),
        ("..", (None, "..")),
        ("-", (None, "-")),
        ("<5", (None, "<5")),
    ],
)
def test_parse_number_reads_swedish_numbers_and_keeps_symbols(
    cell: str | float | None, expected: tuple[float | None, str | None]
) -> None:
    assert parse_number(cell) == expected


def test_normalise_header_folds_case_spacing_and_swedish_letters() -> None:
    assert (
        normalise_header("  Verkställda   AVHYSNINGAR (antal)") == "verkstallda avhysningar antal"
    )
    assert normalise_header("Ansökta_avhysningar") == normalise_header("ANSOKTA avhysningar")
    assert normalise_header("Överskott") == "overskott"


def test_parse_year_from_cells_and_headers() -> None:
    assert parse_year(2023.0) == "2023"
    assert parse_year("Antal 2021") == "2021"
    assert parse_year("12345") is None
    assert parse_year(17.0) is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters_give_the_same_rows(encoding: str, delimiter: str) -> None:
    text = delimiter.join(["Kommun", "År", "Verkställda"]) + "\r\n"
    text += delimiter.join(["Västerås", "2023", "45"]) + "\r\n"
    sheets = read_sheets(text.encode(encoding), "fil.csv")
    assert sheets[0].rows == (("Kommun", "År", "Verkställda"), ("Västerås", "2023", "45"))


def test_xlsx_is_read_sheet_by_sheet_with_numbers_as_numbers() -> None:
    data = xlsx_bytes({"A": [["Kommun", "Antal"], [180, 12]], "Tomt": []})
    sheets = read_sheets(data, "fil.xlsx")
    assert [s.sheet for s in sheets] == ["A"]
    assert sheets[0].rows == (("Kommun", "Antal"), (180.0, 12.0))


def test_old_xls_and_empty_files_are_refused_in_swedish() -> None:
    with pytest.raises(SourceError, match=r"gamla Excel-formatet"):
        read_sheets(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "fil.xls")
    with pytest.raises(SourceError, match="är tom"):
        read_sheets(b"  \n", "fil.csv")


def test_header_found_below_title_rows_and_wide_years_turned_long() -> None:
    text = (
        "Avhysningar per kommun\n\nKommun;Verkställda 2022;Verkställda 2023;Barn berörda 2023\n"
        "0180 Stockholm;500;480;90\nKarlstad;40;45;..\n\nKälla: test\n"
    )
    found = extract(LAYOUT, read_sheets(text.encode(), "fil.csv"), filename="fil.csv")
    frame = found.frame.sort_values(["region_code", "measure", "period"])
    assert list(zip(frame["region_code"], frame["measure"], frame["period"], strict=True)) == [
        ("0180", "barn", "2023"),
        ("0180", "verkstallda", "2022"),
        ("0180", "verkstallda", "2023"),
        ("1780", "barn", "2023"),
        ("1780", "verkstallda", "2022"),
        ("1780", "verkstallda", "2023"),
    ]
    karlstad_barn = frame.loc[(frame["region_code"] == "1780") & (frame["measure"] == "barn")]
    assert karlstad_barn["status"].tolist() == [".."]
    assert found.matched["Verkställda"] == ["Verkställda 2022", "Verkställda 2023"]


def test_missing_columns_error_lists_expected_and_found_headers() -> None:
    text = "Område;Summa;Något annat\nKarlstad;1;2\n"
    with pytest.raises(SourceError) as caught:
        extract(LAYOUT, read_sheets(text.encode(), "fel.csv"), filename="fel.csv")
    message = str(caught.value)
    assert "Testtabell: hittade inte de väntade kolumnerna i fel.csv" in message
    assert (
        "Väntade rubriker: Kommun; År (eller år i rubrikerna); minst 1 av: Barn berörda, "
        in message
    )
    assert 'Hittade rubriker: "Område", "Summa", "Något annat"' in message


def test_values_without_any_year_are_refused_naming_the_column() -> None:
    text = "Kommun;Verkställda\nKarlstad;4\n"
    with pytest.raises(SourceError, match=r"rad 2: inget år för kolumnen 'Verkställda'"):
        extract(LAYOUT, read_sheets(text.encode(), "utan_ar.csv"), filename="utan_ar.csv")
    found = extract(
        LAYOUT, read_sheets(text.encode(), "avhysningar_2024.csv"), filename="a_2024.csv"
    )
    assert found.frame["period"].tolist() == ["2024"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0180", ("0180", "kommun", "")),
        (180.0, ("0180", "kommun", "")),
        ("1780 Karlstad", ("1780", "kommun", "")),
        ("Karlstads kommun", ("1780", "kommun", "")),
        ("Malung-Sälen", ("2023", "kommun", "")),
        ("Värmlands län", ("17", "lan", "")),
        ("Region Värmland", ("17", "lan", "")),
        ("Riket", ("00", "riket", "")),
        ("1780R012", ("1780R012", "regso", "2020")),
    ],
)
def test_region_cells_become_codes(cell: str | float, expected: tuple[str, str, str]) -> None:
    assert resolve_region(cell, where="x") == expected


def test_unknown_region_is_named_with_its_row() -> None:
    with pytest.raises(SourceError, match=r"fil.csv, rad 7: okänt område 'Atlantis'"):
        resolve_region("Atlantis", where="fil.csv, rad 7")
