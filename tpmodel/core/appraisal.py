"""Green Book appraisal and the headline figures (spec section 6)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .axes import AGENCY, FloatArray, IntArray, add_up
from .inputs import Appraisal


class Appraised(NamedTuple):
    """Appraised flows of one lever, each (draw, place, agency, year) [GBP m, real]."""

    adj_gross: FloatArray
    adj_receipts: FloatArray
    adj_cost: FloatArray
    net: FloatArray
    cashable: FloatArray
    pv_net: FloatArray


def discount_factors(years: IntArray, discount_rate: FloatArray) -> FloatArray:
    """DF[t] = (1 + discount_rate) ^ -(t - first_year) (spec 6).

    years: (year,); discount_rate: (draw, 1, 1, 1) [share a year].
    Returns (draw, 1, 1, year) [ratio].
    """
    factors: FloatArray = (1.0 + discount_rate) ** -(years - years[0]).astype(np.float64)
    return factors


def benefit_factor(appraisal: Appraisal) -> FloatArray:
    """(1 - b) * (1 - dw): what appraisal keeps of a saving or a receipt (spec 6). (draw, place, 1, 1)."""
    factor: FloatArray = (1.0 - appraisal.benefit_optimism_bias) * (1.0 - appraisal.deadweight)
    return factor


def cost_factor(appraisal: Appraisal) -> FloatArray:
    """(1 + o) * (1 - cdw): what appraisal counts of a cost (spec 6). (draw, place, 1, 1)."""
    factor: FloatArray = (1.0 + appraisal.cost_optimism_bias) * (1.0 - appraisal.cost_deadweight)
    return factor


def appraise(
    gross: FloatArray, receipts: FloatArray, cost: FloatArray, appraisal: Appraisal, discount_factor: FloatArray
) -> Appraised:
    """Appraise one lever's flows cell by cell (spec 6).

        adj_gross    = gross * (1 - b) * (1 - dw)
        adj_receipts = receipts * (1 - b) * (1 - dw)
        adj_cost     = cost * (1 + o) * (1 - cdw)
        net          = adj_gross + adj_receipts - adj_cost
        cashable     = adj_gross * cashable_share - adj_cost
        pv_net       = net * DF[t]

    gross, receipts, cost: (draw, place, agency, year) [GBP m]; discount_factor:
    (draw, 1, 1, year) DF.
    """
    benefit, cost_kept = benefit_factor(appraisal), cost_factor(appraisal)
    adj_gross = gross * benefit
    adj_receipts = receipts * benefit
    adj_cost = cost * cost_kept
    net = adj_gross + adj_receipts - adj_cost
    cashable = adj_gross * appraisal.cashable_share - adj_cost
    return Appraised(adj_gross, adj_receipts, adj_cost, net, cashable, net * discount_factor)


class LeverSums(NamedTuple):
    """One lever's appraised flows summed for the headline figures [GBP m, real]."""

    net_by_place: FloatArray  # (draw, place, year) net summed over agencies
    receipts_by_place: FloatArray  # (draw, place, year) adj_receipts summed over agencies
    cost_by_place: FloatArray  # (draw, place, year) adj_cost summed over agencies
    cashable_by_place: FloatArray  # (draw, place, year) cashable summed over agencies
    pv_net_by_agency: FloatArray  # (draw, agency) pv_net summed over places and years


def lever_sums(
    gross: FloatArray, receipts: FloatArray, cost: FloatArray, appraisal: Appraisal, discount_factor: FloatArray
) -> LeverSums:
    """The sums of spec 6's appraised flows that the headline figures need, without keeping every cell.

    gross, receipts, cost: (draw, place, agency, year) [GBP m], contiguous and
    of full length on every axis (`axes.full`), except that a flow that is 0
    by definition may be a (1, 1, 1, 1) zero; discount_factor: (draw, 1, 1, year).
    Appraisal factors vary by place, not by agency, so agency sums are taken
    first; the by-agency npv weights each place's cells by its factors.
    """
    draws, places, agencies, years = gross.shape
    benefit, cost_kept = benefit_factor(appraisal)[:, :, 0], cost_factor(appraisal)[:, :, 0]
    weights = np.broadcast_to(discount_factor[:, :, 0, :], (draws, places, years))

    def by_place(flow: FloatArray) -> FloatArray:
        summed: FloatArray = flow.sum(axis=AGENCY) if flow.size > 1 else np.zeros((draws, places, years))
        return summed

    def pv_by_agency(flow: FloatArray, factor: FloatArray) -> FloatArray:
        if flow.size == 1:
            return np.zeros((draws, agencies))
        pv: FloatArray = np.einsum("dpat,dpt->da", flow, factor * weights)
        return pv

    gross_p, receipts_p, cost_p = by_place(gross), by_place(receipts), by_place(cost)
    adj_cost = cost_p * cost_kept
    adj_receipts = receipts_p * benefit
    net = (gross_p + receipts_p) * benefit - adj_cost
    cashable = gross_p * benefit * appraisal.cashable_share[:, :, 0] - adj_cost
    pv_net = pv_by_agency(gross, benefit) + pv_by_agency(receipts, benefit) - pv_by_agency(cost, cost_kept)
    return LeverSums(net, adj_receipts, adj_cost, cashable, pv_net)


class Headlines(NamedTuple):
    """Headline figures of a run (spec 6), one entry per draw [GBP m, real 2010-11 prices]."""

    npv: FloatArray  # (draw,) PV at first_year
    bcr: FloatArray  # (draw,) [ratio]; NaN where discounted costs are 0
    pv_receipts: FloatArray  # (draw,) PV of adj_receipts
    net_by_year: FloatArray  # (draw, year)
    cumulative_net_by_year: FloatArray  # (draw, year)
    cashable_by_year: FloatArray  # (draw, year)
    payback_year: FloatArray  # (draw,) [year]; NaN where none
    npv_by_lever: FloatArray  # (draw, lever)
    npv_by_agency: FloatArray  # (draw, agency)
    npv_by_place: FloatArray  # (draw, place)


def payback_year(years: IntArray, revenue_net: FloatArray) -> FloatArray:
    """First year whose cumulative revenue net is >= 0 and stays >= 0 to the last year (spec 6).

    revenue_net: (draw, year) net less adj_receipts, undiscounted [GBP m].
    Returns (draw,) [year]; NaN where there is none, and where every year's
    revenue net is 0 (nothing happens). Receipts do not buy payback.
    """
    cumulative = np.cumsum(revenue_net, axis=-1)
    holds = np.flip(np.logical_and.accumulate(np.flip(cumulative >= 0, axis=-1), axis=-1), axis=-1)
    found = holds.any(axis=-1) & (revenue_net != 0).any(axis=-1)
    first = np.argmax(holds, axis=-1)
    return np.where(found, years[first].astype(np.float64), np.nan)


def headline_figures(years: IntArray, levers: list[LeverSums], discount_factor: FloatArray) -> Headlines:
    """Headline figures (spec 6) from every lever's sums, in lever order.

        npv         = sum of pv_net over places, agencies, levers, years
        bcr         = sum((adj_gross + adj_receipts) * DF) / sum(adj_cost * DF)   (NaN where that cost is 0)
        pv_receipts = sum(adj_receipts * DF)

    discount_factor: (draw, 1, 1, year) DF.
    """
    df = discount_factor[:, 0, 0, :][:, None, :]  # (draw, 1, year)

    def present_value(by_place: FloatArray) -> FloatArray:
        value: FloatArray = (by_place.sum(axis=1, keepdims=True) * df).sum(axis=(1, 2))
        return value

    npv_by_lever = np.stack([present_value(lever.net_by_place) for lever in levers], axis=1)
    pv_cost = add_up([present_value(lever.cost_by_place) for lever in levers])
    pv_benefit = npv_by_lever.sum(axis=1) + pv_cost
    bcr = np.where(pv_cost != 0, pv_benefit / np.where(pv_cost != 0, pv_cost, 1.0), np.nan)
    net = add_up([lever.net_by_place for lever in levers])
    receipts = add_up([lever.receipts_by_place for lever in levers])
    net_by_year = net.sum(axis=1)
    return Headlines(
        npv=npv_by_lever.sum(axis=1),
        bcr=bcr,
        pv_receipts=add_up([present_value(lever.receipts_by_place) for lever in levers]),
        net_by_year=net_by_year,
        cumulative_net_by_year=np.cumsum(net_by_year, axis=-1),
        cashable_by_year=add_up([lever.cashable_by_place for lever in levers]).sum(axis=1),
        payback_year=payback_year(years, net_by_year - receipts.sum(axis=1)),
        npv_by_lever=npv_by_lever,
        npv_by_agency=add_up([lever.pv_net_by_agency for lever in levers]) + 0.0,
        npv_by_place=(net * df).sum(axis=2) + 0.0,
    )
