"""The slider rescaling maths and the ranking hook (no ipywidgets needed)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmselect.widgets.core import ranking_html, ranking_order, rescale_weights


def test_moving_one_rescales_the_others_in_proportion() -> None:
    out = rescale_weights([0.5, 0.3, 0.2], 0, 0.6)
    assert out == pytest.approx((0.6, 0.24, 0.16))


def test_locked_weight_keeps_its_value() -> None:
    out = rescale_weights([0.5, 0.3, 0.2], 0, 0.6, locked=[False, True, False])
    assert out == pytest.approx((0.6, 0.3, 0.1))


def test_moved_weight_is_clamped_to_what_the_locks_leave() -> None:
    out = rescale_weights([0.4, 0.4, 0.2], 0, 0.95, locked=[False, True, False])
    assert out == pytest.approx((0.6, 0.4, 0.0))


def test_nothing_moves_when_every_other_weight_is_locked() -> None:
    assert rescale_weights([2, 1, 1], 0, 0.9, locked=[False, True, True]) == pytest.approx((0.5, 0.25, 0.25))


def test_zero_others_share_equally() -> None:
    assert rescale_weights([1, 0, 0], 0, 0.4) == pytest.approx((0.4, 0.3, 0.3))


def test_bad_index_and_negative_weights_are_refused() -> None:
    with pytest.raises(IndexError):
        rescale_weights([0.5, 0.5], 2, 0.1)
    with pytest.raises(ValueError, match="non-negative"):
        rescale_weights([0.5, -0.5], 0, 0.1)


weight_lists = st.lists(st.floats(0, 10, allow_nan=False), min_size=2, max_size=8).filter(lambda w: sum(w) > 1e-6)


@given(weight_lists, st.data())
def test_rescaling_properties(weights: list[float], data: st.DataObject) -> None:
    n = len(weights)
    index = data.draw(st.integers(0, n - 1))
    value = data.draw(st.floats(-0.5, 1.5, allow_nan=False))
    locked = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    before = np.asarray(weights) / sum(weights)
    after = np.asarray(rescale_weights(weights, index, value, locked))
    assert after.sum() == pytest.approx(1.0)
    assert np.all(after >= -1e-12)
    others_locked = [locked[i] for i in range(n) if i != index]
    for i in range(n):
        if locked[i] and i != index:
            assert after[i] == pytest.approx(before[i])
    if not all(others_locked):
        room = 1 - sum(before[i] for i in range(n) if locked[i] and i != index)
        assert after[index] == pytest.approx(min(max(value, 0.0), max(room, 0.0)), abs=1e-9)
        free = [i for i in range(n) if i != index and not locked[i]]
        base = before[free]
        if base.sum() > 1e-9 and after[free].sum() > 1e-9:
            assert after[free] / after[free].sum() == pytest.approx(base / base.sum(), abs=1e-9)


class _Card:
    bid_ids = ("a", "b", "c")
    labels = ("Acme", "乙云 CRM", "Cirrus <b>")
    goal_ids = ("g1", "g2")
    goal_weights = np.array([0.25, 0.75])
    totals = np.array([0.4, 0.7, 0.9])
    ranks = np.array([2.0, 1.0, np.nan])
    eligible = np.array([True, True, False])


def test_ranking_lists_eligible_by_rank_and_knockouts_last() -> None:
    card = _Card()
    assert ranking_order(card) == [1, 0, 2]
    text = ranking_html(card, knockout_reasons={"c": "no offline mobile"})
    assert "id='crmselect-ranking'" in text
    hook = re.search(r"data-ranking='([^']*)'", text)
    assert hook is not None
    assert json.loads(hook.group(1).replace("&quot;", '"')) == ["b", "a", "c"]
    assert "knocked out: no offline mobile" in text
    assert "Cirrus &lt;b&gt;" in text
    assert "乙云 CRM" in text
