"""Baseline spend (spec section 2)."""

from __future__ import annotations

import numpy as np

from .axes import FloatArray
from .flows import Flow


def baseline_spend(base_spend: FloatArray, real_growth: FloatArray) -> FloatArray:
    """Baseline spend of one category, grown from the base year (spec section 2).

        S[p,a,t] = S0[p,a] * prod_{y = first_year .. t} (1 + g[a,y])

    base_spend: (place, agency) S0 [GBP m, 2009-10, real 2010-11 prices].
    real_growth: (draw, agency, year) g [share a year] over the horizon years.
    Returns (draw, place, agency, year) S [GBP m a year, real].
    """
    return spend_flow(base_spend, real_growth).full()


def spend_flow(base_spend: FloatArray, real_growth: FloatArray) -> Flow:
    """`baseline_spend` as a `Flow` of two factors, S0 (1, place, agency, 1) and the growth
    index prod (1 + g) (draw, 1, agency, year)."""
    growth_index = np.cumprod(1.0 + real_growth, axis=-1)
    sizes = (*base_spend.shape, growth_index.shape[-1])
    return Flow(((base_spend[None, :, :, None], growth_index[:, None, :, :]),), sizes)
