"""Reading and checking the kommun's own data: templates, encodings, and every bad input."""

from __future__ import annotations

import pytest

from sodd.local import LocalDataError, check_frame, check_size, check_upload
from sodd.local.problems import Problem
from sodd.local.templates import KINDS, headers, template_csv, template_xlsx
from tests.unit.local_helpers import MAPPING_HEADER, REGIONS, csv_bytes


def _problems(data: bytes, kind: str, filename: str = "fil.csv") -> list[Problem]:
    with pytest.raises(LocalDataError) as caught:
        check_upload(data, filename, kind, REGIONS)
    return list(caught.value.problems)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_round_trip_through_the_import(kind: str, fmt: str) -> None:
    data = template_csv(kind, "1780") if fmt == "csv" else template_xlsx(kind, "1780")
    table = check_upload(data, f"mall.{fmt}", kind, REGIONS)
    assert len(table.rows) >= 1
    assert set(table.rows["region_code"]) == {"1780"}
    assert table.rows["row"].tolist() == list(range(2, 2 + len(table.rows)))
    assert table.ignored == ()


def test_template_values_are_read_as_written() -> None:
    table = check_upload(template_csv("kartlaggning", "1780"), "m.csv", "kartlaggning", REGIONS)
    first = table.rows.iloc[0]
    assert (first["situation"], first["kon"], first["alder"], first["barn"]) == (
        "1", "kvinnor", "25–34", "med barn",
    )  # fmt: skip
    assert first["tid"] == "under 3 månader"
    assert first["value"] == 6


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_encodings_separators_and_header_case(encoding: str, separator: str) -> None:
    lines = [
        separator.join(["OMRÅDESKOD", "år", "situation", "KÖN", "åldersgrupp", "Barn", "Antal"]),
        separator.join(["1780", "2024", "Akut hemlöshet", "Män", "65+", "ja", "1 234"]),
        separator.join(["1715", "2024", "4", "kvinna", "18-24", "nej", "12"]),
    ]
    table = check_upload(csv_bytes(lines, encoding), "f.csv", "kartlaggning", REGIONS)
    assert table.rows["value"].tolist() == [1234, 12]
    assert table.rows["situation"].tolist() == ["1", "4"]
    assert table.rows["kon"].tolist() == ["män", "kvinnor"]
    assert table.rows["alder"].tolist() == ["65+", "18–24"]
    assert table.rows["tid"].tolist() == ["totalt", "totalt"]  # optional column left out


def test_decimal_comma_no_break_space_and_title_rows() -> None:
    lines = [
        "Egna indikatorer 2024",
        "",
        "Områdeskod;År;Indikator;Värde;Enhet;Beskrivning;Källa",
        "1780C1010;2024;Andel med hyresskuld;12,5;procent;Andel hushåll;Bolaget",
        "1780;2024;Hyresskuld kr;1\u00a0234,5;tkr;Summa skulder;Bolaget",
    ]
    table = check_upload(csv_bytes(lines), "f.csv", "indikator", REGIONS)
    assert table.rows["value"].tolist() == [12.5, 1234.5]
    assert table.rows["row"].tolist() == [4, 5]
    assert table.rows["level"].tolist() == ["deso", "kommun"]
    assert table.rows["geo_vintage"].tolist() == ["2025", ""]


def test_excel_dropped_leading_zero_and_kommun_names_are_understood() -> None:
    regions = REGIONS.assign(
        region_code=REGIONS["region_code"].replace({"1715": "0180"}),
        name=REGIONS["name"].replace({"Kil": "Stockholm"}),
        kommun_code=REGIONS["kommun_code"].replace({"1715": "0180"}),
    )
    lines = [
        MAPPING_HEADER,
        "180;2024;1;män;totalt;totalt;3",
        "Karlstad;2024;1;män;totalt;totalt;4",
    ]
    table = check_upload(csv_bytes(lines), "f.csv", "kartlaggning", regions)
    assert table.rows["region_code"].tolist() == ["0180", "1780"]


@pytest.mark.parametrize(
    ("line", "column", "value", "words"),
    [
        ("9999;2024;1;män;totalt;totalt;3", "Områdeskod", "9999", "Okänd områdeskod"),
        ("1780;2024;5;män;totalt;totalt;3", "Situation", "5", "Okänd situation"),
        ("1780;2024;1;hen;totalt;totalt;3", "Kön", "hen", "Tillåtna värden"),
        ("1780;2024;1;män;34;totalt;3", "Åldersgrupp", "34", "åldersgrupp"),
        ("1780;2024;1;män;totalt;kanske;3", "Barn under 18 år", "kanske", "uppgift om barn"),
        ("1780;1850;1;män;totalt;totalt;3", "År", "1850", "Ange ett år"),
        ("1780;2024;1;män;totalt;totalt;-3", "Antal personer", "-3", "negativa"),
        ("1780;2024;1;män;totalt;totalt;2,5", "Antal personer", "2,5", "heltal"),
        ("1780;2024;1;män;totalt;totalt;många", "Antal personer", "många", "Inte ett tal"),
        ("1780;2024;1;män;totalt;totalt;", "Antal personer", "", "saknas"),
    ],
)
def test_bad_cells_are_named_by_row_column_and_value(
    line: str, column: str, value: str, words: str
) -> None:
    lines = [MAPPING_HEADER, "1780;2024;2;kvinnor;totalt;totalt;8", line]
    [problem] = _problems(csv_bytes(lines), "kartlaggning")
    assert (problem.row, problem.column, problem.value) == (3, column, value)
    assert words in problem.message
    assert f'Rad 3, kolumn "{column}"' in problem.describe()


def test_every_problem_is_reported_not_just_the_first() -> None:
    lines = [MAPPING_HEADER, "9999;2024;1;män;totalt;totalt;3", "1780;2024;1;män;totalt;totalt;-1"]
    problems = _problems(csv_bytes(lines), "kartlaggning")
    assert [(p.row, p.column) for p in problems] == [(2, "Områdeskod"), (3, "Antal personer")]


def test_duplicates_name_both_rows() -> None:
    lines = [MAPPING_HEADER, "1780;2024;1;män;totalt;totalt;3", "1780;2024;1;Män;Totalt;TOTALT;4"]
    [problem] = _problems(csv_bytes(lines), "kartlaggning")
    assert problem.row == 3
    assert "rad 2" in problem.message


def test_parts_above_their_total_are_refused() -> None:
    lines = [
        MAPPING_HEADER,
        "1780;2024;1;kvinnor;totalt;totalt;9",
        "1780;2024;1;män;totalt;totalt;8",
        "1780;2024;1;totalt;totalt;totalt;15",
    ]
    [problem] = _problems(csv_bytes(lines), "kartlaggning")
    assert (problem.row, problem.column, problem.value) == (4, "Antal personer", "15")
    assert "könen (17)" in problem.message


def test_parts_within_their_total_pass() -> None:
    lines = [
        MAPPING_HEADER,
        "1780;2024;1;kvinnor;totalt;totalt;9",
        "1780;2024;1;män;totalt;totalt;8",
        "1780;2024;1;totalt;totalt;totalt;19",
    ]
    assert len(check_upload(csv_bytes(lines), "f.csv", "kartlaggning", REGIONS).rows) == 3


INTERVENTION_HEADER = "Områdeskod;Period;Insats;Enhet;Antal"


def test_interventions_part_above_whole_and_months_above_year() -> None:
    lines = [
        INTERVENTION_HEADER,
        "1780;2024;Sociala kontrakt;kontrakt;10",
        "1780;2024;Sociala kontrakt som blivit förstahandskontrakt;kontrakt;12",
        "1780;2024;Bostad först;hushåll;5",
        "1780;2024-01;Bostad först;hushåll;3",
        "1780;2024-2;Bostad först;hushåll;4",
    ]
    problems = _problems(csv_bytes(lines), "insatser")
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "Antal", "12"),
        (4, "Antal", "5"),
    ]
    assert "Sociala kontrakt (10)" in problems[0].message
    assert "Månaderna summerar till 7" in problems[1].message


def test_interventions_periods_and_defaults() -> None:
    lines = [INTERVENTION_HEADER, "1780;2024M03;förtur;;2", "1780;202404;Härbärge;Dygn;30"]
    table = check_upload(csv_bytes(lines), "f.csv", "insatser", REGIONS)
    assert table.rows["period"].tolist() == ["2024-03", "2024-04"]
    assert table.rows["insats"].tolist() == ["fortur", "akut_boende"]
    assert table.rows["enhet"].tolist() == ["antal", "dygn"]


def test_indicator_with_two_units_and_fractional_count() -> None:
    lines = [
        "Områdeskod;År;Indikator;Värde;Enhet;Beskrivning;Källa",
        "1780;2024;Vräkningar;3;antal;Verkställda;Bolaget",
        "1715;2024;Vräkningar;4;procent;Verkställda;Bolaget",
        "1780;2023;Vräkningar;2,5;antal;Verkställda;Bolaget",
    ]
    problems = _problems(csv_bytes(lines), "indikator")
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "Enhet", "procent"),
        (4, "Värde", "2.5"),
    ]


def test_missing_required_column_lists_found_headers() -> None:
    problems = _problems(csv_bytes(["Områdeskod;År;Situation", "1780;2024;1"]), "kartlaggning")
    assert [p.column for p in problems] == [
        "Kön",
        "Åldersgrupp",
        "Barn under 18 år",
        "Antal personer",
    ]
    assert all(p.row == 1 for p in problems)
    assert '"Områdeskod", "År", "Situation"' in problems[0].message


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"", "tom.csv", "tom"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "gammal.xls", ".xls"),
        (b"PK\x03\x04trasig", "trasig.xlsx", "Excel"),
        (MAPPING_HEADER.encode() + b"\n1780;2024;1;m\x81n\x90;totalt;totalt;3\n", "f.csv", "text"),
    ],
)
def test_unreadable_files_get_a_swedish_message(data: bytes, filename: str, words: str) -> None:
    problems = _problems(data, "kartlaggning", filename)
    assert words in problems[0].message


def test_undecodable_byte_names_its_row() -> None:
    data = MAPPING_HEADER.encode() + b"\n1780;2024;1;m\x81n;totalt;totalt;3\n"
    [problem] = _problems(data, "kartlaggning")
    assert problem.row == 2
    assert problem.value == "byte 0x81"


def test_size_limit_names_size_and_limit() -> None:
    with pytest.raises(LocalDataError) as caught:
        check_size(b"x" * 2_500_000, "stor.csv", 2)
    assert "Filen 'stor.csv' är 2,4 MB, men största tillåtna storlek är 2 MB" in str(caught.value)
    check_size(b"x" * 1_000, "liten.csv", 2)


def test_table_from_the_app_is_checked_like_a_file() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        [["1780", "2024", "1", "män", "totalt", "totalt", None, 3], [None] * 8],
        columns=list(headers("kartlaggning")),
    )
    assert check_frame(frame, "kartlaggning", REGIONS).rows["value"].tolist() == [3]
    frame.iloc[0, 7] = -2
    with pytest.raises(LocalDataError) as caught:
        check_frame(frame, "kartlaggning", REGIONS)
    assert caught.value.problems[0].row == 2
    assert caught.value.problems[0].column == "Antal personer"


def test_codes_are_checked_by_shape_without_a_region_index() -> None:
    lines = [
        MAPPING_HEADER,
        "1780C1010;2024;1;män;totalt;totalt;3",
        "ABC;2024;1;män;totalt;totalt;3",
    ]
    with pytest.raises(LocalDataError) as caught:
        check_upload(csv_bytes(lines), "f.csv", "kartlaggning", None)
    assert [(p.row, p.value) for p in caught.value.problems] == [(3, "ABC")]
