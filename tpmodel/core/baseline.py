"""Baseline spend (spec section 3)."""

from __future__ import annotations

import numpy as np

from .axes import BASE_YEAR, FloatArray, IntArray


def growth_index(years: IntArray, real_growth: FloatArray) -> FloatArray:
    """Cumulative real growth from the base year to each model year (spec 3).

        index[p,a,t] = prod_{y = 2010 .. t} (1 + g[p,a,y])      (1 in 2009)

    years: (year,) the model years, first_year .. last_year.
    real_growth: (draw, place, agency, growth year) g [share a year] for the
    years 2010 .. last_year (growth applies from 2010 whatever the first year).
    Returns (draw, place, agency, year) [ratio].
    """
    since_base = np.cumprod(1.0 + real_growth, axis=-1)
    with_base = np.concatenate([np.ones((*since_base.shape[:-1], 1)), since_base], axis=-1)
    index: FloatArray = with_base[..., years - BASE_YEAR]
    return index


def baseline_spend(base_spend: FloatArray, index: FloatArray) -> FloatArray:
    """Baseline spend of one category (spec 3): S[p,a,t] = S0[p,a] * index[p,a,t].

    base_spend: (place, agency) S0 [GBP m, 2009-10, real 2010-11 prices];
    index: (draw, place, agency, year) from `growth_index`.
    Returns (draw, place, agency, year) S [GBP m a year, real].
    """
    spend: FloatArray = np.ascontiguousarray(base_spend[None, :, :, None] * index)  # C order: later flows follow it
    return spend
