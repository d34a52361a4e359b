"""Spec 5.4 assets and co-location ("Total Capital"), worked by hand.

One place, agencies (council, nhs), years 2010-2013. Council estate 100, 110,
121, 133.1 (growth 10%); nhs has no estate. O = 4 councils, q = 0.5 -> n = 2;
max_rate 0.2, scale_k = ln 2 -> r = 0.1. B = 50, 55, 60.5, 66.55.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.assets import assets

from .worlds import assets_lever, cell, flow

YEARS = np.array([2010, 2011, 2012, 2013])


def estate(**overrides):
    spend = flow([[[100, 110, 121, 133.1], [0, 0, 0, 0]]])
    settings = {"participation": cell(0.5), "cost_rate": 0.6, "receipts_multiple": 3.0} | overrides
    return assets(YEARS, spend, np.array([[100.0, 0.0]]), np.array([[4.0, 1.0]]), assets_lever(**settings))


def test_receipts_spread_from_the_year_the_ramp_reaches_one_cut_at_the_last_year():
    """start 2011, ramp 2: f = 2011 + 2 - 1 = 2012. A0 = r * B[2011] = 0.1 * 55 = 5.5.
    receipts = 3 * 5.5 / 3 = 5.5 in 2012 and 2013; the third year, 2014, is outside.
    Gross (no receipts in it): ramp 0, 0.5, 1, 1 -> 0, 2.75, 6.05, 6.655.
    Cost: implementation 1 year, 0.6 * 55 = 33 in 2011."""
    flows = estate(start_year=2011, ramp_years=2, receipts_years=3)
    assert_allclose(flows.receipts[0, 0, 0], [0, 0, 5.5, 5.5])
    assert_allclose(flows.gross[0, 0, 0], [0, 2.75, 6.05, 6.655])
    assert_allclose(flows.cost[0, 0, 0], [0, 33, 0, 0])
    assert not flows.receipts[0, 0, 1].any()


def test_receipts_in_one_year():
    """start 2011, ramp 2, receipts_years 1: 3 * 5.5 = 16.5 in 2012 only."""
    flows = estate(start_year=2011, ramp_years=2, receipts_years=1)
    assert_allclose(flows.receipts[0, 0, 0], [0, 0, 16.5, 0])


def test_receipts_start_in_start_year_with_a_one_year_ramp():
    """start 2011, ramp 1: f = 2011; receipts_years 2: 3 * 5.5 / 2 = 8.25 in 2011 and 2012."""
    flows = estate(start_year=2011, ramp_years=1, receipts_years=2)
    assert_allclose(flows.receipts[0, 0, 0], [0, 8.25, 8.25, 0])


def test_receipts_use_the_steady_state_at_start_year_not_at_the_full_year():
    """start 2010, ramp 3: f = 2012, A0 = 0.1 * B[2010] = 5 (not 0.1 * B[2012] = 6.05).
    receipts_years 1: 3 * 5 = 15 in 2012."""
    flows = estate(start_year=2010, ramp_years=3, receipts_years=1)
    assert_allclose(flows.receipts[0, 0, 0], [0, 0, 15, 0])


def test_no_receipts_when_the_ramp_reaches_one_after_the_last_year():
    """start 2012, ramp 3: f = 2014 > 2013. Gross still ramps: 0, 0, 0.1 * 60.5 / 3, 0.1 * 66.55 * 2 / 3."""
    flows = estate(start_year=2012, ramp_years=3, receipts_years=2)
    assert not flows.receipts.any()
    assert_allclose(flows.gross[0, 0, 0], [0, 0, 6.05 / 3, 6.655 * 2 / 3])


def test_no_partner_no_receipts():
    """q = 0.25 -> n = 1 -> r = 0: no gross, cost or receipts."""
    flows = estate(participation=cell(0.25), start_year=2011, ramp_years=1, receipts_years=1)
    assert not (flows.receipts.any() or flows.gross.any() or flows.cost.any())
