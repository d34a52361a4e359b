"""Reporting burden (spec section 4.5)."""

from __future__ import annotations

import numpy as np

from .axes import COUNCIL, FloatArray, IntArray
from .flows import Flow


def indicators_in_force(known_years: IntArray, counts: FloatArray, years: IntArray) -> FloatArray:
    """Number of national indicators in force each year (spec 4.5).

    A year missing from the mapping takes the value of the latest earlier year.
    known_years: (key,) sorted years given; counts: (draw, key) [count];
    years: (year,) the years wanted, none before the first known year.
    Returns (draw, year) N[t] [count].
    """
    latest = np.searchsorted(known_years, years, side="right") - 1
    return counts[:, latest]


def reporting_flow(
    indicators_base: FloatArray,
    indicators: FloatArray,
    cost_per_indicator: FloatArray,
    local_authorities: FloatArray,
    n_agencies: int,
) -> Flow:
    """Gross saving from a lighter reporting burden, councils only (spec 4.5).

        gross[p,council,t] = (N[2009] - N[t]) * cost_per_indicator * n_la[p];  every other agency: 0

    indicators_base: (draw,) N[2009] [count]; indicators: (draw, year) N[t];
    cost_per_indicator: (draw,) [GBP m a year per LA per indicator];
    local_authorities: (place,) n_la [count].
    Returns (draw, place, agency, year) gross [GBP m a year]; its cost is 0.
    """
    saved = (indicators_base[:, None] - indicators) * cost_per_indicator[:, None]
    council = (np.arange(n_agencies) == COUNCIL).astype(np.float64)
    factors = (saved[:, None, None, :], local_authorities[None, :, None, None], council[None, None, :, None])
    return Flow((factors,), (local_authorities.size, n_agencies, indicators.shape[1]))


def reporting(
    indicators_base: FloatArray,
    indicators: FloatArray,
    cost_per_indicator: FloatArray,
    local_authorities: FloatArray,
    n_agencies: int,
) -> FloatArray:
    """`reporting_flow` as a full (draw, place, agency, year) array [GBP m a year]."""
    return reporting_flow(indicators_base, indicators, cost_per_indicator, local_authorities, n_agencies).full()
