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

from .appraisal import Appraised, Headlines, appraise, discount_factors, headlines
from .assets import assets
from .axes import AGENCIES, AGENCY, CATEGORIES, LEVERS, BoolArray, FloatArray, IntArray
from .baseline import baseline_spend
from .pooling import pooling
from .procurement import procurement
from .reporting import reporting
from .shared_services import shared_services
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


Inputs = Mapping[str, "FloatArray | BoolArray | str"]


def lever_flows(world: World, p: Inputs, spend: FloatArray) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Gross saving and cost of every lever (spec 4), each (draw, place, agency, year).

    spend: (draw, place, agency, category, year) baseline spend S [GBP m a year].
    """
    years = world.years
    base = world.base_spend
    category = {name: spend[:, :, :, i, :] for i, name in enumerate(CATEGORIES)}
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
    return {
        "shared_services": shared_services(
            years, category["back_office"], base_of["back_office"], *lever("shared_services", *partnership)
        ),
        "procurement": procurement(
            years,
            category["procurement"],
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
        "pooling": pooling(
            years,
            category["frontline"],
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
        "assets": assets(
            years, category["estate"], base_of["estate"], *lever("assets", *partnership, "receipts_multiple")
        ),
        "reporting": (
            reporting(
                indicators[:, 0],
                indicators[:, 1:],
                p["reporting.cost_per_indicator"],
                world.local_authorities,
                len(AGENCIES),
            ),
            np.zeros_like(category["back_office"]),
        ),
    }


def simulate(world: World, p: Inputs) -> Simulation:
    """Run the model of spec sections 2-6 for every draw at once.

    p: arrays by dotted parameter path, each with a leading draw axis:
    scalars (draw,), by agency (draw, agency), `baseline.real_growth`
    (draw, agency, year), `reporting.indicators` (draw, 1 + year) with the
    base year 2009 first, `single_offer.places` (place,) bool and
    `procurement.consortium` a string.
    """
    years = world.years
    growth = p["baseline.real_growth"]
    spend = np.stack([baseline_spend(world.base_spend[:, :, i], growth) for i in range(len(CATEGORIES))], axis=3)
    discount = discount_factors(years, p["appraisal.discount_rate"])
    levers: dict[str, LeverFlows] = {}
    for name, (gross, cost) in lever_flows(world, p, spend).items():
        bias = [p[f"appraisal.{name}.{field}"] for field in APPRAISAL_FIELDS]
        levers[name] = LeverFlows(gross, cost, appraise(gross, cost, *bias, discount))
    assert tuple(levers) == LEVERS
    appraised = [flows.appraised for flows in levers.values()]
    total_cashable = sum(a.cashable for a in appraised).sum(axis=AGENCY)
    offer = single_offer(
        years,
        total_cashable,
        spend.sum(axis=(AGENCY, 3)),
        p["single_offer.places"],
        p["single_offer.start_year"],
        p["single_offer.target_rate"],
        p["single_offer.retained_share"],
    )
    return Simulation(spend, levers, headlines(years, appraised, discount), offer)
