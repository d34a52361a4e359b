"""Baseline spend (spec section 2)."""

from __future__ import annotations

import numpy as np

from .axes import FloatArray


def baseline_spend(base_spend: FloatArray, real_growth: FloatArray) -> FloatArray:
    """Baseline spend of one category, grown from the base year (spec section 2).

        S[p,a,t] = S0[p,a] * prod_{y = first_year .. t} (1 + g[a,y])

    base_spend: (place, agency) S0 [GBP m, 2009-10, real 2010-11 prices].
    real_growth: (draw, agency, year) g [share a year] over the horizon years.
    Returns (draw, place, agency, year) S [GBP m a year, real].
    """
    growth_index = np.cumprod(1.0 + real_growth, axis=-1)
    return base_spend[None, :, :, None] * growth_index[:, None, :, :]
