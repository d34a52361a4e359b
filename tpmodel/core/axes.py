"""Axes, sets and array aliases shared by the whole core (spec section 1).

Every core array has the axis order ``(draw, place, agency, year)``. A
parameter or flow that does not vary along one of those axes keeps it with
length 1, so that arrays broadcast against each other without reshaping: a
number for all places and draws is ``(1, 1, 1, 1)``, a share by agency that
differs by place and draw is ``(draw, place, agency, 1)``. The draw axis
always exists: the central case is a draw axis of length 1, so a central run
and a Monte Carlo run are one code path.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
AnyArray = npt.NDArray[Any]

#: Axis numbers of a (draw, place, agency, year) array.
DRAW, PLACE, AGENCY, YEAR = 0, 1, 2, 3

#: Agencies a, in the order of the agency axis.
AGENCIES: tuple[str, ...] = ("council", "nhs", "police", "fire", "jobcentre", "other")
#: Spend categories c (operating spend only).
CATEGORIES: tuple[str, ...] = ("back_office", "procurement", "frontline", "estate")
#: Levers L, in the order results are reported.
LEVERS: tuple[str, ...] = ("shared_services", "procurement", "pooling", "assets", "reporting")
#: Base year of the spending data (2009 = 2009-10); growth applies from the year after.
BASE_YEAR = 2009
#: Index of the council on the agency axis (reporting burden falls on councils only).
COUNCIL = AGENCIES.index("council")


def add_up(arrays: list[FloatArray]) -> FloatArray:
    """The element-wise sum of arrays that broadcast together, added left to right."""
    total = arrays[0]
    for array in arrays[1:]:
        total = total + array
    return total


def full(array: FloatArray, draws: int, places: int, agencies: int, years: int) -> FloatArray:
    """`array` broadcast to (draws, places, agencies, years) and made a contiguous new array.

    Sums over a contiguous array of one shape add the same numbers in the same
    order whatever the number of draws, so a draw's headline figures do not
    depend on the chunk of draws it is computed in.
    """
    return np.ascontiguousarray(np.broadcast_to(array, (draws, places, agencies, years)), dtype=np.float64)


def year_window(years: IntArray, first: FloatArray, length: FloatArray) -> FloatArray:
    """1.0 in the years first <= t < first + length, else 0.0.

    years: (year,); first, length: (draw, place, 1, 1) [year], [years].
    Returns (draw, place, 1, year).
    """
    inside = (years >= first) & (years < first + length)
    return inside.astype(np.float64)


def value_in_year(flow: FloatArray, years: IntArray, year: FloatArray) -> FloatArray:
    """The value of a (draw, place, agency, year) flow in one year per draw and place.

    year: (draw, place, 1, 1) [year]; a year outside `years` is clipped to the
    nearest model year (callers use it only where the year is inside).
    Returns (draw, place, agency, 1).
    """
    draws = max(flow.shape[DRAW], year.shape[DRAW])
    places = max(flow.shape[PLACE], year.shape[PLACE])
    position = np.clip(year.astype(np.int64) - int(years[0]), 0, years.size - 1)
    position = np.broadcast_to(position, (draws, places, 1, 1))
    spread = np.broadcast_to(flow, (draws, places, flow.shape[AGENCY], flow.shape[YEAR]))
    picked: FloatArray = np.ascontiguousarray(np.take_along_axis(spread, position, axis=YEAR))
    return picked
