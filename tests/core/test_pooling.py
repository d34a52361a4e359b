"""Spec 5.3 pooled budgets and prevention, worked by hand."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.pooling import avoided_cost, pooling

from .worlds import by_place_agency, by_year, cell, flow, pooling_lever

YEARS = np.arange(2010, 2015)


def avoided(invested, return_rate=2.0, lag=1, effect=1, drop_off=0.0, years=YEARS):
    return avoided_cost(years, by_year(*invested), cell(return_rate), cell(lag), cell(effect), cell(drop_off))[0, 0, 0]


def test_one_year_effect_returns_once_after_the_lag():
    """GBP 1 invested in 2011, R = 2, lag 1, E = 1: avoids 2 in 2012 only."""
    assert_allclose(avoided([0, 1, 0, 0, 0]), [0, 0, 2, 0, 0])


def test_effect_lasting_three_years_with_drop_off():
    """GBP 1 in 2011, R = 2, lag 1, E = 3, drop_off 0.5: 2 in 2012, 2 * 0.5 = 1 in 2013, 0.5 in 2014."""
    assert_allclose(avoided([0, 1, 0, 0, 0], effect=3, drop_off=0.5), [0, 0, 2, 1, 0.5])


def test_effect_stops_after_effect_years():
    """GBP 1 in 2010, R = 2, lag 0, E = 2, no drop-off: 2 in 2010 and 2011, nothing from 2012."""
    assert_allclose(avoided([1, 0, 0, 0, 0], lag=0, effect=2), [2, 2, 0, 0, 0])


def test_returns_of_several_years_add_up():
    """GBP 1 in 2010 and GBP 3 in 2011, R = 2, lag 0, E = 2, drop_off 0.5:
    2010: 1 * 2 = 2; 2011: 1 * 2 * 0.5 + 3 * 2 = 7; 2012: 3 * 2 * 0.5 = 3; then 0."""
    assert_allclose(avoided([1, 3, 0, 0, 0], lag=0, effect=2, drop_off=0.5), [2, 7, 3, 0, 0])


def test_only_investment_inside_the_model_years_counts():
    """Model years 2011-2013, frontline 100 a year, q = 0.1, s = 0.1 -> I = 1 a year (u = 0).
    R = 2, lag 1, E = 2, no drop-off. The 2010 investment is outside the model years:
    X 2011 = 0 (not 2 from 2010), 2012 = 2 (from 2011), 2013 = 2 + 2 = 4 (from 2011 and 2012).
    One agency, w = 1: G = X; cost = I = 1 a year."""
    lever = pooling_lever(duplication_rate=0.0, return_rate=2.0, lag_years=1, effect_years=2)
    flows = pooling(np.array([2011, 2012, 2013]), flow([[[100] * 3]]), lever)
    assert_allclose(flows.gross[0, 0, 0], [0, 2, 4])
    assert_allclose(flows.cost[0, 0, 0], [1, 1, 1])


def test_pooling_by_hand_with_benefit_shares_differing_by_place():
    """Years 2010-2012, agencies (council, nhs). Frontline: place 0 (100, 300), place 1 (200, 200).
    q = 0.1 -> Q = (10, 30), (20, 20). u = 0.05, s = 0.2, R = 1.5, lag 1, E 1, start 2010, ramp 1.
    D = 0.05 * Q = (0.5, 1.5), (1, 1). I = 0.2 * Q = (2, 6), (4, 4): 8 a year in each place.
    X = 1.5 * 8 = 12 from 2011 (lag 1) in each place.
    w place 0 = (1, 1) -> (0.5, 0.5); place 1 = (3, 1) -> (0.75, 0.25).
    G place 0: council 0.5 + 0.5 * (0, 12, 12) = 0.5, 6.5, 6.5; nhs 1.5 + 6 = 1.5, 7.5, 7.5.
    G place 1: council 1 + 0.75 * 12 = 1, 10, 10; nhs 1 + 0.25 * 12 = 1, 4, 4.
    cost = I: (2, 6), (4, 4) each year."""
    spend = flow([[[100] * 3, [300] * 3], [[200] * 3, [200] * 3]])
    lever = pooling_lever(
        duplication_rate=0.05,
        prevention_share=0.2,
        return_rate=1.5,
        lag_years=1,
        benefit_share=by_place_agency([[1, 1], [3, 1]]),
    )
    flows = pooling(np.array([2010, 2011, 2012]), spend, lever)
    assert_allclose(flows.gross[0, 0], [[0.5, 6.5, 6.5], [1.5, 7.5, 7.5]])
    assert_allclose(flows.gross[0, 1], [[1, 10, 10], [1, 4, 4]])
    assert_allclose(flows.cost[0], [[[2] * 3, [6] * 3], [[4] * 3, [4] * 3]])


def test_the_payer_need_not_be_the_receiver():
    """Only the council pools (q = (0.1, 0)), frontline 100 each; s = 0.2 -> I = (2, 0); u = 0.
    R = 1.5, lag 0, E 1 -> X = 3. w = (0, 1): the nhs gets all 3, the council pays 2 and saves nothing."""
    lever = pooling_lever(
        participation=by_place_agency([[0.1, 0.0]]),
        duplication_rate=0.0,
        prevention_share=0.2,
        benefit_share=by_place_agency([[0, 1]]),
    )
    flows = pooling(np.array([2010]), flow([[[100], [100]]]), lever)
    assert_allclose(flows.gross[0, 0, :, 0], [0, 3])
    assert_allclose(flows.cost[0, 0, :, 0], [2, 0])


def test_ramp_scales_duplication_and_investment():
    """One agency, frontline 100, q = 0.1 -> Q = 10; start 2011, ramp 2 -> 0, 0.5, 1.
    u = 0.05 -> D = 0, 0.25, 0.5; s = 0.1 -> I = 0, 0.5, 1; R 1.5, lag 0, E 1 -> X = 0, 0.75, 1.5.
    G = 0, 1, 2; cost = 0, 0.5, 1."""
    flows = pooling(np.array([2010, 2011, 2012]), flow([[[100] * 3]]), pooling_lever(start_year=2011, ramp_years=2))
    assert_allclose(flows.gross[0, 0, 0], [0, 1, 2])
    assert_allclose(flows.cost[0, 0, 0], [0, 0.5, 1])
