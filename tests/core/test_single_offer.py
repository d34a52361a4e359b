"""Spec 7 single offer, worked by hand.

Years 2010-2015, two places; only place 0 makes the offer; the deal runs 2011-2013.
target_rate 0.01 of a total baseline spend of 1000 a year: target = 10.
Place 0 total cashable: 20, 12, 10, -8, 20, 20; place 1: 50 every year.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.single_offer import single_offer

from .worlds import cell, terms

YEARS = np.arange(2010, 2016)
CASHABLE = np.array([[[20.0, 12, 10, -8, 20, 20], [50] * 6]])
BASELINE = np.full((1, 2, 6), 1000.0)


def offer(**overrides):
    settings = {"start_year": 2011, "end_year": 2013, "retained_share": 0.25} | overrides
    return single_offer(YEARS, CASHABLE, BASELINE, terms([True, False], **settings))


def test_in_force_only_in_the_deal_years_and_offer_places():
    """applies: place 0 in 2011, 2012, 2013; never in place 1."""
    out = offer()
    assert out.applies.tolist() == [[[False, True, True, True, False, False], [False] * 6]]
    assert_allclose(out.total_cashable, [[[0, 12, 10, -8, 0, 0], [0] * 6]])


def test_retained_and_exchequer_share_gains_and_losses():
    """retained_share 0.25: retained = 3, 2.5, -2; exchequer = 9, 7.5, -6 (the loss of 2013 is shared too)."""
    out = offer()
    assert_allclose(out.retained, [[[0, 3, 2.5, -2, 0, 0], [0] * 6]])
    assert_allclose(out.exchequer, [[[0, 9, 7.5, -6, 0, 0], [0] * 6]])


def test_target_shortfall_and_target_met_at_exactly_the_target():
    """target = 0.01 * 1000 = 10 in the deal years.
    shortfall = max(0, 10 - cashable) = 0, 0, 18. target_met: 12 >= 10 yes, 10 >= 10 yes (exactly), -8 no."""
    out = offer()
    assert_allclose(out.target, [[[0, 10, 10, 10, 0, 0], [0] * 6]])
    assert_allclose(out.shortfall, [[[0, 0, 0, 18, 0, 0], [0] * 6]])
    assert out.target_met.tolist() == [[[False, True, True, False, False, False], [False] * 6]]


def test_target_follows_the_baseline_of_the_year():
    """Baseline of place 0: 1000, 1200, 800 ... in 2010-2012; target 2011 = 12, 2012 = 8.
    Cashable 12 and 10: met in both years; shortfall 0."""
    baseline = BASELINE.copy()
    baseline[0, 0, 1:3] = [1200, 800]
    out = single_offer(YEARS, CASHABLE, baseline, terms([True, False], start_year=cell(2011), end_year=cell(2012)))
    assert_allclose(out.target[0, 0], [0, 12, 8, 0, 0, 0])
    assert out.target_met[0, 0].tolist() == [False, True, True, False, False, False]


def test_deal_running_past_the_last_year_stops_at_the_last_year():
    """end_year 2020 > last year 2015: the deal applies 2014 and 2015, and nothing is added after."""
    out = offer(start_year=2014, end_year=2020)
    assert out.applies[0, 0].tolist() == [False] * 4 + [True, True]
    assert_allclose(out.retained[0, 0], [0, 0, 0, 0, 5, 5])
    assert out.retained.shape == (1, 2, 6)


def test_no_offer_place_no_flows():
    """No place in the offer: every figure 0 and target never met."""
    out = single_offer(YEARS, CASHABLE, BASELINE, terms([False, False]))
    for figure in (out.total_cashable, out.target, out.retained, out.exchequer, out.shortfall):
        assert not figure.any()
    assert not out.target_met.any()
