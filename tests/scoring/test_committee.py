"""Committee scores: aggregation, spread, disagreement flags, missing scores, overrides, Kendall's W."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from scoring_fixtures import committee

from crmselect.errors import AnalysisError
from crmselect.model.goals import ConsensusOverride
from crmselect.scoring.committee import (
    MissingScore,
    aggregate_kernel,
    average_ranks,
    kendall_w,
    spread_kernel,
    spread_rows_kernel,
    summarise_committee,
    trimmed_mean,
)


# ---------------------------------------------------------------- kernels
@given(st.floats(0, 5), st.integers(1, 12), st.sampled_from(["mean", "median", "trimmed_mean"]), st.floats(0, 49.9))
def test_identical_scores_aggregate_to_that_score_with_zero_spread(
    score: float, n: int, method: str, trim: float
) -> None:
    scores = np.full(n, score)
    assert aggregate_kernel(scores, method, trim) == pytest.approx(score)
    row = spread_kernel(scores, trim)
    assert (row["n"], row["range"], row["std"]) == (n, 0.0, 0.0)
    assert row["min"] == row["max"] == pytest.approx(score)


def test_aggregations_by_hand() -> None:
    scores = np.array([0.0, 3, 3, 4, 4, 5])
    assert aggregate_kernel(scores, "mean") == pytest.approx(19 / 6)
    assert aggregate_kernel(scores, "median") == 3.5
    # 20 % of 6 scores: one cut from each end -> mean of 3, 3, 4, 4
    assert aggregate_kernel(scores, "trimmed_mean", 20) == 3.5
    assert trimmed_mean(scores, 20) == pytest.approx(stats.trim_mean(scores, 0.2))
    row = spread_kernel(scores)
    assert (row["min"], row["max"], row["range"]) == (0.0, 5.0, 5.0)
    assert row["std"] == pytest.approx(np.std(scores))


def test_average_ranks_share_tied_positions() -> None:
    np.testing.assert_allclose(average_ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1])


# ---------------------------------------------------------------- Kendall's W
def test_kendall_w_siegel_1956() -> None:
    """Siegel, S. (1956) Nonparametric Statistics for the Behavioral Sciences, McGraw-Hill, pp. 229-234.

    Three executives rank six job applicants; rank sums 8, 14, 11, 11, 11, 8; s = 25.5; W = 0.16.
    RECALLED, NOT VERIFIED: no readable copy of Siegel's table was found.  Independent check: the rank
    sums, s and W = 12 s / (m**2 (n**3 - n)) recomputed by hand below.
    """
    ranks = [[1, 6, 3, 2, 5, 4], [1, 5, 6, 4, 2, 3], [6, 3, 2, 5, 4, 1]]
    sums = np.sum(ranks, axis=0)
    assert sums.tolist() == [8, 14, 11, 11, 11, 8]
    s = float(((sums - 3 * 3.5) ** 2).sum())
    assert s == 25.5
    assert kendall_w(ranks) == pytest.approx(12 * s / (9 * (216 - 6)))
    assert round(kendall_w(ranks), 2) == 0.16


def test_kendall_w_proofwiki_example() -> None:
    """ProofWiki, "Kendall's Coefficient of Concordance/Examples/Arbitrary Example 1"
    (https://www.proofwiki.org/wiki/Kendall%27s_Coefficient_of_Concordance/Examples/Arbitrary_Example_1):
    judges A, B, C, D rank competitors X, Y, Z (X 1 1 2 3, Y 3 2 3 1, Z 2 3 1 2); S = 2; W = 1/16.
    """
    by_competitor = np.array([[1, 1, 2, 3], [3, 2, 3, 1], [2, 3, 1, 2]])
    assert kendall_w(by_competitor.T) == pytest.approx(1 / 16)


def test_kendall_w_wine_tasting() -> None:
    """Quandt, R.E., WINETASTER report of 3/6/95, 5 judges and 7 wines (http://liquidasset.com/report-14.html):
    rankings Dick 4 3 2 7 1 6 5, Orley 4 3 1 5 6 2 7, John 3 4 5 7 1 6 2, Bob 1 2 5 3 4 6 7,
    Burt 7 3 2 5 4 1 6; "votes against" (rank sums) 19 15 15 27 16 21 27; W = 0.2371.
    """
    ranks = [[4, 3, 2, 7, 1, 6, 5], [4, 3, 1, 5, 6, 2, 7], [3, 4, 5, 7, 1, 6, 2], [1, 2, 5, 3, 4, 6, 7],
             [7, 3, 2, 5, 4, 1, 6]]
    assert np.sum(ranks, axis=0).tolist() == [19, 15, 15, 27, 16, 21, 27]
    assert round(kendall_w(ranks), 4) == 0.2371


def test_kendall_w_r_irr_example() -> None:
    """Wollschläger, D., R example repository dwoll/RExRepos, md/interRaterICC.md ("Kendall's W for
    continuous ordinal ratings"): three raters' ranks of six subjects, R package irr's kendall() prints
    W = 0.568 and Chisq(5) = 8.52 (chi2 = m (n - 1) W)."""
    ranks = [[1, 6, 3, 2, 5, 4], [1, 5, 6, 2, 4, 3], [2, 3, 6, 5, 4, 1]]
    w = kendall_w(ranks)
    assert round(w, 3) == 0.568
    assert round(3 * 5 * w, 2) == 8.52


def test_kendall_w_tie_corrected_anxiety_example() -> None:
    """Tie correction against a published result: the `anxiety` data of R package irr (three raters,
    20 subjects, many within-rater ties), as shipped in sophiedkk/pyirr pyirr/data/anxiety.csv and
    printed in the DescTools KendallW help page; sophiedkk/pyirr tests/test_kendall.py asserts
    kendall(anxiety, correct=True): Wt rounds to 0.54 and chi2 = m (n - 1) Wt to 30.8."""
    rater1 = [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3]
    rater2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]
    rater3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]
    w = kendall_w([rater1, rater2, rater3])
    assert round(w, 2) == 0.54
    assert round(3 * 19 * w, 1) == 30.8


def test_kendall_w_extremes() -> None:
    assert kendall_w([[1, 2, 3], [1, 2, 3], [1, 2, 3]]) == pytest.approx(1.0)
    assert kendall_w([[1, 2], [2, 1]]) == pytest.approx(0.0)
    assert math.isnan(kendall_w([[1, 2, 3]]))  # one judge
    assert math.isnan(kendall_w([[2, 2], [3, 3]]))  # every judge ties everything


def test_kendall_w_tie_correction_matches_friedman() -> None:
    """With ties, W = chi2_F / (m (n - 1)), chi2_F being Friedman's tie-corrected statistic (scipy)."""
    scores = np.array(
        [[4.0, 4.0, 2.0, 3.5, 1.0], [5.0, 3.0, 3.0, 3.0, 2.0], [4.5, 4.0, 1.0, 4.0, 4.0], [3.0, 2.0, 2.0, 1.0, 2.0]]
    )
    m, n = scores.shape
    friedman = stats.friedmanchisquare(*scores.T).statistic
    assert kendall_w(scores) == pytest.approx(friedman / (m * (n - 1)))
    # and the correction matters: without it W would be smaller
    ranks = np.vstack([average_ranks(r) for r in scores])
    sums = ranks.sum(axis=0)
    uncorrected = 12 * ((sums - sums.mean()) ** 2).sum() / (m**2 * (n**3 - n))
    assert kendall_w(scores) > uncorrected


@given(st.lists(st.lists(st.integers(0, 5), min_size=4, max_size=4), min_size=2, max_size=6))
def test_kendall_w_is_between_zero_and_one(rows: list[list[int]]) -> None:
    w = kendall_w(rows)
    assert math.isnan(w) or -1e-12 <= w <= 1 + 1e-12


# ---------------------------------------------------------------- the summary
SCORES = {
    "m1": {"v1": {"s1": 4, "s2": 3}, "v2": {"s1": 2, "s2": 2}},
    "m2": {"v1": {"s1": 5, "s2": 3}, "v2": {"s1": 2}},
    "m3": {"v1": {"s1": 3, "s2": 4}, "v2": {"s1": 5, "s2": 1}},
}


def test_summary_keeps_spread_flags_disagreement_and_reports_missing() -> None:
    summary = summarise_committee(committee(SCORES, {"s1": "D", "s2": "E"}), ["v1", "v2"])
    frame = summary.frame().set_index(["vendor", "scenario"])
    row = frame.loc[("v2", "s1")]
    assert (row["n"], row["mean"], row["median"], row["min"], row["max"], row["range"]) == (3, 3.0, 2.0, 2, 5, 3)
    assert row["disagreement"] and row["scores"] == "m1 2, m2 2, m3 5"
    assert [(d.vendor, d.scenario, d.scores[0][0]) for d in summary.disagreements] == [("v1", "s1", "m1"),
                                                                                        ("v2", "s1", "m1")]
    # shown by name: members and scenarios by the committee's names, vendors by their ids when not given names
    assert [str(d) for d in summary.disagreements] == [
        "v1 / Scenario s1: range 2 (M1 4, M2 5, M3 3)",
        "v2 / Scenario s1: range 3 (M1 2, M2 2, M3 5)",
    ]
    # m2 did not score v2 / s2: listed, and the aggregate uses the two scores given
    assert summary.missing == (MissingScore("m2", "v2", "s2"),)
    assert frame.loc[("v2", "s2"), "n"] == 2 and frame.loc[("v2", "s2"), "value"] == 1.5


def test_disagreement_threshold_is_inclusive_and_configurable() -> None:
    at = {"a": {"v": {"s": 3}}, "b": {"v": {"s": 4.5}}}
    below = {"a": {"v": {"s": 3}}, "b": {"v": {"s": 4}}}  # scores come in half points: 1.0 is below 1.5
    assert summarise_committee(committee(at, {"s": "D"}), ["v"]).disagreements
    assert not summarise_committee(committee(below, {"s": "D"}), ["v"]).disagreements
    assert not summarise_committee(committee(at, {"s": "D"}, disagreement_pct=50), ["v"]).disagreements


def test_consensus_override_replaces_the_aggregate_and_keeps_its_reason() -> None:
    override = ConsensusOverride(vendor="v2", scenario="s1", value=2.5, reason="Replayed the recording.")
    summary = summarise_committee(committee(SCORES, {"s1": "D", "s2": "E"}, overrides=(override,)), ["v1", "v2"])
    row = summary.frame().set_index(["vendor", "scenario"]).loc[("v2", "s1")]
    assert (row["aggregate"], row["override"], row["value"]) == (3.0, 2.5, 2.5)
    assert row["override_reason"] == "Replayed the recording."
    value, spread, level, notes = summary.criterion_value("v2", "D")
    assert (value, spread, level) == (0.5, 0.0, 2.5)
    assert notes == ("s1: consensus 2.5 (Replayed the recording.)",)


def test_aggregation_method_is_the_committees_choice() -> None:
    summary = summarise_committee(committee(SCORES, {"s1": "D", "s2": "E"}, aggregation="median"), ["v1", "v2"])
    assert summary.values[1, 0] == 2.0  # median of 2, 2, 5
    assert summary.criterion_value("v2", "D")[0] == pytest.approx(0.4)


def test_criterion_value_averages_scenarios_and_counts_unscored_as_zero() -> None:
    scores = {"m1": {"v1": {"s1": 4, "s2": 2}, "v2": {"s1": 3}}}
    summary = summarise_committee(committee(scores, {"s1": "D", "s2": "D"}), ["v1", "v2"])
    assert summary.criterion_value("v1", "D")[:3] == pytest.approx((0.6, 0.0, 3.0))
    value, _, level, notes = summary.criterion_value("v2", "D")
    assert value == pytest.approx(0.3) and math.isnan(level)
    assert notes == ("s2: not scored, counts 0",)


def test_kendall_w_over_members_mean_scenario_scores() -> None:
    summary = summarise_committee(committee(SCORES, {"s1": "D", "s2": "E"}), ["v1", "v2"])
    means = [[3.5, 2.0], [4.0, 2.0], [3.5, 3.0]]  # m2 scored only s1 for v2
    assert summary.kendall_w == pytest.approx(kendall_w(means)) and summary.kendall_w == pytest.approx(1.0)
    assert summary.w_members == ("m1", "m2", "m3")
    absent = {**SCORES, "m4": {"v1": {"s1": 1}}}  # m4 never scored v2: left out of W, and listed as missing
    summary = summarise_committee(committee(absent, {"s1": "D", "s2": "E"}), ["v1", "v2"])
    assert summary.w_members == ("m1", "m2", "m3")
    assert MissingScore("m4", "v2", "s1") in summary.missing


def test_summary_shows_itself() -> None:
    html = summarise_committee(committee(SCORES, {"s1": "D", "s2": "E"}), ["v1", "v2"])._repr_html_()
    assert "Kendall&#x27;s W" in html and "Disagreement: v2 / Scenario s1" in html
    assert "Missing: M2 gave no score for v2 / Scenario s2" in html


def test_a_reader_sees_names_where_the_data_keeps_ids() -> None:
    override = ConsensusOverride(vendor="v2", scenario="s1", value=2.5, reason="Replayed.", by="m3")
    summary = summarise_committee(committee(SCORES, {"s1": "D", "s2": "E"}, overrides=(override,)), ["v1", "v2"],
                                  ["Vendor One", "Vendor Two"])
    assert summary.vendor_ids == ("v1", "v2") and summary.vendor_names == ("Vendor One", "Vendor Two")
    assert set(summary.frame()["vendor"]) == {"v1", "v2"}  # the data keeps the ids
    (open_one,) = summary.disagreements
    assert str(open_one) == "Vendor One / Scenario s1: range 2 (M1 4, M2 5, M3 3)"
    (settled,) = summary.settled
    assert str(settled) == "Vendor Two / Scenario s1: range 3 (M1 2, M2 2, M3 5): agreed 2.5 (Replayed.; by M3)"
    assert settled.by == "m3" and settled.by_name == "M3"
    assert [str(m) for m in summary.missing] == ["M2 gave no score for Vendor Two / Scenario s2"]
    html = summary._repr_html_()
    assert "Vendor One / Scenario s1" in html and "Vendor Two / Scenario s2" in html
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", html, flags=re.S))
    assert not {"v1", "v2", "m1", "m2", "m3"} & set(re.findall(r"[\w\-]+", shown))
    with pytest.raises(AnalysisError, match="vendor_names"):
        summarise_committee(committee(SCORES, {"s1": "D"}), ["v1", "v2"], ["only one"])


# ---------------------------------------------------------------- vectorised paths == scalar kernels
def same_bits(a: float, b: float) -> bool:
    return np.float64(a).tobytes() == np.float64(b).tobytes()


HALF_POINTS = st.integers(0, 10).map(lambda x: x / 2)


@given(st.integers(0, 6), st.integers(0, 35), st.floats(0, 49.9), st.data())
def test_spread_rows_kernel_equals_spread_kernel_row_by_row(cells: int, members: int, trim: float,
                                                            data: st.DataObject) -> None:
    scores = np.array(data.draw(st.lists(st.lists(st.floats(0, 5) | HALF_POINTS, min_size=members,
                                                  max_size=members), min_size=cells, max_size=cells)),
                      dtype=float).reshape(cells, members)
    rows = spread_rows_kernel(scores, trim)
    for c in range(cells):
        one = spread_kernel(scores[c], trim)
        assert all(same_bits(rows[key][c], one[key]) for key in one)


@given(st.integers(1, 12), st.integers(1, 4), st.integers(1, 4), st.sampled_from(["mean", "median", "trimmed_mean"]),
       st.data())
def test_summary_equals_the_scalar_kernels_cell_by_cell(members: int, vendors: int, scenarios: int, method: str,
                                                        data: st.DataObject) -> None:
    """Complete cells go through the row kernel, the rest one by one: both give the scalar kernels' bits."""
    vendor_ids = [f"v{v}" for v in range(vendors)]
    scenario_map = {f"s{s}": data.draw(st.sampled_from(["D", "E"])) for s in range(scenarios)}
    score = st.none() | HALF_POINTS  # the model takes whole and half points only
    given_scores = {f"m{i}": {v: {s: x for s in scenario_map if (x := data.draw(score)) is not None}
                              for v in vendor_ids} for i in range(members)}
    summary = summarise_committee(committee(given_scores, scenario_map, aggregation=method), vendor_ids)
    for v, vendor_id in enumerate(vendor_ids):
        for s in range(scenarios):
            column = summary.scores[:, v, s]
            given_ = column[~np.isnan(column)]
            stats = summary.stats[v * scenarios + s]
            expected = spread_kernel(given_, 20.0)
            assert all(same_bits(stats[key], expected[key]) for key in expected) and stats["n"] == expected["n"]
            aggregate = aggregate_kernel(given_, method) if given_.size else float("nan")
            assert same_bits(summary.values[v, s], aggregate)
        for criterion in ("D", "E"):
            value, sd, level, notes = summary.criterion_columns(criterion)
            one = summary.criterion_value(vendor_id, criterion)
            assert same_bits(value[v], one[0]) and same_bits(sd[v], one[1]) and same_bits(level[v], one[2])
            assert notes[v] == one[3]
    means = [[float(np.mean(row[~np.isnan(row)])) if (~np.isnan(row)).any() else math.nan
              for row in summary.scores[i]] for i in range(members)]
    complete = [m for m, row in zip(summary.member_ids, means, strict=True) if all(map(math.isfinite, row))]
    assert summary.w_members == tuple(complete)
    if len(complete) >= 2:
        expected_w = kendall_w([row for row in means if all(map(math.isfinite, row))])
        assert same_bits(summary.kendall_w, expected_w)
