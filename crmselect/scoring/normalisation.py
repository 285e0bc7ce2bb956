"""Normalising weights: the kernel, the validating wrapper, and the number checks the weight maths shares.

Used by :mod:`crmselect.scoring.ahp` and :mod:`crmselect.scoring.weights`; every public name here is also
importable from :mod:`crmselect.scoring.weights`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from crmselect.errors import AnalysisError

FloatArray = NDArray[np.float64]


# ---------------------------------------------------------------- normalisation
def normalise_kernel(values: FloatArray) -> FloatArray:
    """``values / values.sum()`` without checks."""
    out: FloatArray = values / values.sum()
    return out


def _check_vector(values: FloatArray, what: str, labels: Sequence[str] | None = None) -> None:
    names = list(labels) if labels is not None else [str(i) for i in range(values.size)]
    bad = [f"{names[i]}={float(v):g}" for i, v in enumerate(values) if not math.isfinite(v) or v < 0]
    if bad:
        raise AnalysisError(f"{what} must be finite numbers >= 0 (received {', '.join(bad)})")
    if values.size == 0:
        raise AnalysisError(f"{what} must not be empty (received no values)")
    if not values.sum() > 0:
        raise AnalysisError(f"{what} must have at least one value above 0 (received all zero)")


@overload
def normalise(weights: Mapping[str, float]) -> dict[str, float]: ...
@overload
def normalise(weights: Sequence[float] | FloatArray) -> FloatArray: ...
def normalise(weights: Mapping[str, float] | Sequence[float] | FloatArray) -> dict[str, float] | FloatArray:
    """Weights scaled to sum to 1: a mapping gives a dict, a sequence or array gives an array.

    Weights must be finite, non-negative and not all zero.
    """
    if isinstance(weights, Mapping):
        keys = list(weights)
        values = np.asarray([_as_float(weights[k], f"weight of {k}") for k in keys], dtype=float)
        _check_vector(values, "weights", keys)
        return dict(zip(keys, normalise_kernel(values).tolist(), strict=True))
    array = _as_array(weights, "weights")
    if array.ndim != 1:
        raise AnalysisError(f"weights must be one-dimensional (received shape {array.shape})")
    _check_vector(array, "weights")
    return normalise_kernel(array)


def _as_float(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise AnalysisError(f"{what} must be a number (received {value!r})")
    return float(value)


def _as_array(values: ArrayLike, what: str) -> FloatArray:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AnalysisError(f"{what} must be numbers (received {values!r})") from exc


__all__ = ["FloatArray", "normalise", "normalise_kernel"]
