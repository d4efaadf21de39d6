"""Person-level files are refused: personal numbers, names, one row per person, case notes."""

from __future__ import annotations

from datetime import date

import pytest

from sodd.local import PersonalDataError, check_upload
from sodd.local.gdpr import is_personal_number
from sodd.local.templates import template_csv
from tests.unit.local_helpers import MAPPING_HEADER, REGIONS, csv_bytes, luhn_complete

TODAY = date(2026, 11, 30)
VALID = [luhn_complete(nine) for nine in ("811218987", "640823323", "121212121", "050315123")]


def _refusal(data: bytes, kind: str = "kartlaggning") -> PersonalDataError:
    with pytest.raises(PersonalDataError) as caught:
        check_upload(data, "fil.csv", kind, REGIONS)
    return caught.value


@pytest.mark.parametrize(
    "text",
    [
        f"{VALID[0][:6]}-{VALID[0][6:]}",  # YYMMDD-NNNN
        f"{VALID[1][:6]}+{VALID[1][6:]}",  # over 100 years old
        f"19{VALID[0]}",  # YYYYMMDDNNNN
        f"19{VALID[1][:6]}-{VALID[1][6:]}",  # YYYYMMDD-NNNN
        VALID[2],  # YYMMDDNNNN
        f"{VALID[3][:6]} {VALID[3][6:]}",  # space instead of the dash
    ],
)
def test_valid_personal_numbers_in_common_formats(text: str) -> None:
    assert is_personal_number(text, today=TODAY)


def test_coordination_number_adds_sixty_to_the_day() -> None:
    number = luhn_complete("811278987")  # day 18 + 60
    assert is_personal_number(f"{number[:6]}-{number[6:]}", today=TODAY)


@pytest.mark.parametrize(
    "text",
    [
        "8112189875",  # checksum wrong
        "811218-9875",
        "0701234567",  # mobile number
        "08-123 456 78",
        "2024-03-01",  # a date
        "1780C1010",  # a DeSO code
        "1780R001",
        "2024",
        "1234567890",  # no such date
        luhn_complete("991332123"),  # month 13
        "12",
    ],
)
def test_not_personal_numbers(text: str) -> None:
    assert not is_personal_number(text, today=TODAY)


def test_future_birth_date_is_not_a_personal_number() -> None:
    number = luhn_complete("261231123")  # 2026-12-31 is after "today"; 1926 then
    assert is_personal_number(number, today=TODAY)
    assert not is_personal_number(f"20{number}", today=TODAY)


def test_a_column_of_personal_numbers_is_refused_without_echoing_them() -> None:
    lines = [
        "Personnr;Situation;Kön;Antal",
        f"{VALID[0][:6]}-{VALID[0][6:]};1;män;1",
        f"{VALID[1][:6]}-{VALID[1][6:]};2;kvinnor;1",
    ]
    error = _refusal(csv_bytes(lines))
    message = str(error)
    assert "personnummer" in message
    assert "första på rad 2" in message
    assert "summerade antal" in message  # what to send instead
    for number in VALID[:2]:
        assert number[:6] not in message


def test_one_personal_number_with_dash_in_an_unnamed_column_is_enough() -> None:
    lines = [
        MAPPING_HEADER + ";Anteckning",
        f"1780;2024;1;män;totalt;totalt;3;{VALID[2][:6]}-{VALID[2][6:]}",
    ]
    assert 'Kolumnen "Anteckning"' in str(_refusal(csv_bytes(lines)))


def test_phone_numbers_and_region_codes_do_not_trigger_the_guard() -> None:
    lines = [
        MAPPING_HEADER + ";Kontakt",
        "1780C1010;2024;1;män;totalt;totalt;3;0701234567",
        "1780C1020;2024;1;män;totalt;totalt;4;0731234560",
        "1780C1030;2024;1;män;totalt;totalt;5;0762345678",
    ]
    table = check_upload(csv_bytes(lines), "f.csv", "kartlaggning", REGIONS)
    assert table.ignored == ("Kontakt",)


def test_a_column_of_names_is_refused() -> None:
    lines = [
        MAPPING_HEADER + ";Handläggare",
        "1780;2024;1;män;totalt;totalt;3;Anna Svensson",
        "1780;2024;2;män;totalt;totalt;3;Per-Olof Andersson",
    ]
    message = str(_refusal(csv_bytes(lines)))
    assert 'Kolumnen "Handläggare" ser ut att innehålla namn' in message
    assert "Anna" not in message


@pytest.mark.parametrize("header", ["Förnamn", "Klient", "Födelsedatum", "Samordningsnummer"])
def test_person_headers_are_refused_even_when_the_table_does_not_fit(header: str) -> None:
    lines = [f"{header};Ort", "x;Karlstad"]
    assert f'Kolumnen "{header}" är en personuppgift' in str(_refusal(csv_bytes(lines)))


def test_exact_ages_with_one_row_per_person_are_refused() -> None:
    lines = [
        MAPPING_HEADER.replace("Åldersgrupp", "Ålder"),
        "1780;2024;1;män;34;totalt;1",
        "1780;2024;1;män;41;totalt;1",
        "1780;2024;2;kvinnor;27;totalt;1",
    ]
    assert "exakta åldrar" in str(_refusal(csv_bytes(lines)))


def test_every_count_one_with_repeated_groups_is_refused() -> None:
    lines = [MAPPING_HEADER] + ["1780;2024;1;män;25–34;totalt;1"] * 3
    lines += ["1780;2024;2;kvinnor;25–34;totalt;1"] * 2
    assert "en rad per person" in str(_refusal(csv_bytes(lines)))


def test_free_text_case_notes_are_refused() -> None:
    note = "Klienten har varit utan bostad sedan i våras och sover hos sin syster ibland {}"
    lines = [MAPPING_HEADER + ";Kommentar"] + [
        f"1780;2024;{n};män;totalt;totalt;3;{note.format(n)}" for n in (1, 2, 3, 4)
    ]
    message = str(_refusal(csv_bytes(lines)))
    assert "fritext" in message
    assert "syster" not in message


def test_a_repeated_indicator_description_is_not_case_notes() -> None:
    description = (
        "Hushåll med minst två månaders hyresskuld hos allmännyttan den 31 december varje år"
    )
    lines = ["Områdeskod;År;Indikator;Värde;Enhet;Beskrivning;Källa"] + [
        f"{code};2024;Hyresskulder;{n};hushåll;{description};Bolaget"
        for n, code in enumerate(["1780C1010", "1780C1020", "1780C1030"], start=5)
    ]
    assert len(check_upload(csv_bytes(lines), "f.csv", "indikator", REGIONS).rows) == 3


def test_the_templates_pass_the_guard() -> None:
    for kind in ("kartlaggning", "insatser", "indikator"):
        check_upload(template_csv(kind, "1780"), "mall.csv", kind, REGIONS)


def test_full_situation_names_are_not_taken_for_notes() -> None:
    lines = [
        MAPPING_HEADER,
        "1780;2024;Institution eller stödboende, utan egen bostad att flytta till;män;"
        "totalt;totalt;3",
        "1780;2024;Situation 2 Institution eller stödboende, utan egen bostad att flytta "
        "till;kvinnor;totalt;totalt;4",
    ]
    table = check_upload(csv_bytes(lines), "f.csv", "kartlaggning", REGIONS)
    assert table.rows["situation"].tolist() == ["2", "2"]
