"""Ramp of a lever towards its steady state (spec section 3)."""

from __future__ import annotations

import numpy as np

from .axes import FloatArray, IntArray


def ramp(years: IntArray, start_year: FloatArray, ramp_years: FloatArray) -> FloatArray:
    """Share of a lever's steady-state saving reached each year (spec section 3).

        ramp(t) = 0                                          if t < start_year
                = min(1, (t - start_year + 1) / ramp_years)  otherwise

    years: (year,) financial years, 2010 = 2010-11.
    start_year: (draw,) [year]; ramp_years: (draw,) [years >= 1].
    Returns (draw, year) [share, 0..1].
    """
    start = start_year[:, None]
    elapsed = years[None, :] - start + 1.0
    share: FloatArray = np.where(years[None, :] < start, 0.0, np.minimum(1.0, elapsed / ramp_years[:, None]))
    return share


def year_index(years: IntArray, year: FloatArray) -> IntArray:
    """Position of `year` (draw,) on the horizon `years` (year,), clipped to the horizon."""
    position: IntArray = np.clip(year.astype(np.int64) - years[0], 0, years.size - 1)
    return position
