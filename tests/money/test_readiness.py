"""Buyer readiness: a stated multiplier on every plan's duration, checked by hand and through the simulation."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from testdata import copy_example, copy_minimal, reveal_prices

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.model.readiness import FACTORS, Rating, Readiness
from crmselect.money.readiness import ALL_MISSING, FACTOR_SHARES, GAP, multiplier_kernel, readiness_effect
from crmselect.money.risk import simulate_risk

EVIDENCE = "board minutes of 2026-10-02"


def assessment(**ratings: str) -> Readiness:
    return Readiness.model_validate({f: {"rating": ratings.get(f, "in_place"), "evidence": EVIDENCE}
                                     for f in FACTORS})


def block(**ratings: str) -> str:
    lines = ["readiness:"]
    for factor in FACTORS:
        lines.append(f"  {factor}: {{rating: {ratings.get(factor, 'in_place')}, evidence: {EVIDENCE}}}")
    return "\n".join(lines) + "\n"


def test_the_multiplier_follows_the_stated_shares_by_hand() -> None:
    assert readiness_effect(assessment()).multiplier == 1.0  # type: ignore[union-attr]
    everything = readiness_effect(assessment(**dict.fromkeys(FACTORS, "missing")))
    assert everything is not None and everything.multiplier == pytest.approx(2.22)  # Standish: 222 % of plan
    sponsor = readiness_effect(assessment(executive_sponsor="missing"))
    assert sponsor is not None and sponsor.multiplier == pytest.approx(2.22**0.18)  # about 1.154
    half = readiness_effect(assessment(executive_sponsor="partly", data_quality="missing"))
    assert half is not None and half.multiplier == pytest.approx(2.22 ** (0.5 * 0.18 + 0.14))
    assert sum(FACTOR_SHARES.values()) == pytest.approx(1.0)


def test_the_actions_name_the_factors_that_remove_most_delay() -> None:
    effect = readiness_effect(assessment(executive_sponsor="missing", infrastructure="missing",
                                         training_plan="partly"))
    assert effect is not None
    names = [factor for factor, _, _ in effect.actions()]
    assert names == ["executive_sponsor", "infrastructure", "training_plan"]
    _, _, share = effect.actions()[0]
    assert share == pytest.approx((effect.multiplier - ALL_MISSING ** (0.08 + 0.06)) / (effect.multiplier - 1))


@given(st.dictionaries(st.sampled_from(FACTORS), st.sampled_from(list(Rating))),
       st.sampled_from(FACTORS))
def test_worse_readiness_never_shortens_go_live(ratings: dict[str, Rating], worse: str) -> None:
    gaps = {f: GAP[ratings.get(f, Rating.in_place)] for f in FACTORS}
    raised = {**gaps, worse: min(1.0, gaps[worse] + 0.5)}
    assert multiplier_kernel(raised) >= multiplier_kernel(gaps)
    assert 1.0 <= multiplier_kernel(gaps) <= ALL_MISSING + 1e-12


def test_the_simulation_stretches_every_draw_and_says_by_how_much(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    plain = load_project(root)
    goals = root / "criteria" / "goals.yaml"
    goals.write_text(goals.read_text(encoding="utf-8") + block(executive_sponsor="missing",
                                                               change_management="partly"), encoding="utf-8")
    ready = load_project(root)
    bid = plain.bids[0].id
    before = simulate_risk(plain, bid, n=5_000, random_state=7)
    after = simulate_risk(ready, bid, n=5_000, random_state=7)
    m = 2.22 ** (0.18 + 0.07)
    assert after.readiness_multiplier == pytest.approx(m)
    np.testing.assert_allclose(after.go_live_days, before.go_live_days * m)
    p50 = float(np.percentile(before.go_live_days, 50))
    assert after.readiness_adds_days(50) == pytest.approx((m - 1) * p50)
    assert before.readiness_adds_days(90) == 0.0
    assert np.median(after.net_npv) <= np.median(before.net_npv)  # benefits start later, delay is billed


def test_an_assessment_must_rate_every_factor_with_evidence(tmp_path: Path) -> None:
    root = copy_minimal(tmp_path / "selection")
    goals = root / "criteria" / "goals.yaml"
    text = block().replace(f"  infrastructure: {{rating: in_place, evidence: {EVIDENCE}}}\n", "")
    text = text.replace(f"rating: in_place, evidence: {EVIDENCE}}}", "rating: in_place}", 1)
    goals.write_text(goals.read_text(encoding="utf-8") + text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(root)
    fields = {issue.field for issue in caught.value.issues}
    assert {"readiness.infrastructure", "readiness.executive_sponsor.evidence"} <= fields


def test_tco_says_what_readiness_adds_and_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    goals = root / "criteria" / "goals.yaml"
    goals.write_text(goals.read_text(encoding="utf-8") + block(data_quality="missing", training_plan="partly"),
                     encoding="utf-8")
    reveal_prices(root)
    capsys.readouterr()
    assert main(["tco", str(root), "--draws", "500"]) == 0
    out = capsys.readouterr().out
    factor = 2.22 ** (0.14 + 0.06)
    assert f"stretches every plan by x{factor:.2f}" in out
    assert "readiness adds" in out and "months at P50" in out
    assert "clean the customer data and give it an owner before migration: removes" in out
    assert "each year's costs count at the end of the year, except lines billed yearly in advance" in out
    assert math.isfinite(factor)
