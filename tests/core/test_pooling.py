"""Spec 4.3 pooled budgets, worked by hand.

One place, two agencies, frontline 1000 and 500 every year, q = (0.1, 0.2): Q = 100, 100.
u = 0.01, s = 0.05, start 2010, ramp 1: D = 1, 1; I = 5, 5 (10 in all each year).
R = 2, lag 1, drop_off 0.5, years 2010-2013:
X[2010] = 0 (nothing invested by 2009 counts)
X[2011] = 10 * 2 = 20
X[2012] = 10 * 2 * 0.5 + 20 = 30
X[2013] = 10 * 2 * 0.25 + 10 + 20 = 35
w = (3, 1) normalised to (0.75, 0.25).
"""

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.pooling import avoided_cost, pooling

YEARS = np.array([2010, 2011, 2012, 2013])
FRONTLINE = np.zeros((1, 1, 2, 4))
FRONTLINE[0, 0, 0] = 1000
FRONTLINE[0, 0, 1] = 500


def one(x):
    return np.array([float(x)])


def run(lag=1, drop_off=0.5, weights=(3.0, 1.0), start=2010, ramp_years=1):
    return pooling(
        YEARS, FRONTLINE, np.array([[0.1, 0.2]]), one(0.01), one(0.05), one(2.0), one(lag), one(drop_off),
        np.array([weights]), one(start), one(ramp_years),
    )  # fmt: skip


def test_gross_and_cost_by_hand():
    """G = D + w * X: agency 0 = 1 + 0.75 * (0, 20, 30, 35); agency 1 = 1 + 0.25 * X. Cost = I = 5."""
    gross, cost = run()
    assert_allclose(gross[0, 0, 0], [1, 16, 23.5, 27.25])
    assert_allclose(gross[0, 0, 1], [1, 6, 8.5, 9.75])
    assert_allclose(cost[0, 0], 5)


def test_no_lag_full_drop_off_pays_back_only_same_year():
    """lag 0, drop_off 1: (1 - 1)^0 = 1 in the year itself and 0 after: X = 10 * 2 = 20 each year."""
    invested = np.full((1, 1, 4), 10.0)
    assert_allclose(avoided_cost(YEARS, invested, one(2.0), one(0), one(1.0)), [[[20, 20, 20, 20]]])


def test_lag_longer_than_horizon_avoids_nothing():
    invested = np.full((1, 1, 4), 10.0)
    assert not avoided_cost(YEARS, invested, one(2.0), one(4), one(0.0)).any()


def test_wrong_pocket_all_benefit_to_one_agency():
    """w = (0, 1): agency 0 pays prevention but receives only its duplication saving;
    agency 1 gets all of X."""
    gross, _ = run(weights=(0.0, 1.0))
    assert_allclose(gross[0, 0, 0], [1, 1, 1, 1])
    assert_allclose(gross[0, 0, 1], [1, 21, 31, 36])


def test_ramp_scales_duplication_and_investment():
    """start 2011, ramp 2: ramp 0, 0.5, 1, 1; I total = 0, 5, 10, 10; lag 1, drop 0.5:
    X = 0, 0, 10, 5 + 20 = 25."""
    gross, cost = run(start=2011, ramp_years=2)
    assert_allclose(cost[0, 0, 0], [0, 2.5, 5, 5])
    assert_allclose(gross[0, 0, 0], [0, 0.5, 1 + 7.5, 1 + 18.75])
