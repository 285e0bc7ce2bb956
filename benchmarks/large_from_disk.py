"""A large selection from YAML files on disk to a scored scorecard, cold and warm, each run in a fresh process.

    .venv/bin/python benchmarks/large_from_disk.py            # 100 vendors x 2,000 criteria x 30 members
    .venv/bin/python benchmarks/large_from_disk.py --quick    # 20 x 200 x 5
    .venv/bin/python benchmarks/large_from_disk.py --repeat 7

The selection is written once by :func:`synthetic.write_large_selection` into a temporary folder.  Then, in
turns, a *cold* run (the selection's ``.crmselect-cache/`` removed first: every file is parsed) and a *warm* run
(the cache the previous run left) each start a new Python process that imports crmselect, calls
``load_project`` and ``score`` and reports its own timings; the medians and ranges of those runs are printed
with the target and the verdict.  Peak memory comes from separate, untimed runs (``ru_maxrss`` of the process,
and of its worker processes, read with :func:`resource.getrusage` inside it).  ``benchmarks/run.py`` calls
:func:`measure` for its "large selection" rows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
COLD_TARGET_S = 6.0
WARM_TARGET_S = 1.5
RSS_TARGET_MIB = 1024.0

# what one fresh process runs: timings of import, load and score, and its peak memory (and its workers')
_CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
from crmselect import load_project
from crmselect.scoring.engine import score
imported = time.perf_counter()
project = load_project(sys.argv[1])
loaded = time.perf_counter()
card = score(project, reveal_prices=False)
scored = time.perf_counter()
own = resource.getrusage(resource.RUSAGE_SELF)
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"import": imported - start, "load": loaded - imported, "score": scored - loaded,
                  "bids": len(card.bid_ids), "cpu": own.ru_utime + own.ru_stime,
                  "worker_cpu": workers.ru_utime + workers.ru_stime,
                  "rss_mib": own.ru_maxrss / 1024, "worker_rss_mib": workers.ru_maxrss / 1024}))
"""


@dataclass
class Runs:
    """The runs of one kind (cold or warm): each a dict of the child's timings."""

    kind: str
    runs: list[dict[str, float]]

    def seconds(self, key: str = "load_score") -> list[float]:
        return [run["load"] + run["score"] if key == "load_score" else run[key] for run in self.runs]

    def median(self, key: str = "load_score") -> float:
        return float(np.median(self.seconds(key)))

    def text(self, key: str = "load_score") -> str:
        times = self.seconds(key)
        return f"{np.median(times):.2f} s (range {min(times):.2f}–{max(times):.2f} s, {len(times)} runs)"


def cache_folder(selection: Path) -> Path:
    return selection / ".crmselect-cache"


def run_child(selection: Path) -> dict[str, float]:
    """One fresh process loading and scoring ``selection``; its timings (raises with its stderr on failure)."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(selection)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"}, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the measured process failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(selection: Path, repeat: int = 5) -> tuple[Runs, Runs, dict[str, float], dict[str, float]]:
    """Cold and warm runs in turns (cold, warm, cold, warm ...), then one untimed cold and warm run for memory."""
    cold, warm = Runs("cold", []), Runs("warm", [])
    for _ in range(repeat):
        shutil.rmtree(cache_folder(selection), ignore_errors=True)
        cold.runs.append(run_child(selection))
        warm.runs.append(run_child(selection))
    shutil.rmtree(cache_folder(selection), ignore_errors=True)
    memory_cold = run_child(selection)
    memory_warm = run_child(selection)
    return cold, warm, memory_cold, memory_warm


def peak_mib(run: dict[str, float]) -> float:
    """The run's peak: its own resident set plus its largest worker's (workers run beside it)."""
    return run["rss_mib"] + run["worker_rss_mib"]


def report(vendors: int, criteria: int, members: int, repeat: int) -> list[str]:
    """Write the selection, measure it, and return the lines to print (targets and verdicts included)."""
    sys.path.insert(0, str(HERE))
    from synthetic import write_large_selection

    with tempfile.TemporaryDirectory(prefix="crmselect-large-") as tmp:
        folder = write_large_selection(Path(tmp) / "selection", vendors, criteria, members)
        size = sum(p.stat().st_size for p in folder.rglob("*.yaml"))
        cold, warm, memory_cold, memory_warm = measure(folder, repeat)
    lines = [f"selection: {vendors} vendors x {criteria:,} criteria x {members} members, "
             f"{size / 2**20:.1f} MiB of YAML; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}"]
    for runs, target in ((cold, COLD_TARGET_S), (warm, WARM_TARGET_S)):
        verdict = "met" if runs.median() <= target else "NOT met"
        lines.append(f"{runs.kind}: load_project + score {runs.text()}; target <= {target:g} s: {verdict}")
        lines.append(f"  {runs.kind} parts (median): import {runs.median('import'):.2f} s (not counted), "
                     f"load {runs.median('load'):.2f} s, score {runs.median('score'):.2f} s, "
                     f"CPU {runs.median('cpu'):.2f} s + workers {runs.median('worker_cpu'):.2f} s")
    for label, run in (("cold", memory_cold), ("warm", memory_warm)):
        peak = peak_mib(run)
        lines.append(f"peak RSS, {label} (separate run): {run['rss_mib']:.0f} MiB + largest worker "
                     f"{run['worker_rss_mib']:.0f} MiB = {peak:.0f} MiB; target <= {RSS_TARGET_MIB:.0f} MiB: "
                     f"{'met' if peak <= RSS_TARGET_MIB else 'NOT met'}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 vendors x 200 criteria x 5 members")
    parser.add_argument("--repeat", type=int, default=5, help="cold and warm runs each (default 5)")
    args = parser.parse_args()
    sizes = (20, 200, 5) if args.quick else (100, 2_000, 30)
    print("\n".join(report(*sizes, repeat=args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
