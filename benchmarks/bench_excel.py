"""Writing the scorecard workbook at scale (a benchmark, not a test).

A synthetic selection of 20 vendors x 500 criteria (7 goals, 6 members, 10 demo scenarios; see
``synthetic.py``) is written as the full scorecard workbook, and compared with plain openpyxl
writing exactly the same cells (every value and formula the scorecard holds, no styles, no
validation, no charts) to a fresh workbook.  Target (issue 6): under 3 s, within 2x of plain.
Both are timed interleaved, best of N, in wall-clock and in CPU seconds of this process (on a
shared machine the CPU column is the fair comparison).

    .venv/bin/python benchmarks/bench_excel.py [--vendors 20] [--criteria 500] [--repeat 3]

The analysis that feeds the workbook (scoring, TCO, checks, sensitivity, SMAA) is timed apart,
and so is the whole ``export_scorecard`` call.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_SECONDS = 3.0
TARGET_RATIO = 2.0


def run(action: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def timed(action: Callable[[], Any], repeat: int) -> tuple[list[float], list[float], Any]:
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu, result = run(action)
        walls.append(wall)
        cpus.append(cpu)
    return walls, cpus, result


def cells_of(workbook: Any) -> list[tuple[str, list[tuple[int, int, Any]]]]:
    """Every non-empty cell of every sheet: (sheet, [(row, column, value)])."""
    out = []
    for ws in workbook.worksheets:
        cells = [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        out.append((ws.title, cells))
    return out


def plain_write(sheets: list[tuple[str, list[tuple[int, int, Any]]]], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for title, cells in sheets:
        ws = wb.create_sheet(title)
        for row, column, value in cells:
            ws.cell(row=row, column=column, value=value)
    wb.save(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=20)
    parser.add_argument("--criteria", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; the median is reported")
    args = parser.parse_args()

    import openpyxl
    from synthetic import large_project

    from crmselect.excel.book import gather
    from crmselect.excel.scorecard import build_scorecard, export_scorecard
    from crmselect.record.envelopes import PriceAccess

    project = large_project(vendors=args.vendors, criteria=args.criteria, members=6, goals=7, scenarios=10)
    # the full workbook, as after the price reveal: a sealed TCO sheet would be less work and flatter the timing
    revealed = PriceAccess(revealed=True)
    analysis_wall, analysis_cpu, data = timed(lambda: gather(project, prices=revealed), args.repeat)
    folder = Path(tempfile.mkdtemp(prefix="bench_excel_"))
    ours_path, plain_path = folder / "scorecard.xlsx", folder / "plain.xlsx"

    def ours() -> Any:
        workbook, _, _ = build_scorecard(data)
        workbook.save(ours_path)
        return workbook

    _, _, workbook = run(ours)  # warm-up, and the cells the plain writer copies
    sheets = cells_of(workbook)
    run(lambda: plain_write(sheets, plain_path))
    write_wall, write_cpu, plain_wall, plain_cpu = [], [], [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        wall, cpu, _ = run(ours)
        write_wall.append(wall)
        write_cpu.append(cpu)
        wall, cpu, _ = run(lambda: plain_write(sheets, plain_path))
        plain_wall.append(wall)
        plain_cpu.append(cpu)
    export_wall, export_cpu, export = timed(
        lambda: export_scorecard(project, folder / "export.xlsx", force=True, prices=revealed), args.repeat)

    card = data.scorecard
    cells = sum(len(c) for _, c in sheets)
    formulas = sum(1 for _, c in sheets for _, _, v in c if isinstance(v, str) and v.startswith("="))
    write, plain = min(write_wall), min(plain_wall)
    ratio, cpu_ratio = write / plain, min(write_cpu) / min(plain_cpu)
    print(f"# Scorecard workbook: {len(card.bid_ids)} bids x {len(card.criterion_ids) + len(card.unlinked)} criteria "
          f"({len(card.criterion_ids)} linked), {len(card.goal_ids)} goals")
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores{load}, Python "
          f"{platform.python_version()}, openpyxl {openpyxl.__version__}; best of {args.repeat} runs "
          f"(median in brackets)\n")
    print(f"cells written: {cells:,} ({formulas:,} formulas) in {len(sheets)} sheets; "
          f"file {ours_path.stat().st_size / 1e6:.1f} MB (plain {plain_path.stat().st_size / 1e6:.1f} MB)\n")
    def cell(walls: list[float], cpus: list[float]) -> str:
        return (f"{min(walls):.2f} ({statistics.median(walls):.2f}) | "
                f"{min(cpus):.2f} ({statistics.median(cpus):.2f})")

    print("| step | wall s | CPU s |")
    print("|---|---|---|")
    samples = data.sensitivity.samples if data.sensitivity else 0
    print(f"| analysis (evaluate, sensitivity, SMAA {samples:,}) | {cell(analysis_wall, analysis_cpu)} |")
    print(f"| crmselect: lay out and save the scorecard | {cell(write_wall, write_cpu)} |")
    print(f"| plain openpyxl: the same cells, no styles | {cell(plain_wall, plain_cpu)} |")
    print(f"| export_scorecard end to end | {cell(export_wall, export_cpu)} |")
    print(f"\nratio crmselect / plain: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (target <= {TARGET_RATIO:g}x); "
          f"write {write:.2f} s (target < {TARGET_SECONDS:g} s)\nsheets: {', '.join(export.sheets)}")
    wall_ok = write < TARGET_SECONDS and ratio <= TARGET_RATIO
    cpu_ok = min(write_cpu) < TARGET_SECONDS and cpu_ratio <= TARGET_RATIO
    if wall_ok:
        verdict = "ok"
    elif cpu_ok:
        verdict = ("ok on CPU time; wall clock over target (a loaded machine stretches the longer run more: "
                   "compare the CPU column, or rerun on a quiet machine)")
    else:
        verdict = "over target"
    print("verdict:", verdict)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
