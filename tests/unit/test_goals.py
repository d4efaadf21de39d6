from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pytest

from sodd.goals import (
    AT_LEAST,
    AT_MOST,
    MET,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    Goal,
    goal_series,
    judge,
    period_end,
)
from sodd.goals_store import (
    GOALS_ID,
    GoalError,
    delete_goal,
    load_goals,
    new_goal,
    save_goal,
)
from sodd.goals_text import rule_text, summary_sentence
from sodd.indicators.catalog import load_catalog
from sodd.store import Store


def _goal(target: float = 60.0, direction: str = AT_MOST, **changes: str) -> Goal:
    fields = {
        "goal_id": "g1",
        "indicator_id": "hemloshet",
        "region_code": "1780",
        "level": "kommun",
        "geo_vintage": "",
        "target_value": target,
        "direction": direction,
        "target_date": "2030-12-31",
        "baseline_period": "",
        "responsible": "Socialnämnden",
        "note": "",
        "created_at": "2026-01-01T00:00:00Z",
    }
    return Goal(**(fields | changes))  # type: ignore[arg-type]


def _series(points: Mapping[str, float | None], **other: str) -> pd.DataFrame:
    rows = [
        {
            "indicator_id": other.get("indicator_id", "hemloshet"),
            "region_code": other.get("region_code", "1780"),
            "level": "kommun",
            "geo_vintage": None,
            "period": period,
            "value": value,
            "status": ".." if value is None else None,
        }
        for period, value in points.items()
    ]
    return pd.DataFrame(rows)


def _judge(goal: Goal, points: Mapping[str, float | None]) -> str:
    return judge(goal, goal_series(_series(points), goal)).status


def test_period_end() -> None:
    assert period_end("2024") == 2025.0
    assert period_end("2024M03") == pytest.approx(2024.25)
    assert period_end("2024K2") == period_end("2024Q2") == pytest.approx(2024.5)
    assert period_end("2024M13") is None
    assert period_end("2023/24") is None


def test_on_track_when_the_line_reaches_the_target_in_time() -> None:
    # 120 -> 100 in two years: -10 a year reaches 60 around 2028.
    assert _judge(_goal(), {"2022": 120.0, "2023": 110.0, "2024": 100.0}) == ON_TRACK


def test_not_on_track_when_too_slow() -> None:
    assert _judge(_goal(), {"2022": 120.0, "2023": 119.0, "2024": 118.0}) == OFF_TRACK


def test_met_when_latest_meets_target_even_at_baseline() -> None:
    assert _judge(_goal(), {"2024": 55.0}) == MET
    assert _judge(_goal(), {"2022": 70.0, "2024": 60.0}) == MET  # equal counts as met
    assert _judge(_goal(50.0, AT_LEAST), {"2023": 49.0, "2024": 51.0}) == MET


def test_no_data() -> None:
    assert _judge(_goal(), {}) == NO_DATA
    assert _judge(_goal(), {"2024": 100.0}) == NO_DATA  # one value is no trend
    assert _judge(_goal(), {"2023": None, "2024": None}) == NO_DATA


def test_flat_and_wrong_direction_are_not_on_track() -> None:
    assert _judge(_goal(), {"2022": 100.0, "2023": 100.0, "2024": 100.0}) == OFF_TRACK
    assert _judge(_goal(), {"2022": 90.0, "2023": 100.0, "2024": 110.0}) == OFF_TRACK
    # at_least: rising fast enough is on track, falling is not.
    assert _judge(_goal(80.0, AT_LEAST), {"2023": 60.0, "2024": 65.0}) == ON_TRACK
    assert _judge(_goal(80.0, AT_LEAST), {"2023": 70.0, "2024": 65.0}) == OFF_TRACK


def test_suppressed_latest_uses_the_latest_published_value() -> None:
    goal = _goal()
    series = goal_series(_series({"2022": 120.0, "2023": 100.0, "2024": None}), goal)
    judged = judge(goal, series)
    assert judged.status == ON_TRACK
    assert judged.latest_period == "2023"
    assert judged.latest_withheld
    # Suppressed years are not values: 2022 and 2024 withheld leaves one point.
    assert _judge(goal, {"2022": None, "2023": 100.0, "2024": None}) == NO_DATA


def test_target_date_passed_in_the_data() -> None:
    goal = _goal(target_date="2023-12-31")
    # The 2024 value is after the target date and the goal was not met.
    assert _judge(goal, {"2022": 120.0, "2023": 80.0, "2024": 61.0}) == OFF_TRACK
    # A value for the target year itself decides too (the year ends on the date).
    assert _judge(goal, {"2022": 120.0, "2023": 80.0}) == OFF_TRACK


def test_baseline_limits_the_trend() -> None:
    points = {"2018": 40.0, "2019": 150.0, "2023": 120.0, "2024": 100.0}
    # From all years the line rises; from 2019 it falls fast enough.
    assert _judge(_goal(), points) == OFF_TRACK
    judged = judge(_goal(baseline_period="2019"), goal_series(_series(points), _goal()))
    assert judged.status == ON_TRACK
    assert judged.baseline_period == "2019" and judged.baseline_value == 150.0
    assert judged.points == 3


def test_monthly_periods_and_other_areas_ignored() -> None:
    goal = _goal(target_date="2024-12-31")
    frame = pd.concat(
        [
            _series({"2024M01": 100.0, "2024M02": 90.0, "2024M03": 80.0}),
            _series({"2024M04": 1.0}, region_code="1781"),
            _series({"2024M04": 1.0}, indicator_id="akut_hemloshet"),
        ]
    )
    series = goal_series(frame, goal)
    assert series["period"].tolist() == ["2024M01", "2024M02", "2024M03"]
    assert judge(goal, series).status == ON_TRACK


def test_summary_sentence_and_rule() -> None:
    indicator = load_catalog().get("hemloshet")
    goal = _goal(target=15.0)
    judged = judge(goal, goal_series(_series({"2017": 37.8, "2023": 24.6}), goal))
    text = summary_sentence(goal, judged, indicator, "Karlstad")
    assert text.startswith(f"{indicator.name_sv} i Karlstad var 24,6")
    assert "år 2023; målet är högst 15" in text
    assert "senast 2030-12-31" in text
    assert text.endswith("På väg.")
    assert "minsta kvadratmetoden" in rule_text("sv")
    assert "least squares" in rule_text("en")


# --- the store -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    from sodd.pipeline import install_demo

    data_dir: Path = tmp_path_factory.mktemp("goals")
    store = Store(data_dir)
    install_demo(store, lan_codes=["17"], districts_per_kommun=2)
    return store


def _new(store: Store, **changes: object) -> Goal:
    fields: dict[str, object] = {
        "indicator_id": "hemloshet",
        "region_code": "1780",
        "level": "kommun",
        "target_value": "15,5",
        "direction": AT_MOST,
        "target_date": "2030-12-31",
        "responsible": "Socialnämnden",
        "note": "Kommunfullmäktiges mål",
    }
    return new_goal(store, load_catalog(), **(fields | changes))  # type: ignore[arg-type]


def test_store_round_trip_and_delete(store: Store) -> None:
    first = save_goal(store, _new(store))
    deso = store.read_regions(filters=[("level", "==", "deso")]).iloc[0]
    second = save_goal(
        store,
        _new(
            store,
            indicator_id="lag_ekonomisk_standard",
            region_code=str(deso["region_code"]),
            level="deso",
            geo_vintage=str(deso["geo_vintage"]),
            target_value=10.0,
            baseline_period="2019",
            created_at="2099-01-01T00:00:00Z",
        ),
    )
    assert first.target_value == 15.5
    assert load_goals(store) == [first, second]
    entry = store.manifest().datasets[GOALS_ID]
    assert (entry.kind, entry.provider) == ("goals", "kommun")
    delete_goal(store, first.goal_id)
    assert load_goals(store) == [second]
    delete_goal(store, second.goal_id)
    assert load_goals(store) == []
    assert GOALS_ID not in store.manifest().datasets
    with pytest.raises(GoalError, match="inget mål med id 'nej'"):
        delete_goal(store, "nej")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"indicator_id": "finns_ej"}, r"Okänd indikator 'finns_ej' \(indikator\)"),
        ({"region_code": "9999"}, r"Området '9999' på nivån kommun finns inte .*\(område\)"),
        ({"target_value": "många"}, r"Målvärdet 'många' är inte ett tal \(målvärde\)"),
        ({"target_date": "2030-13-01"}, r"Måldatumet '2030-13-01' är inte ett datum"),
        ({"direction": "lagom"}, r"Riktningen 'lagom' är okänd"),
        ({"baseline_period": "förra året"}, r"Basåret 'förra året' .*\(basår\)"),
        ({"responsible": "  "}, r"ansvarig nämnd"),
        ({"level": "deso", "region_code": "x"}, r"redovisas inte finare än nivån kommun"),
    ],
)
def test_validation_messages_name_the_field(
    store: Store, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(GoalError, match=message):
        _new(store, **changes)
