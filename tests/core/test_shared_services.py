"""Spec 5.1 shared services (back office), worked by hand.

Worlds of 1 or 2 places, agencies (council, nhs), years 2010-2012. Unless a
test says otherwise: max_rate 0.2 and scale_k = ln 2, so
r = 0.2 * (1 - 2^-(n - 1)): two partners give r = 0.1.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from tpmodel.core.shared_services import partners, partnership, partnership_rate

from .worlds import by_agency, by_place, cell, flow
from .worlds import partnership as lever

YEARS = np.array([2010, 2011, 2012])


def test_councils_alone_share_three_organisations_half_joining():
    """One place: council S0 = 100 with O = 3 councils, q = 0.5; nhs S0 = 0 (O = 1, not counted).
    n = 0.5 * 3 = 1.5; r = 0.2 * (1 - 2^-0.5) = 0.2 * 0.29289322 = 0.05857864.
    B = 0.5 * 100 = 50; G = 50 * r = 2.92893219 every year (start 2010, ramp 1)."""
    base = np.array([[100.0, 0.0]])
    organisations = np.array([[3.0, 1.0]])
    q = cell(0.5)
    assert_allclose(partners(q, organisations, base), [[[[1.5]]]])
    assert_allclose(partnership_rate(cell(1.5), cell(0.2), lever().scale_k), [[[[0.05857864376269049]]]])
    flows = partnership(YEARS, flow([[[100] * 3, [0] * 3]]), base, organisations, lever(participation=q))
    assert_allclose(flows.gross[0, 0], [[2.928932188134524] * 3, [0] * 3])


def test_one_organisation_alone_saves_nothing_and_pays_nothing():
    """Place 0: council O = 1, q = 1, nhs S0 = 0: n = 1, r = 0.
    Place 1: council O = 1, q = 0.8 (by place): n = 0.8 < 1, r = max(0, negative) = 0, not negative.
    cost_rate 0.5 would cost 50 and 40 a year if r > 0: both places pay 0."""
    base = np.array([[100.0, 0.0], [100.0, 0.0]])
    spend = flow([[[100] * 3, [0] * 3], [[100] * 3, [0] * 3]])
    flows = partnership(YEARS, spend, base, np.ones((2, 2)), lever(participation=by_place(1.0, 0.8), cost_rate=0.5))
    assert not flows.gross.any()
    assert not flows.cost.any()


def test_an_agency_without_spend_does_not_count_its_organisations():
    """Council S0 = 100 with O = 1; nhs O = 5; q = 1 for both.
    Place 0: nhs S0 = 0 -> n = 1 -> r = 0, nothing saved.
    Place 1: nhs S0 = 10 -> n = 6 -> r = 0.2 * (1 - 2^-5) = 0.19375; G = 19.375 (council), 1.9375 (nhs)."""
    base = np.array([[100.0, 0.0], [100.0, 10.0]])
    organisations = np.array([[1.0, 5.0], [1.0, 5.0]])
    assert_allclose(partners(cell(1.0), organisations, base)[0, :, 0, 0], [1.0, 6.0])
    spend = flow([[[100] * 3, [0] * 3], [[100] * 3, [10] * 3]])
    flows = partnership(YEARS, spend, base, organisations, lever())
    assert_allclose(flows.gross[0, 0], 0)
    assert_allclose(flows.gross[0, 1], [[19.375] * 3, [1.9375] * 3])


def test_participation_by_agency_weights_organisations():
    """q = (0.25, 1), O = (4, 2), both agencies with spend: n = 0.25 * 4 + 1 * 2 = 3."""
    n = partners(by_agency(0.25, 1.0), np.array([[4.0, 2.0]]), np.array([[1.0, 1.0]]))
    assert_allclose(n, [[[[3.0]]]])


def cost_world(**overrides):
    """Council back office 100, 110, 121 (growth 10%); O = 4, q = 0.5 -> n = 2, r = 0.1.
    B = 50, 55, 60.5. nhs: no spend."""
    spend = flow([[[100, 110, 121], [0, 0, 0]]])
    settings = {"participation": cell(0.5), "cost_rate": 0.6} | overrides
    return partnership(YEARS, spend, np.array([[100.0, 0.0]]), np.array([[4.0, 1.0]]), lever(**settings))


def test_cost_spreads_in_scope_spend_at_start_year_over_the_window_cut_at_the_last_year():
    """start 2011, ramp 2, implementation 3 years, cost_rate 0.6.
    ramp = 0, 0.5, 1 -> G = 0, 0.1 * 0.5 * 55 = 2.75, 0.1 * 60.5 = 6.05.
    cost = 0.6 * B[2011] / 3 = 0.6 * 55 / 3 = 11 in 2011 and 2012; 2013 is after the last year."""
    flows = cost_world(start_year=2011, ramp_years=2, implementation_years=3)
    assert_allclose(flows.gross[0, 0, 0], [0, 2.75, 6.05])
    assert_allclose(flows.cost[0, 0, 0], [0, 11, 11])
    assert_allclose(flows.cost[0, 0, 1], 0)


def test_cost_does_not_depend_on_the_saving_rate():
    """max_rate 0.4 instead of 0.2: r = 0.2, gross doubles (0, 5.5, 12.1), cost stays 0.6 * 55 / 3 = 11."""
    flows = cost_world(start_year=2011, ramp_years=2, implementation_years=3, max_rate=0.4)
    assert_allclose(flows.gross[0, 0, 0], [0, 5.5, 12.1])
    assert_allclose(flows.cost[0, 0, 0], [0, 11, 11])


def test_lever_starting_in_the_last_year():
    """start 2012, ramp 2, implementation 2: G 2012 = 0.1 * 0.5 * 60.5 = 3.025;
    cost 2012 = 0.6 * 60.5 / 2 = 18.15 (the 2013 half is outside)."""
    flows = cost_world(start_year=2012, ramp_years=2, implementation_years=2)
    assert_allclose(flows.gross[0, 0, 0], [0, 0, 3.025])
    assert_allclose(flows.cost[0, 0, 0], [0, 0, 18.15])


def test_lever_starting_after_the_last_year_does_nothing():
    """start 2013, last year 2012: no saving and no cost (not the cost of the last year's spend)."""
    flows = cost_world(start_year=2013, implementation_years=2)
    assert not flows.gross.any()
    assert not flows.cost.any()


def test_parameters_by_place():
    """Two places, council spend 100 a year each, O = (2, 0) with nhs S0 = 0, q = 1 -> n = 2.
    Place 0: max_rate 0.2 -> r = 0.1, start 2010, implementation 1, cost_rate 0.1:
      G = 10, 10, 10; cost = 0.1 * 100 = 10 in 2010.
    Place 1: max_rate 0.4 -> r = 0.2, start 2011, implementation 2, cost_rate 0.3:
      G = 0, 20, 20; cost = 0.3 * 100 / 2 = 15 in 2011 and 2012."""
    spend = flow([[[100] * 3, [0] * 3]] * 2)
    base = np.array([[100.0, 0.0]] * 2)
    settings = lever(
        max_rate=by_place(0.2, 0.4),
        start_year=by_place(2010, 2011),
        implementation_years=by_place(1, 2),
        cost_rate=by_place(0.1, 0.3),
    )
    flows = partnership(YEARS, spend, base, np.array([[2.0, 0.0]] * 2), settings)
    assert_allclose(flows.gross[0, :, 0], [[10, 10, 10], [0, 20, 20]])
    assert_allclose(flows.cost[0, :, 0], [[10, 0, 0], [0, 15, 15]])
