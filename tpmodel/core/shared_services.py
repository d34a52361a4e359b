"""Shared back-office services (spec section 5.1), also the partnership core of assets (5.4)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .axes import AGENCY, FloatArray, IntArray, value_in_year, year_window
from .inputs import Partnership
from .ramp import ramp


class PartnershipFlows(NamedTuple):
    """Flows of a partnership lever, each (draw, place, agency, year) [GBP m a year, real]."""

    gross: FloatArray
    cost: FloatArray
    steady_state: FloatArray  # A0 = r * B[start_year]: (draw, place, agency, 1) [GBP m a year]


def partners(participation: FloatArray, organisations: FloatArray, base_spend: FloatArray) -> FloatArray:
    """Expected number of organisations that join (spec 5.1).

        n[p] = sum_a q[p,a] * O[p,a] * [S0[p,a] > 0]

    participation: (draw, place, agency, 1) q [share]; organisations: (place,
    agency) O [count]; base_spend: (place, agency) S0 of the lever's category
    [GBP m]. Returns (draw, place, 1, 1) n [count], not necessarily whole.
    """
    joining = organisations * (base_spend > 0)
    count: FloatArray = (participation * joining[None, :, :, None]).sum(axis=AGENCY, keepdims=True)
    return count


def partnership_rate(count: FloatArray, max_rate: FloatArray, scale_k: FloatArray) -> FloatArray:
    """Saving rate of a place from its number of partners (spec 5.1).

        r[p] = max_rate[p] * max(0, 1 - exp(-scale_k[p] * (n[p] - 1)))

    count: (draw, place, 1, 1) n; max_rate [share], scale_k [ratio]: (draw, place, 1, 1).
    Returns (draw, place, 1, 1) r [share]; 0 where n <= 1 (sharing needs two).
    """
    rate: FloatArray = max_rate * np.maximum(0.0, 1.0 - np.exp(-scale_k * (count - 1.0)))
    return rate


def partnership(
    years: IntArray,
    spend: FloatArray,
    base_spend: FloatArray,
    organisations: FloatArray,
    lever: Partnership,
) -> PartnershipFlows:
    """Gross saving and one-off implementation cost of a partnership lever (spec 5.1).

        B[p,a,t] = q[p,a] * S[p,a,t]
        G[p,a,t] = ramp(t) * r[p] * B[p,a,t]
        C[p,a,t] = cost_rate[p] * B[p,a,start_year] / implementation_years
                   for start_year <= t < start_year + implementation_years and r[p] > 0; else 0

    years: (year,) the model years; spend: (draw, place, agency, year) S of
    the lever's category [GBP m a year]; base_spend: (place, agency) S0 of that
    category [GBP m]; organisations: (place, agency) O [count].
    Flows after the last model year are not counted; a lever starting after
    it does nothing.
    """
    in_scope = lever.participation * spend
    rate = partnership_rate(partners(lever.participation, organisations, base_spend), lever.max_rate, lever.scale_k)
    gross = ramp(years, lever.start_year, lever.ramp_years) * rate * in_scope
    in_scope_at_start = value_in_year(in_scope, years, lever.start_year)
    window = year_window(years, lever.start_year, lever.implementation_years)
    yearly_cost = np.where(rate > 0, lever.cost_rate / lever.implementation_years, 0.0) * window
    return PartnershipFlows(gross, in_scope_at_start * yearly_cost, rate * in_scope_at_start)
