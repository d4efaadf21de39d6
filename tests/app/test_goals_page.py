"""Mål och uppföljning: set a homelessness goal for the demo kommun and follow it up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sodd.goals_store import load_goals
from sodd.store import Store
from tests.conftest import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "views" / "mal.py")


@pytest.fixture
def store_dir(demo_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the session's demo store: this test writes to it."""
    target = tmp_path / "store"
    shutil.copytree(demo_store_dir, target)
    monkeypatch.setenv("SODD_DATA_DIR", str(target))
    return target


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_set_a_homelessness_goal_and_see_its_follow_up(store_dir: Path) -> None:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    _ok(at)
    assert at.title[0].value == "Mål och uppföljning"
    assert any("Exempeldata" in w.value for w in at.warning)
    assert any("Inga mål" in i.value for i in at.info)
    assert at.selectbox(key="goal_kommun").value == "1780"
    assert at.selectbox(key="goal_area").value == "kommun::1780"
    assert at.selectbox(key="goal_indicator").value == "hemloshet"
    assert any(c.value.startswith("Senaste värde: 24,6") for c in at.caption)

    at.number_input(key="goal_target").set_value(15.0)
    at.text_input(key="goal_responsible").set_value("Socialnämnden")
    at.text_area(key="goal_note").set_value("Halvera hemlösheten")
    at.button(key="goal_save").click().run()
    _ok(at)
    assert any("Målet är sparat" in s.value for s in at.success)

    goals = load_goals(Store(store_dir))
    assert len(goals) == 1
    goal = goals[0]
    assert (goal.indicator_id, goal.region_code, goal.level) == ("hemloshet", "1780", "kommun")
    assert (goal.target_value, goal.direction, goal.responsible) == (
        15.0,
        "at_most",
        "Socialnämnden",
    )
    # Listed with its status and the plain sentence (demo: 37,8 in 2017, 24,6 in 2023).
    assert any(m.value.startswith("**Status: På väg**") for m in at.markdown), [
        m.value for m in at.markdown
    ]
    sentence = next(m.value for m in at.markdown if "målet är högst 15,0" in m.value)
    assert "Karlstad var 24,6" in sentence and sentence.rstrip().endswith("På väg.")
    table = at.dataframe[0].value
    assert table["Period"].tolist() == ["2017", "2023"]
    assert table["Värde"].str.startswith("24,6").tolist() == [False, True]

    # Delete it again.
    at.button(key=f"goal_delete_{goal.goal_id}").click().run()
    _ok(at)
    assert load_goals(Store(store_dir)) == []
    assert any("Inga mål" in i.value for i in at.info)


def test_missing_target_and_responsible_are_refused(store_dir: Path) -> None:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    at.button(key="goal_save").click().run()
    _ok(at)
    assert any("Ange ett målvärde" in e.value for e in at.error)
    at.number_input(key="goal_target").set_value(10.0)
    at.button(key="goal_save").click().run()
    assert any("ansvarig nämnd" in e.value for e in at.error)
    assert load_goals(Store(store_dir)) == []


def test_page_in_english_lists_a_stored_goal(store_dir: Path) -> None:
    from sodd.goals_store import new_goal, save_goal
    from sodd.indicators.catalog import load_catalog

    store = Store(store_dir)
    save_goal(
        store,
        new_goal(
            store,
            load_catalog(),
            indicator_id="hemloshet",
            region_code="1780",
            level="kommun",
            target_value=30,
            direction="at_most",
            target_date="2030-12-31",
            responsible="Socialnämnden",
        ),
    )
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    _ok(at)
    assert at.title[0].value == "Goals and follow-up"
    # 24.6 in 2023 is already at most 30.
    assert any(m.value.startswith("**Status: Met**") for m in at.markdown)
    assert [b.label for b in at.get("download_button")] == [
        "Report (PDF)",
        "Report (Word)",
        "Report (Excel)",
    ]
