"""Resolved parameters + places data -> the core's typed inputs (spec sections 2-8).

Every parameter becomes a (draw, place, agency, year) array with axes of
length 1 where it does not vary: a place axis of full length only where some
place has its own value or a freedom for it (spec 2), a draw axis of full
length only where a leaf is uncertain and is being sampled. `leaf` gives each
number or distribution its values: the central value by default (spec 8), or
a Monte Carlo's draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .core.axes import AGENCIES, BASE_YEAR, LEVERS, FloatArray
from .core.inputs import (
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
from .core.reporting import indicators_in_force
from .core.sampling import central
from .data import Places
from .params import Resolved, is_distribution
from .params.layers import Key, Setting, leaf_value, look_up, step_mapping

#: Leaf values: (leaf id, number or distribution, integer?) -> (draw,) array [the parameter's unit].
LeafValues = Callable[[str, Any, bool], FloatArray]


def round_half_up(values: FloatArray) -> FloatArray:
    """Whole numbers: floor(x + 0.5) (spec 1, integer parameters: central values and draws alike)."""
    rounded: FloatArray = np.floor(values + 0.5)
    return rounded


def central_leaf(path: str, value: Any, integer: bool) -> FloatArray:
    """The central value of one leaf (draw 0, spec 8) as a (1,) array; integers rounded half up."""
    number = np.array([central(value) if is_distribution(value) else float(value)])
    return round_half_up(number) if integer else number


def world_of(resolved: Resolved, places: Places) -> World:
    """The data a run stands on."""
    return World(
        years=np.array(list(resolved.years), dtype=np.int64),
        base_spend=places.base_spend,
        local_authorities=places.local_authorities,
        organisations=places.organisations,
        group=places.group_numbers,
    )


def offer_mask(resolved: Resolved, places: Places) -> np.ndarray:
    """single_offer.places as a (place,) bool mask: place ids, group names, or `all` (spec 7).

    The ids have been checked against the data (`params.check_places`)."""
    chosen = resolved.values["single_offer.places"]
    if chosen == "all":
        return np.ones(len(places.ids), dtype=bool)
    ids = np.array(places.ids)
    groups = np.array(places.groups)
    return np.isin(ids, chosen) | np.isin(groups, [name for name in chosen if name])


class _Builder:
    """Builds parameter arrays of one run from resolved values, places' own values and freedoms."""

    def __init__(self, resolved: Resolved, places: Places, leaf: LeafValues) -> None:
        self.resolved = resolved
        self.places = places
        self.leaf = leaf
        self.in_offer = offer_mask(resolved, places)
        self.cache: dict[tuple[str, bool, str], FloatArray] = {}

    def _values(self, pairs: Sequence[tuple[str, Any]], integer: bool) -> FloatArray:
        """(draw, leaf) values of (leaf id, number or distribution) pairs; one draw where none is sampled."""
        columns = []
        for leaf_id, value in pairs:
            key = (leaf_id, integer, repr(value))
            if key not in self.cache:
                self.cache[key] = self.leaf(leaf_id, value, integer)
            columns.append(self.cache[key])
        draws = max(column.shape[0] for column in columns)
        return np.stack([np.broadcast_to(column, (draws,)) for column in columns], axis=1)

    def _layers(self, place: int, path: str) -> list[Sequence[Setting]]:
        """The three layers of spec 2 for one place and parameter, in priority order."""
        own = self.resolved.place_settings.get(self.places.ids[place], {}).get(path, [])
        freedom = self.resolved.freedom_settings.get(path, []) if self.in_offer[place] else []
        return [own, freedom, [Setting((), self.resolved.values[path], path)]]

    def _own_places(self, path: str) -> list[int]:
        """Places with their own value or a freedom for `path`."""
        settings = self.resolved.place_settings
        freedom = path in self.resolved.freedom_settings
        return [
            i
            for i, place in enumerate(self.places.ids)
            if path in settings.get(place, {}) or (freedom and self.in_offer[i])
        ]

    def array(self, path: str, leaves: Sequence[tuple[Key, ...]], tail: tuple[int, ...]) -> FloatArray:
        """A parameter as a (draw, place, *tail) array over `leaves` (the keys of each leaf, in order)."""
        integer = self.resolved.specs[path].type == "integer"
        common = self._values([look_up(self.resolved.values[path], keys, path) for keys in leaves], integer)
        own = {
            i: self._values([leaf_value(keys, self._layers(i, path)) for keys in leaves], integer)
            for i in self._own_places(path)
        }
        by_place = self._by_place(common, own)
        return by_place.reshape(*by_place.shape[:2], *tail)

    def _by_place(self, common: FloatArray, own: dict[int, FloatArray]) -> FloatArray:
        """(draw, place or 1, leaf): the values for all places, with the rows of places that have their
        own; a place axis of length 1 where no place has."""
        if not own:
            return common[:, None, :]
        draws = max(common.shape[0], *(values.shape[0] for values in own.values()))
        by_place = np.empty((draws, len(self.places.ids), common.shape[1]))
        by_place[:] = common[:, None, :]
        for i, values in own.items():
            by_place[:, i, :] = values
        return by_place

    def scalar(self, path: str) -> FloatArray:
        """(draw, place, 1, 1)."""
        return self.array(path, [()], (1, 1))

    def by_agency(self, path: str) -> FloatArray:
        """(draw, place, agency, 1)."""
        return self.array(path, [(agency,) for agency in AGENCIES], (len(AGENCIES), 1))

    def by_agency_year(self, path: str, years: Sequence[int]) -> FloatArray:
        """(draw, place, agency, year) over `years`."""
        leaves = [(agency, year) for agency in AGENCIES for year in years]
        return self.array(path, leaves, (len(AGENCIES), len(years)))

    def step(self, path: str, years: Sequence[int]) -> FloatArray:
        """A step-function parameter (spec 5.5) in each of `years`: (draw, place, 1, year)."""
        integer = self.resolved.specs[path].type == "integer"
        wanted = np.array(years, dtype=np.float64)

        def in_force(layers: Sequence[Sequence[Setting]]) -> FloatArray:
            mapping = step_mapping(layers)
            counts = self._values(list(mapping.values()), integer)
            return indicators_in_force(np.array(list(mapping), dtype=np.float64), counts, wanted)

        common = in_force([[Setting((), self.resolved.values[path], path)]])
        own = {i: in_force(self._layers(i, path)) for i in self._own_places(path)}
        return self._by_place(common, own)[:, :, None, :]


def engine_inputs(resolved: Resolved, places: Places, leaf: LeafValues = central_leaf) -> Inputs:
    """The core's typed inputs for one run (spec 2-8); `leaf` gives each leaf its values."""
    build = _Builder(resolved, places, leaf)
    years = list(resolved.years)

    def fields(lever: str, *names: str) -> dict[str, FloatArray]:
        return {
            name: build.by_agency(f"{lever}.{name}") if name in ("participation", "benefit_share")
            else build.scalar(f"{lever}.{name}")
            for name in names
        }  # fmt: skip

    partnership = ("participation", "max_rate", "scale_k", "start_year", "ramp_years", "cost_rate")
    partnership += ("implementation_years",)
    indicators = build.step("reporting.indicators", [years[0] - 1, *years])
    return Inputs(
        real_growth=build.by_agency_year("baseline.real_growth", range(BASE_YEAR + 1, years[-1] + 1)),
        shared_services=Partnership(**fields("shared_services", *partnership)),
        procurement=Procurement(
            consortium=str(resolved.values["procurement.consortium"]),
            **fields(
                "procurement",
                "participation",
                "compliance",
                "base_discount",
                "volume_elasticity",
                "reference_volume",
                "max_discount",
                "fee_share",
                "setup_cost",
                "start_year",
                "ramp_years",
            ),
        ),
        pooling=Pooling(
            **fields(
                "pooling",
                "participation",
                "duplication_rate",
                "prevention_share",
                "return_rate",
                "lag_years",
                "effect_years",
                "drop_off",
                "benefit_share",
                "start_year",
                "ramp_years",
            )
        ),
        assets=Assets(**fields("assets", *partnership, "receipts_multiple", "receipts_years")),
        reporting=Reporting(
            indicators=indicators[..., 1:],
            base=indicators[..., :1],
            cost_per_indicator=build.scalar("reporting.cost_per_indicator"),
        ),
        appraisal={
            lever: Appraisal(
                **fields(
                    f"appraisal.{lever}",
                    "benefit_optimism_bias",
                    "cost_optimism_bias",
                    "deadweight",
                    "cost_deadweight",
                    "cashable_share",
                )
            )
            for lever in LEVERS
        },
        discount_rate=build.scalar("appraisal.discount_rate"),
        single_offer=SingleOfferTerms(
            in_offer=build.in_offer,
            start_year=build.scalar("single_offer.start_year"),
            end_year=build.scalar("single_offer.end_year"),
            target_rate=build.scalar("single_offer.target_rate"),
            retained_share=build.scalar("single_offer.retained_share"),
        ),
    )
