"""Best-and-final-offer rounds: versions of a bid, a logged re-lock rather than drift, deltas with prices sealed."""

from __future__ import annotations

from pathlib import Path

import pytest
from testdata import copy_example, replace_in, reveal_prices

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.files.loaders import load_rounds
from crmselect.model.bids import Vendor
from crmselect.record.envelopes import seal_state
from crmselect.record.log import DecisionLog
from crmselect.record.rounds import SEALED_DELTA, deltas, round_deltas

MEMBER = "zhao_lei"
CIRROLAN = "vendors/cirrolan.yaml"


def bafo_file(root: Path, tmp_path: Path) -> Path:
    """Cirrolan's best and final offer: a lower subscription, a tighter RPO, a shorter renewal notice, one answer."""
    text = (root / CIRROLAN).read_text(encoding="utf-8")
    for old, new in (("      subscription_per_user_month: 95", "      subscription_per_user_month: 88"),
                     ("      rpo_hours: 1\n", "      rpo_hours: 0.5\n")):
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "cirrolan-bafo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def locked(tmp_path: Path) -> Path:
    root = copy_example(tmp_path / "selection")
    assert main(["--member", MEMBER, "lock", str(root), "--why", "every demo scored"]) == 0
    return root


def test_an_edit_after_the_lock_without_a_round_is_drift(locked: Path, tmp_path: Path) -> None:
    new = bafo_file(locked, tmp_path)
    replace_in(locked / CIRROLAN, "      rpo_hours: 1\n", "      rpo_hours: 0.5\n")
    state = seal_state(load_project(locked))
    assert state.drifted
    assert [str(c) for c in state.drift] == ["vendors/cirrolan.yaml: offers[cirrolan-saas].sla.rpo_hours: 1.0 -> 0.5"]
    with pytest.raises(InputError, match="changed after the lock"):  # a round does not launder drift
        main_raising(["--member", MEMBER, "bafo", str(locked), "cirrolan", "--from", str(new),
                      "--why", "BAFO"])


def main_raising(argv: list[str]) -> None:
    from crmselect.cli.app import build_parser

    args = build_parser().parse_args(argv)
    from crmselect.cli.bafo import cmd_bafo

    cmd_bafo(args)


def test_a_recorded_round_is_a_logged_relock_not_drift(locked: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    original = (locked / CIRROLAN).read_text(encoding="utf-8")
    before = load_project(locked)
    new = bafo_file(locked, tmp_path)
    capsys.readouterr()
    assert main(["--member", MEMBER, "bafo", str(locked), "cirrolan", "--from", str(new),
                 "--why", "best and final offer, round 2"]) == 0
    out = capsys.readouterr()
    assert "round 2 of cirrolan recorded" in out.out and "round 1 kept as vendors/rounds/cirrolan.r1.yaml" in out.out
    assert "offers[cirrolan-saas].sla.rpo_hours: 1 -> 0.5 (-50.0 %)" in out.out
    # the price stays sealed: named, never valued, on screen and in the log
    assert f"offers[cirrolan-saas].pricing.subscription_per_user_month: {SEALED_DELTA}" in out.out
    assert ": 88" not in out.out and "-> 88" not in out.out and "WARNING" not in out.err
    project = load_project(locked)
    assert not seal_state(project).drifted
    entry = DecisionLog.for_project(project).entries()[-1]
    assert entry.kind == "relock" and entry.why == "best and final offer, round 2"
    recorded = entry.what["round"]
    assert (recorded["vendor"], recorded["from_round"], recorded["round"]) == ("cirrolan", 1, 2)
    assert {"field": "offers[cirrolan-saas].pricing.subscription_per_user_month", "area": "price",
            "sealed": True} in recorded["changes"]
    assert {"field": "offers[cirrolan-saas].sla.rpo_hours", "area": "sla", "old": 1.0, "new": 0.5} \
        in recorded["changes"]
    assert "88" not in str(entry.what["round"])
    # the archive is the old file byte for byte; the bid is the new version, as round 2
    assert (locked / "vendors/rounds/cirrolan.r1.yaml").read_text(encoding="utf-8") == original
    assert project.vendor("cirrolan").round == 2 and load_rounds(locked, "cirrolan")[0] == before.vendor("cirrolan")
    # `log` shows the round; `bafo` without --from shows the history
    assert main(["log", str(locked)]) == 0
    logged = capsys.readouterr().out
    assert "round 2 of cirrolan:" in logged and "- offers[cirrolan-saas].sla.rpo_hours: 1.0 -> 0.5" in logged
    assert f"- offers[cirrolan-saas].pricing.subscription_per_user_month: {SEALED_DELTA}" in logged
    assert main(["bafo", str(locked), "cirrolan"]) == 0
    shown = capsys.readouterr().out
    assert "cirrolan: 2 rounds; the bid is round 2" in shown and "rpo_hours: 1 -> 0.5" in shown


def test_the_scorecard_uses_only_the_latest_version(locked: Path, tmp_path: Path) -> None:
    before = evaluate(load_project(locked), reveal_prices=False).scorecard
    text = (locked / CIRROLAN).read_text(encoding="utf-8").replace("  SFA-002: {code: S}", "  SFA-002: {code: N}", 1)
    new = tmp_path / "worse.yaml"
    new.write_text(text, encoding="utf-8")
    assert main(["--member", MEMBER, "bafo", str(locked), "cirrolan", "--from", str(new), "--why", "round 2"]) == 0
    project = load_project(locked)
    assert [v.id for v in project.vendors].count("cirrolan") == 1  # history is never a bid
    assert project.vendor("cirrolan").answers["SFA-002"].code == "N"
    after = evaluate(project, reveal_prices=False).scorecard
    index = after.bid_ids.index("cirrolan-saas")
    assert after.totals[index] < before.totals[index]
    others = [i for i, b in enumerate(after.bid_ids) if b != "cirrolan-saas"]
    assert [after.totals[i] for i in others] == [before.totals[i] for i in others]


def test_price_deltas_show_once_prices_are_revealed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = reveal_prices(copy_example(tmp_path / "selection"))
    capsys.readouterr()
    assert main(["--member", MEMBER, "bafo", str(root), "cirrolan", "--from", str(bafo_file(root, tmp_path)),
                 "--why", "BAFO after the reveal"]) == 0
    out = capsys.readouterr().out
    assert "offers[cirrolan-saas].pricing.subscription_per_user_month: 95 -> 88 (-7.4 %)" in out


def test_before_the_lock_a_round_is_logged_without_a_seal(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "selection")
    assert main(["--member", MEMBER, "bafo", str(root), "cirrolan", "--from", str(bafo_file(root, tmp_path)),
                 "--why", "early round"]) == 0
    entry = DecisionLog.for_project(load_project(root)).entries()[-1]
    assert entry.kind == "offer_round" and "seal" not in entry.what


def test_refusals(locked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = tmp_path / "same.yaml"
    same.write_text((locked / CIRROLAN).read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--member", MEMBER, "bafo", str(locked), "cirrolan", "--from", str(same), "--why", "x"]) == 2
    assert "changes nothing in cirrolan's bid" in capsys.readouterr().err
    other = tmp_path / "other.yaml"
    other.write_text((locked / "vendors/jadeport.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--member", MEMBER, "bafo", str(locked), "cirrolan", "--from", str(other), "--why", "x"]) == 2
    assert "is the bid of another vendor" in capsys.readouterr().err
    assert main(["--member", MEMBER, "bafo", str(locked), "nobody", "--from", str(other), "--why", "x"]) == 2
    assert "is not a vendor of this selection" in capsys.readouterr().err
    assert not (locked / "vendors/rounds").exists() and not seal_state(load_project(locked)).drifted


def test_deltas_by_hand() -> None:
    old = Vendor.model_validate({"id": "v", "name": "V", "currency": "USD", "offers": [OFFER],
                                 "answers": {"A-1": {"code": "S"}}})
    new = old.model_copy(update={"answers": {"A-1": old.answers["A-1"].model_copy(update={"code": "C"})},
                                 "round": 2})
    found = deltas(old, new)
    assert [(d.field, d.old, d.new, d.area, d.price) for d in found] == [("answers[A-1].code", "S", "C", "answers",
                                                                          False)]
    assert round_deltas(old, old, 1, 2, prices_visible=True).deltas == ()  # the round number is no delta
    cheaper = old.model_copy(update={"offers": (old.offers[0].model_copy(update={"pricing": old.offers[0].pricing.
                                                                                   model_copy(update={
                                                                                       "subscription_per_user_month":
                                                                                           80.0})}),)})
    delta = round_deltas(old, cheaper, 1, 2, prices_visible=False)
    assert [d.field for d in delta.deltas] == ["offers[v-saas].pricing.subscription_per_user_month"]
    assert delta.deltas[0].change_pct == pytest.approx((80 - 100) / 100 * 100)
    assert "80" not in str(delta) and "80" not in delta._repr_html_() and delta.sealed_count == 1
    assert delta.frame()["new"].tolist() == [""]
    assert "100 -> 80 (-20.0 %)" in str(round_deltas(old, cheaper, 1, 2, prices_visible=True))


OFFER = {
    "id": "v-saas", "deployment": "saas",
    "pricing": {"subscription_per_user_month": 100.0},
    "implementation": {"claimed_go_live_days": 90, "services_cost": 1000.0},
    "sla": {"commitment": "financially_backed"},
    "contract": {},
}
