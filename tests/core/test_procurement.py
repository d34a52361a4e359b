"""Spec 4.2 collaborative procurement, worked by hand.

Place 0: procurement spend 200 (agency 0) and 100 (agency 1) every year, q = (1, 0.5):
P = 200, 50; V = 250. Place 1 buys nothing (W = 0).
d0 0.05, e 0.02, V0 250: d = 0.05 + 0.02 * ln(250 / 250) = 0.05. Compliance 0.5.
"""

import math

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.procurement import discount, procurement

YEARS = np.array([2010, 2011, 2012])
SPEND = np.zeros((1, 2, 2, 3))
SPEND[0, 0, 0] = 200
SPEND[0, 0, 1] = 100
Q = np.array([[1.0, 0.5]])


def one(x):
    return np.array([float(x)])


def run(consortium="place", spend=SPEND, max_discount=0.2, start=2010, ramp_years=1):
    return procurement(
        YEARS, spend, Q, one(0.5), one(0.05), one(0.02), one(250), one(max_discount), consortium,
        one(0.1), one(1.0), one(start), one(ramp_years),
    )  # fmt: skip


def test_gross_and_cost_by_hand():
    """G = 0.5 * 0.05 * (200, 50) = 5, 1.25 every year.
    cost = 0.1 * G + (year == 2010) * 1.0 * P / V: 2010: 0.5 + 0.8, 0.125 + 0.2; later 0.5, 0.125."""
    gross, cost = run()
    assert_allclose(gross[0, 0], [[5, 5, 5], [1.25, 1.25, 1.25]])
    assert_allclose(cost[0, 0], [[1.3, 0.5, 0.5], [0.325, 0.125, 0.125]])


def test_no_volume_gives_no_discount_and_no_setup_cost():
    """Place 1 has W = 0: d = 0, and the setup term is 0 rather than 0/0."""
    gross, cost = run()
    assert np.all(np.isfinite(cost))
    assert not gross[0, 1].any() and not cost[0, 1].any()


def test_consortium_all_buys_on_the_total_volume():
    """Two places of 250 each: W = 500, d = 0.05 + 0.02 ln 2 = 0.0638629...
    G agency 0 of place 0 = 0.5 * d * 200."""
    spend = SPEND.copy()
    spend[0, 1] = spend[0, 0]
    gross, _ = run("all", spend)
    d = 0.05 + 0.02 * math.log(2)
    assert_allclose(gross[0, 0, 0], 0.5 * d * 200)
    assert_allclose(gross[0, 1, 1], 0.5 * d * 50)


def test_discount_is_clipped():
    """Upper clip at max_discount; lower clip at 0 for a small volume: 0.05 + 0.02 ln(1/250) < 0."""
    got = discount(np.array([[[500.0, 1.0, 0.0]]]), one(0.05), one(0.02), one(250), one(0.06))
    assert_allclose(got, [[[0.06, 0.0, 0.0]]])


def test_ramp_scales_gross_and_setup_falls_in_start_year():
    """start 2011, ramp 2: ramp 0, 0.5, 1; setup only in 2011."""
    gross, cost = run(start=2011, ramp_years=2)
    assert_allclose(gross[0, 0, 0], [0, 2.5, 5])
    assert_allclose(cost[0, 0, 0], [0, 0.25 + 0.8, 0.5])
