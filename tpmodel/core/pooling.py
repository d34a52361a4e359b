"""Pooled budgets and prevention (spec section 4.3)."""

from __future__ import annotations

import numpy as np

from .axes import AGENCY, FloatArray, IntArray, per_draw
from .flows import Flow, on_arrays
from .ramp import ramp


def avoided_cost(
    years: IntArray,
    invested: FloatArray,
    return_rate: FloatArray,
    lag_years: FloatArray,
    drop_off: FloatArray,
) -> FloatArray:
    """Avoided cost from prevention spend, lagged and decaying (spec 4.3).

        X[p,t] = sum over first_year <= y <= t - lag of I[p,y] * R * (1 - drop_off)^(t - y - lag)

    invested: (draw, place, year) sum over agencies of I [GBP m a year];
    return_rate R [GBP per GBP], lag_years [years], drop_off [share]: (draw,).
    Returns (draw, place, year) X [GBP m a year]. Only investment inside the
    horizon counts.
    """
    gap = years[None, :, None] - years[None, None, :] - lag_years[:, None, None]  # (draw, t, y)
    decay = (1.0 - drop_off[:, None, None]) ** np.maximum(gap, 0.0)
    kernel = np.where(gap >= 0, return_rate[:, None, None] * decay, 0.0)
    avoided: FloatArray = np.einsum("dty,dpy->dpt", kernel, invested)
    return avoided


def pooling_flows(
    years: IntArray,
    frontline: Flow,
    participation: FloatArray,
    duplication_rate: FloatArray,
    prevention_share: FloatArray,
    return_rate: FloatArray,
    lag_years: FloatArray,
    drop_off: FloatArray,
    benefit_share: FloatArray,
    start_year: FloatArray,
    ramp_years: FloatArray,
) -> tuple[Flow, Flow]:
    """Pooled budgets (spec 4.3) on category frontline.

        Q[p,a,t] = q[a] * S[p,a,frontline,t]
        D[p,a,t] = ramp(t) * u * Q[p,a,t]          duplication saved
        I[p,a,t] = ramp(t) * s * Q[p,a,t]          prevention spend
        G[p,a,t] = D[p,a,t] + w[a] * X[p,t]        w normalised to sum to 1
        C[p,a,t] = I[p,a,t]

    frontline: (draw, place, agency, year) [GBP m a year]; participation q and
    benefit_share w: (draw, agency); the rest (draw,). The caller guarantees
    that w does not sum to 0 (a validation error).
    Returns (gross, cost), each (draw, place, agency, year) [GBP m, real].
    """
    pool = frontline.times(participation[:, None, :, None])
    ramp_share = ramp(years, start_year, ramp_years)[:, None, None, :]
    duplication_saved = pool.times(ramp_share, per_draw(duplication_rate))
    invested = pool.times(ramp_share, per_draw(prevention_share))
    avoided = avoided_cost(years, invested.total(AGENCY)[:, :, 0, :], return_rate, lag_years, drop_off)
    shares = benefit_share / benefit_share.sum(axis=1, keepdims=True)
    wrong_pocket = Flow(((shares[:, None, :, None], avoided[:, :, None, :]),), frontline.sizes)
    return duplication_saved + wrong_pocket, invested


#: `pooling_flows` on full arrays (spend as a (draw, place, agency, year) array), as the tests use it.
pooling = on_arrays(pooling_flows)
