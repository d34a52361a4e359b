"""The whole model, arrays in and arrays out (spec sections 3-7).

`simulate` wires the lever functions together for the central case, keeping
every flow cell by cell; `simulate_outcome` gives only the headline figures
and the single offer, for many draws at once. Both take a `World` and typed
`Inputs` built at the edge (`tpmodel.model`), and both compute the headline
figures the same way (`lever_sums`), so a central run equals a Monte Carlo
run of zero draws.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .appraisal import Appraised, Headlines, LeverSums, appraise, discount_factors, headline_figures, lever_sums
from .assets import assets
from .axes import AGENCY, CATEGORIES, LEVERS, AnyArray, FloatArray, add_up, full
from .baseline import baseline_spend, growth_index
from .inputs import Inputs, World
from .pooling import pooling
from .procurement import procurement
from .reporting import reporting
from .shared_services import partnership
from .single_offer import SingleOffer, single_offer


class LeverFlows(NamedTuple):
    """One lever's flows, each (draw, place, agency, year) [GBP m, real 2010-11 prices]."""

    gross: FloatArray
    receipts: FloatArray
    cost: FloatArray


class Outcome(NamedTuple):
    """What a Monte Carlo needs of a run: the headline figures and the single offer, per draw."""

    headlines: Headlines
    single_offer: SingleOffer


class Simulation(NamedTuple):
    """Everything a central run computes."""

    baseline: dict[str, FloatArray]  # by category: (draw, place, agency, year) S [GBP m a year]
    levers: dict[str, LeverFlows]  # by lever, in LEVERS order
    appraised: dict[str, Appraised]  # by lever, in LEVERS order
    discount_factor: FloatArray  # DF (draw, 1, 1, year) [ratio]
    outcome: Outcome


def baseline(world: World, inputs: Inputs) -> dict[str, FloatArray]:
    """Baseline spend S (spec 3) of each category: (draw, place, agency, year) [GBP m a year]."""
    index = growth_index(world.years, inputs.real_growth)
    return {name: baseline_spend(world.base_spend[:, :, i], index) for i, name in enumerate(CATEGORIES)}


def lever_flows(
    world: World, inputs: Inputs, spend: dict[str, FloatArray], draws: int, every_cell: bool = True
) -> dict[str, LeverFlows]:
    """Gross saving, receipts and cost of every lever (spec 5), each a contiguous
    (draws, place, agency, year) array [GBP m].

    every_cell=False leaves the flows that are 0 by definition (receipts of
    every lever but assets, the cost of reporting) as a (1, 1, 1, 1) zero, for
    `lever_sums` to skip.
    """
    years, base, organisations = world.years, world.base_spend, world.organisations
    base_of = {name: base[:, :, i] for i, name in enumerate(CATEGORIES)}
    shared = partnership(years, spend["back_office"], base_of["back_office"], organisations, inputs.shared_services)
    bought = procurement(years, spend["procurement"], world.group, inputs.procurement)
    pooled = pooling(years, spend["frontline"], inputs.pooling)
    estate = assets(years, spend["estate"], base_of["estate"], organisations, inputs.assets)
    burden = reporting(world.local_authorities, base.shape[1], inputs.reporting)
    nothing = 0.0 * burden if every_cell else np.zeros((1, 1, 1, 1))
    flows = {
        "shared_services": (shared.gross, nothing, shared.cost),
        "procurement": (bought.gross, nothing, bought.cost),
        "pooling": (pooled.gross, nothing, pooled.cost),
        "assets": (estate.gross, estate.receipts, estate.cost),
        "reporting": (burden, nothing, nothing),
    }
    shape = (draws, base.shape[0], base.shape[1], years.size)
    return {
        name: LeverFlows(*(flow if flow is nothing else full(flow, *shape) for flow in flows[name])) for name in LEVERS
    }


def outcome(
    world: World, inputs: Inputs, spend: dict[str, FloatArray], flows: dict[str, LeverFlows], draws: int
) -> Outcome:
    """Headline figures (spec 6) and the single offer (spec 7) of every draw."""
    discount_factor = discount_factors(world.years, inputs.discount_rate)
    sums: list[LeverSums] = [
        lever_sums(flow.gross, flow.receipts, flow.cost, inputs.appraisal[name], discount_factor)
        for name, flow in flows.items()
    ]
    headlines = headline_figures(world.years, sums, discount_factor)
    total_cashable = add_up([lever.cashable_by_place for lever in sums])
    total_baseline = add_up([s.sum(axis=AGENCY) for s in spend.values()])
    offer = single_offer(world.years, total_cashable, total_baseline, inputs.single_offer)
    shape = (draws, world.base_spend.shape[0], world.years.size)
    return Outcome(
        Headlines(*(full_draws(x, draws) for x in headlines)),
        SingleOffer(*(full_draws(x, draws, shape) for x in offer)),
    )


def full_draws(values: AnyArray, draws: int, shape: tuple[int, ...] | None = None) -> AnyArray:
    """`values` with a draw axis of length `draws` (a parameter-free result is the same in every draw)."""
    return np.broadcast_to(values, shape if shape is not None else (draws, *values.shape[1:]))


def simulate(world: World, inputs: Inputs) -> Simulation:
    """Run the model of spec sections 3-7 for the central case (one draw), keeping every flow cell by cell."""
    spend = baseline(world, inputs)
    flows = lever_flows(world, inputs, spend, 1)
    discount_factor = discount_factors(world.years, inputs.discount_rate)
    appraised = {
        name: appraise(flow.gross, flow.receipts, flow.cost, inputs.appraisal[name], discount_factor)
        for name, flow in flows.items()
    }
    shape = (1, world.base_spend.shape[0], world.base_spend.shape[1], world.years.size)
    spend = {name: full(s, *shape) for name, s in spend.items()}
    return Simulation(spend, flows, appraised, discount_factor, outcome(world, inputs, spend, flows, 1))


def simulate_outcome(world: World, inputs: Inputs, draws: int) -> Outcome:
    """The headline figures and single offer of `draws` draws, without keeping the cell-by-cell flows.

    inputs: as `simulate`, except that each array's draw axis has length
    `draws` or 1 (a parameter that is the same in every draw).
    """
    spend = baseline(world, inputs)
    return outcome(world, inputs, spend, lever_flows(world, inputs, spend, draws, every_cell=False), draws)
