"""Reporting burden (spec section 5.5)."""

from __future__ import annotations

import numpy as np

from .axes import COUNCIL, FloatArray
from .inputs import Reporting


def indicators_in_force(known_years: FloatArray, counts: FloatArray, years: FloatArray) -> FloatArray:
    """Number of national indicators in force each year: a step function (spec 5.5).

        N[t] = the count of the latest year in the mapping that is <= t

    known_years: (key,) the mapping's years, sorted; counts: (draw, key) [count];
    years: (year,) the years wanted, none before the first known year.
    Returns (draw, year) N [count].
    """
    latest = np.searchsorted(known_years, years, side="right") - 1
    in_force: FloatArray = counts[:, latest]
    return in_force


def reporting(local_authorities: FloatArray, agencies: int, lever: Reporting) -> FloatArray:
    """Gross saving from a lighter reporting burden, councils only (spec 5.5).

        gross[p,council,t] = (N[first_year - 1] - N[t]) * cost_per_indicator[p] * n_la[p];  other agencies 0

    local_authorities: (place,) n_la [count]; agencies: length of the agency axis.
    Returns (draw, place, agency, year) [GBP m a year]; negative, and not
    clipped, where indicators rise above the base. Its cost is 0.
    """
    council = (np.arange(agencies) == COUNCIL).astype(np.float64)[None, None, :, None]
    saved = (lever.base - lever.indicators) * lever.cost_per_indicator
    gross: FloatArray = saved * local_authorities[None, :, None, None] * council
    return gross
