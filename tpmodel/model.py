"""Resolved parameters + data -> core -> labelled results.

`load_run_inputs` resolves a scenario and reads the data; `engine_inputs`
turns them into the engine's arrays; `run_central` runs the central case;
`RunResult` labels a run's arrays as tidy pandas tables and headline
figures. `tpmodel.run` (tpmodel/analyses/runs.py) adds the Monte Carlo.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .core.axes import AGENCIES, CATEGORIES, LEVERS, FloatArray
from .core.engine import Simulation, simulate
from .data import Places, load_places
from .engine_inputs import central_leaf, engine_inputs, world_of
from .errors import InputError, Problem
from .params import Resolved, check_places, default_params_dir, is_distribution, resolve
from .version import __version__

if TYPE_CHECKING:  # pandas is imported where a table is made, so that `tpmodel run` does without it
    import pandas as pd

#: A table as named columns of equal length (labels as object arrays, year as int, value as float).
Columns = dict[str, np.ndarray]

#: Measures of results.csv (spec 9), by lever, place, agency and year.
MEASURES = ("gross", "receipts", "cost", "adj_gross", "adj_receipts", "adj_cost", "net", "cashable", "pv_net")
#: Measures of the single offer (lever single_offer, agency all) in results.csv.
OFFER_MEASURES = ("retained", "exchequer", "target", "shortfall")
DEFAULT_SEED = 20100324  # Budget 2010 day; any integer will do


def _number_or_none(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def headline_dict(simulation: Simulation, years: list[int], places: Places, draw: int = 0) -> dict[str, Any]:
    """The headline figures of spec section 6 for one draw, JSON-friendly (None for null)."""
    h = simulation.outcome.headlines
    payback = h.payback_year[draw]

    def by_year(values: FloatArray) -> dict[str, float]:
        return {str(y): float(v) for y, v in zip(years, values[draw], strict=True)}

    return {
        "npv": float(h.npv[draw]),
        "bcr": _number_or_none(h.bcr[draw]),
        "pv_receipts": float(h.pv_receipts[draw]),
        "payback_year": None if np.isnan(payback) else int(payback),
        "net_by_year": by_year(h.net_by_year),
        "cumulative_net_by_year": by_year(h.cumulative_net_by_year),
        "cashable_by_year": by_year(h.cashable_by_year),
        "npv_by_lever": dict(zip(LEVERS, map(float, h.npv_by_lever[draw]), strict=True)),
        "npv_by_agency": dict(zip(AGENCIES, map(float, h.npv_by_agency[draw]), strict=True)),
        "npv_by_place": dict(zip(places.ids, map(float, h.npv_by_place[draw]), strict=True)),
    }


def _tidy(arrays: Mapping[tuple[str, ...], FloatArray], names: tuple[str, ...], labels: list[list[Any]]) -> Columns:
    """A long table from (key -> array) where each array's axes are labelled by `labels`: the key's
    names first, then one column per axis (C order, the last axis fastest), then `value`."""
    grids = np.meshgrid(*[np.arange(len(lab)) for lab in labels], indexing="ij")
    size = grids[0].size
    axes = names[len(names) - len(labels) :]
    columns: dict[str, list[np.ndarray]] = {name: [] for name in (*names, "value")}
    for key, array in arrays.items():
        for name, part in zip(names, key, strict=False):
            columns[name].append(np.full(size, part, dtype=object))
        for name, lab, g in zip(axes, labels, grids, strict=True):
            columns[name].append(np.asarray(lab, dtype=object)[g.ravel()])
        columns["value"].append(np.asarray(array, dtype=float).ravel())
    return {name: np.concatenate(parts) for name, parts in columns.items()}


def pv_receipts_by_agency(simulation: Simulation, lever: str | None = None, draw: int = 0) -> FloatArray:
    """PV of adjusted capital receipts (spec 5.4, 6) by agency, of one lever or of all: (agency,) [GBP m,
    PV at the first year]; summed over levers it is the headline `pv_receipts`."""
    levers = [lever] if lever else list(simulation.appraised)
    pv: FloatArray = sum(
        (simulation.appraised[name].adj_receipts[draw] * simulation.discount_factor[draw]).sum(axis=(0, 2))
        for name in levers
    ) + np.zeros(len(AGENCIES))
    return pv


def results_columns(simulation: Simulation, years: list[int], places: Places) -> Columns:
    """results.csv (spec 9) as columns: one row per place, agency, lever, year, measure; value in GBP m, real."""
    arrays: dict[tuple[str, ...], FloatArray] = {}
    for lever, flows in simulation.levers.items():
        appraised = simulation.appraised[lever]
        for measure in MEASURES:
            values = getattr(flows, measure) if measure in flows._fields else getattr(appraised, measure)
            arrays[(lever, measure)] = values[0]
    labels = [list(places.ids), list(AGENCIES), years]
    parts = [_tidy(arrays, ("lever", "measure", "place", "agency", "year"), labels)]
    offer = simulation.outcome.single_offer
    p, t = np.nonzero(offer.applies[0])
    for measure in OFFER_MEASURES if len(p) else ():  # the offer's rows: lever single_offer, agency all
        parts.append({
            "lever": np.full(len(p), "single_offer", dtype=object),
            "measure": np.full(len(p), measure, dtype=object),
            "place": np.array(places.ids, dtype=object)[p],
            "agency": np.full(len(p), "all", dtype=object),
            "year": np.array(years, dtype=object)[t],
            "value": np.asarray(getattr(offer, measure)[0][p, t], dtype=float),
        })  # fmt: skip
    order = ("place", "agency", "lever", "year", "measure", "value")
    table = {name: np.concatenate([part[name] for part in parts]) for name in order}
    table["year"] = table["year"].astype(np.int64)
    return table


def results_table(simulation: Simulation, years: list[int], places: Places) -> pd.DataFrame:
    """results.csv (spec 9) as a tidy table: one row per place, agency, lever, year, measure; value in GBP m, real."""
    import pandas as pd

    return pd.DataFrame(results_columns(simulation, years, places))


def baseline_columns(simulation: Simulation, years: list[int], places: Places) -> Columns:
    """baseline.csv as columns: baseline spend S (spec 3) by place, agency, category, year [GBP m a year, real]."""
    labels = [list(places.ids), list(AGENCIES), list(CATEGORIES), years]
    spend = np.stack([simulation.baseline[category][0] for category in CATEGORIES], axis=2)
    table = _tidy({(): spend}, ("place", "agency", "category", "year"), labels)
    table["year"] = table["year"].astype(np.int64)
    return table


def baseline_table(simulation: Simulation, years: list[int], places: Places) -> pd.DataFrame:
    """baseline.csv as a tidy table: baseline spend S (spec 3) by place, agency, category, year [GBP m a year, real]."""
    import pandas as pd

    return pd.DataFrame(baseline_columns(simulation, years, places))


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
        """Per single-offer place and year of the deal: total cashable, target, retained, exchequer,
        shortfall, target met (spec 7)."""
        offer = self.simulation.outcome.single_offer
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
                        "shortfall": float(offer.shortfall[0, i, t]),
                        "target_met": bool(offer.target_met[0, i, t]),
                    }
                    for t in years
                }
        return out

    def summary(self) -> dict[str, Any]:
        """summary.json (spec 8): scenario, headlines, Monte Carlo summary, provenance."""
        parameters = self.resolved.tree()
        digest = parameters_sha256(self.resolved)
        return {
            "scenario": self.name,
            "description": self.resolved.description,
            "units": "GBP m, real 2010-11 prices; npv discounted to 2010-11",
            "headlines": self.headlines,
            "single_offer": self.single_offer_summary(),
            "places_with_own_values": self.resolved.places_with_own_values(),
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


def parameters_sha256(resolved: Resolved) -> str:
    """SHA-256 of every resolved parameter value (summary.json's `parameters_sha256`): the same for two
    runs exactly when their parameters are the same."""
    return hashlib.sha256(json.dumps(resolved.tree(), sort_keys=True).encode()).hexdigest()


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
    check_places(resolved, places.ids, places.group_names)
    return resolved, places


def run_central(resolved: Resolved, places: Places) -> Simulation:
    """The central case (draw 0) of resolved parameters; `InputError` when its npv is not a finite number."""
    with np.errstate(all="ignore"):  # an overflow is reported by check_finite, as one message
        simulation = simulate(world_of(resolved, places), engine_inputs(resolved, places))
    check_finite(resolved, simulation.outcome.headlines.npv, "the central case")
    return simulation


def check_finite(resolved: Resolved, npv: FloatArray, what: str, first_draw: int = 1) -> None:
    """Refuse results that are not finite numbers (values so large that the arithmetic overflows, such as a
    cost optimism bias of 1e308): `InputError` naming the values the scenario and --set changed.
    first_draw: the number of npv's first point or draw (one chunk's npv starts at its first draw)."""
    bad = ~np.isfinite(np.asarray(npv, dtype=float))
    if not bad.any():
        return
    first = int(np.argmax(bad))
    changed = [origin for path, origin in resolved.origins.items() if not origin.endswith(f"{path}.value")]
    changed += list(dict.fromkeys(resolved.setting_origins.values()))
    suspects = f"; the values changed from the defaults: {', '.join(changed[:4])}" if changed else ""
    where = f" (point or draw {first + first_draw})" if len(bad) > 1 or first_draw > 1 else ""
    raise InputError([Problem(resolved.file, "", (
        f"{what}{where} gives an npv of {float(np.asarray(npv).ravel()[first])}, not a finite number: "
        f"some value is too large for the arithmetic{suspects}"
    ))])  # fmt: skip


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
