"""Responsiveness of the committee's widgets (a benchmark, not a test).

What a goal slider move costs in the kernel at the shipped example's size: the weights panel's
whole callback, i.e. proportional rescaling, ``Scorecard.with_goal_weights`` (totals and ranks),
and the redraw of the ranking list, the stacked contribution bars and the goals x vendors table.
Target (issue 7): under 100 ms.  The browser's own repaint of the new HTML comes on top (a few ms).

For comparison it also times the panel with a matplotlib chart instead of the HTML bars, and one
change of an assumption in the TCO explorer (which redraws a matplotlib figure).

    .venv/bin/python benchmarks/bench_widgets.py [--moves 50]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

TARGET_MS = 100.0


def _timings(action: Callable[[int], object], repeats: int) -> list[float]:
    action(0)  # warm-up: imports, font cache, first figure
    out = []
    for i in range(1, repeats + 1):
        start = time.perf_counter()
        action(i)
        out.append((time.perf_counter() - start) * 1000.0)
    return out


def _row(name: str, ms: list[float]) -> str:
    ordered = sorted(ms)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    verdict = "ok" if statistics.median(ms) < TARGET_MS else "over target"
    return f"| {name} | {len(ms)} | {statistics.median(ms):8.2f} | {p90:8.2f} | {max(ms):8.2f} | {verdict} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=50, help="slider moves to time (default 50)")
    args = parser.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    from synthetic import example_project

    from crmselect.evaluation import evaluate
    from crmselect.widgets.weights import TcoExplorer, WeightsPanel

    project = example_project(revealed=True)  # the TCO explorer shows figures only once prices are revealed
    card = evaluate(project).scorecard
    size = f"{len(card.bid_ids)} bids x {len(card.goal_ids)} goals x {card.criterion_values.shape[1]} linked criteria"
    values = [5.0 + (i * 7) % 60 for i in range(args.moves + 1)]

    panel = WeightsPanel(card)
    slider_html = _timings(lambda i: setattr(panel.sliders[i % len(panel.sliders)], "value", values[i]), args.moves)
    recompute = _timings(lambda i: card.with_goal_weights(panel.weights), args.moves)

    slow = WeightsPanel(card, chart="matplotlib")
    slider_mpl = _timings(lambda i: setattr(slow.sliders[0], "value", values[i]), max(5, args.moves // 5))

    explorer = TcoExplorer(project)
    tco = _timings(lambda i: setattr(explorer.users, "value", 200 + 10 * i), max(5, args.moves // 5))

    print(f"crmselect widget responsiveness: {size}")
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print()
    print("| what (one control change, in the kernel) | runs | median ms | p90 ms | max ms | vs 100 ms |")
    print("|---|---|---|---|---|---|")
    print(_row("weights slider: rescale + recompute + ranking, HTML bars, table", slider_html))
    print(_row("  of which Scorecard.with_goal_weights", recompute))
    print(_row("weights slider with a matplotlib chart instead of HTML bars", slider_mpl))
    print(_row("TCO explorer: users changed (compare_tco + matplotlib redraw)", tco))
    median = statistics.median(slider_html)
    print()
    print(f"Slider move -> redraw: median {median:.1f} ms; target < {TARGET_MS:.0f} ms: "
          f"{'met' if median < TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
