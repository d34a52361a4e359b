"""Tiny worlds and default inputs for the core tests, so each test states only what matters.

Every parameter array of the core has the axes (draw, place, agency, year),
each of full length or 1. The helpers here turn plain numbers into such
arrays (`cell`, `by_place`, `by_agency`, `by_year`) and build lever records
from a set of round defaults plus keyword overrides. A number given as an
override is made a (1, 1, 1, 1) array; an array is passed through as it is.

Defaults (chosen so that every lever does something when it is switched on):
shared services and assets: q = 1, max_rate 0.2, scale_k = ln 2 (two partners
give r = 0.1), start 2010, ramp 1, cost_rate 0.1, implementation 1 year;
assets also receipts_multiple 2, receipts_years 1. Procurement: q = 1,
compliance 1, d0 0.05, e 0, V0 100, max_discount 0.2, consortium place, no fee,
no setup cost, start 2010, ramp 1. Pooling: q = 0.1, u 0.05, s 0.1, R 1.5,
lag 0, E 1, no drop-off, w = 1 for every agency, start 2010, ramp 1.
Reporting: 100 indicators in the base and every year (no saving), GBP 0.01 m
per indicator per LA. Appraisal: no adjustment, cashable_share 1. Discount
rate 0.035. Single offer: no place, 2011-2014, target 1%, retained half.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import fields, is_dataclass, replace
from typing import Any

import numpy as np

from tpmodel.core.axes import BASE_YEAR, LEVERS
from tpmodel.core.inputs import (
    Appraisal,
    Assets,
    Inputs,
    Partnership,
    Pooling,
    Procurement,
    Reporting,
    SingleOfferTerms,
    World,
)

LN2 = math.log(2.0)


def cell(value: float) -> np.ndarray:
    """One number for every draw, place, agency and year: (1, 1, 1, 1)."""
    return np.full((1, 1, 1, 1), float(value))


def by_place(*values: float) -> np.ndarray:
    """One number per place: (1, place, 1, 1)."""
    return np.array(values, dtype=float).reshape(1, -1, 1, 1)


def by_agency(*values: float) -> np.ndarray:
    """One number per agency, the same in every place: (1, 1, agency, 1)."""
    return np.array(values, dtype=float).reshape(1, 1, -1, 1)


def by_place_agency(rows: Sequence[Sequence[float]]) -> np.ndarray:
    """rows[p][a]: (1, place, agency, 1)."""
    return np.array(rows, dtype=float)[None, :, :, None]


def by_year(*values: float) -> np.ndarray:
    """One number per year: (1, 1, 1, year)."""
    return np.array(values, dtype=float).reshape(1, 1, 1, -1)


def by_draw(*values: float) -> np.ndarray:
    """One number per draw: (draw, 1, 1, 1)."""
    return np.array(values, dtype=float).reshape(-1, 1, 1, 1)


def flow(rows: Sequence[Sequence[Sequence[float]]]) -> np.ndarray:
    """rows[p][a][t] as a one-draw (1, place, agency, year) flow."""
    return np.array(rows, dtype=float)[None]


def _arrays(overrides: dict[str, Any]) -> dict[str, Any]:
    return {k: cell(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for k, v in overrides.items()}


def world(
    base_spend: Any,
    years: Sequence[int] = (2010, 2011, 2012),
    organisations: Any = None,
    local_authorities: Any = None,
    group: Any = None,
) -> World:
    """A world from base spend S0 (place, agency, category) [GBP m].

    Organisations default to 1 of each agency, local authorities to 1 per
    place, groups to one per place.
    """
    spend = np.array(base_spend, dtype=float)
    places, agencies = spend.shape[:2]
    return World(
        years=np.array(years, dtype=np.int64),
        base_spend=spend,
        local_authorities=np.ones(places) if local_authorities is None else np.array(local_authorities, float),
        organisations=np.ones((places, agencies)) if organisations is None else np.array(organisations, float),
        group=np.arange(places, dtype=np.int64) if group is None else np.array(group, dtype=np.int64),
    )


def spend_of(places: int, agencies: int, **categories: Sequence[Sequence[float]]) -> np.ndarray:
    """S0 (place, agency, category) with the named categories given as [place][agency], the rest 0."""
    order = ("back_office", "procurement", "frontline", "estate")
    spend = np.zeros((places, agencies, len(order)))
    for name, rows in categories.items():
        spend[:, :, order.index(name)] = np.array(rows, dtype=float)
    return spend


def partnership(**overrides: Any) -> Partnership:
    values = {
        "participation": cell(1.0),
        "max_rate": cell(0.2),
        "scale_k": cell(LN2),
        "start_year": cell(2010),
        "ramp_years": cell(1),
        "cost_rate": cell(0.1),
        "implementation_years": cell(1),
    }
    return Partnership(**(values | _arrays(overrides)))


def assets_lever(**overrides: Any) -> Assets:
    values = vars(partnership()) | {"receipts_multiple": cell(2.0), "receipts_years": cell(1)}
    return Assets(**(values | _arrays(overrides)))


def procurement_lever(consortium: str = "place", **overrides: Any) -> Procurement:
    values = {
        "participation": cell(1.0),
        "compliance": cell(1.0),
        "base_discount": cell(0.05),
        "volume_elasticity": cell(0.0),
        "reference_volume": cell(100.0),
        "max_discount": cell(0.2),
        "consortium": consortium,
        "fee_share": cell(0.0),
        "setup_cost": cell(0.0),
        "start_year": cell(2010),
        "ramp_years": cell(1),
    }
    return Procurement(**(values | _arrays(overrides)))


def pooling_lever(**overrides: Any) -> Pooling:
    values = {
        "participation": cell(0.1),
        "duplication_rate": cell(0.05),
        "prevention_share": cell(0.1),
        "return_rate": cell(1.5),
        "lag_years": cell(0),
        "effect_years": cell(1),
        "drop_off": cell(0.0),
        "benefit_share": cell(1.0),
        "start_year": cell(2010),
        "ramp_years": cell(1),
    }
    return Pooling(**(values | _arrays(overrides)))


def reporting_lever(**overrides: Any) -> Reporting:
    values = {"indicators": cell(100), "base": cell(100), "cost_per_indicator": cell(0.01)}
    return Reporting(**(values | _arrays(overrides)))


def appraisal(**overrides: Any) -> Appraisal:
    values = {
        "benefit_optimism_bias": cell(0.0),
        "cost_optimism_bias": cell(0.0),
        "deadweight": cell(0.0),
        "cost_deadweight": cell(0.0),
        "cashable_share": cell(1.0),
    }
    return Appraisal(**(values | _arrays(overrides)))


def terms(in_offer: Sequence[bool], **overrides: Any) -> SingleOfferTerms:
    values = {
        "in_offer": np.array(in_offer, dtype=bool),
        "start_year": cell(2011),
        "end_year": cell(2014),
        "target_rate": cell(0.01),
        "retained_share": cell(0.5),
    }
    return SingleOfferTerms(**(values | _arrays(overrides)))


def no_growth(years: Sequence[int]) -> np.ndarray:
    """g = 0 for the growth years 2010 .. last_year: (1, 1, 1, growth year)."""
    return np.zeros((1, 1, 1, max(years) - BASE_YEAR))


def inputs(the_world: World, appraisals: dict[str, Appraisal] | None = None, **overrides: Any) -> Inputs:
    """Inputs for `the_world` from the defaults above; overrides are whole records or arrays by field name."""
    places = the_world.base_spend.shape[0]
    values: dict[str, Any] = {
        "real_growth": no_growth(the_world.years.tolist()),
        "shared_services": partnership(),
        "procurement": procurement_lever(),
        "pooling": pooling_lever(),
        "assets": assets_lever(),
        "reporting": reporting_lever(),
        "appraisal": {lever: appraisal() for lever in LEVERS} | (appraisals or {}),
        "discount_rate": cell(0.035),
        "single_offer": terms([False] * places),
    }
    return Inputs(**(values | _arrays(overrides)))


def draw_slice(value: Any, start: int, stop: int) -> Any:
    """`value` (an Inputs, a record, a dict of records or an array) with draws start .. stop - 1 only.

    Arrays of 4 axes whose draw axis has length 1 (the same in every draw) are left as they are.
    """
    if isinstance(value, dict):
        return {k: draw_slice(v, start, stop) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: draw_slice(getattr(value, f.name), start, stop) for f in fields(value)})
    if isinstance(value, np.ndarray) and value.ndim == 4 and value.shape[0] > 1:
        return value[start:stop]
    return value
