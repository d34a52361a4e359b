"""Ramp of a lever towards its steady state (spec section 4)."""

from __future__ import annotations

import numpy as np

from .axes import FloatArray, IntArray


def ramp(years: IntArray, start_year: FloatArray, ramp_years: FloatArray) -> FloatArray:
    """Share of a lever's steady-state saving reached each year (spec section 4).

        ramp(t) = 0                                          if t < start_year
                = min(1, (t - start_year + 1) / ramp_years)  otherwise

    years: (year,) financial years, 2010 = 2010-11.
    start_year [year], ramp_years [years >= 1]: (draw, place, 1, 1).
    Returns (draw, place, 1, year) [share, 0..1].
    """
    elapsed = years - start_year + 1.0
    share: FloatArray = np.where(years < start_year, 0.0, np.minimum(1.0, elapsed / ramp_years))
    return share
