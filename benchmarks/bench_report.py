"""The decision paper of the shipped example, timed (a benchmark, not a test).

The example is copied (``init --example``), locked and revealed, so the paper carries every chart (9 SVG
charts with prices).  Timed: ``build_report(load_project(dir), "pdf")`` and ``"html"`` in this process (best of
N, wall-clock and CPU seconds: on a shared machine the CPU column is the fair one), and the whole command
``crmselect report DIR --out decision.pdf`` in a new process (interpreter start and imports included).
Target (issue 19): the report on the example in at most 5 s, charts included.  The verdict is given for both
columns: on a loaded 2-core machine the wall-clock time measures the other processes as much as the report.

    .venv/bin/python benchmarks/bench_report.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_SECONDS = 5.0


def run(action: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from crmselect import load_project
    from crmselect.cli.app import main as crmselect
    from crmselect.files.init import init_selection
    from crmselect.report import build_report

    with tempfile.TemporaryDirectory() as tmp:
        folder = init_selection(Path(tmp) / "example", example="en").folder
        member = load_project(folder).committee.member_ids[0]
        for command in ("lock", "reveal-prices"):
            assert crmselect(["--member", member, command, str(folder), "--why", "benchmark"]) == 0
        build_report(load_project(folder), "pdf")  # warm: matplotlib's font list, Babel's locale data
        rows = []
        for kind in ("pdf", "html"):
            times = [run(lambda kind=kind: build_report(load_project(folder), kind)) for _ in range(args.repeat)]
            rows.append((f"report on the example ({kind}, in process)", min(w for w, _c in times),
                         min(c for _w, c in times)))
        executable = Path(sys.executable).with_name("crmselect")
        start, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([str(executable), "report", str(folder), "--out", str(Path(tmp) / "d.pdf")], check=True,
                       capture_output=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        rows.append(("crmselect report DIR --out d.pdf (new process)", time.perf_counter() - start, cpu))
    print(f"{'row':<52} {'wall s':>8} {'cpu s':>8} {'target':>8}  verdict (wall / cpu)")
    for name, wall, cpu in rows:
        verdict = " / ".join("meets" if t <= TARGET_SECONDS else "misses" for t in (wall, cpu))
        print(f"{name:<52} {wall:8.2f} {cpu:8.2f} {'<= ' + format(TARGET_SECONDS, 'g'):>8}  {verdict}")
    print(f"(best of {args.repeat}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
