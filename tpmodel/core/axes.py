"""Axes, sets and array aliases shared by the whole core (spec section 1).

Every core array has the axis order ``(draw, place, agency, year)``; a
quantity without one of those dimensions simply has fewer axes, in the same
order. The draw axis always exists: the central case is a draw axis of
length 1, so a central run and a Monte Carlo run are one code path.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Axis numbers of a (draw, place, agency, year) array.
DRAW, PLACE, AGENCY, YEAR = 0, 1, 2, 3

#: Agencies a, in the order of the agency axis.
AGENCIES: tuple[str, ...] = ("council", "nhs", "police", "fire", "jobcentre", "other")
#: Spend categories c (operating spend only).
CATEGORIES: tuple[str, ...] = ("back_office", "procurement", "frontline", "estate")
#: Levers L, in the order results are reported.
LEVERS: tuple[str, ...] = ("shared_services", "procurement", "pooling", "assets", "reporting")
#: Base year of the spending data (2009 = 2009-10).
BASE_YEAR = 2009
#: Index of the council on the agency axis (reporting burden falls on councils only).
COUNCIL = AGENCIES.index("council")


def per_draw(values: npt.NDArray[Any], ndim: int = 4) -> npt.NDArray[Any]:
    """Reshape a (draw,) array so it broadcasts against a (draw, ...) array of `ndim` axes."""
    return np.reshape(values, (-1,) + (1,) * (ndim - 1))
