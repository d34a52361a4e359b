"""Spec 5 appraisal and headline figures, and spec 6 single offer, worked by hand."""

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.appraisal import appraise, discount_factors, headlines, payback_year
from tpmodel.core.single_offer import single_offer

YEARS = np.array([2010, 2011, 2012])


def one(x):
    return np.array([float(x)])


def test_discount_factors():
    """DF = 1.1^-(t - 2010) = 1, 1/1.1, 1/1.21."""
    assert_allclose(discount_factors(YEARS, one(0.1)), [[1, 1 / 1.1, 1 / 1.21]])


def test_appraise_by_hand():
    """gross 100, cost 40; b 0.2, dw 0.25: adj_gross = 100 * 0.8 * 0.75 = 60;
    o 0.5: adj_cost = 60; net 0 ... in 2010. cashable share 0.5: 30 - 60 = -30.
    pv_net with gross 100 and cost 0 in 2011 at 10%: 60 / 1.1."""
    gross = np.array([100.0, 100.0, 0.0]).reshape(1, 1, 1, 3)
    cost = np.array([40.0, 0.0, 0.0]).reshape(1, 1, 1, 3)
    a = appraise(gross, cost, one(0.2), one(0.5), one(0.25), one(0.5), discount_factors(YEARS, one(0.1)))
    assert_allclose(a.adj_gross.ravel(), [60, 60, 0])
    assert_allclose(a.adj_cost.ravel(), [60, 0, 0])
    assert_allclose(a.net.ravel(), [0, 60, 0], atol=1e-12)
    assert_allclose(a.cashable.ravel(), [-30, 30, 0])
    assert_allclose(a.pv_net.ravel(), [0, 60 / 1.1, 0], atol=1e-12)


def test_headlines_by_hand():
    """Two levers, one place, one agency, rate 0: lever A net -10, 5, 20 (gross 0, 5, 20;
    cost 10, 0, 0); lever B gross 1, 1, 1, no cost.
    npv = 15 + 3 = 18; bcr = (25 + 3) / 10 = 2.8; cumulative net -9, -3, 18: payback 2012."""
    df = discount_factors(YEARS, one(0.0))
    zero = one(0.0)
    a = appraise(np.array([0.0, 5, 20]).reshape(1, 1, 1, 3), np.array([10.0, 0, 0]).reshape(1, 1, 1, 3),
                 zero, zero, zero, one(1.0), df)  # fmt: skip
    b = appraise(np.ones((1, 1, 1, 3)), np.zeros((1, 1, 1, 3)), zero, zero, zero, one(1.0), df)
    h = headlines(YEARS, [a, b], df)
    assert_allclose(h.npv, [18])
    assert_allclose(h.bcr, [2.8])
    assert_allclose(h.net_by_year, [[-9, 6, 21]])
    assert_allclose(h.cumulative_net_by_year, [[-9, -3, 18]])
    assert_allclose(h.payback_year, [2012])
    assert_allclose(h.npv_by_lever, [[15, 3]])
    assert_allclose(h.npv_by_agency, [[18]])
    assert_allclose(h.npv_by_place, [[18]])


def test_bcr_is_null_without_costs():
    df = discount_factors(YEARS, one(0.035))
    zero = one(0.0)
    a = appraise(np.ones((1, 1, 1, 3)), np.zeros((1, 1, 1, 3)), zero, zero, zero, one(1.0), df)
    assert np.isnan(headlines(YEARS, [a], df).bcr[0])


def test_payback_must_stay_non_negative():
    """Cumulative -5, 0, 3: 2011 (0 counts). -5, 1, -1: none (it does not stay >= 0)."""
    cumulative = np.array([[-5.0, 0.0, 3.0], [-5.0, 1.0, -1.0], [1.0, 2.0, 3.0]])
    got = payback_year(YEARS, cumulative)
    assert got[0] == 2011 and np.isnan(got[1]) and got[2] == 2010


def test_single_offer_by_hand():
    """Place 0 in the offer from 2011; cashable 10, -4, 30; baseline 1000: target 1% = 10.
    2010: before the start, nothing. 2011: retained 0, exchequer -4, target not met.
    2012: retained 0.5 * 30 = 15, exchequer 15, met. Place 1 is not in the offer."""
    cashable = np.array([[[10.0, -4.0, 30.0], [50.0, 50.0, 50.0]]])
    base = np.full((1, 2, 3), 1000.0)
    s = single_offer(YEARS, cashable, base, np.array([True, False]), one(2011), one(0.01), one(0.5))
    assert_allclose(s.retained[0, 0], [0, 0, 15])
    assert_allclose(s.exchequer[0, 0], [0, -4, 15])
    assert_allclose(s.target[0, 0], [0, 10, 10])
    assert s.target_met[0, 0].tolist() == [False, False, True]
    assert s.applies[0].tolist() == [[False, True, True], [False, False, False]]
    assert not s.retained[0, 1].any()
