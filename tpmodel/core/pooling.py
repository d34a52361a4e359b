"""Pooled budgets and prevention (spec section 5.3)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .axes import AGENCY, FloatArray, IntArray
from .inputs import Pooling
from .ramp import ramp


class PoolingFlows(NamedTuple):
    """Flows of pooled budgets, each (draw, place, agency, year) [GBP m a year, real]."""

    gross: FloatArray
    cost: FloatArray


def avoided_cost(
    years: IntArray,
    invested: FloatArray,
    return_rate: FloatArray,
    lag_years: FloatArray,
    effect_years: FloatArray,
    drop_off: FloatArray,
) -> FloatArray:
    """Avoided cost from prevention spend, lagged, lasting and decaying (spec 5.3).

        X[p,t] = sum over y with lag <= t - y < lag + E of I[p,y] * R * (1 - drop_off)^(t - y - lag)

    invested: (draw, place, 1, year) I summed over agencies [GBP m a year], in
    the model years only; return_rate R [GBP per GBP], lag_years, effect_years
    E [years], drop_off [share a year]: (draw, place, 1, 1).
    Returns (draw, place, 1, year) X [GBP m a year].
    """
    elapsed = (years[:, None] - years[None, :])[None, None] - lag_years  # (draw, place, t, y)
    returning = (elapsed >= 0) & (elapsed < effect_years)
    kernel = np.where(returning, return_rate * (1.0 - drop_off) ** np.maximum(elapsed, 0.0), 0.0)
    avoided: FloatArray = np.einsum("dpty,dpy->dpt", kernel, invested[:, :, 0, :], order="C")[:, :, None, :]
    return avoided


def pooling(years: IntArray, frontline: FloatArray, lever: Pooling) -> PoolingFlows:
    """Pooled budgets (spec 5.3) on category frontline.

        Q[p,a,t] = q[p,a] * S[p,a,frontline,t]
        D[p,a,t] = ramp(t) * u[p] * Q[p,a,t]          duplication saved
        I[p,a,t] = ramp(t) * s[p] * Q[p,a,t]          prevention spend
        G[p,a,t] = D[p,a,t] + w[p,a] * X[p,t]         w normalised to sum to 1 in each place
        C[p,a,t] = I[p,a,t]

    frontline: (draw, place, agency, year) [GBP m a year]. The caller
    guarantees that w does not sum to 0 in any place (a validation error).
    """
    pool = lever.participation * frontline
    ramped = ramp(years, lever.start_year, lever.ramp_years) * pool
    invested = lever.prevention_share * ramped
    avoided = avoided_cost(
        years,
        np.broadcast_to(invested.sum(axis=AGENCY, keepdims=True), (*invested.shape[:2], 1, years.size)),
        lever.return_rate,
        lever.lag_years,
        lever.effect_years,
        lever.drop_off,
    )
    shares = lever.benefit_share / lever.benefit_share.sum(axis=AGENCY, keepdims=True)
    return PoolingFlows(lever.duplication_rate * ramped + shares * avoided, invested)
