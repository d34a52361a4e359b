"""The distributions of spec section 7, in one registry: per kind, its keys, its check, its central value,
its draws and its low and high (pure: numpy and math only; the generator is passed in).

    triangular(low, mode, high)   central mode    low/high: low, high
    pert(low, mode, high)         central mode    beta-PERT, lambda 4
    uniform(low, high)            central mean    low/high: low, high
    normal(mean, sd[, low, high]) central mean    truncated to [low, high] when given (by rejection,
                                                  which must keep MIN_KEPT of the draws);
                                                  low/high: low, high, else mean -/+ Z95 sd
    lognormal(median, sigma)      central median  exp(N(ln median, sigma)); low/high: median exp(-/+ Z95 sigma)

A value is a distribution when it is a mapping with a `dist` key (`is_distribution`). Quantiles, which
need scipy, are in tpmodel/analyses/sensitivity.py, keyed by the same kinds (a test keeps them in step).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .axes import FloatArray

PERT_LAMBDA = 4.0
#: Standard normal quantile of 0.95: an unbounded distribution's low and high are its p5 and p95.
Z95 = 1.6448536269514722
#: Least share of a normal's draws that its truncation to [low, high] may keep; below it, sampling by
#: rejection would take too many rounds (a huge sd truncated to a sliver never ends).
MIN_KEPT = 0.01
#: Most rounds of rejection sampling: at MIN_KEPT, a draw is still rejected after them with probability 1e-44.
MAX_ROUNDS = 10_000


@dataclass(frozen=True)
class Kind:
    """One kind of distribution: the keys it takes and what can be asked of it."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    central: Callable[[Mapping[str, Any]], float]
    sample: Callable[[Mapping[str, Any], int, np.random.Generator], FloatArray]
    low_high: Callable[[Mapping[str, Any]], tuple[float, float]]


def is_distribution(value: Any) -> bool:
    """True for a `{dist: ...}` mapping."""
    return isinstance(value, Mapping) and "dist" in value


def pert_shape(low: float, mode: float, high: float) -> tuple[float, float]:
    """Beta shape parameters (alpha, beta) of a beta-PERT with lambda = 4."""
    span = high - low
    alpha = 1.0 + PERT_LAMBDA * (mode - low) / span
    beta = 1.0 + PERT_LAMBDA * (high - mode) / span
    return alpha, beta


def _three(dist: Mapping[str, Any]) -> tuple[float, float, float]:
    low, mode, high = (float(dist[k]) for k in ("low", "mode", "high"))
    return low, mode, high


def _low_high_keys(dist: Mapping[str, Any]) -> tuple[float, float]:
    return float(dist["low"]), float(dist["high"])


def _sample_triangular(dist: Mapping[str, Any], n: int, rng: np.random.Generator) -> FloatArray:
    low, mode, high = _three(dist)
    return rng.triangular(low, mode, high, size=n)


def _sample_pert(dist: Mapping[str, Any], n: int, rng: np.random.Generator) -> FloatArray:
    low, mode, high = _three(dist)
    alpha, beta = pert_shape(low, mode, high)
    return low + (high - low) * rng.beta(alpha, beta, size=n)


def _sample_uniform(dist: Mapping[str, Any], n: int, rng: np.random.Generator) -> FloatArray:
    return rng.uniform(float(dist["low"]), float(dist["high"]), size=n)


def _sample_normal(dist: Mapping[str, Any], n: int, rng: np.random.Generator) -> FloatArray:
    mean, sd = float(dist["mean"]), float(dist["sd"])
    low, high = float(dist.get("low", -np.inf)), float(dist.get("high", np.inf))
    out = rng.normal(mean, sd, size=n)
    bad = (out < low) | (out > high)
    for _ in range(MAX_ROUNDS):
        if not bad.any():
            return out
        out[bad] = rng.normal(mean, sd, size=int(bad.sum()))
        bad = (out < low) | (out > high)
    raise ValueError(f"normal distribution truncated to [{low:g}, {high:g}] keeps too few draws to sample")


def kept_share(mean: float, sd: float, low: float, high: float) -> float:
    """Share of a normal(mean, sd)'s draws inside [low, high]: the acceptance rate of rejection sampling."""

    def cdf(x: float) -> float:
        return 0.5 * (1.0 + math.erf((x - mean) / (sd * math.sqrt(2.0)))) if math.isfinite(x) else float(x > 0)

    return cdf(high) - cdf(low)


def _sample_lognormal(dist: Mapping[str, Any], n: int, rng: np.random.Generator) -> FloatArray:
    return rng.lognormal(np.log(float(dist["median"])), float(dist["sigma"]), size=n)


def _low_high_normal(dist: Mapping[str, Any]) -> tuple[float, float]:
    if "low" in dist and "high" in dist:
        return float(dist["low"]), float(dist["high"])
    mean, sd = float(dist["mean"]), float(dist["sd"])
    return float(dist.get("low", mean - Z95 * sd)), float(dist.get("high", mean + Z95 * sd))


def _low_high_lognormal(dist: Mapping[str, Any]) -> tuple[float, float]:
    median, sigma = float(dist["median"]), float(dist["sigma"])
    return median * float(np.exp(-Z95 * sigma)), median * float(np.exp(Z95 * sigma))


#: Every kind of distribution by its `dist` name, in the order messages list them.
DISTRIBUTIONS: dict[str, Kind] = {
    "triangular": Kind(("low", "mode", "high"), (), lambda d: float(d["mode"]), _sample_triangular, _low_high_keys),
    "pert": Kind(("low", "mode", "high"), (), lambda d: float(d["mode"]), _sample_pert, _low_high_keys),
    "uniform": Kind(
        ("low", "high"), (), lambda d: (float(d["low"]) + float(d["high"])) / 2.0, _sample_uniform, _low_high_keys
    ),
    "normal": Kind(("mean", "sd"), ("low", "high"), lambda d: float(d["mean"]), _sample_normal, _low_high_normal),
    "lognormal": Kind(("median", "sigma"), (), lambda d: float(d["median"]), _sample_lognormal, _low_high_lognormal),
}


def kind_of(dist: Mapping[str, Any]) -> Kind:
    """The registry entry of a distribution; ValueError for an unknown kind."""
    kind = dist["dist"]
    if not isinstance(kind, str) or kind not in DISTRIBUTIONS:
        raise ValueError(f"unknown distribution {kind!r}")
    return DISTRIBUTIONS[kind]


def central(dist: Mapping[str, Any]) -> float:
    """Central value (draw 0): mode (triangular, PERT), mean (uniform, normal), median (lognormal)."""
    return kind_of(dist).central(dist)


def central_or_number(value: Any) -> float:
    """A number, or a distribution's central value."""
    return float(central(value)) if is_distribution(value) else float(value)


def sample(dist: Mapping[str, Any], n: int, rng: np.random.Generator) -> FloatArray:
    """`n` independent draws of one distribution (spec section 7). Returns (n,)."""
    return kind_of(dist).sample(dist, n, rng)


def low_high(dist: Mapping[str, Any]) -> tuple[float, float]:
    """The low and high value of a distribution (the tornado's two ends): its low and high where it has
    them, else its 5th and 95th percentiles."""
    return kind_of(dist).low_high(dist)


def finite_number(value: Any) -> bool:
    """A finite int or float (not a bool; an int beyond the range of a float is not a number here)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def check(dist: Mapping[str, Any], low: float | None, high: float | None, allowed: str) -> str | None:
    """Why a distribution is not allowed for a parameter bounded by [low, high] (None: no bound), or None
    if it is. `allowed` describes the parameter's range for the message."""
    kind = dist.get("dist")
    if not isinstance(kind, str) or kind not in DISTRIBUTIONS:
        shown = repr(kind) if isinstance(kind, str | int | float | bool) or kind is None else f"a {type(kind).__name__}"
        return f"unknown distribution {shown}; allowed: {', '.join(DISTRIBUTIONS)}"
    required, optional = DISTRIBUTIONS[kind].required, DISTRIBUTIONS[kind].optional
    keys = {key for key in dist if key != "dist"}
    if not all(isinstance(key, str) for key in keys):
        return f"{kind} distribution: its keys are names ({', '.join(DISTRIBUTIONS[kind].required)})"
    missing = [k for k in required if k not in keys]
    unknown = sorted(keys - set(required) - set(optional))
    if missing or unknown:
        return (
            f"{kind} distribution needs {', '.join(required)}"
            + (f" (optional {', '.join(optional)})" if optional else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        )
    if not all(finite_number(dist[k]) for k in keys):
        return f"{kind} distribution: every value must be a number"
    points = {k: float(dist[k]) for k in keys}
    if kind in ("triangular", "pert") and not (
        points["low"] <= points["mode"] <= points["high"] and points["low"] < points["high"]
    ):
        return f"{kind} distribution needs low <= mode <= high and low < high"
    if kind == "uniform" and not points["low"] < points["high"]:
        return "uniform distribution needs low < high"
    if kind == "normal":
        if points["sd"] <= 0:
            return "normal distribution needs sd > 0"
        lo, hi = points.get("low", -math.inf), points.get("high", math.inf)
        if not lo <= points["mean"] <= hi or lo >= hi:
            return "normal distribution needs low <= mean <= high"
        kept = kept_share(points["mean"], points["sd"], lo, hi)
        if kept < MIN_KEPT:
            return (
                f"normal distribution truncated to [{lo:g}, {hi:g}] keeps a share {kept:.2g} of its draws (at "
                f"least {MIN_KEPT:g} is needed to sample it); make sd smaller or low/high wider"
            )
        if (low is not None and lo < low) or (high is not None and hi > high):
            return (
                f"normal distribution reaches outside the allowed range; truncate it with low/high; allowed: {allowed}"
            )
        return None
    if kind == "lognormal":
        if points["median"] <= 0 or points["sigma"] <= 0:
            return "lognormal distribution needs median > 0 and sigma > 0"
        if (low is not None and low > 0) or high is not None:
            return f"lognormal distribution reaches outside the allowed range (0 to infinity); allowed: {allowed}"
        return None
    for key in ("low", "mode", "high"):
        if key in points:
            if low is not None and points[key] < low:
                return f"distribution {key} {points[key]:g} is below the minimum; allowed: {allowed}"
            if high is not None and points[key] > high:
                return f"distribution {key} {points[key]:g} is above the maximum; allowed: {allowed}"
    return None
