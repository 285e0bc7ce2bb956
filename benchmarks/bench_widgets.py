"""Responsiveness of the committee's dashboard, panel by panel (a benchmark, not a test).

Each row times one control change in the kernel, from the value set to the last widget redrawn (the
panel's whole callback, and the callbacks of the panels that follow it), at two sizes: the shipped
example, and a synthetic 20 vendors x 500 criteria selection (:func:`synthetic.large_project`).  The
runs are interleaved (one run of every row, then the next round), after one warm-up run each, and each
row prints its median, its spread (min-max and the middle half) and its target with a verdict.

- weights: one goal slider moved (rescale, ``Scorecard.with_goal_weights``, ranking, HTML bars, table, and
  the what-if panel following the new weights); and the same with the SVG chart;
- what-if: another goal chosen (exact sweep, stability, SVG chart and table);
- TCO explorer: users changed (``compare_tco``, ``compare_roi``, SVG chart, crossings, two tables);
- scenarios: the current weights saved for comparison and the side-by-side table redrawn;
- overview (when :mod:`crmselect.widgets.overview` exists): following a slider move;
- plan: another bid chosen (per-phase go-live draws and money of ``plan_risk`` at the panel's 4,000 draws,
  uncached, SVG chart, tables), and the effort cap moved; Propose phases (a button: the exact proposal) is
  timed without a target;
- first render: the whole dashboard built in a fresh Python process (imports, load, evaluate, every
  panel), the example only; with ``--voila`` also the time from page request to the ranking shown in
  Debian's Chromium, served by Voila (kernel start included).

Targets (issue 18): a control change <= 100 ms at the example's size and <= 200 ms at 20 x 500; the first
render <= 2 s on the example.  SMAA runs on a button with a progress bar; it is timed and reported
without a target.

    .venv/bin/python benchmarks/bench_widgets.py [--rounds 15] [--voila]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGETS = {"example": 100.0, "20 x 500": 200.0}
FIRST_RENDER_TARGET_S = 2.0


def _spread(ms: list[float]) -> str:
    ordered = sorted(ms)
    q1, q3 = ordered[len(ordered) // 4], ordered[(3 * len(ordered)) // 4]
    return f"{ordered[0]:.1f}-{ordered[-1]:.1f} (IQR {q1:.1f}-{q3:.1f})"


def _row(name: str, size: str, ms: list[float], target: float | None, unit: str = "ms") -> str:
    median = statistics.median(ms)
    verdict = "no target" if target is None else ("met" if median <= target else "MISSED")
    shown_target = "-" if target is None else f"<= {target:g} {unit}"
    return f"| {name} | {size} | {len(ms)} | {median:.1f} | {_spread(ms)} | {shown_target} | {verdict} |"


def _actions(project: Any) -> dict[str, Callable[[int], object]]:
    """name -> one control change (its argument: the run number, so values differ between runs)."""
    from crmselect.evaluation import evaluate
    from crmselect.widgets.scenarios import ScenarioManager
    from crmselect.widgets.sensitivity import SensitivityPanel
    from crmselect.widgets.tco import TcoExplorer
    from crmselect.widgets.weights import WeightsPanel

    evaluation = evaluate(project)
    card = evaluation.scorecard
    weights = WeightsPanel(card)
    what_if = SensitivityPanel(card)  # follows `weights`, as on the dashboard
    goals = len(card.goal_ids)
    actions: dict[str, Callable[[int], object]] = {
        "weights: slider move (ranking, HTML bars, table; what-if follows)":
            lambda i: setattr(weights.sliders[i % goals], "value", 5.0 + (i * 7) % 60),
        "what-if: another goal chosen (sweep, stability, SVG chart)":
            lambda i: setattr(what_if.goal, "index", (i + 1) % goals),
    }
    svg_card = card.with_goal_weights(dict(zip(card.goal_ids, card.goal_weights, strict=True)))  # its own weights
    with_chart = WeightsPanel(svg_card, chart="svg")
    actions["weights: slider move with the SVG chart"] = (
        lambda i: setattr(with_chart.sliders[i % goals], "value", 5.0 + (i * 11) % 60))
    from crmselect.record.envelopes import PriceAccess

    explorer = TcoExplorer(project, prices=PriceAccess(revealed=True))  # the synthetic selection has no log to open
    actions["TCO explorer: users changed (TCO, ROI, SVG chart, tables)"] = (
        lambda i: setattr(explorer.users, "value", 200 + 10 * i))
    scenarios = ScenarioManager(weights, project, member=None)
    actions["scenarios: weights kept and compared"] = lambda i: scenarios.save(f"view {i % 6}", record=False)
    try:
        from crmselect.widgets.overview import OverviewPanel
    except ImportError:
        return actions
    followed = WeightsPanel(card)  # a weights panel of its own, followed by the overview as on the dashboard
    overview = OverviewPanel(evaluation, weights=followed)
    if hasattr(overview, "visible"):
        overview.visible = True  # its tab shown: it redraws its chart too
    actions["overview: follows a slider move (its weights panel included)"] = (
        lambda i: setattr(followed.sliders[i % goals], "value", 5.0 + (i * 13) % 60))
    from crmselect.widgets.plan import PlanPanel

    plan = PlanPanel(evaluation, prices=PriceAccess(revealed=True))
    bids = [b.id for b in project.bids]

    def another_bid(i: int) -> None:
        plan.forget()  # uncached: what a bid not yet seen costs
        plan.bid.value = bids[(bids.index(plan.bid.value) + 1) % len(bids)]

    actions["plan: another bid chosen (plan_risk 4,000 draws uncached, SVG chart, tables)"] = another_bid
    actions["plan: effort cap moved"] = lambda i: setattr(plan.cap, "value", plan.cap.min + 1 + i % 50)
    return actions


def _propose(project: Any) -> Callable[[int], object]:
    from crmselect.evaluation import evaluate
    from crmselect.record.envelopes import PriceAccess
    from crmselect.widgets.plan import PlanPanel

    plan = PlanPanel(evaluate(project), prices=PriceAccess(revealed=True))
    return lambda i: (plan.forget(), setattr(plan.cap, "value", plan.default_cap + i), plan.propose())


def _smaa(project: Any) -> Callable[[int], object]:
    from crmselect.evaluation import evaluate
    from crmselect.widgets.sensitivity import SensitivityPanel

    card = evaluate(project).scorecard
    panel = SensitivityPanel(card, samples=20_000)
    return lambda i: (setattr(panel.seed, "value", i), panel.run_smaa())


FIRST_RENDER = """
import time, os, sys
start = time.perf_counter()
from crmselect import load_project
from crmselect.widgets import launch
chosen = launch.dashboard_selection(os.environ)
project = load_project(chosen.folder)
language = launch.dashboard_language(os.environ, project)
if hasattr(launch, "build_dashboard"):
    launch.build_dashboard(chosen, project, language)
else:
    from crmselect.evaluation import evaluate
    from crmselect.widgets import ScenarioManager, SensitivityPanel, TcoExplorer, WeightsPanel
    card = evaluate(project).scorecard
    weights = WeightsPanel(card)
    ScenarioManager(weights, project, member=None); TcoExplorer(project); SensitivityPanel(card)
print(time.perf_counter() - start)
"""


def _first_render(folder: Path) -> float:
    env = {**os.environ, "CRMSELECT_SELECTION": str(folder), "MPLBACKEND": "Agg"}
    out = subprocess.run([sys.executable, "-c", FIRST_RENDER], env=env, capture_output=True, text=True, check=True,
                         cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1]) * 1000.0


#: Seconds between page loads: Voila's preheated kernel (notebooks/voila.json) is refilled after each load; a page
#: requested before the refill is ready waits for a kernel, as a second visitor within seconds would.
POOL_REFILL_S = 10.0


def _voila_first_render(folder: Path, rounds: int) -> list[float]:
    """Page request -> ranking shown, in Chromium through Voila (each page gets its own kernel: the preheated one),
    with :data:`POOL_REFILL_S` between loads."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import voila_server  # the tests' own launcher
    from playwright.sync_api import sync_playwright

    out = []
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "bench_voila.log"
    env = {"CRMSELECT_SELECTION": str(folder), "CRMSELECT_MEMBER": "zhao_lei"}
    with voila_server(ROOT / "notebooks" / "05_dashboard.ipynb", log, env=env) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CRMSELECT_CHROMIUM", "/usr/bin/chromium"))
        for _ in range(rounds + 1):
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            start = time.perf_counter()
            page.goto(url, wait_until="commit", timeout=90_000)
            page.locator("#crmselect-ranking").first.wait_for(state="attached", timeout=90_000)
            out.append((time.perf_counter() - start) * 1000.0)
            page.close()
            time.sleep(POOL_REFILL_S)
        browser.close()
    return out[1:]  # the first load warms the server


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    parser.add_argument("--voila", action="store_true", help="also time Voila's first render in Chromium")
    parser.add_argument("--write", action="store_true", help="also write the table to benchmarks/WIDGETS.md")
    args = parser.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    sys.path.insert(0, str(HERE))
    from synthetic import example_project, large_project

    example = example_project(revealed=True)  # the TCO explorer shows figures only once prices are revealed
    sizes = {"example": example, "20 x 500": large_project(vendors=20, criteria=500, members=8, goals=10)}
    rows: list[str] = []
    for size, project in sizes.items():
        actions = _actions(project)
        for action in actions.values():
            action(0)  # warm-up
        timings: dict[str, list[float]] = {name: [] for name in actions}
        for round_ in range(1, args.rounds + 1):
            for name, action in actions.items():  # interleaved: every row once per round
                start = time.perf_counter()
                action(round_)
                timings[name].append((time.perf_counter() - start) * 1000.0)
        rows += [_row(name, size, ms, TARGETS[size]) for name, ms in timings.items()]
        smaa = _smaa(project)
        smaa(0)
        rows.append(_row("what-if: Run SMAA, 20,000 samples (button, progress bar)", size,
                         [_ms(smaa, i) for i in range(1, 4)], None))
        propose = _propose(project)
        propose(0)
        rows.append(_row("plan: Propose phases (button: the exact proposal, then the plan shown)", size,
                         [_ms(propose, i) for i in range(1, 4)], None))
    first = [_first_render(example.root) for _ in range(max(3, args.rounds // 3))]
    rows.append(_row("first render: whole dashboard built in a fresh process (imports included)", "example",
                     [t / 1000.0 for t in first], FIRST_RENDER_TARGET_S, "s"))
    if args.voila:
        voila = _voila_first_render(example.root, max(3, args.rounds // 3))
        rows.append(_row("first render in Chromium via Voila: request -> ranking shown", "example",
                         [t / 1000.0 for t in voila], FIRST_RENDER_TARGET_S, "s"))

    lines = ["crmselect dashboard responsiveness, panel by panel", "",
             f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
             f"{args.rounds} interleaved rounds after a warm-up; load average at the end "
             f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             "", "| what (one control change, in the kernel) | size | runs | median | spread min-max (IQR) | target "
             "| verdict |", "|---|---|---|---|---|---|---|", *rows, "",
             "Times in ms, except the first-render rows (s)."
             + (f" Voila page loads {POOL_REFILL_S:g} s apart (the preheated kernel refilled)." if args.voila else "")]
    print("\n".join(lines))
    if args.write:
        (HERE / "WIDGETS.md").write_text("# " + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {HERE / 'WIDGETS.md'}")


def _ms(action: Callable[[int], object], i: int) -> float:
    start = time.perf_counter()
    action(i)
    return (time.perf_counter() - start) * 1000.0


if __name__ == "__main__":
    main()
