"""Typed inputs of the core: the data a run stands on and one record of parameters per lever.

Records are built at the edge (`tpmodel.model`) from resolved parameters and
data. Every parameter array has the four axes (draw, place, agency, year),
each of full length or 1: a number that is the same for every place and
draw is (1, 1, 1, 1); a share by agency is (draw, place, agency, 1); a value
that cannot differ by place (spec 2: the discount rate, the procurement
reference volume, the single offer's terms) has a place axis of length 1.
Units are those of spec sections 3-7; years are financial years named by the
calendar year they start in (2010 = 2010-11).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from .axes import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class World:
    """The data a run stands on (spec 1, 11)."""

    years: IntArray  # (year,) the model years, first_year .. last_year
    base_spend: FloatArray  # (place, agency, category) S0 [GBP m, 2009-10, real 2010-11 prices]
    local_authorities: FloatArray  # (place,) n_la [count]
    organisations: FloatArray  # (place, agency) O [count]
    group: IntArray  # (place,) group number; a place with no group has a number of its own


@dataclass(frozen=True)
class Partnership:
    """Shared services (spec 5.1); with `Assets` the partnership part of estate co-location (5.4)."""

    participation: FloatArray  # q (draw, place, agency, 1) [share]
    max_rate: FloatArray  # (draw, place, 1, 1) [share]
    scale_k: FloatArray  # (draw, place, 1, 1) [ratio > 0]
    start_year: FloatArray  # (draw, place, 1, 1) [year]
    ramp_years: FloatArray  # (draw, place, 1, 1) [years >= 1]
    cost_rate: FloatArray  # (draw, place, 1, 1) [GBP per GBP of in-scope spend]
    implementation_years: FloatArray  # (draw, place, 1, 1) [years >= 1]


@dataclass(frozen=True)
class Assets(Partnership):
    """Estate co-location and capital receipts, "Total Capital" (spec 5.4)."""

    receipts_multiple: FloatArray  # (draw, place, 1, 1) [GBP per GBP a year of steady-state saving]
    receipts_years: FloatArray  # (draw, place, 1, 1) [years >= 1]


@dataclass(frozen=True)
class Procurement:
    """Collaborative procurement (spec 5.2)."""

    participation: FloatArray  # q (draw, place, agency, 1) [share]
    compliance: FloatArray  # k (draw, place, 1, 1) [share]
    base_discount: FloatArray  # d0 (draw, place, 1, 1) [share]
    volume_elasticity: FloatArray  # e (draw, place, 1, 1) [share per unit of ln volume]
    reference_volume: FloatArray  # V0 (draw, 1, 1, 1) [GBP m a year], not by place
    max_discount: FloatArray  # (draw, place, 1, 1) [share]
    consortium: str  # "place", "group" or "all", not by place
    fee_share: FloatArray  # (draw, place, 1, 1) [share]
    setup_cost: FloatArray  # (draw, place, 1, 1) [GBP m per place]
    start_year: FloatArray  # (draw, place, 1, 1) [year]
    ramp_years: FloatArray  # (draw, place, 1, 1) [years >= 1]


@dataclass(frozen=True)
class Pooling:
    """Pooled budgets and prevention (spec 5.3)."""

    participation: FloatArray  # q (draw, place, agency, 1) [share of frontline spend pooled]
    duplication_rate: FloatArray  # u (draw, place, 1, 1) [share]
    prevention_share: FloatArray  # s (draw, place, 1, 1) [share]
    return_rate: FloatArray  # R (draw, place, 1, 1) [GBP avoided in one year per GBP invested]
    lag_years: FloatArray  # (draw, place, 1, 1) [years >= 0]
    effect_years: FloatArray  # E (draw, place, 1, 1) [years >= 1]
    drop_off: FloatArray  # (draw, place, 1, 1) [share a year]
    benefit_share: FloatArray  # w (draw, place, agency, 1) [share, not yet normalised]
    start_year: FloatArray  # (draw, place, 1, 1) [year]
    ramp_years: FloatArray  # (draw, place, 1, 1) [years >= 1]


@dataclass(frozen=True)
class Reporting:
    """Reporting burden, councils only (spec 5.5)."""

    indicators: FloatArray  # N[t] (draw, place, 1, year) [count] in each model year
    base: FloatArray  # N[first_year - 1] (draw, place, 1, 1) [count]
    cost_per_indicator: FloatArray  # (draw, place, 1, 1) [GBP m a year per LA per indicator]


@dataclass(frozen=True)
class Appraisal:
    """Green Book adjustments of one lever (spec 6), each (draw, place, 1, 1) [share]."""

    benefit_optimism_bias: FloatArray  # b in [0, 1)
    cost_optimism_bias: FloatArray  # o >= 0 [ratio]
    deadweight: FloatArray  # dw in [0, 1)
    cost_deadweight: FloatArray  # cdw in [0, 1)
    cashable_share: FloatArray  # in [0, 1]


@dataclass(frozen=True)
class SingleOfferTerms:
    """The single offer's deal (spec 7); not by place."""

    in_offer: BoolArray  # (place,) places that make the offer
    start_year: FloatArray  # (draw, 1, 1, 1) [year]
    end_year: FloatArray  # (draw, 1, 1, 1) [year]
    target_rate: FloatArray  # (draw, 1, 1, 1) [share of total baseline spend a year]
    retained_share: FloatArray  # (draw, 1, 1, 1) [share]


@dataclass(frozen=True)
class Inputs:
    """Every parameter of a run, by lever (spec 3-7)."""

    real_growth: FloatArray  # g (draw, place, agency, growth year) [share a year], years 2010 .. last_year
    shared_services: Partnership
    procurement: Procurement
    pooling: Pooling
    assets: Assets
    reporting: Reporting
    appraisal: dict[str, Appraisal]  # by lever, every lever of LEVERS
    discount_rate: FloatArray  # (draw, 1, 1, 1) [share a year], not by place
    single_offer: SingleOfferTerms


def stack_draws(records: list[Any]) -> Any:
    """Several runs' inputs (records of one type) as one, the runs along the draw axis.

    Each run must have a draw axis of length 1. An array that is equal in every
    run is kept once (length 1); others are broadcast to a common shape and
    concatenated. Fields that are not arrays of draws (a choice, the offer's
    places) must be equal in every run; the caller groups runs so that they are.
    """
    first = records[0]
    if isinstance(first, dict):
        return {key: stack_draws([record[key] for record in records]) for key in first}
    if not dataclasses.is_dataclass(first) or isinstance(first, type):
        return first
    merged: dict[str, Any] = {}
    for item in dataclasses.fields(first):
        values = [getattr(record, item.name) for record in records]
        value = values[0]
        if isinstance(value, np.ndarray) and value.ndim == 4:
            if all(np.array_equal(value, other) for other in values[1:]):
                merged[item.name] = value
            else:
                shape = np.broadcast_shapes(*(v.shape for v in values))
                merged[item.name] = np.concatenate([np.broadcast_to(v, shape) for v in values], axis=0)
        else:
            merged[item.name] = (
                stack_draws(values) if dataclasses.is_dataclass(value) or isinstance(value, dict) else value
            )
    return dataclasses.replace(first, **merged)


def signature(inputs: Inputs) -> tuple[Any, ...]:
    """What must be equal for runs to share one engine call (`stack_draws`): the procurement consortium,
    the offer's places and the number of growth years."""
    return (inputs.procurement.consortium, inputs.single_offer.in_offer.tobytes(), inputs.real_growth.shape[-1])
