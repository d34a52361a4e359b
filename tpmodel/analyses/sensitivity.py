"""Which uncertain parameters drive the npv (spec section 11): tornado and Sobol indices.

`sensitivity("standard", method="tornado")` sets each uncertain parameter in
turn to its low and its high value, the others at their central value, and
sorts the parameters by the swing in npv. `method="sobol"` draws Saltelli
samples (SALib) of every uncertain parameter over its own distribution and
returns first-order (S1) and total-order (ST) Sobol indices of npv. Both run
every point along the engine's draw axis in one or a few engine calls.

Low and high: the `low` and `high` of a triangular, PERT, uniform or
truncated normal distribution; the 5th and 95th percentiles of an untruncated
normal or a lognormal. Sobol samples map SALib's unit-cube points through each
distribution's quantile function. Correlations declared in the scenario are
not used here (both methods vary parameters independently).
"""

from __future__ import annotations

import datetime as dt
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
from ..model import DEFAULT_SEED, load_run_inputs, provenance
from ..params import Resolved
from .uncertainty import CHUNK_DRAWS, Uncertain, chunks, evaluate, uncertain_leaves

METHODS = ("tornado", "sobol")
DEFAULT_SAMPLES = 1024


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
    return np.concatenate(parts)


def tornado(resolved: Resolved, places: Places, uncertain: Sequence[Uncertain], progress: bool = False) -> pd.DataFrame:
    """One row per uncertain parameter, largest swing first: parameter, unit, low, central, high [the
    parameter's unit], npv_low, npv_high, npv_central, swing = |npv_high - npv_low| [GBP m]."""
    k = len(uncertain)
    central = {leaf.path: float(central_leaf(leaf.path, leaf.dist, leaf.integer)[0]) for leaf in uncertain}
    samples = {leaf.path: np.full(2 * k, central[leaf.path]) for leaf in uncertain}
    rows = []
    for i, leaf in enumerate(uncertain):
        low, high = low_high(leaf.dist)
        low, high = (float(np.rint(low)), float(np.rint(high))) if leaf.integer else (low, high)
        samples[leaf.path][2 * i : 2 * i + 2] = low, high
        spec_path = next(p for p in resolved.specs if leaf.path == p or leaf.path.startswith(p + "."))
        rows.append({"parameter": leaf.path, "unit": resolved.specs[spec_path].unit,
                     "low": low, "central": central[leaf.path], "high": high})  # fmt: skip
    npv = _npv(resolved, places, samples, progress)
    npv_central = float(evaluate(resolved, places, {}, 1).headlines.npv[0])
    table = pd.DataFrame(rows)
    table["npv_low"], table["npv_high"] = npv[0::2], npv[1::2]
    table["npv_central"] = npv_central
    table["swing"] = (table["npv_high"] - table["npv_low"]).abs()
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


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

    def summary(self) -> dict[str, Any]:
        """summary.json: method, the ranking of the parameters, and provenance (spec 11)."""
        return {
            "scenario": self.name,
            "method": self.method,
            "units": "npv in GBP m, real 2010-11 prices; Sobol indices as shares of the variance of npv",
            "ranking": list(self.table["parameter"]),
            "samples": self.samples if self.method == "sobol" else None,
            "model_runs": len(self.table) * 2 if self.method == "tornado" else self.samples * (len(self.table) + 2),
            "provenance": provenance(self.resolved, self.seed, 0, self.started),
        }


def sensitivity(
    scenario: str,
    method: str = "tornado",
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    params_dir: Path | str | None = None,
    sets: Sequence[str] = (),
    progress: bool = False,
) -> SensitivityResult:
    """Tornado or Sobol sensitivity of npv to every uncertain parameter of `scenario`.

    samples: Sobol base sample N (a power of 2; N * (k + 2) model runs for k
    parameters); the tornado needs 2 runs per parameter and ignores it.
    Raises `InputError` for an unknown method, a bad sample count or a scenario
    without uncertain parameters. Writing the folder (sensitivity.csv, the chart,
    summary.json) is `tpmodel.sensitivity(..., out=...)` (tpmodel/folders.py).
    """
    if method not in METHODS:
        raise fail("--method", str(method), f"unknown method; choose one of: {', '.join(METHODS)}")
    if method == "sobol" and (samples < 2 or samples & (samples - 1)):
        raise fail("--samples", str(samples), "Sobol sampling needs a power of 2 of at least 2, e.g. 1024")
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    resolved, places = load_run_inputs(scenario, sets, params_dir=params_dir)
    uncertain = uncertain_leaves(resolved)
    if not uncertain:
        raise fail(resolved.file, "", "no uncertain parameter: give at least one parameter a distribution")
    if method == "tornado":
        table = tornado(resolved, places, uncertain, progress)
    else:
        table = sobol(resolved, places, uncertain, samples, seed, progress)
    return SensitivityResult(resolved, method, table, samples, seed, started)
