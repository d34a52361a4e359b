"""Green Book appraisal and the headline figures (spec section 5)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .axes import AGENCY, PLACE, YEAR, FloatArray, IntArray, per_draw


class Appraised(NamedTuple):
    """Appraised flows of one lever, each (draw, place, agency, year) [GBP m, real]."""

    adj_gross: FloatArray
    adj_cost: FloatArray
    net: FloatArray
    cashable: FloatArray
    pv_net: FloatArray


def discount_factors(years: IntArray, discount_rate: FloatArray) -> FloatArray:
    """DF[t] = (1 + discount_rate) ^ -(t - first_year) (spec 5).

    years: (year,); discount_rate: (draw,) [share a year]. Returns (draw, year).
    """
    factors: FloatArray = (1.0 + discount_rate[:, None]) ** -(years[None, :] - years[0]).astype(np.float64)
    return factors


def appraise(
    gross: FloatArray,
    cost: FloatArray,
    benefit_optimism_bias: FloatArray,
    cost_optimism_bias: FloatArray,
    deadweight: FloatArray,
    cashable_share: FloatArray,
    discount: FloatArray,
) -> Appraised:
    """Appraise one lever's flows (spec 5).

        adj_gross = gross * (1 - b) * (1 - dw);   adj_cost = cost * (1 + o)
        net       = adj_gross - adj_cost;         cashable = adj_gross * cashable_share - adj_cost
        pv_net    = net * DF[t]

    gross, cost: (draw, place, agency, year) [GBP m]; b, o, dw, cashable_share:
    (draw,) [share]; discount: (draw, year) DF.
    """
    adj_gross = gross * per_draw((1.0 - benefit_optimism_bias) * (1.0 - deadweight))
    adj_cost = cost * per_draw(1.0 + cost_optimism_bias)
    net = adj_gross - adj_cost
    cashable = adj_gross * per_draw(cashable_share) - adj_cost
    pv_net = net * discount[:, None, None, :]
    return Appraised(adj_gross, adj_cost, net, cashable, pv_net)


class Headlines(NamedTuple):
    """Headline figures of a run (spec 5), one entry per draw."""

    npv: FloatArray  # (draw,) [GBP m, PV 2010-11]
    bcr: FloatArray  # (draw,) [ratio]; NaN where discounted costs are 0
    net_by_year: FloatArray  # (draw, year) [GBP m]
    cumulative_net_by_year: FloatArray  # (draw, year) [GBP m]
    payback_year: FloatArray  # (draw,) [year]; NaN where none
    npv_by_lever: FloatArray  # (draw, lever)
    npv_by_agency: FloatArray  # (draw, agency)
    npv_by_place: FloatArray  # (draw, place)


def payback_year(years: IntArray, cumulative_net: FloatArray) -> FloatArray:
    """First year whose cumulative net is >= 0 and stays >= 0 to the end (spec 5).

    cumulative_net: (draw, year). Returns (draw,) [year], NaN where none.
    """
    holds = np.flip(np.logical_and.accumulate(np.flip(cumulative_net >= 0, axis=-1), axis=-1), axis=-1)
    found = holds.any(axis=-1)
    first = np.argmax(holds, axis=-1)
    return np.where(found, years[first].astype(np.float64), np.nan)


def headlines(years: IntArray, appraised: list[Appraised], discount: FloatArray) -> Headlines:
    """Headline figures (spec 5) from every lever's appraised (draw, place, agency, year) flows, in lever order;
    discount: (draw, year) DF. See `headline_figures`."""
    by_place = [Appraised(*(flow.sum(axis=AGENCY, keepdims=True) for flow in a)) for a in appraised]
    by_agency = [Appraised(*(flow.sum(axis=PLACE, keepdims=True) for flow in a)) for a in appraised]
    return headline_figures(years, by_place, by_agency, discount)


def headline_figures(
    years: IntArray, by_place: list[Appraised], by_agency: list[Appraised], discount: FloatArray
) -> Headlines:
    """Headline figures (spec 5) from every lever's appraised flows summed over agencies and over places.

        npv = sum of pv_net over places, agencies, levers, years
        bcr = sum(adj_gross * DF) / sum(adj_cost * DF)   (NaN where that cost is 0)

    by_place: one `Appraised` per lever, in lever order, of flows summed over
    agencies (draw, place, 1, year) [GBP m]; by_agency: the same summed over
    places (draw, 1, agency, year); discount: (draw, year) DF.
    """
    df = discount[:, None, None, :]
    every = (PLACE, AGENCY, YEAR)

    def present_value(flow: FloatArray) -> FloatArray:  # summed over places before discounting: fewer products
        return (flow.sum(axis=PLACE, keepdims=True) * df).sum(axis=every)

    npv_by_lever = np.stack(np.broadcast_arrays(*(present_value(a.net) for a in by_place)), axis=1)
    pv_benefit = sum(present_value(a.adj_gross) for a in by_place)
    pv_cost = sum(present_value(a.adj_cost) for a in by_place)
    bcr = np.where(pv_cost != 0, pv_benefit / np.where(pv_cost != 0, pv_cost, 1.0), np.nan)
    net = sum(a.net for a in by_place)
    net_by_year = net.sum(axis=(PLACE, AGENCY))
    cumulative = np.cumsum(net_by_year, axis=-1)
    return Headlines(
        npv=npv_by_lever.sum(axis=1),
        bcr=bcr,
        net_by_year=net_by_year,
        cumulative_net_by_year=cumulative,
        payback_year=payback_year(years, cumulative),
        npv_by_lever=npv_by_lever,
        npv_by_agency=(sum(a.net for a in by_agency) * df).sum(axis=(PLACE, YEAR)) + 0.0,
        npv_by_place=(net * df).sum(axis=(AGENCY, YEAR)) + 0.0,
    )
