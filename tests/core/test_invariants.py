"""Spec 10 invariants as property tests on random small worlds with parameters within their bounds.

Worlds: 3 places, agencies (council, nhs), years 2010-2019 (the default
horizon), every parameter by place (participation and benefit share by place
and agency). Shares and spend are 0 or well away from 0: a subnormal number
scaled or inverted can underflow or overflow and would test floating point,
not the model.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from tpmodel.core.axes import LEVERS
from tpmodel.core.engine import simulate, simulate_outcome
from tpmodel.core.inputs import Appraisal, Assets, Inputs, Partnership, Pooling, Procurement, Reporting, World

from .worlds import cell, terms

PLACES, AGENCIES = 3, 2
YEARS = np.arange(2010, 2020)
SHORT = 7  # 2010-2016 for the horizon invariant

share = st.one_of(st.just(0.0), st.floats(1e-6, 1.0))
spend_values = st.one_of(st.just(0.0), st.floats(0.01, 500.0))
start_years = st.integers(2010, 2021)
years_1_to_4 = st.integers(1, 4)
FEW = settings(max_examples=25, deadline=None, database=None)
# an "active" world: every lever in scope, in the model years, and with room to move (no 0 or clipped values)
active_share = st.floats(0.2, 1.0)
active_spend = st.floats(1.0, 500.0)
active_start = st.integers(2010, 2015)


class Draw:
    """Arrays of the core's shapes from a hypothesis `draw`."""

    def __init__(self, draw):
        self.draw = draw

    def array(self, strategy, shape):
        size = int(np.prod(shape))
        values = self.draw(st.lists(strategy, min_size=size, max_size=size))
        return np.array(values, dtype=float).reshape(shape)

    def place(self, strategy):
        return self.array(strategy, (1, PLACES, 1, 1))

    def place_agency(self, strategy):
        return self.array(strategy, (1, PLACES, AGENCIES, 1))


def random_partnership(d: Draw, active: bool) -> dict:
    return {
        "participation": d.place_agency(active_share if active else share),
        "max_rate": d.place(st.floats(0.05, 1.0) if active else st.floats(0.0, 1.0)),
        "scale_k": d.place(st.floats(0.01, 5.0)),
        "start_year": d.place(active_start if active else start_years),
        "ramp_years": d.place(years_1_to_4),
        "cost_rate": d.place(st.floats(0.0, 2.0)),
        "implementation_years": d.place(years_1_to_4),
    }


@st.composite
def cases(draw, consortium=None, active=False) -> tuple[World, Inputs]:
    """A world and inputs; `active` keeps shares, spend and rates away from 0 and starts in the model years,
    so that most examples have every lever doing something."""
    d = Draw(draw)
    q = active_share if active else share
    begin = active_start if active else start_years
    the_world = World(
        years=YEARS,
        base_spend=d.array(active_spend if active else spend_values, (PLACES, AGENCIES, 4)),
        local_authorities=d.array(st.integers(1, 10), (PLACES,)),
        organisations=d.array(st.integers(1, 5), (PLACES, AGENCIES)),
        group=d.array(st.integers(0, 1), (PLACES,)).astype(np.int64),
    )
    procurement = Procurement(
        participation=d.place_agency(q),
        compliance=d.place(st.floats(0.2 if active else 0.0, 1.0)),
        base_discount=d.place(st.floats(0.0, 0.1)),
        volume_elasticity=d.place(st.floats(0.005 if active else 0.0, 0.05)),
        reference_volume=cell(draw(st.floats(10.0, 1000.0))),
        max_discount=d.place(st.floats(0.2 if active else 0.0, 0.3)),
        consortium=consortium or draw(st.sampled_from(["place", "group", "all"])),
        fee_share=d.place(st.floats(0.0, 1.0)),
        setup_cost=d.place(st.floats(0.0, 5.0)),
        start_year=d.place(begin),
        ramp_years=d.place(years_1_to_4),
    )
    benefit_share = np.concatenate(
        [d.array(st.floats(0.1, 2.0), (1, PLACES, 1, 1)), d.array(st.floats(0.0, 2.0), (1, PLACES, 1, 1))], axis=2
    )
    pooling = Pooling(
        participation=d.place_agency(q),
        duplication_rate=d.place(st.floats(0.0, 0.2)),
        prevention_share=d.place(st.floats(0.05 if active else 0.0, 0.3)),
        return_rate=d.place(st.floats(0.0, 3.0)),
        lag_years=d.place(st.integers(0, 3)),
        effect_years=d.place(st.integers(1, 5)),
        drop_off=d.place(st.floats(0.0, 1.0)),
        benefit_share=benefit_share,
        start_year=d.place(begin),
        ramp_years=d.place(years_1_to_4),
    )
    assets = Assets(
        **random_partnership(d, active),
        receipts_multiple=d.place(st.floats(0.0, 5.0)),
        receipts_years=d.place(years_1_to_4),
    )
    reporting = Reporting(
        indicators=d.array(st.integers(0, 250), (1, PLACES, 1, YEARS.size)),
        base=d.place(st.integers(0, 250)),
        cost_per_indicator=d.place(st.floats(0.0, 0.01)),
    )
    appraisals = {
        lever: Appraisal(
            benefit_optimism_bias=d.place(st.floats(0.0, 0.9)),
            cost_optimism_bias=d.place(st.floats(0.0, 1.0)),
            deadweight=d.place(st.floats(0.0, 0.9)),
            cost_deadweight=d.place(st.floats(0.0, 0.9)),
            cashable_share=d.place(st.floats(0.0, 1.0)),
        )
        for lever in LEVERS
    }
    offer_start = draw(st.integers(2010, 2016))
    offer = terms(
        draw(st.lists(st.booleans(), min_size=PLACES, max_size=PLACES)),
        start_year=offer_start,
        end_year=draw(st.integers(offer_start, 2021)),
        target_rate=draw(st.floats(0.0, 0.05)),
        retained_share=draw(st.floats(0.0, 1.0)),
    )
    the_inputs = Inputs(
        real_growth=d.array(st.floats(-0.1, 0.1), (1, PLACES, AGENCIES, YEARS.size)),
        shared_services=Partnership(**random_partnership(d, active)),
        procurement=procurement,
        pooling=pooling,
        assets=assets,
        reporting=reporting,
        appraisal=appraisals,
        discount_rate=cell(draw(st.floats(0.0, 0.1))),
        single_offer=offer,
    )
    return the_world, the_inputs


def every_flow(run) -> dict[str, np.ndarray]:
    """Every cell-by-cell flow of a central run, by name."""
    out = {
        f"{lever}.{name}": getattr(run.levers[lever], name)
        for lever in LEVERS
        for name in ("gross", "receipts", "cost")
    }
    for lever in LEVERS:
        out |= {f"{lever}.{name}": value for name, value in run.appraised[lever]._asdict().items()}
    return out


def with_lever(inputs: Inputs, lever: str, **changes) -> Inputs:
    return replace(inputs, **{lever: replace(getattr(inputs, lever), **changes)})


@FEW
@given(cases())
def test_no_participation_and_constant_indicators_nothing_happens(case):
    """q = 0 for every lever and N[t] = base in every year: every gross, receipt and cost is exactly 0."""
    the_world, the_inputs = case
    for lever in ("shared_services", "procurement", "pooling", "assets"):
        the_inputs = with_lever(the_inputs, lever, participation=cell(0.0))
    the_inputs = with_lever(the_inputs, "reporting", indicators=the_inputs.reporting.base)
    run = simulate(the_world, the_inputs)
    for lever in LEVERS:
        for name, values in run.levers[lever]._asdict().items():
            assert not values.any(), f"{lever}.{name}"
    assert run.outcome.headlines.npv[0] == 0
    assert np.isnan(run.outcome.headlines.payback_year[0])


@FEW
@given(cases())
def test_breakdowns_sum_to_npv(case):
    """npv by agency (and by lever, by place) sums to npv."""
    h = simulate(*case).outcome.headlines
    scale = 1.0 + np.abs(h.npv_by_lever).sum()
    for breakdown in (h.npv_by_agency, h.npv_by_lever, h.npv_by_place):
        assert_allclose(breakdown.sum(axis=1), h.npv, rtol=1e-10, atol=1e-12 * scale)


@FEW
@given(st.one_of(cases(), cases(active=True)), st.floats(0.1, 10.0))
def test_linear_in_spend(case, k):
    """S0 * k multiplies gross, receipts and cost of shared services, pooling, assets by k; and of
    procurement when volume_elasticity = 0 and setup_cost = 0."""
    the_world, the_inputs = case
    the_inputs = with_lever(the_inputs, "procurement", volume_elasticity=cell(0.0), setup_cost=cell(0.0))
    before = simulate(the_world, the_inputs)
    after = simulate(replace(the_world, base_spend=the_world.base_spend * k), the_inputs)
    for lever in ("shared_services", "procurement", "pooling", "assets"):
        for name in ("gross", "receipts", "cost"):
            old, new = getattr(before.levers[lever], name), getattr(after.levers[lever], name)
            assert_allclose(new, k * old, rtol=1e-9, atol=1e-9, err_msg=f"{lever}.{name}")


SAVING_RATES = [
    ("shared_services", "max_rate", 1.0),
    ("assets", "max_rate", 1.0),
    ("procurement", "compliance", 1.0),
    ("procurement", "base_discount", None),
    ("pooling", "return_rate", None),
    ("pooling", "duplication_rate", 1.0),
]


@FEW
@given(st.one_of(cases(), cases(active=True)), st.sampled_from(SAVING_RATES), st.floats(0.0, 0.5))
def test_raising_a_saving_rate_never_lowers_gross(case, rate, step):
    """rate -> min(rate + step, upper bound), in every place: no lever's gross falls in any cell."""
    the_world, the_inputs = case
    lever, name, upper = rate
    old = getattr(getattr(the_inputs, lever), name)
    new = old + step if upper is None else np.minimum(old + step, upper)
    before = simulate(the_world, the_inputs)
    after = simulate(the_world, with_lever(the_inputs, lever, **{name: new}))
    for each in LEVERS:
        old_gross, new_gross = before.levers[each].gross, after.levers[each].gross
        assert (new_gross >= old_gross - 1e-9 * (1 + np.abs(old_gross))).all(), each


@FEW
@given(st.one_of(cases(), cases(active=True)), st.sampled_from(["shared_services", "assets"]), st.floats(0.0, 2.0))
def test_raising_a_cost_rate_never_lowers_cost(case, lever, step):
    """cost_rate -> cost_rate + step: the lever's cost falls in no cell."""
    the_world, the_inputs = case
    before = simulate(the_world, the_inputs).levers[lever].cost
    raised = with_lever(the_inputs, lever, cost_rate=getattr(the_inputs, lever).cost_rate + step)
    after = simulate(the_world, raised).levers[lever].cost
    assert (after >= before - 1e-9 * (1 + before)).all()


# parameters that can be set by place: (record, field, a strategy of values within bounds)
BY_PLACE = [
    ("shared_services", "participation", share),
    ("shared_services", "max_rate", st.floats(0.0, 1.0)),
    ("shared_services", "start_year", start_years),
    ("shared_services", "cost_rate", st.floats(0.0, 2.0)),
    ("shared_services", "implementation_years", years_1_to_4),
    ("procurement", "participation", share),
    ("procurement", "base_discount", st.floats(0.0, 0.1)),
    ("procurement", "volume_elasticity", st.floats(0.0, 0.05)),
    ("procurement", "setup_cost", st.floats(0.0, 5.0)),
    ("procurement", "start_year", start_years),
    ("pooling", "participation", share),
    ("pooling", "return_rate", st.floats(0.0, 3.0)),
    ("pooling", "lag_years", st.integers(0, 3)),
    ("pooling", "effect_years", st.integers(1, 5)),
    ("pooling", "benefit_share", st.floats(0.1, 2.0)),
    ("assets", "max_rate", st.floats(0.0, 1.0)),
    ("assets", "receipts_multiple", st.floats(0.0, 5.0)),
    ("assets", "receipts_years", years_1_to_4),
    ("reporting", "cost_per_indicator", st.floats(0.0, 0.01)),
    ("reporting", "base", st.integers(0, 250)),
    ("appraisal.assets", "deadweight", st.floats(0.0, 0.9)),
    ("appraisal.pooling", "cashable_share", st.floats(0.0, 1.0)),
    ("appraisal.shared_services", "cost_optimism_bias", st.floats(0.0, 1.0)),
    ("real_growth", None, st.floats(-0.1, 0.1)),
]


@FEW
@given(cases(consortium="place", active=True), st.sampled_from(BY_PLACE), st.integers(0, PLACES - 1), st.data())
def test_locality(case, parameter, place, data):
    """Consortium "place": one place's own value of a parameter (a full place axis with one entry
    changed) leaves every flow of every other place unchanged, to the bit."""
    the_world, the_inputs = case
    record, name, values = parameter
    if record == "real_growth":
        old = the_inputs.real_growth
    elif record.startswith("appraisal."):
        old = getattr(the_inputs.appraisal[record.split(".")[1]], name)
    else:
        old = getattr(getattr(the_inputs, record), name)
    new = np.array(np.broadcast_to(old, (old.shape[0], PLACES, *old.shape[2:])))
    new[:, place] = data.draw(values)
    if record == "real_growth":
        changed = replace(the_inputs, real_growth=new)
    elif record.startswith("appraisal."):
        lever = record.split(".")[1]
        adjusted = replace(the_inputs.appraisal[lever], **{name: new})
        changed = replace(the_inputs, appraisal=the_inputs.appraisal | {lever: adjusted})
    else:
        changed = with_lever(the_inputs, record, **{name: new})
    before, after = every_flow(simulate(the_world, the_inputs)), every_flow(simulate(the_world, changed))
    others = [p for p in range(PLACES) if p != place]
    for key, values_before in before.items():
        np.testing.assert_array_equal(after[key][:, others], values_before[:, others], err_msg=key)


@FEW
@given(st.one_of(cases(), cases(active=True)))
def test_horizon(case):
    """Years 2010-2016 against 2010-2019 (growth and indicators cut to the shorter horizon): every flow
    and appraised cell of 2010-2016, net by year and the single offer of those years are unchanged."""
    the_world, the_inputs = case
    short_world = replace(the_world, years=YEARS[:SHORT])
    short_inputs = with_lever(
        replace(the_inputs, real_growth=the_inputs.real_growth[..., :SHORT]),
        "reporting",
        indicators=the_inputs.reporting.indicators[..., :SHORT],
    )
    long_run, short_run = simulate(the_world, the_inputs), simulate(short_world, short_inputs)
    long_flows, short_flows = every_flow(long_run), every_flow(short_run)
    for key, values in short_flows.items():
        assert values.shape[-1] == SHORT
        assert_allclose(values, long_flows[key][..., :SHORT], rtol=1e-12, atol=1e-12, err_msg=key)
    assert_allclose(short_run.outcome.headlines.net_by_year, long_run.outcome.headlines.net_by_year[:, :SHORT])
    for name, values in short_run.outcome.single_offer._asdict().items():
        if values.dtype == bool:
            np.testing.assert_array_equal(values, long_run.outcome.single_offer._asdict()[name][..., :SHORT])
        else:
            assert_allclose(values, long_run.outcome.single_offer._asdict()[name][..., :SHORT], rtol=1e-12, atol=1e-12)


@FEW
@given(cases())
def test_central_equals_one_draw(case):
    """simulate's headlines and single offer equal simulate_outcome with 1 draw, to the bit."""
    central = simulate(*case).outcome
    one = simulate_outcome(*case, 1)
    for ours, theirs in zip(
        [*central.headlines, *central.single_offer], [*one.headlines, *one.single_offer], strict=True
    ):
        np.testing.assert_array_equal(ours, theirs)
