"""Sensitivity computed on the Monte Carlo draws themselves (issue 12 item 6): rank correlation,
standardized rank regression coefficients (SRRC) and partial rank correlation coefficients (PRCC).

Tornado and Sobol vary each parameter on its own, as if the parameters were
independent. These measures are computed from the draws of a Monte Carlo run
(the same draws as `tpmodel run SCENARIO --draws N --seed S`), so the rank
correlations the scenario declares are in the inputs, and a parameter that
merely moves with an influential one is not credited with its effect.

With R_j the ranks of parameter j over the draws and R_y those of the
output (average ranks for ties), each standardized to mean 0 and standard
deviation 1:

- `spearman`: corr(R_j, R_y), the rank correlation of the parameter with the
  output; it includes what the parameter carries of the parameters it is
  correlated with.
- `srrc`: beta_j of the least-squares regression R_y = sum_j beta_j R_j + e,
  the parameter's own effect with the others held (in ranks); for
  independent parameters and a monotone output, srrc_j^2 is about the share
  of the variance of the ranks of the output due to j.
- `prcc`: the correlation of R_j and R_y once both are regressed on the ranks
  of every other parameter, from the inverse P of the correlation matrix of
  (R_1 .. R_k, R_y): prcc_j = -P[j, y] / sqrt(P[j, j] P[y, y]).
- `r2`: the R^2 of the rank regression: how far ranks explain the output
  (near 1: a monotone model, the coefficients say it all; well below 1: look
  at Sobol indices or scenario discovery too).

Parameters are sorted by |srrc|, largest first. A parameter that takes one
value in every draw has no rank and gets NaN. Reference: Saltelli et al.
(2004), Sensitivity Analysis in Practice, chapter 2; Iman and Conover (1982)
for the correlated draws.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..core.axes import FloatArray
from ..data import Places
from ..errors import fail
from ..params import Resolved
from .uncertainty import headline_of_samples, uncertain_samples

#: Fewest draws for a rank regression (a few per parameter are needed; the command's own floor).
MIN_DRAWS = 100
DEFAULT_DRAWS = 10_000
METHOD = "rank"
DESCRIPTION = (
    "rank correlation, standardized rank regression coefficients (SRRC) and partial rank correlation "
    "coefficients (PRCC) of npv on the Monte Carlo draws, the scenario's declared correlations kept"
)


def average_ranks(values: FloatArray) -> FloatArray:
    """Ranks 1 .. n of each column of values (n, k), ties given the average of their ranks (as
    scipy.stats.rankdata, without importing scipy)."""
    n = values.shape[0]
    order = np.argsort(values, axis=0, kind="stable")
    ordered = np.take_along_axis(values, order, axis=0)
    ranks = np.empty(values.shape)
    for j in range(values.shape[1]):
        starts = np.flatnonzero(np.r_[True, ordered[1:, j] != ordered[:-1, j]])
        ends = np.r_[starts[1:], n]
        group = np.repeat(np.arange(starts.size), ends - starts)
        ranks[order[:, j], j] = ((starts + ends + 1) / 2.0)[group]
    return ranks


def _standard_ranks(values: FloatArray) -> FloatArray:
    """Average ranks of each column, standardized to mean 0 and standard deviation 1 (NaN where constant)."""
    ranks = average_ranks(values)
    spread = ranks.std(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        standard: FloatArray = (ranks - ranks.mean(axis=0)) / np.where(spread > 0, spread, np.nan)
    return standard


def rank_sensitivity(inputs: Mapping[str, FloatArray], output: FloatArray) -> tuple[pd.DataFrame, float]:
    """Spearman, SRRC and PRCC of `output` (n,) on each input (n,) [dimensionless, -1..1 for spearman and
    prcc]; returns (table sorted by |srrc|, the R^2 of the rank regression)."""
    names = list(inputs)
    x = _standard_ranks(np.column_stack([np.asarray(inputs[name], dtype=float) for name in names]))
    y = _standard_ranks(np.asarray(output, dtype=float)[:, None])[:, 0]
    if not np.isfinite(y).all():
        raise ValueError("the output takes one value in every draw: nothing to rank")
    n = len(y)
    varies = np.isfinite(x).all(axis=0)
    xv = x[:, varies]
    spearman = np.full(len(names), np.nan)
    srrc = np.full(len(names), np.nan)
    prcc = np.full(len(names), np.nan)
    spearman[varies] = xv.T @ y / n
    beta, *_ = np.linalg.lstsq(xv, y, rcond=None)
    srrc[varies] = beta
    residual = y - xv @ beta
    r2 = float(1.0 - residual @ residual / (y @ y))
    joint = np.column_stack([xv, y])
    precision = np.linalg.pinv(joint.T @ joint / n)
    prcc[varies] = -precision[:-1, -1] / np.sqrt(np.diag(precision)[:-1] * precision[-1, -1])
    table = pd.DataFrame({"parameter": names, "spearman": spearman, "srrc": srrc, "prcc": prcc})
    order = np.argsort(-np.nan_to_num(np.abs(srrc), nan=-1.0), kind="stable")
    return table.iloc[order].reset_index(drop=True), r2


def check_draws(draws: int, option: str = "--draws", most: int | None = None) -> None:
    """Refuse fewer than MIN_DRAWS draws (or more than `most`) with an `InputError` naming `option`."""
    if draws < MIN_DRAWS:
        raise fail(option, str(draws), f"too few Monte Carlo draws: give at least {MIN_DRAWS}, e.g. 10000")
    if most is not None and draws > most:
        raise fail(option, str(draws), f"too many Monte Carlo draws: give at most {most:,}")


def parameter_of(resolved: Resolved, leaf: str) -> str:
    """The parameter (a path of `resolved.specs`) a leaf belongs to: 'places.kent.assets.max_rate' and
    'single_offer.freedoms.assets.max_rate' -> 'assets.max_rate', 'pooling.participation.nhs' ->
    'pooling.participation'."""
    path = leaf
    if path.startswith("places."):
        path = path.split(".", 2)[2]
    elif path.startswith(FREEDOMS):
        path = path[len(FREEDOMS) :]
    return next(spec for spec in resolved.specs if path == spec or path.startswith(spec + "."))


FREEDOMS = "single_offer.freedoms."


def draw_sensitivity(resolved: Resolved, places: Places, draws: int, seed: int) -> tuple[pd.DataFrame, float]:
    """Rank sensitivity of npv over `draws` Monte Carlo draws of every uncertain leaf (places' own values
    and freedoms included, correlated as declared): (the table of `rank_sensitivity` with each leaf's
    unit, R^2). Raises `InputError` for too few draws or nothing uncertain."""
    check_draws(draws)
    samples = uncertain_samples(resolved, draws, seed)
    npv = headline_of_samples(resolved, places, samples, "npv")
    if np.ptp(npv) == 0:
        raise fail(resolved.file, "", "npv is the same in every draw: the uncertain parameters do not move it")
    table, r2 = rank_sensitivity(samples, npv)
    units = {leaf: resolved.specs[parameter_of(resolved, leaf)].unit for leaf in samples}
    table.insert(1, "unit", table["parameter"].map(units))
    return table, r2
