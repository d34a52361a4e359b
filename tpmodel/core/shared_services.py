"""Shared back-office services (spec section 4.1), also the partnership core of assets (4.4)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .axes import AGENCY, FloatArray, IntArray, per_draw
from .flows import Flow
from .ramp import ramp, year_index


class PartnershipFlows(NamedTuple):
    """Flows of a partnership lever, each (draw, place, agency, year) [GBP m a year, real]."""

    gross: Flow
    cost: Flow
    steady_state: Flow  # A0: (draw, place, agency, 1) [GBP m a year]


def partnership_rate(
    base_spend: FloatArray, participation: FloatArray, max_rate: FloatArray, scale_k: FloatArray
) -> FloatArray:
    """Saving rate of a place from the number of partners (spec 4.1).

        n[p] = number of agencies with q[a] > 0 and S0[p,a] > 0
        r[p] = max_rate * (1 - exp(-scale_k * (n[p] - 1)))

    base_spend: (place, agency) S0 of the lever's category [GBP m].
    participation: (draw, agency) q [share]; max_rate, scale_k: (draw,).
    Returns (draw, place) r [share]. A place with no partner has nothing in
    scope, so its rate is taken as 0 rather than negative.
    """
    partners = ((participation[:, None, :] > 0) & (base_spend[None, :, :] > 0)).sum(axis=AGENCY)
    extra_partners = np.maximum(partners - 1, 0)
    rate: FloatArray = max_rate[:, None] * (1.0 - np.exp(-scale_k[:, None] * extra_partners))
    return rate


def partnership_flows(
    years: IntArray,
    spend: Flow,
    base_spend: FloatArray,
    participation: FloatArray,
    max_rate: FloatArray,
    scale_k: FloatArray,
    start_year: FloatArray,
    ramp_years: FloatArray,
    cost_multiple: FloatArray,
    implementation_years: FloatArray,
) -> PartnershipFlows:
    """Gross saving and implementation cost of a partnership lever (spec 4.1).

        B[p,a,t]  = q[a] * S[p,a,t]
        G[p,a,t]  = ramp(t) * r[p] * B[p,a,t]
        A0[p,a]   = r[p] * B[p,a,start_year]
        C[p,a,t]  = cost_multiple * A0[p,a] / implementation_years
                    for start_year <= t < start_year + implementation_years, else 0

    years: (year,) horizon; spend: (draw, place, agency, year) S of the
    category [GBP m a year]; base_spend: (place, agency) S0 [GBP m];
    participation: (draw, agency) [share]; the rest (draw,).
    Costs that fall after the horizon are not counted. When start_year is after
    the horizon the lever does nothing (ramp and cost window are both empty).
    """
    in_scope = spend.times(participation[:, None, :, None])
    rate = partnership_rate(base_spend, participation, max_rate, scale_k)[:, :, None, None]
    gross = in_scope.times(ramp(years, start_year, ramp_years)[:, None, None, :], rate)
    steady_state = in_scope.at_year(year_index(years, start_year)).times(rate)
    in_window = (years[None, :] >= start_year[:, None]) & (
        years[None, :] < (start_year + implementation_years)[:, None]
    )
    yearly_cost = per_draw(cost_multiple / implementation_years) * in_window[:, None, None, :]
    return PartnershipFlows(gross, steady_state.times(yearly_cost), steady_state)


def shared_services(
    years: IntArray,
    back_office: FloatArray,
    base_back_office: FloatArray,
    participation: FloatArray,
    max_rate: FloatArray,
    scale_k: FloatArray,
    start_year: FloatArray,
    ramp_years: FloatArray,
    cost_multiple: FloatArray,
    implementation_years: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Shared back-office services (spec 4.1) on category back_office.

    Arguments as `partnership_flows`. Returns (gross, cost), each
    (draw, place, agency, year) [GBP m a year, real].
    """
    flows = partnership_flows(
        years, Flow.of(back_office), base_back_office, participation, max_rate, scale_k,
        start_year, ramp_years, cost_multiple, implementation_years,
    )  # fmt: skip
    return flows.gross.full(), flows.cost.full()
