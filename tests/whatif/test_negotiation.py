"""Price concessions: solved exactly per piece, checked by re-scoring at the concession (a tie within 1e-9)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import copy_example, reveal_prices

from crmselect import load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.money.price import price_scores
from crmselect.whatif.negotiation import concession_targets


def totals_at(rest: dict[str, float], weight: float, npvs: dict[str, float], method: str,
              technical: dict[str, float] | None = None) -> dict[str, float]:
    """Re-score independently: the price method's own scores from the NPVs, then rest + weight x score."""
    scores = price_scores(npvs, method, technical)
    return {b: rest[b] + weight * scores[b] for b in rest}


def setup(method: str, rest: dict[str, float], npvs: dict[str, float], weight: float,
          technical: dict[str, float] | None = None) -> tuple[list[str], list[float], dict[str, float]]:
    scores = price_scores(npvs, method, technical)
    bids = list(rest)
    return bids, [rest[b] + weight * scores[b] for b in bids], scores


@pytest.mark.parametrize("method", ["lowest_over_price", "value_for_money"])
def test_at_the_target_the_bid_ties_the_winner(method: str) -> None:
    rest = {"a": 0.60, "b": 0.55, "c": 0.50}
    npvs = {"a": 1_000_000.0, "b": 900_000.0, "c": 1_400_000.0}
    technical = {"a": 0.8, "b": 0.7, "c": 0.75}
    weight = 0.2
    bids, totals, scores = setup(method, rest, npvs, weight, technical)
    winner = max(bids, key=lambda b: totals[bids.index(b)])
    targets = concession_targets(bids, totals, weight, scores, npvs, method=method, technical=technical)
    assert winner not in targets
    for bid, target in targets.items():
        assert target is not None and 0 < target < npvs[bid]
        after = totals_at(rest, weight, {**npvs, bid: target}, method, technical)
        assert after[bid] == pytest.approx(after[winner], abs=1e-9)
        nudged = totals_at(rest, weight, {**npvs, bid: target * (1 - 1e-6)}, method, technical)
        assert nudged[bid] > nudged[winner]  # a little more and it wins


def test_the_second_piece_when_the_bid_must_become_the_cheapest() -> None:
    # b is far behind: only by undercutting a (the cheapest) and pulling a's price score down can it tie
    rest = {"a": 0.70, "b": 0.55}
    npvs = {"a": 500_000.0, "b": 800_000.0}
    weight = 0.3
    bids, totals, scores = setup("lowest_over_price", rest, npvs, weight)
    target = concession_targets(bids, totals, weight, scores, npvs, method="lowest_over_price")["b"]
    assert target is not None and target < npvs["a"]  # below the cheapest: piece two
    assert target == pytest.approx(npvs["a"] * (0.55 + 0.3 - 0.70) / 0.3)  # by hand: x = NPV_a (r_b + w - r_a) / w
    after = totals_at(rest, weight, {**npvs, "b": target}, "lowest_over_price")
    assert after["b"] == pytest.approx(after["a"], abs=1e-9)


def test_a_gap_too_wide_for_price_has_no_target() -> None:
    rest = {"a": 0.90, "b": 0.40}
    npvs = {"a": 500_000.0, "b": 800_000.0}
    bids, totals, scores = setup("lowest_over_price", rest, npvs, 0.1)
    assert concession_targets(bids, totals, 0.1, scores, npvs, method="lowest_over_price") == {"b": None}


def test_kept_apart_targets_the_frontier() -> None:
    technical = {"a": 0.8, "b": 0.7, "c": 0.85}
    npvs = {"a": 900.0, "b": 1000.0, "c": 1200.0}
    totals = [technical[b] for b in technical]
    targets = concession_targets(list(technical), totals, 0.0, {}, npvs, method="kept_apart", technical=technical)
    assert targets == {"a": 1200.0, "b": 900.0}  # b must undercut a, which scores higher; a is already efficient


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.3, 0.9), min_size=3, max_size=6), st.lists(st.floats(1e5, 5e6), min_size=6, max_size=6),
       st.floats(0.05, 0.4), st.lists(st.floats(0.0, 1.0), min_size=8, max_size=8))
def test_a_larger_concession_never_lowers_the_bids_rank(rests: list[float], costs: list[float], weight: float,
                                                        cuts: list[float]) -> None:
    bids = [f"b{i}" for i in range(len(rests))]
    rest = dict(zip(bids, rests, strict=False))
    npvs = dict(zip(bids, costs, strict=False))
    bid = bids[-1]

    def rank(npv: float) -> int:
        after = totals_at(rest, weight, {**npvs, bid: npv}, "lowest_over_price")
        return 1 + sum(after[b] > after[bid] for b in bids if b != bid)

    ranks = [rank(npvs[bid] * (1 - cut)) for cut in sorted(c * 0.99 for c in cuts)]
    assert all(later <= earlier for earlier, later in itertools.pairwise(ranks))


def test_negotiate_on_the_example_after_the_reveal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = reveal_prices(copy_example(tmp_path / "selection"))
    project = load_project(root)
    evaluation = evaluate(project)
    card = evaluation.scorecard
    price_ids = {c.id for c in project.criteria if c.computed_from is not None and c.computed_from.value == "price"}
    columns = [j for j, cid in enumerate(card.criterion_ids) if cid in price_ids]
    weight = float(card.criterion_weights[columns].sum())
    live = [b for b, ok in zip(card.bid_ids, card.eligible, strict=True) if ok]
    npvs = {b: evaluation.tco.npvs()[b] for b in live}
    now = price_scores(npvs, evaluation.price_method, evaluation.technical)
    total = dict(zip(card.bid_ids, card.totals.tolist(), strict=True))
    rest = {b: total[b] - weight * now[b] for b in live}
    np.testing.assert_allclose([card.criterion_values[card.bid_ids.index(b), columns[0]] for b in live],
                               [now[b] for b in live])  # the engine's price scores are the method's
    winner = card.winner
    solved = [c for c in evaluation.concessions() if c.target_npv is not None]
    assert solved
    for item in solved:
        after = totals_at(rest, weight, {**npvs, item.bid: item.target_npv}, evaluation.price_method,
                          evaluation.technical)
        assert after[item.bid] == pytest.approx(after[winner], abs=1e-9)
        assert item.target_npv < item.npv
    capsys.readouterr()
    assert main(["negotiate", str(root)]) == 0
    out = capsys.readouterr().out
    assert "NPV to tie" in out and "as a subscription discount" in out


def test_negotiate_is_sealed_before_the_reveal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    assert main(["negotiate", str(root)]) == 0
    assert "sealed until prices are revealed" in capsys.readouterr().out
