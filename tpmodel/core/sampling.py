"""Draws from the distributions of spec section 7 (pure: the generator is passed in)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .axes import FloatArray

PERT_LAMBDA = 4.0


def central(dist: Mapping[str, Any]) -> float:
    """Central value (draw 0): mode (triangular, PERT), mean (uniform, normal), median (lognormal)."""
    kind = dist["dist"]
    if kind in ("triangular", "pert"):
        return float(dist["mode"])
    if kind == "uniform":
        return (float(dist["low"]) + float(dist["high"])) / 2.0
    if kind == "normal":
        return float(dist["mean"])
    if kind == "lognormal":
        return float(dist["median"])
    raise ValueError(f"unknown distribution {kind!r}")


def pert_shape(low: float, mode: float, high: float) -> tuple[float, float]:
    """Beta shape parameters (alpha, beta) of a beta-PERT with lambda = 4."""
    span = high - low
    alpha = 1.0 + PERT_LAMBDA * (mode - low) / span
    beta = 1.0 + PERT_LAMBDA * (high - mode) / span
    return alpha, beta


def sample(dist: Mapping[str, Any], n: int, rng: np.random.Generator) -> FloatArray:
    """`n` independent draws of one distribution (spec section 7).

    triangular(low, mode, high); pert(low, mode, high), beta-PERT lambda 4;
    uniform(low, high); normal(mean, sd), truncated to [low, high] when given
    (by rejection); lognormal(median, sigma) = exp(N(ln median, sigma)).
    Returns (n,).
    """
    kind = dist["dist"]
    if kind == "triangular":
        low, mode, high = (float(dist[k]) for k in ("low", "mode", "high"))
        return rng.triangular(low, mode, high, size=n)
    if kind == "pert":
        low, mode, high = (float(dist[k]) for k in ("low", "mode", "high"))
        alpha, beta = pert_shape(low, mode, high)
        return low + (high - low) * rng.beta(alpha, beta, size=n)
    if kind == "uniform":
        return rng.uniform(float(dist["low"]), float(dist["high"]), size=n)
    if kind == "normal":
        mean, sd = float(dist["mean"]), float(dist["sd"])
        low, high = float(dist.get("low", -np.inf)), float(dist.get("high", np.inf))
        out = rng.normal(mean, sd, size=n)
        bad = (out < low) | (out > high)
        while bad.any():
            out[bad] = rng.normal(mean, sd, size=int(bad.sum()))
            bad = (out < low) | (out > high)
        return out
    if kind == "lognormal":
        return rng.lognormal(np.log(float(dist["median"])), float(dist["sigma"]), size=n)
    raise ValueError(f"unknown distribution {kind!r}")
