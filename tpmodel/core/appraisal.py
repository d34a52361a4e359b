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
    return (1.0 + discount_rate[:, None]) ** -(years[None, :] - years[0]).astype(np.float64)


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
    """Headline figures (spec 5) from every lever's appraised flows, in lever order.

        npv = sum of pv_net over places, agencies, levers, years
        bcr = sum(adj_gross * DF) / sum(adj_cost * DF)   (NaN where that cost is 0)

    appraised: one `Appraised` per lever; discount: (draw, year) DF.
    """
    # Stacked arrays are (draw, lever, place, agency, year).
    lever_axis, place_axis, agency_axis, year_axis = 1, 1 + PLACE, 1 + AGENCY, 1 + YEAR
    everything = (lever_axis, place_axis, agency_axis, year_axis)
    df = discount[:, None, None, None, :]
    pv_net = np.stack([a.pv_net for a in appraised], axis=lever_axis)
    pv_benefit = (np.stack([a.adj_gross for a in appraised], axis=lever_axis) * df).sum(axis=everything)
    pv_cost = (np.stack([a.adj_cost for a in appraised], axis=lever_axis) * df).sum(axis=everything)
    bcr = np.where(pv_cost != 0, pv_benefit / np.where(pv_cost != 0, pv_cost, 1.0), np.nan)
    net_by_year = np.stack([a.net for a in appraised], axis=lever_axis).sum(axis=everything[:-1])
    cumulative = np.cumsum(net_by_year, axis=-1)
    return Headlines(
        npv=pv_net.sum(axis=everything),
        bcr=bcr,
        net_by_year=net_by_year,
        cumulative_net_by_year=cumulative,
        payback_year=payback_year(years, cumulative),
        npv_by_lever=pv_net.sum(axis=(place_axis, agency_axis, year_axis)),
        npv_by_agency=pv_net.sum(axis=(lever_axis, place_axis, year_axis)),
        npv_by_place=pv_net.sum(axis=(lever_axis, agency_axis, year_axis)),
    )
