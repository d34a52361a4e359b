"""Spec 5.2 collaborative procurement, worked by hand.

The elasticity e = 0.02 / ln 2 makes every doubling of the buying volume
add 0.02 to the discount: d = d0 + 0.02 * log2(W / V0).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from tpmodel.core.procurement import buying_partners, price_discount, procurement

from .worlds import by_place, cell, flow, procurement_lever

E = 0.02 / math.log(2.0)

# three places, agencies (council, nhs), one year; groups: places 0 and 1 together, place 2 alone
SPEND = flow([[[60], [40]], [[100], [0]], [[150], [50]]])  # V = 100, 100, 200
GROUP = np.array([0, 0, 1])


def test_buying_partners():
    """group: places 0 and 1 buy together, place 2 alone; all: everyone; place: each alone."""
    assert_allclose(buying_partners(GROUP, "group"), [[1, 1, 0], [1, 1, 0], [0, 0, 1]])
    assert_allclose(buying_partners(GROUP, "all"), np.ones((3, 3)))
    assert_allclose(buying_partners(GROUP, "place"), np.eye(3))


@pytest.mark.parametrize(
    ("consortium", "expected"),
    [
        # W = 100, 100, 200 -> d = 0.05, 0.03, 0.01 + 0.02 = 0.03
        # G = 0.5 * d * P: (1.5, 1.0), (1.5, 0), (2.25, 0.75)
        ("place", [[1.5, 1.0], [1.5, 0.0], [2.25, 0.75]]),
        # W = 200, 200, 200 -> d = 0.07, 0.05, 0.03: (2.1, 1.4), (2.5, 0), (2.25, 0.75)
        ("group", [[2.1, 1.4], [2.5, 0.0], [2.25, 0.75]]),
        # W = 400 everywhere -> d = 0.09, 0.07, 0.05: (2.7, 1.8), (3.5, 0), (3.75, 1.25)
        ("all", [[2.7, 1.8], [3.5, 0.0], [3.75, 1.25]]),
    ],
)
def test_consortium_pools_volume_but_each_place_keeps_its_own_base_discount(consortium, expected):
    """d0 = 0.05, 0.03, 0.01 by place; V0 = 100; compliance 0.5; year 2010, ramp 1."""
    lever = procurement_lever(consortium, base_discount=by_place(0.05, 0.03, 0.01), volume_elasticity=E, compliance=0.5)
    flows = procurement(np.array([2010]), SPEND, GROUP, lever)
    assert_allclose(flows.gross[0, :, :, 0], expected)


def test_volume_below_one_makes_the_log_negative_and_the_discount_is_clipped_at_zero():
    """V0 = 1, W = 0.5: ln(0.5) < 0, e * ln(0.5) = -0.02.
    d0 = 0.05 -> 0.03 (not clipped); d0 = 0.01 -> -0.01 -> clipped to 0."""
    d = price_discount(cell(0.5), by_place(0.05, 0.01), cell(E), cell(1.0), cell(0.2))
    assert_allclose(d[0, :, 0, 0], [0.03, 0.0], atol=1e-15)


def test_small_volume_gross():
    """One place, council P = 0.5, V0 = 1, d0 = 0.05: d = 0.03; G = 0.03 * 0.5 = 0.015."""
    lever = procurement_lever(volume_elasticity=E, reference_volume=1.0)
    flows = procurement(np.array([2010]), flow([[[0.5]]]), np.array([0]), lever)
    assert_allclose(flows.gross, [[[[0.015]]]])


def test_max_discount_clips():
    """all: W = 400, d0 = 0.05 -> 0.09 raw; max_discount 0.06 -> 0.06. Place 0 G = 0.06 * (60, 40) = 3.6, 2.4."""
    lever = procurement_lever("all", volume_elasticity=E, max_discount=0.06)
    flows = procurement(np.array([2010]), SPEND, GROUP, lever)
    assert_allclose(flows.gross[0, 0, :, 0], [3.6, 2.4])


def test_no_volume_no_discount():
    """W = 0 gives d = 0 (not d0 and not NaN from ln 0)."""
    d = price_discount(cell(0.0), cell(0.05), cell(E), cell(100.0), cell(0.2))
    assert_allclose(d, [[[[0.0]]]])


def test_setup_cost_split_by_share_of_volume_in_start_year_only():
    """Years 2010-2012, start 2011, ramp 1, d = 0.05 (e = 0), compliance 1, fee_share 0.1, setup_cost 10.
    Place 0, P = (60, 40), V = 100: G = 3, 2 in 2011 and 2012.
    cost 2011 = 0.1 * 3 + 10 * 60 / 100 = 6.3 and 0.1 * 2 + 10 * 40 / 100 = 4.2; 2012 = 0.3, 0.2; 2010 = 0.
    Place 1 has no procurement spend (V = 0): no setup cost and no NaN."""
    spend = flow([[[60] * 3, [40] * 3], [[0] * 3, [0] * 3]])
    lever = procurement_lever(start_year=2011, fee_share=0.1, setup_cost=10.0)
    flows = procurement(np.array([2010, 2011, 2012]), spend, np.array([0, 1]), lever)
    assert_allclose(flows.gross[0, 0], [[0, 3, 3], [0, 2, 2]])
    assert_allclose(flows.cost[0, 0], [[0, 6.3, 0.3], [0, 4.2, 0.2]])
    assert np.isfinite(flows.cost).all()
    assert not flows.cost[0, 1].any()
    assert not flows.gross[0, 1].any()


def test_participation_scales_in_scope_spend_and_volume():
    """q = 0.5: P = (30, 20), V = 50, W = 50 with V0 = 100 -> d = 0.05 - 0.02 = 0.03; G = 0.9, 0.6.
    setup 10 in 2010: 10 * 30 / 50 = 6, 10 * 20 / 50 = 4."""
    lever = procurement_lever(participation=cell(0.5), volume_elasticity=E, setup_cost=10.0)
    flows = procurement(np.array([2010]), flow([[[60], [40]]]), np.array([0]), lever)
    assert_allclose(flows.gross[0, 0, :, 0], [0.9, 0.6])
    assert_allclose(flows.cost[0, 0, :, 0], [6.0, 4.0])
