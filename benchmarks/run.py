"""crmselect benchmarks, side by side with a plain-numpy floor and peer libraries, in one run.

    .venv/bin/python benchmarks/run.py            # full run; writes benchmarks/RESULTS.md
    .venv/bin/python benchmarks/run.py --quick    # smaller sizes, for a smoke test (RESULTS.md untouched)
    .venv/bin/python benchmarks/run.py --blas-threads 2   # BLAS threads for every row (default 1)

Peer libraries live in their own virtualenvs under benchmarks/.envs/ (git-ignored), created here
with pip from PyPI on first use: ``peers`` (pymcdm, scikit-criteria) and ``pysensmcda``
(pysensmcda with "pandas<3").  A peer that fails to install or run is reported in the table with
its error.  Not a test: nothing here runs under pytest.
"""

from __future__ import annotations

import os
import sys


def _blas_threads() -> str:
    """``--blas-threads N`` (default 1), read before numpy loads OpenBLAS, which fixes its pool at import."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg.startswith("--blas-threads="):
            return arg.split("=", 1)[1]
        if arg == "--blas-threads" and i + 1 < len(args):
            return args[i + 1]
    return "1"


BLAS_THREADS = _blas_threads()
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = BLAS_THREADS  # inherited by the peer subprocesses too: same setting for every row

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ENVS = HERE / ".envs"
PEER_ENVS = {"peers": ["pymcdm", "scikit-criteria"], "pysensmcda": ["pysensmcda", "pandas<3"]}
sys.path.insert(0, str(HERE))


# ---------------------------------------------------------------- helpers
def best(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Seconds per call: the best of ``repeat`` rounds, each long enough to time (timeit's autorange)."""
    timer = timeit.Timer(fn)
    loops, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=loops)) / loops


def once(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def fmt_time(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


@dataclass
class Row:
    what: str
    crmselect: str
    compared: str = "—"
    ratio: str = "—"
    target: str = "—"
    verdict: str = "—"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "NOT met")


# ---------------------------------------------------------------- peer environments
def peer_python(name: str, log: list[str]) -> Path | None:
    """The env's python, creating the env with pip on first use; None (and a note) when it fails."""
    env = ENVS / name
    python = env / "bin" / "python"
    marker = env / ".installed"
    if marker.exists():
        return python
    try:
        ENVS.mkdir(parents=True, exist_ok=True)
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, capture_output=True, text=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_ENVS[name]], check=True,
                       capture_output=True, text=True, timeout=1800)
        marker.write_text(" ".join(PEER_ENVS[name]) + "\n")
        return python
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        log.append(f"{name}: install failed: {detail.strip().splitlines()[-1] if detail.strip() else exc}")
        return None


def run_peer(python: Path | None, task: str, data: dict[str, Any], log: list[str]) -> dict[str, Any] | None:
    if python is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.npz"
        np.savez(path, **data)
        proc = subprocess.run([str(python), str(HERE / "peers.py"), task, str(path)], capture_output=True,
                              text=True, timeout=3600, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if proc.returncode != 0:
        last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        log.append(f"{task}: failed: {last}")
        return None
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------- floors (plain numpy)
def minmax(matrix: np.ndarray) -> np.ndarray:
    low, high = matrix.min(axis=0), matrix.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return (matrix - low) / span


def floor_rank(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    totals = minmax(matrix) @ weights
    return np.argsort(np.argsort(-totals)) + 1


def crmselect_rank(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """crmselect's ranking path: min-max values (its linear value function), totals kernel, rank kernel."""
    from crmselect.whatif.sensitivity import ranks_kernel, totals_kernel

    return ranks_kernel(totals_kernel(minmax(matrix), weights))


def floor_smaa(matrix: np.ndarray, n: int, seed: int) -> np.ndarray:
    """One matrix product plus ranks: Dirichlet(1) weights, totals, double argsort."""
    rng = np.random.default_rng(seed)
    w = rng.standard_exponential((n, matrix.shape[1]))
    w /= w.sum(axis=1, keepdims=True)
    totals = w @ matrix.T
    return np.argsort(np.argsort(-totals, axis=1), axis=1)


# ---------------------------------------------------------------- sections
def bench_ranking(rows: list[Row], log: list[str], pythons: dict[str, Path | None],
                  sizes: list[tuple[int, int]]) -> None:
    for bids, criteria in sizes:
        rng = np.random.default_rng(bids * 1000 + criteria)
        matrix = rng.random((bids, criteria))
        weights = rng.dirichlet(np.ones(criteria))
        ours = crmselect_rank(matrix, weights)
        floor = floor_rank(matrix, weights)
        t_ours, t_floor = best(lambda m=matrix, w=weights: crmselect_rank(m, w)), best(
            lambda m=matrix, w=weights: floor_rank(m, w))
        same = np.array_equal(ours, floor)
        rows.append(Row(f"ranking {bids}x{criteria}: crmselect vs numpy floor" + ("" if same else " (RANKS DIFFER)"),
                        fmt_time(t_ours), fmt_time(t_floor), f"{t_ours / t_floor:.2f}x floor", "≤ 2x floor",
                        verdict(t_ours <= 2 * t_floor)))
        for task, env in (("pymcdm-wsm", "peers"), ("skcriteria-saw", "peers")):
            out = run_peer(pythons[env], task, {"matrix": matrix, "weights": weights}, log)
            if out is None:
                rows.append(Row(f"ranking {bids}x{criteria}: vs {task}", fmt_time(t_ours), "failed (see notes)"))
                continue
            equal = list(map(int, ours)) == out["result"]
            label = (f"ranking {bids}x{criteria}: vs {task} (same ranks: {'yes' if equal else 'NO'}; the numpy floor "
                     f"itself is {out['seconds'] / t_floor:.0f}x faster than it)")
            speedup = out["seconds"] / t_ours
            rows.append(Row(label, fmt_time(t_ours), fmt_time(out["seconds"]), f"{speedup:.0f}x faster",
                            "≥ 50x faster", verdict(speedup >= 50)))


def bench_smaa(rows: list[Row], log: list[str], pythons: dict[str, Path | None], n: int, peer_n: int) -> None:
    from crmselect.whatif.acceptability import smaa_kernel, uniform_weights

    rng = np.random.default_rng(7)
    matrix = rng.random((20, 10))
    t_floor, _ = once(lambda: floor_smaa(matrix, n, 0), repeat=3)
    t_ours, counts = once(lambda: smaa_kernel(matrix, uniform_weights(10), n, rng=np.random.default_rng(0)), repeat=3)
    rows.append(Row(f"SMAA {n:,} weight samples, 20x10 (all SMAA-2 outputs) vs numpy floor", fmt_time(t_ours),
                    fmt_time(t_floor), f"{t_ours / t_floor:.2f}x floor", "≤ 3x floor", verdict(t_ours <= 3 * t_floor)))
    out = run_peer(pythons["pysensmcda"], "pysensmcda-smaa", {"matrix": matrix, "n": peer_n}, log)
    per_ours = t_ours / n
    if out is None:
        rows.append(Row("SMAA per sample vs pysensmcda.smaa.smaa2", fmt_time(per_ours), "failed (see notes)"))
        return
    per_peer = out["seconds"] / peer_n
    rows.append(Row(f"SMAA per sample: numpy floor vs pysensmcda smaa2 ({peer_n:,} samples), for scale",
                    fmt_time(t_floor / n), fmt_time(per_peer), f"{per_peer / (t_floor / n):.0f}x faster"))
    theirs = np.array(out["result"])
    diff = float(np.abs(theirs - counts.rank_counts / n).max())
    se = float(np.sqrt(0.25 / peer_n))
    rows.append(Row(f"SMAA per sample vs pysensmcda smaa2 ({peer_n:,} samples; rank acceptabilities differ by "
                    f"≤ {diff:.3f}, {diff / se:.1f} × its max s.e.)", fmt_time(per_ours), fmt_time(per_peer),
                    f"{per_peer / per_ours:.0f}x faster", "≥ 500x faster", verdict(per_peer / per_ours >= 500)))


def bench_uncertain(rows: list[Row], n: int) -> None:
    from crmselect.whatif.acceptability import smaa
    from crmselect.whatif.sensitivity import GoalScores

    rng = np.random.default_rng(11)
    data = GoalScores.from_arrays(rng.random((20, 500)), rng.dirichlet(np.ones(500)),
                                  sd=rng.uniform(0.0, 0.1, (20, 500)))
    for clip, label in ((True, "clipped N(0, sd) per score, float32"), (False, "closed form, clip=False")):
        tracemalloc.start()
        start = time.perf_counter()
        smaa(data, n=n, uncertain_scores=True, clip=clip, random_state=0)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(Row(f"uncertain scores {n:,} x 20 x 500 ({label}; peak {peak / 2**20:.0f} MiB traced)",
                        fmt_time(seconds), target="< 5 s and < 1 GB",
                        verdict=verdict(seconds < 5 and peak < 2**30)))


def bench_exact(rows: list[Row]) -> None:
    from crmselect.whatif.sensitivity import GoalScores, check_ranges, min_flip, min_flips, stability, sweep

    rng = np.random.default_rng(5)
    data = GoalScores.from_arrays(rng.random((20, 10)), rng.dirichlet(np.ones(10)))
    ranges = {f"goal{j + 1}": (max(0.0, w - 0.05), min(1.0, w + 0.05)) for j, w in enumerate(data.weights)}
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("stability intervals, all 10 goals, 20x10", lambda: stability(data)),
        ("sweep of one goal with exact breakpoints, 20x10", lambda: sweep(data, 0)),
        ("min-flip LP (linprog), one challenger, 20x10", lambda: min_flip(data, 1)),
        ("min-flip LP (linprog) for all 19 challengers, one stacked LP, 20x10", lambda: min_flips(data)),
        ("min-flip closed form for all 19 challengers, 20x10", lambda: min_flips(data, method="greedy")),
        ("weight-range check (linprog, 19 rivals in one stacked LP), 20x10", lambda: check_ranges(data, ranges)),
        ("weight-range check (closed form), 20x10", lambda: check_ranges(data, ranges, method="greedy")),
    ]
    for label, fn in cases:
        seconds = best(fn, repeat=3)
        rows.append(Row(label, fmt_time(seconds), target="< 50 ms", verdict=verdict(seconds < 0.05)))


def bench_recompute(rows: list[Row], log: list[str]) -> None:
    from synthetic import example_project, large_project

    from crmselect.scoring.engine import score

    cards = [("shipped example", score(example_project(), reveal_prices=False)),
             ("20 bids x 200 criteria x 10 goals, synthetic", score(large_project(20, 200, 5), reveal_prices=False))]
    for name, card in cards:
        as_map = dict(zip(card.goal_ids, np.roll(card.goal_weights, 1), strict=True))
        as_array = np.roll(card.goal_weights, 1)
        for label, weights in (("mapping", as_map), ("ndarray", as_array)):
            seconds = best(lambda c=card, w=weights: c.with_goal_weights(w))
            rows.append(Row(f"goal-weight recompute: Scorecard.with_goal_weights({label}), {name}",
                            fmt_time(seconds), target="< 100 µs", verdict=verdict(seconds < 1e-4)))
    from crmselect.whatif.sensitivity import ranks_kernel

    g, w = np.asarray(card.goal_matrix), np.roll(card.goal_weights, 1)
    seconds = best(lambda: ranks_kernel(g @ w))
    rows.append(Row("goal-weight recompute: kernel only (goal_matrix @ w, ranks)", fmt_time(seconds),
                    target="< 100 µs", verdict=verdict(seconds < 1e-4)))


def bench_large(rows: list[Row], log: list[str], vendors: int, criteria: int, members: int) -> None:
    try:
        from crmselect.scoring.engine import score
    except ImportError as exc:
        log.append(f"large selection: crmselect.scoring.engine not importable ({exc})")
        rows.append(Row(f"large selection {vendors}x{criteria}x{members}", "not run (no crmselect.scoring.engine)"))
        return
    from synthetic import large_project

    t_build, project = once(lambda: large_project(vendors, criteria, members))
    tracemalloc.start()
    t_score, card = once(lambda: score(project, reveal_prices=False))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(Row(f"large selection {vendors} vendors x {criteria:,} criteria x {members} members: building the "
                    "Project from model objects", fmt_time(t_build)))
    rows.append(Row(f"large selection: crmselect.scoring.engine.score end to end ({len(card.bid_ids)} bids, "
                    f"peak {peak / 2**20:.0f} MiB traced)", fmt_time(t_score)))
    from crmselect.whatif.acceptability import smaa
    from crmselect.whatif.sensitivity import stability

    rows.append(Row("large selection: stability intervals on its scorecard",
                    fmt_time(once(lambda: stability(card))[0])))
    rows.append(Row("large selection: SMAA 100,000 samples on its scorecard",
                    fmt_time(once(lambda: smaa(card, n=100_000, random_state=0))[0])))


# ---------------------------------------------------------------- report
def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import scipy

    return [f"CPU: {cpu}, {os.cpu_count()} logical cores",
            f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
            f"{platform.system()} {platform.release()}; BLAS threads: {BLAS_THREADS} (same for every row and peer)",
            f"date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
            f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"]


def table(rows: list[Row]) -> str:
    head = "| measurement | crmselect | compared with | ratio | target | verdict |\n|---|---|---|---|---|---|\n"
    return head + "".join(f"| {r.what} | {r.crmselect} | {r.compared} | {r.ratio} | {r.target} | {r.verdict} |\n"
                          for r in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; does not write RESULTS.md")
    parser.add_argument("--blas-threads", default="1", help="OpenBLAS/OpenMP threads for every row (default 1)")
    args = parser.parse_args()
    quick = args.quick
    info = machine()
    log: list[str] = []
    print("\n".join(info), flush=True)
    pythons = {name: peer_python(name, log) for name in PEER_ENVS}
    rows: list[Row] = []
    sections: list[tuple[str, Callable[[], None]]] = [
        ("ranking", lambda: bench_ranking(rows, log, pythons, [(8, 20), (20, 500)])),
        ("SMAA", lambda: bench_smaa(rows, log, pythons, 100_000 if quick else 1_000_000, 2_000 if quick else 20_000)),
        ("uncertain scores", lambda: bench_uncertain(rows, 10_000 if quick else 100_000)),
        ("exact analysis", lambda: bench_exact(rows)),
        ("recompute", lambda: bench_recompute(rows, log)),
        ("large selection", lambda: bench_large(rows, log, *((20, 200, 5) if quick else (100, 2_000, 30)))),
    ]
    for name, run in sections:
        print(f"... {name}", flush=True)
        try:
            run()
        except Exception as exc:  # a broken section is reported, the others still run
            log.append(f"{name}: {type(exc).__name__}: {exc}")
            rows.append(Row(name, f"failed: {type(exc).__name__}"))
    text = table(rows)
    notes = "".join(f"- {line}\n" for line in log) or "- none\n"
    print("\n" + text + "\nNotes:\n" + notes)
    if not quick:
        (HERE / "RESULTS.md").write_text(
            "# crmselect benchmark results\n\nWritten by `python benchmarks/run.py` (see README.md here). "
            "Times are the best of several runs unless noted; ratios compare rows measured in the same run.\n\n"
            + "".join(f"- {line}\n" for line in info) + "\n" + text + "\n## Notes and peer errors\n\n" + notes,
            encoding="utf-8")
        print(f"wrote {HERE / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
