from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sodd.disclosure import (
    HIDDEN,
    SMALL,
    add_totals,
    format_protected,
    protect_counts,
    protection_legend,
)

T = "Totalt"


def _marks(
    frame: pd.DataFrame, dims: list[str], minimum: int = 5
) -> dict[tuple[str, ...], str | None]:
    marks = protect_counts(frame, value="n", dims=dims, minimum=minimum)
    keys = [tuple(r) for r in frame[dims].itertuples(index=False, name=None)]
    return dict(zip(keys, marks.tolist(), strict=True))


def test_one_dimension_with_total_hides_a_second_part() -> None:
    frame = pd.DataFrame({"kon": ["kvinnor", "män", "annat", T], "n": [3.0, 40.0, 12.0, 55.0]})
    marks = _marks(frame, ["kon"])
    assert marks[("kvinnor",)] == SMALL
    # The smallest other part is hidden, so 3 cannot be worked out as 55 - 40 - 12.
    assert marks[("annat",)] == HIDDEN
    assert marks[("män",)] is None
    assert marks[(T,)] is None


def test_zero_is_shown_and_not_used_as_secondary() -> None:
    frame = pd.DataFrame({"kon": ["a", "b", "c", T], "n": [0.0, 2.0, 30.0, 32.0]})
    marks = _marks(frame, ["kon"])
    assert marks == {("a",): None, ("b",): SMALL, ("c",): HIDDEN, (T,): None}


def test_without_total_only_primary() -> None:
    frame = pd.DataFrame({"kon": ["a", "b"], "n": [2.0, 30.0]})
    assert _marks(frame, ["kon"]) == {("a",): SMALL, ("b",): None}


def test_missing_cell_is_left_alone() -> None:
    frame = pd.DataFrame({"kon": ["a", "b", "c", T], "n": [2.0, float("nan"), 30.0, 40.0]})
    marks = _marks(frame, ["kon"])
    assert marks[("b",)] is None
    assert marks[("c",)] == HIDDEN


def test_two_dimensions_with_both_margins() -> None:
    detail = pd.DataFrame(
        {
            "kon": ["k", "k", "m", "m"],
            "alder": ["ung", "gammal", "ung", "gammal"],
            "n": [2.0, 20.0, 30.0, 40.0],
        }
    )
    frame = add_totals(detail, value="n", dims=["kon", "alder"])
    assert len(frame) == 9
    assert frame.loc[(frame["kon"] == T) & (frame["alder"] == T), "n"].item() == 92.0
    marks = _marks(frame, ["kon", "alder"])
    assert marks[("k", "ung")] == SMALL
    # Row k: 2 hidden -> 20 hidden; column ung: 2 hidden -> 30 hidden; then row m and
    # column gammal each have one hidden cell -> 40 hidden. All four inner cells.
    assert marks[("k", "gammal")] == HIDDEN
    assert marks[("m", "ung")] == HIDDEN
    assert marks[("m", "gammal")] == HIDDEN
    assert all(marks[k] is None for k in marks if T in k)


def test_secondary_cascades_through_margins() -> None:
    # A 2x3 table: the small cell's row partner is in another column whose other
    # cell then needs protecting, and so on until every group has two hidden cells.
    detail = pd.DataFrame(
        {
            "a": ["x", "x", "x", "y", "y", "y"],
            "b": ["p", "q", "r", "p", "q", "r"],
            "n": [1.0, 50.0, 9.0, 70.0, 8.0, 60.0],
        }
    )
    frame = add_totals(detail, value="n", dims=["a", "b"])
    marks = _marks(frame, ["a", "b"])
    assert marks[("x", "p")] == SMALL
    assert marks[("x", "r")] == HIDDEN  # smallest other part in row x
    assert marks[("y", "r")] == HIDDEN  # column r now has one hidden: smallest other, 60
    assert marks[("y", "q")] == HIDDEN  # row y: 60 hidden, smallest other is 8
    assert marks[("x", "q")] == HIDDEN  # column q: 8 hidden alone -> 50
    # Column p has x,p hidden and needs a second one: y,p is its only other part.
    assert marks[("y", "p")] == HIDDEN
    _assert_safe(frame, ["a", "b"], protect_counts(frame, value="n", dims=["a", "b"], minimum=5))


def test_by_columns_are_protected_separately() -> None:
    frame = pd.DataFrame(
        {
            "period": ["2023", "2023", "2023", "2024", "2024", "2024"],
            "kon": ["a", "b", T, "a", "b", T],
            "n": [3.0, 30.0, 33.0, 10.0, 30.0, 40.0],
        }
    )
    marks = protect_counts(frame, value="n", dims=["kon"], minimum=5).tolist()
    assert marks == [SMALL, HIDDEN, None, None, None, None]


def test_add_totals_keeps_existing_total_and_by_columns() -> None:
    frame = pd.DataFrame({"region_code": ["1780"] * 3, "kon": ["a", "b", T], "n": [3.0, 4.0, 99.0]})
    out = add_totals(frame, value="n", dims=["kon"])
    assert len(out) == 3
    assert out.loc[out["kon"] == T, "n"].item() == 99.0


def test_duplicate_cell_is_refused() -> None:
    frame = pd.DataFrame({"kon": ["a", "a"], "n": [1.0, 2.0]})
    with pytest.raises(ValueError, match="flera rader"):
        protect_counts(frame, value="n", dims=["kon"], minimum=5)


def test_format_and_legend() -> None:
    assert format_protected(3.0, SMALL, 5, "sv") == "<5"
    assert format_protected(30.0, HIDDEN, 5, "sv") == ".."
    assert format_protected(12345.0, None, 5, "sv") == "12\u00a0345"
    assert format_protected(12345.0, None, 5, "en") == "12,345"
    assert "<5" in protection_legend(5, "sv") and "färre än 5" in protection_legend(5, "sv")
    assert "fewer than 3" in protection_legend(3, "en")


def _assert_safe(frame: pd.DataFrame, dims: list[str], marks: pd.Series) -> None:
    keys = [tuple(r) for r in frame[dims].itertuples(index=False, name=None)]
    mark = dict(zip(keys, marks.tolist(), strict=True))
    for axis in range(len(dims)):
        lines: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for key in keys:
            lines.setdefault(key[:axis] + key[axis + 1 :], []).append(key)
        for line in lines.values():
            hidden = sum(mark[k] is not None for k in line)
            assert hidden != 1, (line, [mark[k] for k in line])


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 4),
    cols=st.integers(1, 4),
    data=st.data(),
    minimum=st.integers(2, 6),
)
def test_property_no_hidden_cell_recoverable(
    rows: int, cols: int, data: st.DataObject, minimum: int
) -> None:
    cells = list(itertools.product([f"r{i}" for i in range(rows)], [f"c{j}" for j in range(cols)]))
    counts = data.draw(st.lists(st.integers(0, 12), min_size=len(cells), max_size=len(cells)))
    detail = pd.DataFrame(
        {"r": [c[0] for c in cells], "c": [c[1] for c in cells], "n": [float(v) for v in counts]}
    )
    frame = add_totals(detail, value="n", dims=["r", "c"])
    marks = protect_counts(frame, value="n", dims=["r", "c"], minimum=minimum)
    small = (frame["n"] > 0) & (frame["n"] < minimum)
    assert (marks[small] == SMALL).all()
    assert not (marks[~small] == SMALL).any()
    _assert_safe(frame, ["r", "c"], marks)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), sizes=st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)))
def test_property_three_dimensions_with_missing_cells(
    data: st.DataObject, sizes: tuple[int, int, int]
) -> None:
    dims = ["a", "b", "c"]
    levels = [[f"{d}{i}" for i in range(n)] for d, n in zip(dims, sizes, strict=True)]
    cells = list(itertools.product(*levels))
    counts = data.draw(
        st.lists(
            st.one_of(st.integers(0, 9).map(float), st.just(float("nan"))),
            min_size=len(cells),
            max_size=len(cells),
        )
    )
    detail = pd.DataFrame(cells, columns=dims).assign(n=counts)
    frame = add_totals(detail, value="n", dims=dims)
    assert len(frame) == (sizes[0] + 1) * (sizes[1] + 1) * (sizes[2] + 1)
    marks = protect_counts(frame, value="n", dims=dims, minimum=5)
    small = (frame["n"] > 0) & (frame["n"] < 5)
    assert (marks[small] == SMALL).all()
    assert marks[frame["n"].isna()].isna().all()
    # Missing cells are not counted on to protect: the margins were summed without them,
    # so a reader could take them as zero. Every line still has no single hidden cell.
    _assert_safe(frame, dims, marks)
