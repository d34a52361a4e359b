"""Spec 6 appraisal and headline figures, worked by hand."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.appraisal import appraise, discount_factors, headline_figures, lever_sums, payback_year

from .worlds import appraisal, by_place, cell, flow

YEARS = np.array([2010, 2011, 2012])


def test_discount_factors_count_from_the_first_year():
    """rate 0.05, years 2012-2014: 1, 1 / 1.05, 1 / 1.1025."""
    assert_allclose(discount_factors(np.array([2012, 2013, 2014]), cell(0.05))[0, 0, 0], [1, 1 / 1.05, 1 / 1.1025])


def test_appraise_cell_by_cell():
    """gross 10 a year, receipts 4 in 2011, cost 5 in 2010; b 0.2, dw 0.25, o 0.5, cdw 0.2, cashable_share 0.6;
    rate 0.05.
    adj_gross = 10 * 0.8 * 0.75 = 6 a year; adj_receipts = 4 * 0.6 = 2.4 in 2011;
    adj_cost = 5 * 1.5 * 0.8 = 6 in 2010.
    net = 0, 6 + 2.4 = 8.4, 6.
    cashable = 6 * 0.6 - adj_cost = -2.4, 3.6, 3.6 (receipts are not in it: 2011 is 3.6, not 6).
    pv_net = 0, 8.4 / 1.05 = 8, 6 / 1.1025 = 5.4421768707."""
    adjust = appraisal(
        benefit_optimism_bias=0.2, deadweight=0.25, cost_optimism_bias=0.5, cost_deadweight=0.2, cashable_share=0.6
    )
    out = appraise(
        flow([[[10, 10, 10]]]),
        flow([[[0, 4, 0]]]),
        flow([[[5, 0, 0]]]),
        adjust,
        discount_factors(YEARS, cell(0.05)),
    )
    assert_allclose(out.adj_gross[0, 0, 0], [6, 6, 6])
    assert_allclose(out.adj_receipts[0, 0, 0], [0, 2.4, 0])
    assert_allclose(out.adj_cost[0, 0, 0], [6, 0, 0])
    assert_allclose(out.net[0, 0, 0], [0, 8.4, 6], atol=1e-12)
    assert_allclose(out.cashable[0, 0, 0], [-2.4, 3.6, 3.6])
    assert_allclose(out.pv_net[0, 0, 0], [0, 8, 5.442176870748299], atol=1e-12)


def test_full_deadweight_or_optimism_bias_leaves_nothing():
    """gross 10, receipts 4, cost 5 in one year.
    dw = 1: adj_gross = adj_receipts = 0. b = 1: the same. cdw = 1: adj_cost = 0.
    o = 1 (a cost optimism bias of 100%) doubles the cost: 10."""
    gross, receipts, cost, df = flow([[[10]]]), flow([[[4]]]), flow([[[5]]]), cell(1.0)
    for adjust in (appraisal(deadweight=1.0), appraisal(benefit_optimism_bias=1.0)):
        out = appraise(gross, receipts, cost, adjust, df)
        assert out.adj_gross.item() == 0 and out.adj_receipts.item() == 0
        assert out.net.item() == -5
    assert appraise(gross, receipts, cost, appraisal(cost_deadweight=1.0), df).adj_cost.item() == 0
    assert appraise(gross, receipts, cost, appraisal(cost_optimism_bias=1.0), df).adj_cost.item() == 10


def headlines(gross, receipts, cost, rate=0.0, years=YEARS, adjust=None):
    """Headline figures of one lever in one place and one agency."""
    discount_factor = discount_factors(years, cell(rate))
    sums = lever_sums(flow([[gross]]), flow([[receipts]]), flow([[cost]]), adjust or appraisal(), discount_factor)
    return headline_figures(years, [sums], discount_factor)


def test_bcr_includes_receipts_and_pv_receipts():
    """Years 2010-2011, rate 0: gross 0, 10; receipts 0, 4; cost 7, 0.
    npv = 10 + 4 - 7 = 7; bcr = (10 + 4) / 7 = 2; pv_receipts = 4."""
    out = headlines([0, 10], [0, 4], [7, 0], years=np.array([2010, 2011]))
    assert_allclose(out.npv, [7])
    assert_allclose(out.bcr, [2])
    assert_allclose(out.pv_receipts, [4])


def test_discounted_headlines():
    """Years 2010-2011, rate 0.25: gross 0, 10; receipts 0, 5; cost 6, 0. DF = 1, 0.8.
    npv = (10 + 5) * 0.8 - 6 = 6; bcr = 12 / 6 = 2; pv_receipts = 5 * 0.8 = 4."""
    out = headlines([0, 10], [0, 5], [6, 0], rate=0.25, years=np.array([2010, 2011]))
    assert_allclose(out.npv, [6])
    assert_allclose(out.bcr, [2])
    assert_allclose(out.pv_receipts, [4])


def test_bcr_is_nan_without_cost():
    """gross 1 a year, no cost: bcr NaN; npv = 3."""
    out = headlines([1, 1, 1], [0, 0, 0], [0, 0, 0])
    assert np.isnan(out.bcr).all()
    assert_allclose(out.npv, [3])


def test_payback_ignores_receipts():
    """Years 2010-2013: gross 0, 4, 4, 4; receipts 0, 8, 0, 0; cost 10, 0, 0, 0.
    net = -10, 12, 4, 4; cumulative net = -10, 2, 6, 10 (receipts would pay back in 2011).
    Revenue net = -10, 4, 4, 4; cumulative -10, -6, -2, 2: payback 2013."""
    out = headlines([0, 4, 4, 4], [0, 8, 0, 0], [10, 0, 0, 0], years=np.arange(2010, 2014))
    assert_allclose(out.cumulative_net_by_year, [[-10, 2, 6, 10]])
    assert_allclose(out.payback_year, [2013])


def test_payback_is_nan_when_nothing_happens():
    """Every flow 0: cumulative 0 >= 0 in every year, but nothing happens: NaN (not 2010)."""
    assert np.isnan(headlines([0, 0, 0], [0, 0, 0], [0, 0, 0]).payback_year).all()


def test_payback_is_nan_when_only_receipts_happen():
    """Receipts 5 in 2011 and nothing else: revenue net is 0 every year: NaN."""
    assert np.isnan(headlines([0, 0, 0], [0, 5, 0], [0, 0, 0]).payback_year).all()


def test_payback_waits_until_cumulative_stays_non_negative():
    """Revenue net -5, 10, -8, 4: cumulative -5, 5, -3, 1: >= 0 in 2011 but not after; payback 2013."""
    assert_allclose(payback_year(np.arange(2010, 2014), np.array([[-5.0, 10, -8, 4]])), [2013])


def test_payback_cases():
    """Row 0: -5, 1, 1, 1 -> cumulative ends at -2: NaN. Row 1: 3, -1, 0, 0 -> 3, 2, 2, 2: 2010.
    Row 2: -1, 1, 0, 0 -> -1, 0, 0, 0: 2011 (0 counts as paid back)."""
    out = payback_year(np.arange(2010, 2014), np.array([[-5.0, 1, 1, 1], [3, -1, 0, 0], [-1, 1, 0, 0]]))
    assert np.isnan(out[0])
    assert_allclose(out[1:], [2010, 2011])


def test_net_and_cashable_by_year():
    """Years 2010-2012, cashable_share 0.5: gross 0, 10, 10; receipts 0, 6, 0; cost 4, 0, 0.
    net = -4, 16, 10; cumulative -4, 12, 22; cashable = 0.5 * gross - cost = -4, 5, 5."""
    out = headlines([0, 10, 10], [0, 6, 0], [4, 0, 0], adjust=appraisal(cashable_share=0.5))
    assert_allclose(out.net_by_year, [[-4, 16, 10]])
    assert_allclose(out.cumulative_net_by_year, [[-4, 12, 22]])
    assert_allclose(out.cashable_by_year, [[-4, 5, 5]])


def test_npv_by_agency_uses_each_place_factors():
    """One year, rate 0; deadweight 0 in place 0, 0.5 in place 1; agencies (council, nhs).
    gross place 0 = (10, 20), place 1 = (30, 40); cost place 1 council = 6, o = 0.
    npv by agency: council 10 + 15 - 6 = 19, nhs 20 + 20 = 40; by place 30, 29; npv 59."""
    discount_factor = discount_factors(np.array([2010]), cell(0.0))
    sums = lever_sums(
        flow([[[10], [20]], [[30], [40]]]),
        flow([[[0], [0]], [[0], [0]]]),
        flow([[[0], [0]], [[6], [0]]]),
        appraisal(deadweight=by_place(0.0, 0.5)),
        discount_factor,
    )
    out = headline_figures(np.array([2010]), [sums], discount_factor)
    assert_allclose(out.npv_by_agency, [[19, 40]])
    assert_allclose(out.npv_by_place, [[30, 29]])
    assert_allclose(out.npv, [59])
    assert_allclose(out.npv_by_lever, [[59]])
