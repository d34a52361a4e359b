"""Resolved parameters + data -> core -> labelled results.

`load_run_inputs` resolves a scenario and reads the data; `engine_inputs`
turns them into the engine's arrays; `run_central` runs the central case;
`RunResult` labels a run's arrays as tidy pandas tables and headline
figures. `tpmodel.run` (tpmodel/analyses/runs.py) adds the Monte Carlo.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .core.axes import AGENCIES, BASE_YEAR, CATEGORIES, LEVERS, FloatArray
from .core.engine import Simulation, World, simulate
from .core.reporting import indicators_in_force
from .core.sampling import central
from .data import Places, load_places
from .errors import InputError
from .params import Resolved, default_params_dir, is_distribution, resolve
from .version import __version__

MEASURES = ("gross", "cost", "adj_gross", "adj_cost", "net", "cashable", "pv_net")
OFFER_MEASURES = ("retained", "exchequer", "target")
DEFAULT_SEED = 20100324  # Budget 2010 day; any integer will do

#: Leaf sampler: (leaf path, number or distribution, is_integer) -> (draw,) array.
LeafValues = Callable[[str, Any, bool], FloatArray]


def central_leaf(path: str, value: Any, integer: bool) -> FloatArray:
    """The central value of one leaf (draw 0), as a (1,) array; integers rounded."""
    number = central(value) if is_distribution(value) else float(value)
    return np.array([float(np.rint(number)) if integer else number])


def world_of(resolved: Resolved, places: Places) -> World:
    """The data arrays a run stands on."""
    return World(
        years=np.array(list(resolved.years), dtype=np.int64),
        base_spend=places.base_spend,
        local_authorities=places.local_authorities,
    )


def place_mask(resolved: Resolved, places: Places) -> np.ndarray:
    """single_offer.places as a (place,) bool mask; unknown ids are an input error."""
    chosen = resolved.values["single_offer.places"]
    if chosen == "all":
        return np.ones(len(places.ids), dtype=bool)
    unknown = [p for p in chosen if p not in places.ids]
    if unknown:
        message = f"unknown place(s) {', '.join(unknown)}; places: {', '.join(places.ids)}, or all"
        raise InputError([resolved.problem("single_offer.places", message)])
    return np.isin(np.array(places.ids), chosen)


def engine_inputs(resolved: Resolved, places: Places, leaf: LeafValues = central_leaf) -> dict[str, Any]:
    """Arrays by dotted parameter path for `core.engine.simulate`, each with a leading draw axis.

    leaf: gives each number or distribution its draws (the central value by default).
    """
    years = list(resolved.years)
    inputs: dict[str, Any] = {}
    for path, spec in resolved.specs.items():
        value = resolved.values[path]
        integer = spec.type == "integer"
        if path.startswith(("horizon.", "presentation.")):
            continue
        if spec.type == "choice":
            inputs[path] = value
        elif spec.type == "places":
            inputs[path] = place_mask(resolved, places)
        elif spec.index == "agency":
            inputs[path] = _by_agency(path, value, integer, leaf)
        elif spec.index == "agency_year":
            inputs[path] = _by_agency_year(path, value, years, leaf)
        elif spec.index == "year":  # reporting.indicators: base year first, then the horizon
            known = value if isinstance(value, Mapping) and not is_distribution(value) else {BASE_YEAR: value}
            known_years = np.array(sorted(known), dtype=np.int64)
            counts = _stack_draws([leaf(f"{path}.{y}", known[y], integer) for y in sorted(known)], axis=1)
            wanted = np.array([BASE_YEAR, *years], dtype=np.int64)
            inputs[path] = indicators_in_force(known_years, counts, wanted)
        else:
            inputs[path] = leaf(path, value, integer)
    return inputs


def _by_agency(path: str, value: Any, integer: bool, leaf: LeafValues) -> FloatArray:
    if isinstance(value, Mapping) and not is_distribution(value):
        return _stack_draws([leaf(f"{path}.{a}", value[a], integer) if a in value else None for a in AGENCIES], 1)
    column = leaf(path, value, integer)
    return np.repeat(column[:, None], len(AGENCIES), axis=1)


def _by_agency_year(path: str, value: Any, years: list[int], leaf: LeafValues) -> FloatArray:
    def one_agency(prefix: str, node: Any) -> FloatArray:
        if isinstance(node, Mapping) and not is_distribution(node):
            return _stack_draws([leaf(f"{prefix}.{y}", node[y], False) if y in node else None for y in years], 1)
        cell = leaf(prefix, node, False)
        return np.repeat(cell[:, None], len(years), axis=1)

    if isinstance(value, Mapping) and not is_distribution(value):
        rows = [one_agency(f"{path}.{a}", value[a]) if a in value else None for a in AGENCIES]
        return _stack_draws(rows, 1, (len(years),))
    grid = one_agency(path, value)
    return np.repeat(grid[:, None, :], len(AGENCIES), axis=1)


def _stack_draws(parts: list[FloatArray | None], axis: int, tail: tuple[int, ...] = ()) -> FloatArray:
    """Stack per-agency or per-year parts (draw, *tail) along `axis`: a missing part is 0 and a
    part of one draw (a number, not a distribution) is repeated for every draw."""
    size = max((part.shape[0] for part in parts if part is not None), default=1)
    shape = (size, *tail)
    return np.stack([np.zeros(shape) if part is None else np.broadcast_to(part, shape) for part in parts], axis=axis)


def broadcast_draws(inputs: Mapping[str, Any], draws: int) -> dict[str, Any]:
    """Give every array input a draw axis of length `draws` (central inputs have length 1)."""
    out: dict[str, Any] = {}
    for path, value in inputs.items():
        if isinstance(value, np.ndarray) and path != "single_offer.places" and value.shape[0] != draws:
            value = np.broadcast_to(value, (draws, *value.shape[1:]))
        out[path] = value
    return out


# ---------------------------------------------------------------- labelled results


def _number_or_none(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def headline_dict(simulation: Simulation, years: list[int], places: Places, draw: int = 0) -> dict[str, Any]:
    """The headline figures of spec section 5 for one draw, JSON-friendly (None for null)."""
    h = simulation.headlines
    payback = h.payback_year[draw]
    return {
        "npv": float(h.npv[draw]),
        "bcr": _number_or_none(h.bcr[draw]),
        "payback_year": None if np.isnan(payback) else int(payback),
        "net_by_year": {str(y): float(v) for y, v in zip(years, h.net_by_year[draw], strict=True)},
        "cumulative_net_by_year": {
            str(y): float(v) for y, v in zip(years, h.cumulative_net_by_year[draw], strict=True)
        },
        "npv_by_lever": dict(zip(LEVERS, map(float, h.npv_by_lever[draw]), strict=True)),
        "npv_by_agency": dict(zip(AGENCIES, map(float, h.npv_by_agency[draw]), strict=True)),
        "npv_by_place": dict(zip(places.ids, map(float, h.npv_by_place[draw]), strict=True)),
    }


def _tidy(
    arrays: Mapping[tuple[str, ...], FloatArray], names: tuple[str, ...], labels: list[list[Any]]
) -> pd.DataFrame:
    """A long table from (key -> array) where each array's axes are labelled by `labels`."""
    grids = np.meshgrid(*[np.arange(len(lab)) for lab in labels], indexing="ij")
    frames = []
    for key, array in arrays.items():
        frame = {
            name: np.asarray(lab, dtype=object)[g.ravel()]
            for name, lab, g in zip(names[len(key) :], labels, grids, strict=True)
        }
        frame = {
            **dict(zip(names, key, strict=False)),
            **frame,
            "value": np.asarray(array, dtype=float).ravel(),
        }
        frames.append(pd.DataFrame(frame))
    return pd.concat(frames, ignore_index=True)


def results_table(simulation: Simulation, years: list[int], places: Places) -> pd.DataFrame:
    """results.csv (spec 8): one row per place, agency, lever, year, measure; value in GBP m, real."""
    arrays: dict[tuple[str, ...], FloatArray] = {}
    for lever, flows in simulation.levers.items():
        for measure in MEASURES:
            values = getattr(flows, measure) if measure in ("gross", "cost") else getattr(flows.appraised, measure)
            arrays[(lever, measure)] = values[0]
    labels = [list(places.ids), list(AGENCIES), years]
    table = _tidy(arrays, ("lever", "measure", "place", "agency", "year"), labels)
    offer = simulation.single_offer
    applies = offer.applies[0]
    if applies.any():
        rows = []
        for measure in OFFER_MEASURES:
            values = getattr(offer, measure)[0]
            p, t = np.nonzero(applies)
            rows.append(pd.DataFrame({
                "lever": "single_offer", "measure": measure, "place": np.array(places.ids, dtype=object)[p],
                "agency": "all", "year": np.array(years)[t], "value": values[p, t],
            }))  # fmt: skip
        table = pd.concat([table, *rows], ignore_index=True)
    table = table[["place", "agency", "lever", "year", "measure", "value"]]
    table["year"] = table["year"].astype(int)
    return table


def baseline_table(simulation: Simulation, years: list[int], places: Places) -> pd.DataFrame:
    """baseline.csv: baseline spend S (spec 2) by place, agency, category, year [GBP m a year, real]."""
    labels = [list(places.ids), list(AGENCIES), list(CATEGORIES), years]
    table = _tidy({(): simulation.baseline[0]}, ("place", "agency", "category", "year"), labels)
    table["year"] = table["year"].astype(int)
    return table


def deflators(resolved: Resolved) -> dict[int, float]:
    """GDP deflator index by horizon year (2010-11 = 1.0) from `presentation.deflator` (spec 1).

    A horizon year missing from the mapping is an input error naming the parameter.
    """
    path = "presentation.deflator"
    given = resolved.values[path]
    if not isinstance(given, Mapping) or is_distribution(given):
        given = dict.fromkeys(resolved.years, given)
    missing = [year for year in resolved.years if year not in given]
    if missing:
        raise InputError(
            [resolved.problem(path, f"no deflator for year(s) {missing}; give one for every horizon year")]
        )
    return {year: float(central_leaf(path, given[year], False)[0]) for year in resolved.years}


def nominal_table(table: pd.DataFrame, resolved: Resolved) -> pd.DataFrame:
    """A tidy table in cash terms: `value` times the GDP deflator of its year (presentation only)."""
    index = deflators(resolved)
    out = table.copy()
    out["value"] = out["value"] * out["year"].map(index)
    return out


# ---------------------------------------------------------------- runs


@dataclass
class RunResult:
    """A run: the scenario resolved, its central case and, with draws, its Monte Carlo."""

    resolved: Resolved
    places: Places
    simulation: Simulation  # central case, draw axis of length 1
    seed: int
    draws: int
    started: str
    monte_carlo: dict[str, Any] | None = None
    draw_table: pd.DataFrame | None = None
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.resolved.name

    @property
    def years(self) -> list[int]:
        return list(self.resolved.years)

    @property
    def headlines(self) -> dict[str, Any]:
        """Central-case headline figures (spec 5)."""
        return headline_dict(self.simulation, self.years, self.places)

    @property
    def results(self) -> pd.DataFrame:
        """Tidy central-case results (spec 8)."""
        if "results" not in self._cache:
            self._cache["results"] = results_table(self.simulation, self.years, self.places)
        return self._cache["results"]

    @property
    def baseline(self) -> pd.DataFrame:
        """Baseline spend table."""
        if "baseline" not in self._cache:
            self._cache["baseline"] = baseline_table(self.simulation, self.years, self.places)
        return self._cache["baseline"]

    def single_offer_summary(self) -> dict[str, Any]:
        """Per single-offer place and year: total cashable, target, retained, exchequer, target met."""
        offer = self.simulation.single_offer
        out: dict[str, Any] = {}
        for i, place in enumerate(self.places.ids):
            years = [t for t, year in enumerate(self.years) if offer.applies[0, i, t]]
            if years:
                out[place] = {
                    str(self.years[t]): {
                        "total_cashable": float(offer.total_cashable[0, i, t]),
                        "target": float(offer.target[0, i, t]),
                        "retained": float(offer.retained[0, i, t]),
                        "exchequer": float(offer.exchequer[0, i, t]),
                        "target_met": bool(offer.target_met[0, i, t]),
                    }
                    for t in years
                }
        return out

    def summary(self) -> dict[str, Any]:
        """summary.json (spec 8): scenario, headlines, Monte Carlo summary, provenance."""
        parameters = self.resolved.tree()
        digest = hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()
        return {
            "scenario": self.name,
            "description": self.resolved.description,
            "units": "GBP m, real 2010-11 prices; npv discounted to 2010-11",
            "headlines": self.headlines,
            "single_offer": self.single_offer_summary(),
            "monte_carlo": self.monte_carlo,
            "provenance": {
                "tpmodel_version": __version__,
                "scenario_file": self.resolved.file,
                "data_files": list(self.places.files),
                "seed": self.seed,
                "draws": self.draws,
                "run_time": self.started,
                "parameters_sha256": digest,
                "parameters": parameters,
            },
        }


def load_run_inputs(
    scenario: str,
    sets: list[str] | tuple[str, ...] = (),
    overrides: Mapping[str, Any] | None = None,
    params_dir: Path | str | None = None,
) -> tuple[Resolved, Places]:
    """Resolve a scenario and read the places data; every input problem raises `InputError`."""
    folder = Path(params_dir) if params_dir else default_params_dir()
    resolved = resolve(scenario, folder, sets, overrides)
    places = load_places(folder)
    place_mask(resolved, places)
    return resolved, places


def run_central(resolved: Resolved, places: Places) -> Simulation:
    """The central case (draw 0) of resolved parameters."""
    return simulate(world_of(resolved, places), engine_inputs(resolved, places))


def provenance(resolved: Resolved, seed: int, draws: int, started: str) -> dict[str, Any]:
    """The provenance block of a sweep's or a sensitivity's summary.json (spec 11): tpmodel version,
    scenario file, seed, draws, time of the run and the resolved parameters."""
    return {
        "tpmodel_version": __version__,
        "scenario_file": resolved.file,
        "seed": seed,
        "draws": draws,
        "run_time": started,
        "parameters": resolved.tree(),
    }


def __getattr__(name: str) -> Any:
    """`tpmodel.model.run` is kept for old imports; `run` lives in the analyses layer (it may run a
    Monte Carlo). Prefer `tpmodel.run`. Imported only when asked for (an allowed exception in
    tests/test_layers.py until tests/test_reference.py imports `tpmodel.run`)."""
    if name == "run":
        from .analyses.runs import run

        return run
    raise AttributeError(f"module 'tpmodel.model' has no attribute {name!r}")
