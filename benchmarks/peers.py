"""Peer side of the benchmarks: run inside a peer virtualenv (benchmarks/.envs/...), never imported by crmselect.

Usage: ``python peers.py TASK DATA.npz`` prints one JSON object: {"seconds": per-call, "result": ...}.
Tasks: ``pymcdm-wsm``, ``skcriteria-saw`` (min-max normalisation, weighted sum, ranks 1 = best) and
``pysensmcda-smaa`` (SMAA-2 with a plain weighted sum; ``n`` samples read from the data file).
"""

from __future__ import annotations

import json
import sys
import time
import timeit
from typing import Any

import numpy as np


def best(fn: Any, repeat: int = 5) -> float:
    timer = timeit.Timer(fn)
    loops, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=loops)) / loops


def ranks_from(scores: np.ndarray) -> list[int]:
    return [int(r) for r in 1 + (scores[None, :] > scores[:, None]).sum(axis=1)]


def pymcdm_wsm(matrix: np.ndarray, weights: np.ndarray) -> tuple[float, list[int]]:
    from pymcdm.methods import WSM
    from pymcdm.normalizations import minmax_normalization

    method = WSM(normalization_function=minmax_normalization)
    types = np.ones(matrix.shape[1])
    scores = method(matrix, weights, types)
    return best(lambda: method(matrix, weights, types)), ranks_from(np.asarray(scores))


def skcriteria_saw(matrix: np.ndarray, weights: np.ndarray) -> tuple[float, list[int]]:
    import skcriteria as skc
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import MinMaxScaler

    pipe = mkpipe(MinMaxScaler(target="matrix"), WeightedSumModel())

    def run() -> Any:
        dm = skc.mkdm(matrix, [max] * matrix.shape[1], weights=weights)
        return pipe.evaluate(dm)

    result = run()
    return best(run), [int(r) for r in result.rank_]


def pysensmcda_smaa(matrix: np.ndarray, n: int) -> tuple[float, list[list[float]]]:
    from pysensmcda.smaa import smaa2

    def wsm(m: np.ndarray, w: np.ndarray, types: np.ndarray, **_: Any) -> np.ndarray:
        return m @ w

    types = np.ones(matrix.shape[1])
    start = time.perf_counter()
    result = smaa2(wsm, matrix, types, num_samples=n, seed=0)
    seconds = time.perf_counter() - start
    return seconds, np.asarray(result.rank_acceptability).tolist()


def main() -> None:
    task, path = sys.argv[1], sys.argv[2]
    data = np.load(path)
    matrix = data["matrix"]
    if task == "pymcdm-wsm":
        seconds, result = pymcdm_wsm(matrix, data["weights"])
    elif task == "skcriteria-saw":
        seconds, result = skcriteria_saw(matrix, data["weights"])
    elif task == "pysensmcda-smaa":
        seconds, result = pysensmcda_smaa(matrix, int(data["n"]))
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps({"seconds": seconds, "result": result}))


if __name__ == "__main__":
    main()
