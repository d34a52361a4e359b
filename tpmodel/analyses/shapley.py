"""Who gets the credit, order-free: Shapley values of the five levers (issue 12 item 5).

A lever is *on* as the scenario sets it and *off* as the one-lever scenarios
switch it off: no agency in any place takes part (`participation` 0 for
shared services, procurement, pooling and assets, places' own values and the
single offer's freedoms included), and for reporting the count of national
indicators stays at its level of the year before the first model year (so
the burden never falls). Every one of the 2^5 = 32 on/off combinations
(coalitions) is run at the scenario's central values in one engine call, the
coalitions along the engine's draw axis.

For a measure v (npv, cashable saving, single-offer shortfall) of the
coalition S of levers switched on, lever i's Shapley value is

    phi_i = sum over S not holding i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S)),   n = 5,

its marginal contribution averaged over every order in which the levers
could be switched on. The values add up to v(all) - v(none) (for npv and
cashable v(none) = 0, so they add up to the scenario's own figure). Beside
it the table gives each lever's value *alone* (v({i}) - v(none), the
one-lever scenario) and *last* (v(all) - v(all but i)), and

    interaction = (v(all) - v(none)) - sum_i (v({i}) - v(none)),

the part of the total that no lever earns alone. Where levers do not
interact, alone = Shapley = last and the interaction is 0. In model
version 2 each lever's flows depend on its own parameters only (the levers
act on disjoint spend categories and baseline spend is not reduced by
savings), so npv and cashable saving add up across levers and their
interaction is 0 to rounding; the single offer's shortfall, max(0, target -
cashable), is not additive, and there the levers do interact.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.axes import LEVERS, BoolArray, FloatArray
from ..core.engine import simulate_outcome
from ..core.inputs import Inputs
from ..data import Places
from ..engine_inputs import engine_inputs, world_of
from ..model import load_run_inputs
from ..params import Resolved

if TYPE_CHECKING:  # the tables are made on demand: `tpmodel run` prints the credit without pandas
    import pandas as pd

#: Measures with a Shapley value [unit]; `shortfall` only where some place makes the single offer.
MEASURES: dict[str, str] = {
    "npv": "GBP m, PV at 2010-11, real",
    "cashable": "GBP m, real, summed over the horizon, undiscounted",
    "shortfall": "GBP m, real, single-offer shortfall summed over offer places and years, undiscounted",
}


def coalitions(players: int) -> BoolArray:
    """Every subset of `players` players as a (2^players, players) on/off table; row m holds player i
    where bit i of m is set (row 0: none on; the last row: all on)."""
    masks = np.arange(2**players)
    on: BoolArray = ((masks[:, None] >> np.arange(players)[None, :]) & 1).astype(bool)
    return on


def shapley_values(values: FloatArray) -> FloatArray:
    """Shapley values of a cooperative game given v of every coalition.

    values: (2^n, ...) v(S), row m the coalition of the players whose bit is
    set in m (the order of `coalitions`), any unit. Returns (n, ...) [the unit
    of v]; they add up to v(all) - v(none).
    """
    count = values.shape[0]
    n = count.bit_length() - 1
    if count != 2**n or n < 1:
        raise ValueError(f"need v of all 2^n coalitions, got {count} rows")
    masks = np.arange(count)
    sizes = np.array([bin(m).count("1") for m in masks])
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)])
    result = np.zeros((n, *values.shape[1:]))
    for i in range(n):
        without = masks[(masks >> i) & 1 == 0]
        gains = values[without | (1 << i)] - values[without]
        result[i] = np.tensordot(weight[sizes[without]], gains, axes=1)
    return result


def switched_inputs(inputs: Inputs, on: BoolArray) -> Inputs:
    """`inputs` (central, draw axis of length 1) with the draw axis holding one coalition of levers each:
    on (coalition, lever) in LEVERS order; a lever switched off as the module docstring says."""

    def mask(lever: str) -> FloatArray:
        return on[:, LEVERS.index(lever)].astype(float)[:, None, None, None]

    def without(record: Any, lever: str) -> Any:
        return dataclasses.replace(record, participation=record.participation * mask(lever))

    reporting = inputs.reporting
    indicators = np.where(mask("reporting") > 0, reporting.indicators, reporting.base)
    return dataclasses.replace(
        inputs,
        shared_services=without(inputs.shared_services, "shared_services"),
        procurement=without(inputs.procurement, "procurement"),
        pooling=without(inputs.pooling, "pooling"),
        assets=without(inputs.assets, "assets"),
        reporting=dataclasses.replace(reporting, indicators=indicators),
    )


def coalition_measures(resolved: Resolved, places: Places) -> tuple[BoolArray, dict[str, FloatArray]]:
    """npv, cashable and (with a single offer) shortfall of all 32 coalitions of levers, in one engine
    call: the (coalition, lever) on/off table (`coalitions` order) and {measure: (coalition,) values}
    [units of `MEASURES`]."""
    on = coalitions(len(LEVERS))
    inputs = switched_inputs(engine_inputs(resolved, places), on)
    outcome = simulate_outcome(world_of(resolved, places), inputs, len(on))
    headlines, offer = outcome.headlines, outcome.single_offer
    values = {
        "npv": np.asarray(headlines.npv, dtype=float),
        "cashable": np.asarray(headlines.cashable_by_year, dtype=float).sum(axis=1),
    }
    if np.asarray(offer.applies).any():
        values["shortfall"] = np.where(offer.applies, offer.shortfall, 0.0).sum(axis=(1, 2))
    return on, values


def coalition_values(resolved: Resolved, places: Places) -> pd.DataFrame:
    """`coalition_measures` as a table: one row per coalition (`coalitions` order), a bool column per lever,
    then the measures [units of `MEASURES`]."""
    return _coalition_table(*coalition_measures(resolved, places))


def _coalition_table(on: BoolArray, values: Mapping[str, FloatArray]) -> pd.DataFrame:
    import pandas as pd

    table = pd.DataFrame(on, columns=list(LEVERS))
    for measure, v in values.items():
        table[measure] = v
    return table


@dataclass
class ShapleyResult:
    """Shapley values of the levers of one scenario's central case.

    `on` and `v`: the 32 coalitions and each measure's value of each (`coalition_measures`); `table`: one
    row per measure and lever: alone, shapley, last [unit of the measure, `MEASURES`]; `coalitions`: v of
    all 32 coalitions as a table.
    """

    scenario: str
    on: BoolArray
    v: dict[str, FloatArray]

    @property
    def table(self) -> pd.DataFrame:
        return shapley_table(self.coalitions)

    @property
    def coalitions(self) -> pd.DataFrame:
        return _coalition_table(self.on, self.v)

    @property
    def measures(self) -> list[str]:
        return [measure for measure in MEASURES if measure in self.v]

    def values(self, measure: str = "npv", column: str = "shapley") -> dict[str, float]:
        """{lever: value} of one measure and column (alone, shapley or last)."""
        return dict(zip(LEVERS, map(float, _credit(self.v[measure])[column]), strict=True))

    def total(self, measure: str = "npv") -> float:
        """v(all levers) - v(none) [unit of the measure]: what the Shapley values add up to."""
        v = self.v[measure]
        return float(v[-1] - v[0])

    def interaction(self, measure: str = "npv") -> float:
        """(v(all) - v(none)) - sum over levers of (v(lever alone) - v(none)) [unit of the measure]."""
        return self.total(measure) - sum(self.values(measure, "alone").values())

    def summary(self) -> dict[str, Any]:
        """JSON-friendly: per measure, its unit, the Shapley values, alone, last, total and interaction."""
        return {
            measure: {
                "unit": MEASURES[measure],
                "shapley": self.values(measure),
                "alone": self.values(measure, "alone"),
                "last": self.values(measure, "last"),
                "total": self.total(measure),
                "interaction": self.interaction(measure),
            }
            for measure in self.measures
        }


def _credit(v: FloatArray) -> dict[str, list[float]]:
    """Each lever's value alone, Shapley value and value last, from v of the 32 coalitions."""
    none, every = 0, len(v) - 1
    phi = shapley_values(v)
    levers = range(len(LEVERS))
    return {
        "alone": [v[1 << i] - v[none] for i in levers],
        "shapley": [float(phi[i]) for i in levers],
        "last": [v[every] - v[every & ~(1 << i)] for i in levers],
    }


def shapley_table(values: pd.DataFrame, levers: Sequence[str] = LEVERS) -> pd.DataFrame:
    """From `coalition_values`: one row per measure and lever with alone, shapley and last."""
    import pandas as pd

    rows = []
    for measure in (m for m in MEASURES if m in values.columns):
        credit = _credit(values[measure].to_numpy(dtype=float))
        for i, lever in enumerate(levers):
            rows.append({"measure": measure, "lever": lever, "alone": credit["alone"][i],
                         "shapley": credit["shapley"][i], "last": credit["last"][i]})  # fmt: skip
    return pd.DataFrame(rows, columns=["measure", "lever", "alone", "shapley", "last"])


def lever_shapley(resolved: Resolved, places: Places) -> ShapleyResult:
    """Shapley values of the levers of resolved parameters (central case)."""
    on, values = coalition_measures(resolved, places)
    return ShapleyResult(resolved.name, on, values)


def shapley(
    scenario: str,
    sets: Sequence[str] = (),
    overrides: Mapping[str, Any] | None = None,
    params_dir: Path | str | None = None,
) -> ShapleyResult:
    """Shapley values of the five levers of `scenario` (a name or a YAML file) for npv, cashable saving
    and, with a single offer, its shortfall; see the module docstring. Raises `InputError` on bad input."""
    resolved, places = load_run_inputs(scenario, tuple(sets), overrides, params_dir)
    return lever_shapley(resolved, places)
