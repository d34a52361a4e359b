"""The engine (spec 3-7 wired together): headline figures agree with the cells, and draws do not mix.

World: 2 places, agencies (council, nhs), years 2010-2014, every lever on,
place-specific parameters and appraisal adjustments, procurement bought by
all places together, place 0 in the single offer.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from tpmodel.core.axes import LEVERS
from tpmodel.core.engine import simulate, simulate_outcome

from .worlds import (
    appraisal,
    assets_lever,
    by_place,
    by_place_agency,
    by_year,
    draw_slice,
    inputs,
    partnership,
    pooling_lever,
    procurement_lever,
    reporting_lever,
    spend_of,
    terms,
    world,
)

YEARS = (2010, 2011, 2012, 2013, 2014)
WORLD = world(
    spend_of(
        2,
        2,
        back_office=[[100, 40], [60, 0]],
        procurement=[[200, 80], [120, 30]],
        frontline=[[500, 300], [400, 250]],
        estate=[[50, 20], [30, 10]],
    ),
    years=YEARS,
    organisations=[[2, 1], [3, 2]],
    local_authorities=[2, 3],
    group=[0, 1],
)


def central_inputs():
    """Every lever on, several parameters by place, different appraisal adjustments by lever and place."""
    return inputs(
        WORLD,
        real_growth=np.array([[[0.01, 0.02, -0.01, 0.0, 0.03], [-0.02] * 5], [[0.0] * 5, [0.015] * 5]])[None],
        shared_services=partnership(start_year=by_place(2010, 2011), ramp_years=2, implementation_years=2),
        procurement=procurement_lever(
            "all", base_discount=by_place(0.04, 0.02), volume_elasticity=0.01, fee_share=0.1, setup_cost=3.0
        ),
        pooling=pooling_lever(
            lag_years=1, effect_years=3, drop_off=0.2, benefit_share=by_place_agency([[1, 2], [1, 0]])
        ),
        assets=assets_lever(start_year=2011, ramp_years=2, receipts_years=2, max_rate=by_place(0.2, 0.3)),
        reporting=reporting_lever(indicators=by_year(100, 90, 80, 80, 110), base=100.0),
        single_offer=terms([True, False], target_rate=0.002),
        appraisals={
            "shared_services": appraisal(deadweight=by_place(0.1, 0.3), cost_optimism_bias=0.4, cashable_share=0.8),
            "assets": appraisal(benefit_optimism_bias=0.2, cost_deadweight=0.25, cashable_share=by_place(0.5, 1.0)),
            "pooling": appraisal(deadweight=0.2, cashable_share=0.3),
        },
    )


def test_headlines_equal_the_sums_of_the_cells():
    """npv = sum of every lever's pv_net; by lever, agency, place each sum to npv and to the cells;
    net_by_year and cashable_by_year sum the cells over levers, places and agencies; pv_receipts and bcr too."""
    run = simulate(WORLD, central_inputs())
    h = run.outcome.headlines
    cells = run.appraised
    npv = sum(cells[lever].pv_net.sum() for lever in LEVERS)
    assert npv != 0
    assert_allclose(h.npv, [npv], rtol=1e-12)
    assert_allclose(h.npv_by_lever, [[cells[lever].pv_net.sum() for lever in LEVERS]], rtol=1e-12, atol=1e-12)
    by_agency = sum(cells[lever].pv_net.sum(axis=(0, 1, 3)) for lever in LEVERS)
    by_place = sum(cells[lever].pv_net.sum(axis=(0, 2, 3)) for lever in LEVERS)
    assert_allclose(h.npv_by_agency, [by_agency], rtol=1e-12)
    assert_allclose(h.npv_by_place, [by_place], rtol=1e-12)
    for breakdown in (h.npv_by_lever, h.npv_by_agency, h.npv_by_place):
        assert_allclose(breakdown.sum(axis=1), h.npv, rtol=1e-12)
    net = sum(cells[lever].net.sum(axis=(0, 1, 2)) for lever in LEVERS)
    cashable = sum(cells[lever].cashable.sum(axis=(0, 1, 2)) for lever in LEVERS)
    assert_allclose(h.net_by_year, [net], rtol=1e-12)
    assert_allclose(h.cumulative_net_by_year, [np.cumsum(net)], rtol=1e-12)
    assert_allclose(h.cashable_by_year, [cashable], rtol=1e-12)
    discount_factor = (1.035 ** -np.arange(5.0))[None, None, None]
    receipts = sum((cells[lever].adj_receipts * discount_factor).sum() for lever in LEVERS)
    assert receipts > 0
    assert_allclose(h.pv_receipts, [receipts], rtol=1e-12)
    costs = sum((cells[lever].adj_cost * discount_factor).sum() for lever in LEVERS)
    benefits = sum(((cells[lever].adj_gross + cells[lever].adj_receipts) * discount_factor).sum() for lever in LEVERS)
    assert_allclose(h.bcr, [benefits / costs], rtol=1e-12)


def test_single_offer_uses_the_cells_cashable_and_baseline():
    """Place 0 in the offer 2011-2014: total cashable = its cells' cashable summed over levers and agencies;
    target = 0.002 * its baseline spend over agencies and categories."""
    run = simulate(WORLD, central_inputs())
    cashable = sum(run.appraised[lever].cashable[0, 0].sum(axis=0) for lever in LEVERS)
    baseline = sum(s[0, 0].sum(axis=0) for s in run.baseline.values())
    offer = run.outcome.single_offer
    assert_allclose(offer.total_cashable[0, 0], [0, *cashable[1:]], rtol=1e-12)
    assert_allclose(offer.target[0, 0], [0, *(0.002 * baseline[1:])], rtol=1e-12)
    assert not offer.total_cashable[0, 1].any()


def figures(outcome):
    return [*outcome.headlines, *outcome.single_offer]


def test_draws_of_a_parameter_free_input_equal_the_central_case():
    """Inputs of draw length 1, five draws: every draw's headlines and single offer equal the central case."""
    central = simulate(WORLD, central_inputs()).outcome
    five = simulate_outcome(WORLD, central_inputs(), 5)
    for one, many in zip(figures(central), figures(five), strict=True):
        assert many.shape[0] == 5
        for draw in range(5):
            np.testing.assert_array_equal(many[draw], one[0])


def varied_inputs(draws, seed=1):
    """Inputs whose draw axis has length `draws` for parameters of every lever, the appraisal and the offer."""
    rng = np.random.default_rng(seed)

    def per_draw(low, high, shape=(1, 1, 1), integer=False):
        values = rng.uniform(low, high, size=(draws, *shape))
        return np.floor(values) if integer else values

    base = central_inputs()
    return inputs(
        WORLD,
        real_growth=per_draw(-0.05, 0.05, (2, 2, 5)),
        discount_rate=per_draw(0.0, 0.1),
        shared_services=partnership(
            participation=per_draw(0.2, 1.0, (2, 2, 1)),
            max_rate=per_draw(0.05, 0.4, (2, 1, 1)),
            start_year=per_draw(2010, 2014, integer=True),
            ramp_years=2,
            implementation_years=per_draw(1, 4, integer=True),
        ),
        procurement=procurement_lever(
            "all",
            base_discount=per_draw(0.0, 0.06, (2, 1, 1)),
            volume_elasticity=0.01,
            reference_volume=per_draw(50, 300),
            fee_share=0.1,
            setup_cost=3.0,
        ),
        pooling=pooling_lever(
            return_rate=per_draw(0.5, 2.0),
            lag_years=per_draw(0, 3, integer=True),
            effect_years=per_draw(1, 4, integer=True),
            drop_off=0.2,
            benefit_share=per_draw(0.1, 1.0, (1, 2, 1)),
        ),
        assets=assets_lever(
            start_year=2011, ramp_years=per_draw(1, 3, integer=True), receipts_multiple=per_draw(0.0, 4.0)
        ),
        reporting=reporting_lever(indicators=per_draw(60, 120, (1, 1, 5)), base=100.0),
        single_offer=terms([True, False], target_rate=per_draw(0.0, 0.01), retained_share=per_draw(0, 1)),
        appraisals=base.appraisal | {"procurement": appraisal(deadweight=per_draw(0.0, 0.5, (2, 1, 1)))},
    )


def test_each_draw_equals_a_central_run_with_that_draw_values():
    """Five draws with different values in each: draw i of simulate_outcome equals simulate on draw i's
    slice of every input array (a mix-up of the draw axis with another axis or between draws fails)."""
    varied = varied_inputs(5)
    many = simulate_outcome(WORLD, varied, 5)
    npvs = many.headlines.npv
    assert len(set(npvs.tolist())) == 5
    for draw in range(5):
        one = simulate(WORLD, draw_slice(varied, draw, draw + 1)).outcome
        for single, several in zip(figures(one), figures(many), strict=True):
            assert_allclose(several[draw], single[0], rtol=1e-12, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("cut", [3, 1, 9])
def test_chunks_of_draws_give_bit_identical_headlines(cut):
    """Draws 0..9 at once, or draws 0..cut-1 then cut..9: the same headline figures to the bit."""
    varied = varied_inputs(10, seed=2)
    whole = simulate_outcome(WORLD, varied, 10)
    first = simulate_outcome(WORLD, draw_slice(varied, 0, cut), cut)
    rest = simulate_outcome(WORLD, draw_slice(varied, cut, 10), 10 - cut)
    for all_at_once, head, tail in zip(figures(whole), figures(first), figures(rest), strict=True):
        assert np.array_equal(all_at_once, np.concatenate([head, tail]), equal_nan=all_at_once.dtype != bool)
