"""Which parameters drive the npv (spec section 11): tornado, Sobol indices and switching values.

`sensitivity("standard", method="tornado")` sets each numeric parameter in
turn to its low and its high value, the others at their central value, and
sorts the parameters by the swing in npv: an uncertain parameter across its
distribution's low and high, a fixed one across its `plausible` range; a
fixed parameter with no plausible range is listed as not varied.
`method="switching"` finds each numeric parameter's switching value
(tpmodel/analyses/switching.py). `method="sobol"` draws Saltelli
samples (SALib) of every uncertain parameter over its own distribution and
returns first-order (S1) and total-order (ST) Sobol indices of npv. Both run
every point along the engine's draw axis in one or a few engine calls.

Low and high: the `low` and `high` of a triangular, PERT, uniform or
truncated normal distribution; the 5th and 95th percentiles of an untruncated
normal or a lognormal. Sobol samples map SALib's unit-cube points through each
distribution's quantile function. Correlations declared in the scenario are
not used by these two (both vary parameters independently). `method="rank"`
is computed on the Monte Carlo draws themselves, correlations kept: rank
correlation, SRRC and PRCC of npv (tpmodel/analyses/draw_sensitivity.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.distributions import low_high, pert_shape
from ..data import Places
from ..engine_inputs import central_leaf
from ..errors import fail
from ..execution import progress_bar, ticking
from ..model import DEFAULT_SEED, check_finite, load_run_inputs, provenance
from ..params import Resolved
from .draw_sensitivity import DEFAULT_DRAWS, DESCRIPTION, draw_sensitivity
from .switching import numeric_leaves, switching_table
from .uncertainty import CHUNK_DRAWS, NO_UNCERTAIN, Uncertain, check_correlations, chunks, evaluate, uncertain_leaves

METHODS = ("tornado", "sobol", "rank", "switching")
#: Largest Sobol base sample (N * (k + 2) model runs: about 4 million for 60 parameters).
MAX_SAMPLES = 65_536
#: Most Monte Carlo draws of the rank method.
MAX_RANK_DRAWS = 1_000_000
#: Sobol seeds are whole numbers from 0 to MAX_SEED (what SALib's generator takes).
MAX_SEED = 2**32 - 1
DEFAULT_SAMPLES = 1024
#: What each method computes, as summary.json and the command line say it.
METHOD_DESCRIPTIONS = {
    "tornado": "npv at the low and the high of each numeric parameter (uncertain: its distribution; fixed: its "
    "plausible range), the others central",
    "sobol": "first- and total-order Sobol indices of npv, parameters varied independently (Saltelli sampling)",
    "rank": DESCRIPTION,
    "switching": "the value of each numeric parameter at which npv = 0 (bcr = 1) within its bounds",
}


def _uniform(dist: Mapping[str, Any], u: np.ndarray, stats: Any) -> np.ndarray:
    low, high = float(dist["low"]), float(dist["high"])
    return low + (high - low) * u


def _triangular(dist: Mapping[str, Any], u: np.ndarray, stats: Any) -> np.ndarray:
    low, mode, high = (float(dist[k]) for k in ("low", "mode", "high"))
    return stats.triang.ppf(u, (mode - low) / (high - low), loc=low, scale=high - low)


def _pert(dist: Mapping[str, Any], u: np.ndarray, stats: Any) -> np.ndarray:
    low, mode, high = (float(dist[k]) for k in ("low", "mode", "high"))
    return low + (high - low) * stats.beta.ppf(u, *pert_shape(low, mode, high))


def _normal(dist: Mapping[str, Any], u: np.ndarray, stats: Any) -> np.ndarray:
    mean, sd = float(dist["mean"]), float(dist["sd"])
    a, b = (float(dist.get(k, bound)) for k, bound in (("low", -np.inf), ("high", np.inf)))
    return stats.truncnorm.ppf(u, (a - mean) / sd, (b - mean) / sd, loc=mean, scale=sd)


def _lognormal(dist: Mapping[str, Any], u: np.ndarray, stats: Any) -> np.ndarray:
    return float(dist["median"]) * np.exp(float(dist["sigma"]) * stats.norm.ppf(u))


#: The quantile function of each kind of `tpmodel.core.distributions.DISTRIBUTIONS` (here, as it needs scipy).
QUANTILES: dict[str, Callable[[Mapping[str, Any], np.ndarray, Any], np.ndarray]] = {
    "triangular": _triangular,
    "pert": _pert,
    "uniform": _uniform,
    "normal": _normal,
    "lognormal": _lognormal,
}


def quantile(dist: Mapping[str, Any], u: np.ndarray) -> np.ndarray:
    """Values of a distribution (spec 7) at cumulative probabilities u in (0, 1)."""
    from scipy import stats

    return QUANTILES[dist["dist"]](dist, u, stats)


def _npv(resolved: Resolved, places: Places, samples: dict[str, np.ndarray], progress: bool) -> np.ndarray:
    """npv of every row of `samples` (each leaf (n,)), in chunks."""
    n = len(next(iter(samples.values())))
    spans = list(chunks(n, CHUNK_DRAWS))
    bar = progress_bar(n, progress, "point")
    parts = [
        evaluate(resolved, places, {p: v[start:stop] for p, v in samples.items()}, stop - start).headlines.npv
        for start, stop in ticking(spans, bar, [stop - start for start, stop in spans])
    ]
    npv = np.concatenate(parts)
    check_finite(resolved, npv, "a sensitivity point")
    return npv


def tornado(resolved: Resolved, places: Places, uncertain: Sequence[Uncertain], progress: bool = False) -> pd.DataFrame:
    """One row per numeric leaf, largest swing first: parameter, unit, range (distribution: `uncertain`'s
    leaves, at their low and high; plausible: a fixed number across its parameter's `plausible` range; not
    varied: a fixed number without one, or horizon.* and presentation.*, last), low, central, high [the
    parameter's unit], npv_low, npv_high, npv_central, swing = |npv_high - npv_low| [GBP m; empty when not
    varied]."""
    varied = {leaf.path for leaf in uncertain}
    every = numeric_leaves(resolved)
    units = {leaf.path: leaf.spec.unit for leaf in every}  # places' own leaves (places.kent....) included
    rows = []
    for leaf in uncertain:
        low, high = low_high(leaf.dist)
        low, high = (float(np.rint(low)), float(np.rint(high))) if leaf.integer else (low, high)
        central = float(central_leaf(leaf.path, leaf.dist, leaf.integer)[0])
        rows.append({"parameter": leaf.path, "unit": units[leaf.path], "range": "distribution",
                     "low": low, "central": central, "high": high})  # fmt: skip
    for leaf in every:
        if leaf.path in varied or leaf.uncertain:
            continue
        ranged = leaf.spec.plausible is not None and leaf.in_engine
        low, high = leaf.spec.plausible if ranged else (math.nan, math.nan)  # type: ignore[misc]
        rows.append({"parameter": leaf.path, "unit": leaf.spec.unit, "range": "plausible" if ranged else "not varied",
                     "low": low, "central": leaf.central, "high": high})  # fmt: skip
    table = pd.DataFrame(rows)
    moved = table.index[table["range"] != "not varied"]
    samples = {path: np.full(2 * len(moved), table.loc[i, "central"]) for i, path in table["parameter"].items()
               if i in moved}  # fmt: skip
    for k, i in enumerate(moved):
        samples[table.loc[i, "parameter"]][2 * k : 2 * k + 2] = table.loc[i, "low"], table.loc[i, "high"]
    npv = _npv(resolved, places, samples, progress) if len(moved) else np.zeros(0)
    table["npv_low"], table["npv_high"] = math.nan, math.nan
    table.loc[moved, "npv_low"], table.loc[moved, "npv_high"] = npv[0::2], npv[1::2]
    table["npv_central"] = float(evaluate(resolved, places, {}, 1).headlines.npv[0])
    table["swing"] = (table["npv_high"] - table["npv_low"]).abs()
    return table.sort_values("swing", ascending=False, kind="stable", na_position="last").reset_index(drop=True)


def sobol(
    resolved: Resolved,
    places: Places,
    uncertain: Sequence[Uncertain],
    samples: int,
    seed: int,
    progress: bool = False,
) -> pd.DataFrame:
    """First- and total-order Sobol indices of npv (SALib, Saltelli sampling of `samples` base points,
    samples * (k + 2) model runs): parameter, S1, S1_conf, ST, ST_conf [share of variance], largest ST first."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    names = [leaf.path for leaf in uncertain]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    unit = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    unit = np.clip(unit, 1e-12, 1 - 1e-12)
    values = {}
    for j, leaf in enumerate(uncertain):
        column = quantile(leaf.dist, unit[:, j])
        values[leaf.path] = np.rint(column) if leaf.integer else column
    npv = _npv(resolved, places, values, progress)
    indices = sobol_analyze.analyze(problem, npv, calc_second_order=False, seed=seed, print_to_console=False)
    table = pd.DataFrame(
        {"parameter": names} | {key: np.asarray(indices[key]) for key in ("S1", "S1_conf", "ST", "ST_conf")}
    )
    return table.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)


@dataclass
class SensitivityResult:
    """Sensitivity of npv to the uncertain parameters: `table` is sensitivity.csv."""

    resolved: Resolved
    method: str
    table: pd.DataFrame
    samples: int
    seed: int
    started: str

    @property
    def name(self) -> str:
        return self.resolved.name

    @property
    def model_runs(self) -> int | None:
        """Engine runs of the analysis (draws of the engine); None where not counted."""
        if self.method == "tornado":
            return 2 * int(self.table["swing"].notna().sum())
        if self.method == "sobol":
            return self.samples * (len(self.table) + 2)
        return self.table.attrs.get("model_runs")

    def summary(self) -> dict[str, Any]:
        """summary.json: method, the ranking of the parameters, and provenance (spec 11)."""
        return {
            "scenario": self.name,
            "method": self.method,
            "method_description": METHOD_DESCRIPTIONS[self.method],
            "units": "npv in GBP m, real 2010-11 prices; Sobol indices as shares of the variance of npv; "
            "rank: coefficients from -1 to 1",
            "ranking": list(self.table["parameter"]),
            "samples": self.samples if self.method in ("sobol", "rank") else None,
            "model_runs": self.model_runs,
            "rank_regression_r2": self.table.attrs.get("r2"),
            "provenance": provenance(self.resolved, self.seed, 0, self.started),
        }


def sensitivity(
    scenario: str,
    method: str = "tornado",
    samples: int | None = None,
    seed: int = DEFAULT_SEED,
    params_dir: Path | str | None = None,
    sets: Sequence[str] = (),
    progress: bool = False,
) -> SensitivityResult:
    """Tornado, Sobol, rank or switching-value sensitivity of npv to the parameters of `scenario`.

    method: tornado (every numeric parameter, see `tornado`), sobol (the uncertain
    ones), rank (on the Monte Carlo draws, declared correlations kept, see
    tpmodel/analyses/draw_sensitivity.py) or switching (every numeric leaf's value
    at which npv = 0, see tpmodel/analyses/switching.py). samples: Sobol base
    sample N (a power of 2; N * (k + 2) model runs for k parameters; default
    1024); for rank, the Monte Carlo draws (default 10,000, the same draws as
    `tpmodel.run(scenario, draws, seed)`); the others ignore it.
    Raises `InputError` for an unknown method, a bad sample count or a scenario
    without uncertain parameters. Writing the folder (sensitivity.csv, the chart,
    summary.json) is `tpmodel.sensitivity(..., out=...)` (tpmodel/folders.py).
    """
    if method not in METHODS:
        raise fail("--method", str(method), f"unknown method; choose one of: {', '.join(METHODS)}")
    samples = samples or (DEFAULT_DRAWS if method == "rank" else DEFAULT_SAMPLES)
    if method == "sobol" and (samples < 2 or samples > MAX_SAMPLES or samples & (samples - 1)):
        raise fail("--samples", str(samples), f"Sobol sampling needs a power of 2 from 2 to {MAX_SAMPLES:,}, e.g. 1024")
    if method == "sobol" and not 0 <= seed <= MAX_SEED:
        raise fail("--seed", str(seed), f"a Sobol seed is a whole number from 0 to {MAX_SEED:,}")
    if method == "rank" and not 1 <= samples <= MAX_RANK_DRAWS:
        raise fail("--samples", str(samples), f"the rank method takes 1 to {MAX_RANK_DRAWS:,} draws")
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    resolved, places = load_run_inputs(scenario, sets, params_dir=params_dir)
    check_correlations(resolved)
    uncertain = uncertain_leaves(resolved)
    if method == "switching":
        table = switching_table(resolved, places)
    elif not uncertain:
        raise fail(resolved.file, "", NO_UNCERTAIN)
    elif method == "tornado":
        table = tornado(resolved, places, uncertain, progress)
    elif method == "rank":
        table, r2 = draw_sensitivity(resolved, places, samples, seed)
        table.attrs |= {"r2": r2, "model_runs": samples}
    else:
        table = sobol(resolved, places, uncertain, samples, seed, progress)
    return SensitivityResult(resolved, method, table, samples, seed, started)
