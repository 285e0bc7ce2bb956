"""The terminal's pandas-free table (``Grid``): it prints exactly as the same table as a DataFrame does."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from testdata import load_example

from crmselect.evaluation import evaluate
from crmselect.show.i18n import using
from crmselect.show.labels import localised
from crmselect.show.tables import Grid, to_text

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6)
floats = st.floats(min_value=-1e9, max_value=1e9) | st.just(math.nan)


@st.composite
def grids(draw: st.DrawFn) -> Grid:
    rows = draw(st.integers(0, 5))
    kinds = draw(st.lists(st.sampled_from(["float", "text"]), min_size=1, max_size=4))
    cells = tuple(tuple(draw(st.lists(floats if kind == "float" else texts, min_size=rows, max_size=rows)))
                  for kind in kinds)
    columns = tuple(f"c{i}" for i in range(len(kinds)))
    index = tuple(draw(st.lists(texts, min_size=rows, max_size=rows, unique=True)))
    return Grid(draw(st.sampled_from(["goal", None])), index, columns, cells)


@given(grids())
def test_a_grid_prints_as_its_frame(grid: Grid) -> None:
    assert to_text(grid) == to_text(grid.frame())
    assert to_text(grid, na_rep="-", index=False) == to_text(grid.frame(), na_rep="-", index=False)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_the_scorecard_grid_prints_as_its_frame(language: str) -> None:
    card = evaluate(load_example()).scorecard
    grid = card.grid()
    frame = card.frame()
    assert grid.frame().equals(frame)
    assert list(grid.index) == list(frame.index) and list(grid.columns) == list(frame.columns)
    with using(language):
        assert to_text(localised(grid, cells=True)) == to_text(localised(frame, cells=True))
        shown = to_text(localised(grid, cells=True))
    assert ("排名" in shown) is (language == "zh-CN")


def test_map_cells_sees_each_column_label() -> None:
    grid = Grid("goal", ("a", "b"), ("weight", "x"), ((0.25, 0.75), (1.0, math.nan)))
    shown = grid.map_cells(lambda column, value: f"{value:.0%}" if column == "weight" else value)
    assert shown.cells == (("25%", "75%"), (1.0, grid.cells[1][1]))


def test_a_ragged_grid_is_refused() -> None:
    with pytest.raises(ValueError, match=r"one column of 2 cells per column label \(2\); received \[2, 1\]"):
        Grid("goal", ("a", "b"), ("x", "y"), ((1.0, 2.0), (3.0,)))
