"""Spec 4.1 shared services and 4.4 assets, worked by hand.

Tiny world: 2 places, 2 agencies, years 2010-2012.
Place 0: agency 0 back office 100, 110, 120; agency 1 back office 50 every year.
Place 1: agency 0 back office 80 every year; agency 1 has none (S0 = 0).
q = (0.5, 1.0); max_rate 0.2; scale_k = ln 2, so two partners give
r = 0.2 * (1 - e^(-ln 2)) = 0.1; place 1 has one partner, so r = 0.
"""

import math

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.assets import assets
from tpmodel.core.shared_services import partnership_rate, shared_services

YEARS = np.array([2010, 2011, 2012])
SPEND = np.array([[[[100, 110, 120], [50, 50, 50]], [[80, 80, 80], [0, 0, 0]]]], dtype=float)
BASE = np.array([[100.0, 50.0], [80.0, 0.0]])
Q = np.array([[0.5, 1.0]])


def one(x):
    return np.array([float(x)])


def flows(start=2011, ramp_years=2, cost_multiple=2.0, implementation_years=2, max_rate=0.2):
    return shared_services(
        YEARS, SPEND, BASE, Q, one(max_rate), one(math.log(2)), one(start), one(ramp_years),
        one(cost_multiple), one(implementation_years),
    )  # fmt: skip


def test_rate_needs_two_partners():
    """Place 0: 2 partners -> 0.1. Place 1: agency 1 has no back office -> 1 partner -> 0."""
    rate = partnership_rate(BASE, Q, one(0.2), one(math.log(2)))
    assert_allclose(rate, [[0.1, 0.0]])


def test_rate_counts_only_participating_agencies():
    """q = (0.5, 0): place 0 has one partner, so nothing is saved."""
    rate = partnership_rate(BASE, np.array([[0.5, 0.0]]), one(0.2), one(math.log(2)))
    assert_allclose(rate, [[0.0, 0.0]])


def test_gross_and_cost_by_hand():
    """ramp (start 2011, 2 years) = 0, 0.5, 1.
    B place 0: agency 0 = 0.5 * (100, 110, 120) = 50, 55, 60; agency 1 = 50, 50, 50.
    G agency 0 = 0.1 * (0, 0.5 * 55, 60) = 0, 2.75, 6; agency 1 = 0, 2.5, 5.
    A0 = r * B[2011] = 5.5 and 5; cost = 2 * A0 / 2 in 2011 and 2012 = 5.5 and 5.
    Place 1 saves nothing and costs nothing."""
    gross, cost = flows()
    assert_allclose(gross[0, 0], [[0, 2.75, 6], [0, 2.5, 5]])
    assert_allclose(cost[0, 0], [[0, 5.5, 5.5], [0, 5, 5]])
    assert_allclose(gross[0, 1], 0)
    assert_allclose(cost[0, 1], 0)


def test_costs_after_the_horizon_are_dropped():
    """implementation_years 3 from 2011: 2011, 2012 in the horizon, 2013 outside.
    cost = 2 * 5.5 / 3 a year, only two of the three years counted."""
    _, cost = flows(implementation_years=3)
    assert_allclose(cost[0, 0, 0], [0, 11 / 3, 11 / 3])
    assert cost.sum() < 2 * (5.5 + 5)


def test_start_after_horizon_does_nothing():
    gross, cost = flows(start=2015)
    assert not gross.any() and not cost.any()


def test_assets_adds_receipts_when_ramp_reaches_one():
    """Same world on estate, start 2011, ramp 2: ramp reaches 1 in 2011 + 2 - 1 = 2012.
    receipts = 3 * A0 = 3 * 5.5 = 16.5 (agency 0) and 15 (agency 1), added to 2012 gross."""
    gross, cost = assets(
        YEARS, SPEND, BASE, Q, one(0.2), one(math.log(2)), one(2011), one(2), one(2.0), one(2), one(3.0)
    )
    assert_allclose(gross[0, 0], [[0, 2.75, 6 + 16.5], [0, 2.5, 5 + 15]])
    assert_allclose(cost[0, 0], [[0, 5.5, 5.5], [0, 5, 5]])


def test_assets_receipts_outside_horizon_not_counted():
    """ramp 3 from 2011 reaches 1 in 2013, after the horizon: no receipts in the horizon."""
    gross, _ = assets(YEARS, SPEND, BASE, Q, one(0.2), one(math.log(2)), one(2011), one(3), one(2.0), one(2), one(3.0))
    assert_allclose(gross[0, 0, 0], [0, 0.1 * 55 / 3, 0.1 * 60 * 2 / 3])
