"""The paper's roll-out plan and business-case-tracked sections (issue 22), and the scorecard's Tracking sheet, read
the way a committee gets them: the PDF through pdftotext, the workbook through openpyxl.  Expected figures come from
the command line (`crmselect plan`, `crmselect track`) run on the same files, not from the paper's own content."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from systemtools import require
from testdata import copy_example, copy_minimal, replace_in, reveal_prices

from crmselect import load_project
from crmselect.cli import track as track_cli
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.excel import tracking_sheet
from crmselect.excel.scorecard import export_scorecard
from crmselect.files.init import init_selection
from crmselect.files.phases import load_phase_plan
from crmselect.money.phasing import goal_efforts
from crmselect.report import build_report, paper_of, rollout_sections
from crmselect.report.content import Section, Table, _block_texts
from crmselect.report.digest import input_digest
from crmselect.report.rollout_sections import CAP_SHARE, assumed_cap, band_word
from crmselect.show.i18n import using
from tests.test_example_zh import english_left

pytestmark = pytest.mark.filterwarnings("error")

TODAY = dt.date(2028, 3, 1)
WINNER = "ferrowell-onprem"  # the example's recommended bid (technical and with price)
FORECAST = "forecast_accuracy:Forecast error at the start of the quarter"
MEMORY = "customer_memory:Accounts lost within a year of their rep leaving"


# ---------------------------------------------------------------- reading what a committee reads
def text_of(pdf: Path) -> str:
    out = subprocess.run([require("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def section(folder: Path, anchor: str, lang: str | None = None) -> Section | None:
    paper = paper_of(load_project(folder), lang=lang)
    return next((s for s in paper.sections if s.anchor == anchor), None)


def tables(found: Section) -> list[Table]:
    return [b for b in found.blocks if isinstance(b, Table)]


def words(found: Section) -> str:
    return " ".join(_block_texts(found.blocks))


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(args) == 0
    return capsys.readouterr().out


def cells(line: str) -> list[str]:
    """The cells of one line of a command's text table (columns are two or more spaces apart)."""
    return re.split(r"\s{2,}", line.strip())


def member(folder: Path) -> str:
    return load_project(folder).committee.member_ids[0]


# ---------------------------------------------------------------- the selections
@pytest.fixture(scope="module")
def revealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reveal_prices(copy_example(tmp_path_factory.mktemp("revealed") / "selection"))


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("sealed") / "selection")


@pytest.fixture(scope="module")
def days() -> Iterator[None]:
    """Today is after the example's signature (as_of 2027-01-04), for the tracking commands and the paper."""
    with pytest.MonkeyPatch.context() as patch:
        for module in (track_cli, rollout_sections, tracking_sheet):
            patch.setattr(module, "today", lambda: TODAY)
        yield


def record(folder: Path) -> None:
    """A committee's journey after the decision: a plan proposed and written, two phases live, two checkpoints."""
    who = member(folder)
    assert main(["--member", who, "plan", str(folder), "--bid", WINNER, "--propose", "--cap", "450", "--overhead",
                 "15", "--write", "--draws", "200"]) == 0
    assert main(["--member", who, "track", str(folder), "--bid", WINNER, "--go-live", "2027-06-01", "--phase",
                 "phase_1"]) == 0
    assert main(["--member", who, "track", str(folder), "--go-live", "2027-08-16", "--phase", "phase_2"]) == 0
    assert main(["--member", who, "track", str(folder), "--checkpoint", "6", "--date", "2027-12-01", "--kpi",
                 f"{FORECAST}=21", "--kpi", f"{MEMORY}=32"]) == 0
    assert main(["--member", who, "track", str(folder), "--checkpoint", "12", "--date", "2028-02-20",
                 "--cost-to-date", "900000", "--kpi", f"{FORECAST}=18", "--kpi", f"{MEMORY}=25"]) == 0


@pytest.fixture(scope="module")
def tracked(days: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = reveal_prices(copy_example(tmp_path_factory.mktemp("tracked") / "selection"))
    record(folder)
    return folder


@pytest.fixture(scope="module")
def tracked_sealed(days: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_example(tmp_path_factory.mktemp("tracked_sealed") / "selection")
    record(folder)
    return folder


# ---------------------------------------------------------------- small pieces by hand
def test_the_assumed_cap_is_half_the_effort_or_the_largest_goal() -> None:
    assert assumed_cap(888.0, 148.6) == pytest.approx(444.0)  # half of 888
    assert assumed_cap(200.0, 150.0) == pytest.approx(150.0)  # the largest goal needs more than half
    assert assumed_cap(0.0, 0.0) == pytest.approx(1.0)  # no effort at all: any cap fits, 1 day
    assert CAP_SHARE == 0.5


def test_band_words() -> None:
    band = (-0.5, -0.1, 0.2)
    with using("en"):
        assert band_word(-0.6, band) == "below P10"
        assert band_word(0.0, band) == "within P10 to P90"
        assert band_word(-0.5, band) == "within P10 to P90"  # the band's ends are inside
        assert band_word(0.3, band) == "above P90"
        assert band_word(float("nan"), band) == "-"


# ---------------------------------------------------------------- the roll-out plan: proposed, as `crmselect plan`
def test_without_phases_the_paper_proposes_a_plan_states_the_cap_and_matches_the_command(
        revealed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = load_project(revealed)
    assert evaluate(project).scorecard.winner == WINNER
    efforts = goal_efforts(project, WINNER)
    largest = max(efforts.alone(g) for g in efforts.goal_ids)
    cap = max(0.5 * efforts.total_days, largest)
    found = section(revealed, "rollout")
    assert found is not None and found.title == "Roll-out plan"
    text = words(found)
    assert "no phases.yaml" in text and f"at most {cap:,.0f} effort days in one phase" in text
    assert "half of what the bid needs in all" in text and "No days are assumed" in text
    out = cli(["plan", str(revealed), "--bid", WINNER, "--propose", "--cap", repr(cap), "--draws", "5000", "--seed",
               "0"], capsys)
    lines = out.splitlines()
    phase_lines = [cells(line) for line in lines if line.startswith("Roll-out phase")]  # the table, by name
    shown, comparison, money = tables(found)
    assert len(shown.rows) == len(phase_lines) >= 2
    for row, line in zip(shown.rows, phase_lines, strict=True):
        # command: name, effort, planned, P10, P50, P90, benefit; paper: name, goals, effort, planned ... benefit
        assert row[0] == line[0]
        assert list(row[2:7]) == line[1:6]
        assert row[7] == "$" + line[6]
    goals_line = {cells(line)[0].split(": ")[0]: line.split(": ", 1)[1] for line in lines
                  if line.startswith("  Roll-out phase")}
    for row in shown.rows:
        assert row[1] == goals_line[row[0]]
    for key, label in (("first value", "First value (days after signature)"),
                       ("everything live", "Everything live (days after signature)")):
        printed = next(cells(line) for line in lines if line.startswith(key))
        row = next(r for r in comparison.rows if r[0] == label)
        assert list(row[1:]) == printed[1:]
    roi = next(cells(line) for line in lines if line.startswith("ROI over the horizon"))
    assert list(money.rows[0][1:]) == roi[1:]
    payback = next(cells(line) for line in lines if line.startswith("payback"))
    assert list(money.rows[1][1:]) == payback[1:]
    first_sentence = next(line for line in lines if line.startswith("First value in"))
    assert first_sentence in text


def test_before_the_reveal_the_plan_shows_no_money_and_no_effort_from_a_services_cost(sealed: Path) -> None:
    found = section(sealed, "rollout")
    assert found is not None
    text = words(found)
    assert "Sealed until prices are revealed" in text
    assert "ROI over the horizon" not in text and "Payback" not in text
    # Ferrowell gives its services as a cost only: its effort days (cost / cost of a day) are a price in disguise
    assert "Effort (days)" not in text and "Effort days are sealed" in text
    assert "a number of effort days (sealed" in text
    efforts = goal_efforts(load_project(sealed), WINNER)
    assert f"{0.5 * efforts.total_days:,.0f}" not in text
    assert "First value in" in text  # go-live is not a price: shown


def test_a_bid_with_services_in_days_shows_its_effort_before_the_reveal(tmp_path: Path) -> None:
    folder = copy_example(tmp_path / "selection")
    replace_in(folder / "vendors" / "ferrowell.yaml", "services_cost: 520000", "services_cost: 520000\n"
               "      services_days: 400")
    found = section(folder, "rollout")
    assert found is not None
    assert "Effort (days)" in tables(found)[0].columns and "Effort days are sealed" not in words(found)


def test_a_committees_one_phase_plan_is_the_big_bang(tmp_path: Path) -> None:
    folder = copy_minimal(tmp_path / "selection")
    assert load_project(folder).selection.goal_ids == ("forecast", "service", "risk")
    found = section(folder, "rollout")
    assert found is not None
    assert "proposes" in words(found)  # three goals: proposed
    # one phase of the committee's own: the whole scope at once
    (folder / "phases.yaml").write_text("phases:\n  - id: all\n    name: Everything\n    goals: [forecast, service, "
                                        "risk]\n", encoding="utf-8")
    found = section(folder, "rollout")
    assert found is not None
    text = words(found)
    assert "from phases.yaml" in text and "Everything" in text
    shown = tables(found)[0]
    assert len(shown.rows) == 1
    comparison = tables(found)[1]
    assert comparison.rows[0][1:4] == comparison.rows[0][4:7]  # one phase: first value is the big bang's


# ---------------------------------------------------------------- across surfaces: plan and track, then the paper
def test_plan_write_and_track_then_the_report_names_the_phases_and_the_tracking(
        tracked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "paper.pdf"
    assert main(["report", str(tracked), "--out", str(pdf)]) == 0
    text = text_of(pdf)
    assert "The roll-out plan is the committee's own, from phases.yaml" in text
    for number in range(1, 7):
        assert f"Roll-out phase {number}" in text
    assert "Raise sales forecast accuracy, Connect quotes and orders to the ERP" in text  # phase 1's goals
    assert "Business case tracked" in text and "Realised ROI to date against the forecast band" in text
    # the paper's figures are those `crmselect track` prints for the same files, draws and seed
    out = cli(["track", str(tracked), "--draws", "5000", "--seed", "0"], capsys)
    lines = out.splitlines()
    found = section(tracked, "tracking")
    assert found is not None
    go_lives, by_goal, by_phase, roi = tables(found)
    assert "Roll-out phase 1" in go_lives.rows[0][0] and "+34" in go_lives.rows[0]  # 148 days against 114 planned
    assert go_lives.rows[-1][0] == "Whole roll-out" and go_lives.rows[-1][3] == "not live yet"
    printed = {(c[0], c[1]): c for c in (cells(line) for line in lines) if len(c) == 7 and c[0] in ("6", "12")}
    assert len(printed) == 14  # two checkpoints x seven goals
    for row in by_goal.rows:
        line = printed[(row[0], row[1])]
        assert [cell.removeprefix("$") for cell in row[2:6]] == line[2:6]
        assert row[6] == line[6]
    assert [r[1] for r in by_phase.rows[:6]] == [f"Roll-out phase {n}" for n in range(1, 7)]  # in roll-out order
    bands = {c[0]: c for c in (cells(line) for line in lines) if len(c) == 9 and c[0] in ("6", "12")}
    for row in roi.rows:
        line = bands[row[0]]
        assert [row[1].removeprefix("$"), row[2].removeprefix("$")] == line[1:3]
        assert list(row[4:9]) == line[4:9]  # realised, planned, P10, P50, P90
    assert roi.rows[1][3] == "recorded" and roi.rows[0][3] == "planned TCO"
    # the plan and the actuals are inputs of the paper: its digest names them
    listing = input_digest(load_project(tracked)).listing
    assert "  phases.yaml\n" in listing and "  actuals.yaml\n" in listing


def test_without_actuals_there_is_no_tracking_section(revealed: Path) -> None:
    assert section(revealed, "tracking") is None
    assert section(revealed, "rollout") is not None


def test_the_tracked_paper_before_the_reveal_seals_the_realised_roi(tracked_sealed: Path) -> None:
    found = section(tracked_sealed, "tracking")
    assert found is not None
    text = words(found)
    assert "Sealed until prices are revealed" in text and "Realised ROI" not in text and "900,000" not in text
    assert "Earned against expected per goal" in text  # benefits are not prices


def test_a_bought_bid_other_than_the_recommended_one_is_flagged(days: None, tmp_path: Path) -> None:
    folder = reveal_prices(copy_example(tmp_path / "selection"))
    assert main(["--member", member(folder), "track", str(folder), "--bid", "jadeport-saas", "--go-live",
                 "2027-05-01"]) == 0
    found = section(folder, "tracking")
    assert found is not None
    assert "is not the bid this paper recommends" in words(found)
    assert "No checkpoint recorded yet." in words(found)


# ---------------------------------------------------------------- Chinese
def test_the_chinese_paper_has_both_sections_in_chinese_only(days: None, tmp_path: Path) -> None:
    folder = reveal_prices(init_selection(tmp_path / "example_zh", example="zh").folder)
    project = load_project(folder)
    winner = evaluate(project).scorecard.winner
    assert winner is not None
    who = member(folder)
    assert main(["--member", who, "plan", str(folder), "--bid", winner, "--propose", "--cap", "1000", "--overhead",
                 "10", "--write", "--draws", "200"]) == 0
    assert main(["--member", who, "track", str(folder), "--bid", winner, "--go-live", "2027-07-01", "--phase",
                 "phase_1"]) == 0
    plan = load_phase_plan(folder, project.selection)
    assert plan is not None
    first = next(g for g in project.selection.goals if g.id in plan.phases[0].goals)
    kpi = first.kpis[0]
    assert main(["--member", who, "track", str(folder), "--checkpoint", "6", "--date", "2028-01-05", "--kpi",
                 f"{first.id}:{kpi.name}={(kpi.baseline + kpi.target) / 2}"]) == 0
    pdf = tmp_path / "paper.pdf"
    build_report(load_project(folder), pdf)
    text = subprocess.run([require("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "效益跟踪" in text and "第1期" in text and "签约后天数" in text
    assert english_left(text, load_project(folder)) == set()


# ---------------------------------------------------------------- the scorecard workbook's Tracking sheet
def test_the_scorecard_gets_a_tracking_sheet_with_the_commands_figures(
        tracked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scorecard.xlsx"
    export = export_scorecard(load_project(tracked), out, smaa_samples=500)
    assert "Tracking" in export.sheets
    wb = openpyxl.load_workbook(out)
    ws = wb["Tracking"]
    assert ws.protection.sheet
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in values for v in row)  # values, no formulas
    printed = cli(["track", str(tracked), "--draws", "5000", "--seed", "0"], capsys).splitlines()
    forecast = next(c for c in (cells(line) for line in printed) if c[:2] == ["12", "Raise sales forecast accuracy"])
    row = next(r for r in values if r[0] == 12 and r[1] == "Raise sales forecast accuracy")
    assert [f"{v:,.0f}" for v in row[2:6]] == forecast[2:6]
    goal_ids = set(load_project(tracked).selection.goal_ids)
    assert not goal_ids & {v for r in values for v in r if isinstance(v, str)}, "names on the sheet, never ids"
    roi = next(c for c in (cells(line) for line in printed) if len(c) == 9 and c[0] == "12")
    roi_row = next(r for r in values if r[0] == 12 and r[3] == "recorded")
    assert f"{roi_row[4]:.0%}" == roi[4] and [f"{v:.0%}" for v in roi_row[6:9]] == roi[6:9]
    assert "Plan" in export.sheets  # the selection has phases.yaml: helper P's Plan sheet sits beside it


def test_the_tracking_sheet_is_sealed_before_the_reveal_and_absent_without_actuals(
        tracked_sealed: Path, sealed: Path, tmp_path: Path) -> None:
    out = tmp_path / "sealed.xlsx"
    export_scorecard(load_project(tracked_sealed), out, smaa_samples=500)
    ws = openpyxl.load_workbook(out)["Tracking"]
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert "sealed until prices are revealed" in texts and "Realised ROI" in texts  # the band title and its note
    assert "Planned ROI" not in texts and "900000" not in texts.replace(",", "")
    bare = tmp_path / "bare.xlsx"
    export = export_scorecard(load_project(sealed), bare, smaa_samples=500)
    assert "Tracking" not in export.sheets
