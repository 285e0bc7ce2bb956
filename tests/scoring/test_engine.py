"""The scorecard: a hand-computed example, the linear identities, knock-outs, two envelopes, properties."""

from __future__ import annotations

import datetime as dt
import math
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_fixtures import (
    committee,
    compliance,
    computed,
    demo,
    goal,
    hand_project,
    make_project,
    number,
    vendor,
    yes_no,
)
from testdata import example_root, load_example

from crmselect.errors import AnalysisError, LogTamperedError
from crmselect.model.bids import Answer
from crmselect.model.goals import ConsensusOverride, MustHave
from crmselect.record.envelopes import prices_revealed
from crmselect.record.log import DecisionLog
from crmselect.scoring.engine import (
    goal_matrix_kernel,
    rank_kernel,
    rank_labels,
    score,
    totals_kernel,
)
from crmselect.scoring.weights import share_kernel

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- worked by hand
def test_hand_computed_scorecard() -> None:
    """See scoring_fixtures.hand_project.

    shares: g1 = A 2/3, B 1/3; g2 = B 1/4, C 1/4, D 1/2.  Values: v1 A 1, B .5, C 1, D 4/5 = .8;
    v2 A .85, B 1, C 0, D 3/5 = .6.
    v1: g1 = 2/3 + .5/3 = .8333; g2 = .125 + .25 + .4 = .775; total = .6 * .8333 + .4 * .775 = .81
    v2: g1 = .85 * 2/3 + 1/3 = .9; g2 = .25 + 0 + .3 = .55; total = .6 * .9 + .4 * .55 = .76
    criterion weights: A .4, B .3, C .1, D .2
    """
    card = score(hand_project(), reveal_prices=False)
    np.testing.assert_allclose(card.goal_weights, [0.6, 0.4])
    np.testing.assert_allclose(card.goal_matrix, [[5 / 6, 0.775], [0.9, 0.55]])
    np.testing.assert_allclose(card.totals, [0.81, 0.76])
    np.testing.assert_allclose(card.criterion_weights, [0.4, 0.3, 0.1, 0.2])
    assert card.criterion_ids == ("A", "B", "C", "D")
    assert card.rank_labels == ("1", "2") and card.winner == "v1"
    assert card.eligible.all() and card.knockouts == ()
    # committee spread: D for v2 has scores 2, 2, 5 (population sd sqrt(2)); its share in g2 is 1/2
    assert card.goal_matrix_sd[1, 1] == pytest.approx(0.5 * math.sqrt(2) / 5)
    assert card.goal_matrix_sd[1, 0] == 0.0
    assert [str(d) for d in card.committee.disagreements] == ["V1 / Scenario s1: range 2 (M1 4, M2 5, M3 3)",
                                                              "V2 / Scenario s1: range 3 (M1 2, M2 2, M3 5)"]


def test_totals_are_the_goal_matrix_times_the_goal_weights() -> None:
    card = score(hand_project(), reveal_prices=False)
    np.testing.assert_allclose(card.totals, card.goal_matrix @ card.goal_weights)
    np.testing.assert_allclose(card.totals, card.criterion_values @ card.criterion_weights)
    np.testing.assert_allclose(card.contributions.sum(axis=1), card.totals)
    assert card.criterion_weights.sum() == pytest.approx(1.0)


def test_weights_argument_replaces_some_goal_weights() -> None:
    card = score(hand_project(), weights={"g2": 140}, reveal_prices=False)  # g1 keeps its 60 points
    np.testing.assert_allclose(card.goal_weights, [0.3, 0.7])
    assert card.rank_labels == ("1", "2")
    with pytest.raises(AnalysisError, match="unknown goals"):
        score(hand_project(), weights={"g9": 1}, reveal_prices=False)
    with pytest.raises(AnalysisError, match="at least one value above 0"):
        score(hand_project(), weights={"g1": 0, "g2": 0}, reveal_prices=False)


def test_result_arrays_are_read_only() -> None:
    card = score(hand_project(), reveal_prices=False)
    with pytest.raises(ValueError, match="read-only"):
        card.totals[0] = 1.0
    with pytest.raises(AttributeError):
        card.totals = np.zeros(2)  # type: ignore[misc]


# ---------------------------------------------------------------- the fast path
def test_with_goal_weights_only_reweights() -> None:
    card = score(hand_project(), reveal_prices=False)
    other = card.with_goal_weights({"g1": 9, "g2": 1})
    np.testing.assert_allclose(other.goal_weights, [0.9, 0.1])
    np.testing.assert_allclose(other.totals, other.goal_matrix @ other.goal_weights)
    np.testing.assert_allclose(other.totals, other.criterion_values @ other.criterion_weights)
    assert other.goal_matrix is card.goal_matrix
    np.testing.assert_allclose(card.goal_weights, [0.6, 0.4])  # the original is unchanged
    # v2 wins when g1 dominates: .9 * .9 + .1 * .55 = .865 > .9 * .8333 + .1 * .775 = .8275
    np.testing.assert_allclose(other.totals, [0.8275, 0.865])
    assert other.rank_labels == ("2", "1") and other.winner == "v2"
    np.testing.assert_allclose(card.with_goal_weights([0.6, 0.4]).totals, card.totals)


def test_with_goal_weights_needs_no_pandas_and_is_cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    card = score(hand_project(), reveal_prices=False)
    monkeypatch.setitem(sys.modules, "pandas", None)  # any pandas import in the fast path would fail
    start = time.perf_counter()
    for k in range(2000):
        card = card.with_goal_weights([1 + k % 7, 2.0])
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    ("weights", "match"),
    [({"g1": 1}, "missing"), ({"g1": 1, "g2": 1, "g3": 1}, "unknown"), ([1.0], "one value per goal"),
     ([1.0, -1.0], ">= 0"), ([0.0, 0.0], "not all zero"), ([float("nan"), 1.0], "finite")],
)
def test_with_goal_weights_refuses_bad_weights(weights: object, match: str) -> None:
    card = score(hand_project(), reveal_prices=False)
    with pytest.raises(AnalysisError, match=match):
        card.with_goal_weights(weights)  # type: ignore[arg-type]


# ---------------------------------------------------------------- ranks
def test_ties_are_shown_as_ties() -> None:
    ranks = rank_kernel(np.array([0.5, 0.7, 0.5, 0.7 + 1e-13, 0.1]), np.array([True] * 5))
    assert rank_labels(ranks) == ("3=", "1=", "3=", "1=", "5")
    ranks = rank_kernel(np.array([0.9, 0.7, 0.5]), np.array([False, True, True]))
    assert rank_labels(ranks) == ("out", "1", "2")


def test_identical_bids_tie_and_there_is_no_single_winner() -> None:
    criteria = [compliance("A")]
    project = make_project(criteria, [goal("g", 1, {"A": 1})],
                           [vendor("v1", {"A": "S"}), vendor("v2", {"A": "S"}), vendor("v3", {"A": "C"})])
    card = score(project, reveal_prices=False)
    assert card.rank_labels == ("1=", "1=", "3")
    assert card.winner is None and card.winners == ("v1", "v2")


def test_offers_share_committee_scores_but_may_override_answers() -> None:
    base = hand_project()
    two = vendor("v1", {"A": "S", "B": 50, "C": True}, deployments=("saas", "on_premise"),
                 offer_answers={"v1-on_premise": {"A": "X"}})
    project = make_project(base.criteria, base.selection.goals, [two, base.vendors[1]], committee_=base.committee)
    card = score(project, reveal_prices=False)
    assert card.bid_ids == ("v1-saas", "v1-on_premise", "v2")
    assert card.labels == ("V1 (SaaS)", "V1 (on-premise)", "V2")
    assert card.criterion_values[:, 0].tolist() == [1.0, 0.35, 0.85]  # A: the on-premise offer answers X
    assert card.criterion_values[0, 3] == card.criterion_values[1, 3] == pytest.approx(0.8)  # D: shared demo


# ---------------------------------------------------------------- knock-outs
def test_knocked_out_bids_stay_visible_with_rule_answer_and_reason() -> None:
    rule = MustHave(criterion="A", minimum="S", reason="No workarounds for the core process.")
    card = score(hand_project(must_haves=[rule]), reveal_prices=False)
    assert card.eligible.tolist() == [True, False]
    assert card.rank_labels == ("1", "out") and math.isnan(card.ranks[1])
    (knockout,) = card.knockouts
    assert (knockout.bid, knockout.criterion, knockout.rule, knockout.answer) == ("v2", "A", "at least S (Standard)",
                                                                                  "C")
    assert knockout.reason == "No workarounds for the core process."
    assert card.totals[1] == pytest.approx(0.76)  # still scored and shown
    frame = card.frame()
    assert frame.loc["Status", "V2"] == "knocked out: A" and frame.loc["Rank", "V2"] == "out"
    html = card._repr_html_()
    assert 'title="knocked out">V2</th>' in html and "Knocked out: V2: A Criterion A must be at least S" in html


def test_every_kind_of_must_have() -> None:
    criteria = [compliance("A"), number("N", {"kind": "linear", "worst": 72, "best": 1}, direction="lower_is_better",
                                        unit="hours"),
                computed("K"), *[c for c in hand_project().criteria if c.id in ("C", "D")]]
    goals = [goal("g", 1, {"A": 1, "N": 1, "K": 1, "C": 1, "D": 1})]
    vendors = [
        vendor("ok", {"A": "S", "N": 4, "C": True}),
        vendor("late", {"A": Answer(code="F", available=dt.date(2028, 1, 1)), "N": 4, "C": True}),
        vendor("slow", {"A": "S", "N": 48, "C": True}),
        vendor("no", {"A": "S", "N": 4, "C": False}),
        vendor("weak", {"A": "S", "N": 4, "C": True}),
    ]
    scores = {"m1": {v.id: {"s1": 2.0 if v.id == "weak" else 4.0} for v in vendors}}
    rules = [MustHave(criterion="A", minimum="F"), MustHave(criterion="N", minimum=24),
             MustHave(criterion="C", minimum=True), MustHave(criterion="D", minimum=3),
             MustHave(criterion="K", minimum=0.5)]
    project = make_project(criteria, goals, vendors, committee_=committee(scores, {"s1": "D"}), must_haves=rules)
    card = score(project, reveal_prices=False, computed={"K": {"ok": 0.9, "late": 0.9, "slow": 0.9, "no": 0.2}})
    out = {(k.bid, k.criterion): k.answer for k in card.knockouts}
    assert out == {
        ("late", "A"): "F (2028-01-01) — F (2028-01-01) is later than 12 months after 2026-01-01; counted as N",
        ("slow", "N"): "48 hours",
        ("no", "C"): "no",
        ("no", "K"): "0.20",
        ("weak", "D"): "2.00 / 5",
    }
    assert [(u.bid, u.criterion, u.why) for u in card.unchecked] == [("weak", "K", "not computed")]
    assert card.rank_labels == ("1", "out", "out", "out", "out")
    assert card.status[0] == "eligible"


def test_unscored_committee_must_have_is_pending_not_a_knock_out() -> None:
    project = hand_project(must_haves=[MustHave(criterion="D", minimum=3)],
                           committee_=committee({"m1": {"v1": {"s1": 4}}}, {"s1": "D"}))
    card = score(project, reveal_prices=False)
    assert card.eligible.all()
    assert [(u.bid, u.why) for u in card.unchecked] == [("v2", "not every demo scenario is scored")]
    assert card.status[1] == "eligible (not yet checked: D)"
    assert card.answers[1][3] == "not scored"


# ---------------------------------------------------------------- computed criteria
def test_computed_values_fill_in_and_missing_ones_count_zero() -> None:
    criteria = [compliance("A"), computed("K")]
    project = make_project(criteria, [goal("g", 1, {"A": 1, "K": 1})],
                           [vendor("v1", {"A": "S"}), vendor("v2", {"A": "S"})])
    card = score(project, computed={"K": {"v1": 0.5}}, reveal_prices=False)
    np.testing.assert_allclose(card.totals, [0.75, 0.5])
    assert card.notes[1][1] == "not computed, counts 0" and card.answers[1][1] == "not computed"


@pytest.mark.parametrize(
    ("given_values", "match"),
    [({"A": {"v1": 0.5}}, "not computed"), ({"Z": {"v1": 0.5}}, "not a catalogue criterion"),
     ({"K": {"v9": 0.5}}, "v9 is not a bid"), ({"K": {"v1": 1.5}}, "not a value from 0 to 1")],
)
def test_computed_values_are_checked(given_values: dict[str, dict[str, float]], match: str) -> None:
    project = make_project([compliance("A"), computed("K")], [goal("g", 1, {"A": 1, "K": 1})],
                           [vendor("v1", {"A": "S"})])
    with pytest.raises(AnalysisError, match=match):
        score(project, computed=given_values, reveal_prices=False)


# ---------------------------------------------------------------- two envelopes
def price_project(root: Path) -> object:
    price = number("P", {"kind": "linear", "worst": 2000, "best": 500}, direction="lower_is_better", unit="EUR",
                   envelope="price")
    criteria = [compliance("A"), price]
    return make_project(criteria, [goal("g1", 1, {"A": 1, "P": 1}), goal("g2", 1, {"P": 1})],
                        [vendor("cheap", {"A": "C", "P": 500}), vendor("rich", {"A": "S", "P": 2000})], root=root,
                        must_haves=[MustHave(criterion="P", minimum=1500)])


def test_prices_stay_hidden_until_locked_and_revealed(tmp_path: Path) -> None:
    project = price_project(tmp_path)
    hidden = score(project, reveal_prices=prices_revealed(project))  # no decision log yet: hidden
    assert hidden.prices_hidden and hidden.hidden_criteria == ("P",)
    assert hidden.criterion_ids == ("A",) and "P" not in hidden.by_criterion().index
    np.testing.assert_allclose(hidden.goal_matrix, [[0.85, 0.0], [1.0, 0.0]])  # g1's points all go to A
    assert hidden.empty_goals == ("g2",)
    assert hidden.rank_labels == ("2", "1") and hidden.knockouts == ()
    assert [u.why for u in hidden.unchecked] == ["a price criterion; checked when prices are revealed"] * 2
    assert any(note.startswith("Prices are hidden") for note in hidden.summary_notes())

    log = DecisionLog.for_project(project)
    log.append("lock", "PM", {}, "technical scoring complete")
    assert score(project, reveal_prices=prices_revealed(project)).prices_hidden
    log.append("reveal_prices", "Procurement", {}, "envelope two opened")
    shown = score(project, reveal_prices=prices_revealed(project))
    assert not shown.prices_hidden and shown.criterion_ids == ("A", "P")
    np.testing.assert_allclose(shown.goal_matrix, [[(0.85 + 1) / 2, 1.0], [0.5, 0.0]])
    assert [(k.bid, k.answer) for k in shown.knockouts] == [("rich", "2000 EUR")]
    assert score(project, reveal_prices=False).prices_hidden  # an explicit choice wins over the log


def test_a_tampered_log_decides_nothing(tmp_path: Path) -> None:
    project = price_project(tmp_path)
    log = DecisionLog.for_project(project)
    log.append("lock", "PM", {}, "done")
    log.path.write_text(log.path.read_text(encoding="utf-8").replace("done", "DONE"), encoding="utf-8")
    with pytest.raises(LogTamperedError):
        score(project, reveal_prices=prices_revealed(project))


# ---------------------------------------------------------------- tables and plots
def test_frame_is_goals_by_bids_with_total_rank_status() -> None:
    card = score(hand_project(), reveal_prices=False)
    frame = card.frame()
    assert list(frame.index) == ["Goal g1", "Goal g2", "Total", "Rank", "Status"]
    assert list(frame.columns) == ["weight", "V1", "V2"]
    assert frame.loc["Total", "V1"] == pytest.approx(0.81)
    frame.loc["Total", "V1"] = 0.0  # a copy: the scorecard is unchanged
    assert card.totals[0] == pytest.approx(0.81)


def test_by_goal_and_by_criterion_explain_the_total() -> None:
    card = score(hand_project(), reveal_prices=False)
    by_goal = card.by_goal()
    assert by_goal.groupby("bid")["contribution"].sum().to_dict() == pytest.approx({"v1": 0.81, "v2": 0.76})
    table = card.by_criterion()
    assert table.loc["B", "goals"] == "Goal g1 33%, Goal g2 25%" and table.loc["B", "weight"] == pytest.approx(0.3)
    assert table.loc["D", "V2"] == pytest.approx(0.6)
    assert card.by_criterion(show="answer").loc["B", "V1"] == "50 units"


def test_plots_return_axes() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    card = score(hand_project(must_haves=[MustHave(criterion="A", minimum="S")]), reveal_prices=False)
    ax = card.plot("stacked")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["V1", "V2\n(knocked out)"]
    assert ax.get_legend() is not None
    _, given_ax = plt.subplots()
    assert card.plot("heatmap", ax=given_ax) is given_ax
    with pytest.raises(AnalysisError, match="stacked"):
        card.plot("pie")
    plt.close("all")


# ---------------------------------------------------------------- properties
unit = st.floats(0, 1, allow_nan=False)


@st.composite
def linear_model(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    bids = draw(st.integers(2, 5))
    goals = draw(st.integers(1, 4))
    criteria = draw(st.integers(1, 6))
    values = np.array(draw(st.lists(st.lists(unit, min_size=criteria, max_size=criteria), min_size=bids,
                                    max_size=bids)))
    points = np.array(draw(st.lists(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0]), min_size=criteria,
                                             max_size=criteria), min_size=goals, max_size=goals)))
    points[:, 0] += 1  # every goal has at least one criterion
    weights = np.array(draw(st.lists(st.floats(0.01, 100), min_size=goals, max_size=goals)))
    return values, points, weights / weights.sum()


@given(linear_model())
def test_total_equals_goal_matrix_times_goal_weights(model: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    values, points, weights = model
    share = share_kernel(points)
    goal_matrix = goal_matrix_kernel(values, share)
    totals = totals_kernel(goal_matrix, weights)
    np.testing.assert_allclose(totals, goal_matrix @ weights)
    np.testing.assert_allclose(totals, values @ (weights @ share), atol=1e-12)
    assert ((goal_matrix >= -1e-12) & (goal_matrix <= 1 + 1e-12)).all()


@given(linear_model(), st.floats(1e-3, 1e3))
def test_scaling_all_goal_weights_changes_no_rank(model: tuple[np.ndarray, np.ndarray, np.ndarray],
                                                  factor: float) -> None:
    values, points, weights = model
    goal_matrix = goal_matrix_kernel(values, share_kernel(points))
    eligible = np.ones(values.shape[0], dtype=bool)
    before = rank_kernel(totals_kernel(goal_matrix, weights), eligible)
    scaled = weights * factor
    after = rank_kernel(totals_kernel(goal_matrix, scaled / scaled.sum()), eligible)
    np.testing.assert_array_equal(before, after)


@given(linear_model(), st.data())
def test_a_dominating_bid_never_ranks_below(model: tuple[np.ndarray, np.ndarray, np.ndarray],
                                           data: st.DataObject) -> None:
    values, points, weights = model
    a, b = data.draw(st.permutations(range(values.shape[0])))[:2]
    values[a] = np.maximum(values[a], values[b])  # a is at least as good as b on every criterion
    goal_matrix = goal_matrix_kernel(values, share_kernel(points))
    ranks = rank_kernel(totals_kernel(goal_matrix, weights), np.ones(values.shape[0], dtype=bool))
    assert ranks[a] <= ranks[b]


codes = st.sampled_from(["S", "C", "R", "T", "X", "N"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(codes, codes), min_size=2, max_size=4), st.lists(st.integers(1, 9), min_size=2, max_size=2),
       codes)
def test_scorecard_properties_on_projects(answers: list[tuple[str, str]], goal_points: list[int],
                                          extra_answer: str) -> None:
    """On whole projects: scaling the goal weights keeps ranks; an unlinked criterion changes nothing."""
    criteria = [compliance("A"), compliance("B")]
    goals = [goal("g1", goal_points[0], {"A": 2, "B": 1}), goal("g2", goal_points[1], {"B": 1})]
    vendors = [vendor(f"v{i}", {"A": a, "B": b}) for i, (a, b) in enumerate(answers)]
    card = score(make_project(criteria, goals, vendors), reveal_prices=False)
    scaled = card.with_goal_weights(card.goal_weights * 7.5)
    assert scaled.rank_labels == card.rank_labels
    np.testing.assert_allclose(card.totals, card.goal_matrix @ card.goal_weights)

    with_extra = make_project([*criteria, compliance("U")], goals,
                              [vendor(v.id, {**dict(v.answers), "U": Answer(code=extra_answer)}) for v in vendors])
    extra = score(with_extra, reveal_prices=False)
    np.testing.assert_array_equal(extra.totals, card.totals)
    assert extra.rank_labels == card.rank_labels
    assert extra.unlinked == ("U",) and extra.by_criterion().loc["U", "weight"] == 0.0
    assert extra.by_criterion().loc["U", "goals"] == "serves no goal"


# ---------------------------------------------------------------- the shipped example, end to end
def test_shipped_example_end_to_end(capsys: pytest.CaptureFixture[str]) -> None:
    if not (ROOT / "criteria" / "goals.yaml").is_file():
        pytest.skip("criteria/goals.yaml (the shipped example's goals) is not written yet")
    from crmselect.cli.app import main

    project = load_example()
    card = score(project, reveal_prices=False)
    assert card.bid_ids == tuple(b.id for b in project.bids)
    np.testing.assert_allclose(card.totals, card.goal_matrix @ card.goal_weights)
    np.testing.assert_allclose(card.totals, card.criterion_values @ card.criterion_weights)
    assert card.goal_weights.sum() == pytest.approx(1.0)
    assert ((card.goal_matrix >= 0) & (card.goal_matrix <= 1)).all()
    assert set(card.unlinked) == set(project.unlinked_criteria) - set(card.hidden_criteria)
    assert len(card.unlinked) > 0  # some catalogue criteria stay unlinked on purpose
    assert card.frame().shape == (len(project.selection.goals) + 3, len(project.bids) + 1)
    assert sum(label != "out" for label in card.rank_labels) == int(card.eligible.sum())
    assert card.committee.member_ids and not math.isnan(card.committee.kendall_w)
    revealed = score(project, reveal_prices=True)
    assert revealed.criterion_weights.sum() == pytest.approx(1.0)

    from crmselect.evaluation import evaluate

    shown = evaluate(project).scorecard  # what the command prints: computed criteria filled in
    assert main(["rank", str(example_root())]) == 0
    out = capsys.readouterr().out
    assert "Total" in out and "Rank" in out and "Features that serve no goal (weight 0):" in out
    assert "Kendall's W" in out and "Stakeholder views" in out
    rank_line = next(line for line in out.splitlines() if line.startswith("Rank"))
    assert rank_line.split()[1:] == list(shown.rank_labels)
    for knockout in shown.knockouts:
        assert str(knockout) in out


# ---------------------------------------------------------------- the column-wise fast path == cell by cell
def _reference_cell(project: object, bid: object, cid: str, card: object, computed_: dict[str, dict[str, float]],
                    linked: bool) -> tuple[float, float, str, str]:
    """What score() computed cell by cell before it went column-wise (kept here as the reference)."""
    from crmselect.model.goals import AnswerKind
    from crmselect.scoring.values import answer_value

    criterion = project.criterion(cid)  # type: ignore[attr-defined]
    kind = criterion.answer
    if kind is AnswerKind.committee_score:
        value, sd, level, notes = card.committee.criterion_value(bid.vendor.id, cid)  # type: ignore[attr-defined]
        if not linked and cid not in card.committee.scenario_criteria:  # type: ignore[attr-defined]
            return math.nan, 0.0, "", ""
        return value, sd, "not scored" if math.isnan(level) else f"{level:.2f} / 5", "; ".join(notes)
    if kind is AnswerKind.computed:
        got = computed_.get(cid, {}).get(bid.id)  # type: ignore[attr-defined]
        if got is None:
            return (0.0 if linked else math.nan), 0.0, "not computed", "not computed, counts 0"
        return got, 0.0, f"{got:.2f}", ""
    answer = bid.answers.get(cid)  # type: ignore[attr-defined]
    if answer is None:
        return (0.0 if linked else math.nan), 0.0, "no answer", "no answer, counts 0" if linked else ""
    result = answer_value(criterion, answer, project.effective_scale, card.reference_date)  # type: ignore[attr-defined]
    return result.value, 0.0, result.shown, result.note


def test_column_wise_scoring_equals_the_cell_by_cell_definition() -> None:
    criteria = [compliance("A"), number("B", {"kind": "linear", "worst": 0, "best": 100}), yes_no("C"), demo("D"),
                computed("E"), number("P", {"kind": "piecewise", "points": [[0, 0], [10, 0.7], [20, 1]]}),
                number("T", {"kind": "threshold", "threshold": 4}, direction="lower_is_better"), compliance("U"),
                demo("W"), yes_no("Y"), demo("Z")]
    goals = [goal("g1", 3, {"A": 2, "B": 1, "E": 1, "P": 2}), goal("g2", 1, {"C": 1, "D": 2, "T": 1, "W": 1})]
    vendors = [
        vendor("v1", {"A": Answer(code="F", available=dt.date(2026, 6, 1)), "B": 50, "C": True, "P": 12.5, "T": 3,
                      "U": "S", "Y": "S"}),
        vendor("v2", {"A": Answer(code="F", available=dt.date(2029, 1, 1)), "B": "S", "C": 3.0, "T": 4.5, "U": True},
               deployments=("saas", "on_premise"), offer_answers={"v2-saas": {"B": 7, "A": "R"}}),
        vendor("v3", {"A": "Z", "B": True, "P": -4, "Y": False}),
    ]
    scores = {"m1": {"v1": {"s1": 4, "s2": 1}, "v2": {"s1": 2}}, "m2": {"v1": {"s1": 5}, "v3": {"s2": 3}}}
    overrides = (ConsensusOverride(vendor="v3", scenario="s1", value=2.5, reason="Replayed."),)
    project = make_project(criteria, goals, vendors, committee_=committee(scores, {"s1": "D", "s2": "D", "s3": "W"},
                                                                          overrides=overrides))
    given_ = {"E": {"v1": 0.25, "v3": 1.0}}
    card = score(project, computed=given_, reveal_prices=False)
    for b, bid in enumerate(project.bids):
        for j, cid in enumerate(card.criterion_ids):
            value, sd, shown, note = _reference_cell(project, bid, cid, card, given_, linked=True)
            assert np.float64(value).tobytes() == card.criterion_values[b, j].tobytes(), (bid.id, cid)
            assert np.float64(sd).tobytes() == card.criterion_sd[b, j].tobytes(), (bid.id, cid)
            assert (card.answers[b][j], card.notes[b][j]) == (shown, note), (bid.id, cid)
        for j, cid in enumerate(card.unlinked):
            value = _reference_cell(project, bid, cid, card, given_, linked=False)[0]
            assert np.float64(value).tobytes() == card.unlinked_values[b, j].tobytes() or (
                math.isnan(value) and math.isnan(card.unlinked_values[b, j])), (bid.id, cid)
    assert set(card.unlinked) == {"U", "Y", "Z"} and card.answers[1][0] == "R"
