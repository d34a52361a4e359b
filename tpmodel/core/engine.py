"""The whole model, arrays in and arrays out (spec sections 2-6).

`simulate` wires the lever functions together. Its inputs are plain arrays
keyed by the parameter's dotted path, each with a leading draw axis; the
edges (`tpmodel.model`) build them from resolved parameters and data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .appraisal import Appraised, Headlines, appraise, discount_factors, headline_figures
from .assets import assets_flows
from .axes import AGENCIES, AGENCY, CATEGORIES, LEVERS, PLACE, BoolArray, FloatArray, IntArray
from .baseline import spend_flow
from .flows import Flow
from .pooling import pooling_flows
from .procurement import procurement_flows
from .reporting import reporting_flow
from .shared_services import partnership_flows
from .single_offer import SingleOffer, single_offer

APPRAISAL_FIELDS = ("benefit_optimism_bias", "cost_optimism_bias", "deadweight", "cashable_share")


@dataclass(frozen=True)
class World:
    """The data a run stands on."""

    years: IntArray  # (year,) horizon, first_year .. last_year
    base_spend: FloatArray  # (place, agency, category) S0 [GBP m, 2009-10, real 2010-11 prices]
    local_authorities: FloatArray  # (place,) n_la [count]


class LeverFlows(NamedTuple):
    """One lever's flows, each (draw, place, agency, year) [GBP m, real 2010-11 prices]."""

    gross: FloatArray
    cost: FloatArray
    appraised: Appraised


class Simulation(NamedTuple):
    """Everything a run computes."""

    baseline: FloatArray  # (draw, place, agency, category, year) S [GBP m a year]
    levers: dict[str, LeverFlows]  # by lever, in LEVERS order
    headlines: Headlines
    single_offer: SingleOffer


class Outcome(NamedTuple):
    """What a Monte Carlo needs of a run: the headline figures and the single offer, per draw."""

    headlines: Headlines
    single_offer: SingleOffer


#: Engine inputs by dotted parameter path: float arrays, a (place,) bool mask, a choice string.
Inputs = Mapping[str, "FloatArray | BoolArray | str"]


def lever_flows(world: World, p: Inputs, spend: Mapping[str, Flow]) -> dict[str, tuple[Flow, Flow]]:
    """Gross saving and cost of every lever (spec 4), each a (draw, place, agency, year) `Flow`.

    spend: baseline spend S (spec 2) of each category, (draw, place, agency, year) [GBP m a year].
    """
    years = world.years
    base = world.base_spend
    base_of = {name: base[:, :, i] for i, name in enumerate(CATEGORIES)}

    def lever(name: str, *fields: str) -> list:
        return [p[f"{name}.{field}"] for field in fields]

    partnership = (
        "participation",
        "max_rate",
        "scale_k",
        "start_year",
        "ramp_years",
        "cost_multiple",
        "implementation_years",
    )
    indicators = p["reporting.indicators"]
    shared = partnership_flows(
        years, spend["back_office"], base_of["back_office"], *lever("shared_services", *partnership)
    )
    reporting_gross = reporting_flow(
        indicators[:, 0], indicators[:, 1:], p["reporting.cost_per_indicator"], world.local_authorities, len(AGENCIES)
    )
    return {
        "shared_services": (shared.gross, shared.cost),
        "procurement": procurement_flows(
            years,
            spend["procurement"],
            *lever(
                "procurement",
                "participation",
                "compliance",
                "base_discount",
                "volume_elasticity",
                "reference_volume",
                "max_discount",
                "consortium",
                "fee_share",
                "setup_cost",
                "start_year",
                "ramp_years",
            ),
        ),
        "pooling": pooling_flows(
            years,
            spend["frontline"],
            *lever(
                "pooling",
                "participation",
                "duplication_rate",
                "prevention_share",
                "return_rate",
                "lag_years",
                "drop_off",
                "benefit_share",
                "start_year",
                "ramp_years",
            ),
        ),
        "assets": assets_flows(
            years, spend["estate"], base_of["estate"], *lever("assets", *partnership, "receipts_multiple")
        ),
        "reporting": (reporting_gross, reporting_gross.times(np.zeros((1, 1, 1, 1)))),
    }


def _run(world: World, p: Inputs) -> tuple[dict[str, Flow], dict[str, tuple[Flow, Flow]], FloatArray, Outcome]:
    """Spend, lever flows, discount factors and the outcome (headlines, single offer) of spec 2-6."""
    years = world.years
    growth = p["baseline.real_growth"]
    spend = {name: spend_flow(world.base_spend[:, :, i], growth) for i, name in enumerate(CATEGORIES)}
    discount = discount_factors(years, p["appraisal.discount_rate"])
    flows = lever_flows(world, p, spend)
    assert tuple(flows) == LEVERS
    by_place: list[Appraised] = []
    by_agency: list[Appraised] = []
    for name, (gross, cost) in flows.items():
        bias = [p[f"appraisal.{name}.{field}"] for field in APPRAISAL_FIELDS]
        by_place.append(appraise(gross.total(AGENCY), cost.total(AGENCY), *bias, discount))
        by_agency.append(appraise(gross.total(PLACE), cost.total(PLACE), *bias, discount))
    total_cashable = sum(a.cashable for a in by_place)[:, :, 0, :]
    total_baseline = sum(flow.total(AGENCY) for flow in spend.values())[:, :, 0, :]
    offer = single_offer(
        years,
        total_cashable,
        total_baseline,
        p["single_offer.places"],
        p["single_offer.start_year"],
        p["single_offer.target_rate"],
        p["single_offer.retained_share"],
    )
    return spend, flows, discount, Outcome(headline_figures(years, by_place, by_agency, discount), offer)


def simulate(world: World, p: Inputs) -> Simulation:
    """Run the model of spec sections 2-6 for every draw at once, keeping every flow cell by cell.

    p: arrays by dotted parameter path, each with a leading draw axis:
    scalars (draw,), by agency (draw, agency), `baseline.real_growth`
    (draw, agency, year), `reporting.indicators` (draw, 1 + year) with the
    base year 2009 first, `single_offer.places` (place,) bool and
    `procurement.consortium` a string. All draw axes have the same length.
    """
    spend, flows, discount, outcome = _run(world, p)
    levers: dict[str, LeverFlows] = {}
    for name, (gross_flow, cost_flow) in flows.items():
        gross, cost = gross_flow.full(), cost_flow.full()
        bias = [p[f"appraisal.{name}.{field}"] for field in APPRAISAL_FIELDS]
        levers[name] = LeverFlows(gross, cost, appraise(gross, cost, *bias, discount))
    baseline = np.stack([flow.full() for flow in spend.values()], axis=3)
    return Simulation(baseline, levers, outcome.headlines, outcome.single_offer)


def simulate_outcome(world: World, p: Inputs, draws: int) -> Outcome:
    """The headline figures and single offer of `draws` draws, without the cell-by-cell flows.

    p: as `simulate`, except that each array's draw axis has length `draws`
    or 1 (a parameter that is the same in every draw); the sums the headline
    figures need are then taken without expanding every cell (`core.flows`).
    The numbers are those of `simulate`, to rounding (1e-12 relative).
    """
    outcome = _run(world, p)[3]
    return Outcome(
        Headlines(*(np.broadcast_to(x, (draws, *x.shape[1:])) for x in outcome.headlines)),
        SingleOffer(*(np.broadcast_to(x, (draws, *x.shape[1:])) for x in outcome.single_offer)),
    )
