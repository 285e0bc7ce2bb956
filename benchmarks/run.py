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


def interleaved(fns: dict[str, Callable[[], Any]], repeat: int = 5) -> dict[str, list[float]]:
    """Seconds per call of each function, measured in turns (a, b, a, b ...) so load drifts hit all alike."""
    loops = {name: max(1, timeit.Timer(fn).autorange()[0]) for name, fn in fns.items()}
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(loops[name]):
                fn()
            out[name].append((time.perf_counter() - start) / loops[name])
    return out


def med(times: list[float]) -> float:
    return float(np.median(times))


def spread(times: list[float]) -> str:
    return f"{fmt_time(min(times))}–{fmt_time(max(times))}"


def ratio_text(num: list[float], den: list[float]) -> tuple[float, str]:
    """Median of the per-turn ratios, with their range: each turn's two runs were measured back to back."""
    ratios = [a / b for a, b in zip(num, den, strict=True)]
    return float(np.median(ratios)), f"{np.median(ratios):.2f}x (turns {min(ratios):.2f}–{max(ratios):.2f})"


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
def floor_rank(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The least plain numpy that gives the peers' ranks: min-max scaling in place on one copy (the input is left
    alone), one matrix-vector product, ranks by a double argsort.  No checks, no weight normalisation (it does not
    change the order), no tie handling."""
    scaled = matrix.copy()
    low, high = scaled.min(axis=0), scaled.max(axis=0)
    span = high - low
    span[span <= 0] = 1.0
    scaled -= low
    scaled /= span
    totals = scaled @ weights
    return np.argsort(np.argsort(-totals)) + 1


def crmselect_rank(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """crmselect's public, validating path on a raw matrix, as the peers are called: ``GoalScores.from_raw`` (checks
    shapes, finiteness and weights, scales each column by min-max, normalises the weights) and its ``ranks``
    (competition ranks, ties shared)."""
    from crmselect.whatif import GoalScores

    return GoalScores.from_raw(matrix, weights).ranks


def floor_smaa(matrix: np.ndarray, n: int, seed: int, chunk: int = 4_096, pairwise: bool = False) -> dict[str, Any]:
    """A lean floor computing SMAA-2's outputs with no checks and no tie handling: chunked Dirichlet(1)
    weights, one matrix product, one argsort per chunk, ranks by one bincount, central weights by one
    bincount per goal, and with ``pairwise=True`` pairwise wins from the positions (one compare per bid pair,
    upper triangle only).  The default chunk (4,096 samples) keeps a chunk's arrays in the L2 cache: it was the
    fastest of 2,048 / 4,096 / 8,192 / 16,384 / 65,536 here, so the floor is as low as plain numpy gets."""
    rng = np.random.default_rng(seed)
    k, m = matrix.shape
    transposed = np.ascontiguousarray(matrix.T)
    ranks = np.zeros(k * k, dtype=np.int64)
    central = np.zeros((k, m))
    pairs = np.zeros((k, k), dtype=np.int64)
    positions_of = np.arange(k)
    done = 0
    while done < n:
        c = min(chunk, n - done)
        w = rng.standard_exponential((c, m))
        w /= w.sum(axis=1, keepdims=True)
        order = np.argsort(-(w @ transposed), axis=1)
        ranks += np.bincount((order * k + positions_of).ravel(), minlength=k * k)
        for j in range(m):
            central[:, j] += np.bincount(order[:, 0], weights=w[:, j], minlength=k)
        if pairwise:
            positions = np.empty((c, k), dtype=np.int16)
            np.put_along_axis(positions, order, np.broadcast_to(positions_of.astype(np.int16), order.shape), axis=1)
            by_bid = np.ascontiguousarray(positions.T)
            for i in range(k - 1):
                for j, row in enumerate(by_bid[i + 1:] < by_bid[i], start=i + 1):
                    pairs[j, i] += np.count_nonzero(row)
        done += c
    return {"rank_counts": ranks.reshape(k, k), "central_sum": central, "pairs": pairs}


# ---------------------------------------------------------------- sections
def bench_ranking(rows: list[Row], log: list[str], pythons: dict[str, Path | None],
                  sizes: list[tuple[int, int]]) -> None:
    for bids, criteria in sizes:
        rng = np.random.default_rng(bids * 1000 + criteria)
        matrix = rng.random((bids, criteria))
        weights = rng.dirichlet(np.ones(criteria))
        ours = crmselect_rank(matrix, weights)
        floor = floor_rank(matrix, weights)
        times = interleaved({"ours": lambda m=matrix, w=weights: crmselect_rank(m, w),
                             "floor": lambda m=matrix, w=weights: floor_rank(m, w)}, repeat=7)
        t_ours, t_floor = med(times["ours"]), med(times["floor"])
        value, text = ratio_text(times["ours"], times["floor"])
        same = np.array_equal(ours, floor)
        rows.append(Row(f"ranking {bids}x{criteria}: crmselect's public path (GoalScores.from_raw(...).ranks) "
                        f"vs numpy floor, 7 interleaved turns (crmselect {spread(times['ours'])})"
                        + ("" if same else " (RANKS DIFFER)"),
                        fmt_time(t_ours), fmt_time(t_floor), text, "≤ 2x floor", verdict(value <= 2)))
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


def bench_smaa(rows: list[Row], log: list[str], pythons: dict[str, Path | None], n: int, peer_n: int,
               repeat: int) -> None:
    from crmselect.whatif.acceptability import smaa_kernel, uniform_weights

    for bids, samples in ((20, n), (100, max(n // 5, 10_000))):
        rng = np.random.default_rng(7)
        matrix = rng.random((bids, 10))
        times = interleaved({
            "crmselect": lambda m=matrix, s=samples: smaa_kernel(m, uniform_weights(10), s,
                                                                rng=np.random.default_rng(0)),
            "floor": lambda m=matrix, s=samples: floor_smaa(m, s, 0),
            "crmselect pairwise": lambda m=matrix, s=samples: smaa_kernel(m, uniform_weights(10), s, pairwise=True,
                                                                         rng=np.random.default_rng(0)),
            "floor pairwise": lambda m=matrix, s=samples: floor_smaa(m, s, 0, pairwise=True),
            "plain": lambda m=matrix, s=samples: smaa_kernel(m, uniform_weights(10), s,
                                                            rng=np.random.default_rng(0), exact=True),
        }, repeat=repeat)
        ours = smaa_kernel(matrix, uniform_weights(10), samples, rng=np.random.default_rng(0), pairwise=True)
        lean = floor_smaa(matrix, samples, 0, pairwise=True)
        agree = float(np.abs(ours.rank_counts - lean["rank_counts"]).max()) / samples
        assert ours.pair_counts is not None
        below = np.tril(np.ones((bids, bids), dtype=bool), -1)  # the floor fills [j, i] for j > i only
        agree_pairs = float(np.abs(ours.pair_counts - lean["pairs"])[below].max()) / samples
        for key, outputs, target in (
            ("", "rank acceptability, central weights, confidence (the default call; pairwise wins not asked for)",
             "≤ 0.5 s and ≤ 1.5x floor" if bids == 20 and samples == 1_000_000 else "≤ 1.5x floor"),
            (" pairwise", f"those and pairwise wins (pairwise=True; pair shares equal to the floor's within "
                          f"{agree_pairs:.1e})", "≤ 1.5x floor"),
        ):
            mine, floor = times["crmselect" + key], times["floor" + key]
            value, text = ratio_text(mine, floor)
            label = (f"SMAA {samples:,} samples, {bids} bids x 10 goals: {outputs} (median of {repeat} interleaved "
                     f"turns, spread {spread(mine)}; floor {spread(floor)}; rank shares equal to the floor's within "
                     f"{agree:.1e})")
            ok = value <= 1.5 and (med(mine) <= 0.5 if "0.5 s" in target else True)
            rows.append(Row(label, fmt_time(med(mine)), f"lean floor {fmt_time(med(floor))}", text, target,
                            verdict(ok)))
        _, plain_text = ratio_text(times["plain"], times["crmselect"])
        rows.append(Row(f"SMAA {samples:,} x {bids} x 10: crmselect's plain path (every pair compared, exact=True) "
                        "vs its sorted path, for scale", fmt_time(med(times["plain"])),
                        fmt_time(med(times["crmselect"])), plain_text + " slower"))
    out = run_peer(pythons["pysensmcda"], "pysensmcda-smaa", {"matrix": np.random.default_rng(7).random((20, 10)),
                                                               "n": peer_n}, log)
    if out is None:
        rows.append(Row("SMAA per sample vs pysensmcda.smaa.smaa2", "—", "skipped (see notes)"))
        return
    rng = np.random.default_rng(7)
    matrix = rng.random((20, 10))
    t_ours = min(once(lambda: smaa_kernel(matrix, uniform_weights(10), n, rng=np.random.default_rng(0)), 3)[0], 1e9)
    t_floor = once(lambda: floor_smaa(matrix, n, 0), 3)[0]
    counts = smaa_kernel(matrix, uniform_weights(10), n, rng=np.random.default_rng(0))
    per_peer = out["seconds"] / peer_n
    theirs = np.array(out["result"])
    diff = float(np.abs(theirs - counts.rank_counts / n).max())
    se = float(np.sqrt(0.25 / peer_n))
    rows.append(Row(f"SMAA per sample vs pysensmcda smaa2 ({peer_n:,} samples; rank acceptabilities differ by "
                    f"≤ {diff:.3f}, {diff / se:.1f} × its max s.e.); the lean floor itself is "
                    f"{per_peer / (t_floor / n):.0f}x faster than pysensmcda, the ceiling for any ratio here",
                    fmt_time(t_ours / n), fmt_time(per_peer), f"{per_peer / (t_ours / n):.0f}x faster",
                    f"reported beside the floor's {per_peer / (t_floor / n):.0f}x (the old ≥ 500x was impossible)"))


def bench_uncertain(rows: list[Row], n: int) -> None:
    from crmselect.whatif.acceptability import default_score_reuse, smaa
    from crmselect.whatif.sensitivity import GoalScores

    rng = np.random.default_rng(11)
    data = GoalScores.from_arrays(rng.random((20, 500)), rng.dirichlet(np.ones(500)),
                                  sd=rng.uniform(0.0, 0.1, (20, 500)))
    reuse = default_score_reuse(20)
    designs: list[tuple[bool, int | None, str, bool]] = [
        (True, None, f"clipped N(0, sd) per score, float32; each score draw serves {reuse} weight vectors", True),
        (True, 1, "clipped, a fresh score draw per weight vector (score_reuse=1, the brute-force design), for scale",
         False),
        (False, None, "closed form, clip=False", True),
    ]
    results = {}
    for clip, score_reuse, label, judged in designs:
        times = []
        for _ in range(3 if judged else 1):
            seconds, result = once(lambda c=clip, r=score_reuse: smaa(data, n=n, uncertain_scores=True, clip=c,
                                                                     score_reuse=r, random_state=0))
            times.append(seconds)
        results[(clip, score_reuse)] = result
        tracemalloc.start()  # memory from a separate, untimed run: tracing slows numpy calls several-fold
        smaa(data, n=n, uncertain_scores=True, clip=clip, score_reuse=score_reuse, random_state=0)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        note = ""
        if clip and score_reuse is None:
            p = result.rank_acceptability
            binomial = np.sqrt(p * (1 - p) / n)
            seen = p > 0.01
            ratio = result.rank_acceptability_se[seen] / binomial[seen]
            note = (f"; batch-means s.e. / sqrt(p(1-p)/n) over shares > 1 %: median {np.median(ratio):.2f}, "
                    f"max {ratio.max():.2f}")
        if clip and score_reuse == 1:
            shared = results[(True, None)]
            gap = np.abs(shared.rank_acceptability - result.rank_acceptability)
            both = np.sqrt(shared.rank_acceptability_se**2 + result.rank_acceptability_se**2)
            seen = both > 0
            note = f"; shares differ from the shared design's by at most {(gap[seen] / both[seen]).max():.1f} s.e."
        timing = (f"median of {len(times)} runs, spread {spread(times)}" if len(times) > 1 else "one timed run")
        rows.append(Row(f"uncertain scores {n:,} x 20 x 500 ({label}; {timing}; peak {peak / 2**20:.0f} MiB "
                        f"traced in a separate run{note})", fmt_time(med(times)),
                        target="≤ 5 s and ≤ 1 GB" if judged else "—",
                        verdict=verdict(med(times) <= 5 and peak <= 2**30) if judged else "—"))


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


RANK_TARGET_S = 0.6


def bench_command(rows: list[Row], log: list[str], repeat: int = 7) -> None:
    """``crmselect rank`` (the console script) on a fresh copy of the shipped example, wall clock of the whole process
    (interpreter start, imports, load, the seal and signature checks, scoring, printing): cold (no parse cache),
    warm, and warm on a copy locked and revealed with signed entries (every signature and the seal checked), in
    turns."""
    import os
    import shutil

    script = Path(sys.executable).with_name("crmselect")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "crmselect"]
    # How Python finds crmselect's own bytecode decides a good part of the start: say which case this run is.
    if sys.flags.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE"):
        bytecode = "PYTHONDONTWRITEBYTECODE is set here, so crmselect's modules are compiled from source on every run"
    else:
        bytecode = "bytecode written by Python on the first run and reused"
    with tempfile.TemporaryDirectory(prefix="crmselect-rank-") as tmp:
        folder, signed, keys = Path(tmp) / "example", Path(tmp) / "signed", Path(tmp) / "keys"
        made = subprocess.run([*command, "init", str(folder), "--example"], capture_output=True, text=True)
        steps = [["init", str(signed), "--example"],
                 ["keys", "new", str(signed), "--member", "zhao_lei", "--key-dir", str(keys)],
                 ["keys", "new", str(signed), "--member", "sun_li", "--key-dir", str(keys)],
                 ["--member", "zhao_lei", "--key-dir", str(keys), "lock", str(signed), "--why", "scored"],
                 ["--member", "sun_li", "--key-dir", str(keys), "reveal-prices", str(signed), "--why", "opened"]]
        keys.mkdir()
        failed = [made] if made.returncode else []
        for step in steps:
            done = subprocess.run([*command, *step], capture_output=True, text=True)
            if done.returncode != 0:
                failed.append(done)
                break
        if failed:
            log.append(f"setting up crmselect rank failed: {failed[0].stderr.strip()[:300]}")
            rows.append(Row("crmselect rank on the example", "failed (see notes)"))
            return
        kinds = {"cold": folder, "warm": folder, "signed": signed}
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        imports: list[float] = []
        for _turn in range(repeat):
            for kind, where in kinds.items():
                if kind == "cold":
                    shutil.rmtree(where / ".crmselect-cache", ignore_errors=True)
                start = time.perf_counter()
                done = subprocess.run([*command, "rank", str(where)], capture_output=True, text=True)
                times[kind].append(time.perf_counter() - start)
                if done.returncode != 0:
                    log.append(f"crmselect rank ({kind}) failed: {done.stderr.strip()[:300]}")
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import gc; gc.disable(); import crmselect.cli.app, "
                            "crmselect.evaluation, crmselect.scoring.views"], check=True)  # as the console script
            imports.append(time.perf_counter() - start)
    labels = {"cold": "no parse cache", "warm": "parse cache present",
              "signed": "locked and prices revealed by two members with signing keys: the seal and every signature "
                        "checked; parse cache present"}
    for kind, label in labels.items():
        rows.append(Row(f"`crmselect rank` on the shipped example, {kind} ({label}): the whole process, wall clock "
                        f"(interpreter start and the command's imports alone: {fmt_time(med(imports))}; {bytecode}), "
                        f"median of {repeat} ({spread(times[kind])})", fmt_time(med(times[kind])),
                        target=f"≤ {RANK_TARGET_S} s", verdict=verdict(med(times[kind]) <= RANK_TARGET_S)))


def bench_large(rows: list[Row], log: list[str], vendors: int, criteria: int, members: int) -> None:
    try:
        from crmselect.scoring.engine import score
    except ImportError as exc:
        log.append(f"large selection: crmselect.scoring.engine not importable ({exc})")
        rows.append(Row(f"large selection {vendors}x{criteria}x{members}", "not run (no crmselect.scoring.engine)"))
        return
    from large_from_disk import COLD_TARGET_S, RSS_TARGET_MIB, WARM_TARGET_S, measure, peak_mib
    from synthetic import large_project, write_large_selection

    with tempfile.TemporaryDirectory(prefix="crmselect-large-") as tmp:  # from YAML files, each run a new process
        folder = write_large_selection(Path(tmp) / "selection", vendors, criteria, members)
        cold, warm, memory_cold, memory_warm = measure(folder, repeat=5)
    size = f"{vendors} vendors x {criteria:,} criteria x {members} members"
    for runs, target in ((cold, COLD_TARGET_S), (warm, WARM_TARGET_S)):
        what = ("no parse cache: every file parsed" if runs.kind == "cold"
                else "second run: parse cache in .crmselect-cache/")
        rows.append(Row(f"large selection {size} from YAML on disk, {runs.kind} ({what}); load_project + score in "
                        f"a fresh process (import {runs.median('import'):.2f} s not counted), median of "
                        f"{len(runs.runs)}", runs.text(), target=f"≤ {target:g} s",
                        verdict=verdict(runs.median() <= target)))
    peak = max(peak_mib(memory_cold), peak_mib(memory_warm))
    rows.append(Row(f"large selection {size}: peak RSS (separate cold and warm runs, ru_maxrss)", f"{peak:.0f} MiB",
                    target=f"≤ {RSS_TARGET_MIB:.0f} MiB", verdict=verdict(peak <= RSS_TARGET_MIB)))
    project = large_project(vendors, criteria, members)
    t_score, card = once(lambda: score(project, reveal_prices=False), repeat=3)
    rows.append(Row(f"large selection: crmselect.scoring.engine.score alone ({len(card.bid_ids)} bids, best of 3)",
                    fmt_time(t_score), target="part of the targets above", verdict="—"))
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
        ("SMAA", lambda: bench_smaa(rows, log, pythons, 100_000 if quick else 1_000_000, 2_000 if quick else 20_000,
                                    2 if quick else 5)),
        ("uncertain scores", lambda: bench_uncertain(rows, 10_000 if quick else 100_000)),
        ("exact analysis", lambda: bench_exact(rows)),
        ("recompute", lambda: bench_recompute(rows, log)),
        ("large selection", lambda: bench_large(rows, log, *((20, 200, 5) if quick else (100, 2_000, 30)))),
        ("example command", lambda: bench_command(rows, log, 3 if quick else 7)),
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
