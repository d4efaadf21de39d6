"""Egna uppgifter: templates, upload with preview before storing, errors, GDPR refusal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sodd.local.store import load_local, save_local
from sodd.local.templates import template_csv
from sodd.local.validate import check_upload
from sodd.store import Store
from tests.conftest import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "views" / "egna_uppgifter.py")
MAPPING_2023 = template_csv("kartlaggning", "1780").replace(b"2024", b"2023")


@pytest.fixture
def data_dir(demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A copy: saving must not change the session's shared demo store.
    target = tmp_path / "data"
    shutil.copytree(demo_store_dir, target)
    monkeypatch.setenv("SODD_DATA_DIR", str(target))
    return target


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="local_kommun").set_value("1780").run()
    return at


def _upload(at: AppTest, name: str, data: bytes, key: str = "local_file_0") -> None:
    at.file_uploader(key=key).set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_page_offers_templates_and_is_labelled_demo(data_dir: Path) -> None:
    at = _page()
    assert at.title[0].value == "Egna uppgifter"
    assert any("Exempeldata" in w.value for w in at.warning)
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Ladda ned mall (CSV)", "Ladda ned mall (Excel)"]
    assert any("Inga egna uppgifter är sparade för Karlstad" in i.value for i in at.info)


def test_upload_shows_preview_then_saves_and_compares_with_official(data_dir: Path) -> None:
    before = Store(data_dir).manifest()
    at = _page()
    _upload(at, "kartlaggning.csv", MAPPING_2023)
    assert any("Så här sparas den (3 rader)" in s.value for s in at.success)
    preview = at.dataframe[0].value
    assert list(preview.columns[:4]) == ["Rad", "Områdeskod", "Nivå", "År"]
    assert preview["Antal personer"].tolist() == ["6", "14", "41"]
    assert Store(data_dir).manifest() == before  # nothing stored before "Spara"

    next(b for b in at.button if b.label == "Spara").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Sparat: 3 rader för 2023" in s.value for s in at.success)
    stored = load_local(Store(data_dir), "kartlaggning")
    assert stored["value"].tolist() == [6.0, 14.0, 41.0]
    assert Store(data_dir).manifest().datasets["kommun__kartlaggning"].raw_files == ()
    beside = at.dataframe[-1].value
    assert list(beside.columns) == ["År", "Situation", "Kommunens kartläggning", "Socialstyrelsen"]
    row = beside.loc[(beside["År"] == "2023") & (beside["Situation"] == "Situation 1–4 totalt")]
    assert row["Kommunens kartläggning"].tolist() == ["61"]
    assert row["Socialstyrelsen"].tolist() != [""]


def test_small_stored_counts_are_shown_protected(data_dir: Path) -> None:
    lines = (
        "Områdeskod;År;Situation;Kön;Åldersgrupp;Barn under 18 år;Antal personer\n"
        "1780;2023;1;kvinnor;totalt;totalt;3\n1780;2023;1;män;totalt;totalt;9\n"
        "1780;2023;1;totalt;totalt;totalt;12\n"
    ).encode()
    at = _page()
    _upload(at, "liten.csv", lines)
    next(b for b in at.button if b.label == "Spara").click().run()
    # The last table with counts (the first ones are the preview and the empty editor).
    counts = [df.value for df in at.dataframe if "Antal personer" in df.value.columns][-1]
    assert sorted(counts["Antal personer"]) == ["..", "12", "<5"]


def test_problems_are_listed_with_row_column_value(data_dir: Path) -> None:
    bad = MAPPING_2023.replace(b";6\r\n", b";-6\r\n").replace(b"1780;2023;1;m", b"9999;2023;1;m")
    at = _page()
    _upload(at, "fel.csv", bad)
    assert at.error[0].value == "2 fel hittades. Inget sparas förrän alla är rättade."
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["Rad", "Kolumn", "Värde", "Fel"]
    assert problems[["Rad", "Kolumn", "Värde"]].values.tolist() == [
        ["2", "Antal personer", "-6"],
        ["3", "Områdeskod", "9999"],
    ]
    assert not any(b.label == "Spara" for b in at.button)


def test_person_level_file_is_refused_and_dropped(data_dir: Path) -> None:
    before = Store(data_dir).manifest()
    at = _page()
    person = b"Personnummer;Situation;Antal\n811218-9876;1;1\n640823-3234;2;1\n"
    _upload(at, "personer.csv", person)
    message = at.error[0].value
    assert message.startswith("Filen togs inte emot.")
    assert "personnummer" in message and "811218" not in message
    # The uploader was replaced: the refused file is no longer held by the session.
    assert at.file_uploader(key="local_file_1").value is None
    assert Store(data_dir).manifest() == before


def test_file_over_the_size_limit_names_size_and_limit(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SODD_MAX_UPLOAD_MB", "1")
    at = _page()
    _upload(at, "stor.csv", MAPPING_2023 + b"\n" * 1_250_000)
    message = at.dataframe[0].value["Fel"].iloc[0]
    assert "är 1,2 MB, men största tillåtna storlek är 1 MB" in message


def test_page_opens_on_the_kommun_of_the_latest_upload(data_dir: Path) -> None:
    """Not on the alphabetically first kommun: the kommun's own data is what it came for."""
    store = Store(data_dir)
    table = check_upload(MAPPING_2023, "kartlaggning_2023.csv", "kartlaggning", None)
    save_local(store, table, disclosure_min=5)
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="local_kommun").value == "1780"
    assert not any("Inga egna uppgifter" in i.value for i in at.info)
