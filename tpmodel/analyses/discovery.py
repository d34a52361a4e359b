"""Scenario discovery (issue 12 item 4): in which ranges of the uncertain parameters a headline falls
below (or above) a threshold, found by PRIM on the Monte Carlo draws.

`discover("standard", draws=10000, where="npv<1500")` runs the same draws as
`tpmodel.run("standard", draws=10000, seed=...)` (every uncertain leaf,
places' own values and single-offer freedoms included, correlated as
declared), marks the draws where the condition holds (the *cases*), and
looks for a box, a few parameter ranges, in which the cases are
concentrated, with the Patient Rule Induction Method (Friedman and Fisher
1999, "Bump hunting in high-dimensional data"; as used for scenario
discovery by Bryant and Lempert 2010 and the EMA Workbench):

- **peeling**: from the box holding every draw, repeatedly cut off a slice
  of `peel_alpha` (5%) of the draws in the box at the low or the high end of
  one parameter, choosing the cut that raises the density most per draw
  removed; a cut that removes nothing (ties of an integer parameter) takes
  all draws at the end value. Once `max_dims` parameters are restricted only
  those may be cut further. Peeling stops when no cut raises the density or
  the box would hold fewer than `mass_min` (5%) of the draws. Each box of the
  way is a row of the *trajectory*.
- **choosing**: among the boxes whose coverage is at least `min_coverage`
  (default 0.5: the box explains at least half the cases), the largest whose
  density is within one standard error of the densest one's (`choose`).
- **pasting**: widen the chosen box at one restricted end at a time by
  `paste_alpha` (5%) of the draws in it, as long as that raises its density;
  an end widened past every draw is no longer a restriction.
- **pruning**: drop a restriction whose removal lowers the density by less
  than one standard error (`_prune`), so the box names only what matters.

For a box B: coverage = cases in B / all cases (how much of the problem B
explains), density = cases in B / draws in B (how pure B is), mass = draws in
B / all draws (how large B is) [shares, 0-1]. The result says it in words:
"npv < 0 in 78% of draws where shared_services.cost_rate >= 0.12 and
procurement.compliance <= 0.3 (31% of all draws; 90% of the draws with
npv < 0; 27% of all draws have npv < 0)".
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.axes import BoolArray, FloatArray
from ..data import Places
from ..errors import InputError, Problem, fail
from ..model import DEFAULT_SEED, load_run_inputs, provenance
from ..params import Resolved
from .draw_sensitivity import parameter_of
from .uncertainty import evaluate, headline_columns, headline_of_samples, uncertain_samples

MIN_DRAWS = 200
#: Fewest draws where the condition holds (and where it does not) for a box to mean anything.
MIN_CASES = 10
MAX_DRAWS = 200_000
DEFAULT_DRAWS = 10_000
DEFAULT_WHERE = "npv<0"
OPERATORS = ("<=", ">=", "<", ">")
CONDITION = re.compile(r"^\s*([A-Za-z0-9_]+)\s*(<=|>=|<|>)\s*(\S+)\s*$")


# ---------------------------------------------------------------- the condition


@dataclass(frozen=True)
class Condition:
    """A headline measure compared with a threshold, e.g. npv < 0 [the measure's unit]."""

    measure: str
    operator: str
    threshold: float

    def __str__(self) -> str:
        return f"{self.measure} {self.operator} {self.threshold:g}"

    def holds(self, values: FloatArray) -> BoolArray:
        """Where the condition holds; a missing value (NaN: no bcr, no payback) never meets it."""
        compare = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[self.operator]
        with np.errstate(invalid="ignore"):
            met = np.asarray(compare(values, self.threshold), dtype=bool)
        held: BoolArray = np.asarray(met & np.isfinite(values), dtype=np.bool_)
        return held


def parse_condition(text: str, measures: Sequence[str]) -> Condition:
    """'npv<0', 'bcr <= 1', 'npv_place_kent>100' -> `Condition`; `InputError` naming --where otherwise."""
    match = CONDITION.match(text or "")
    if not match:
        raise fail("--where", repr(text), "expected MEASURE OPERATOR NUMBER, e.g. 'npv<0' or 'bcr<=1' "
                   f"(operators {', '.join(OPERATORS)})")  # fmt: skip
    measure, operator, number = match.groups()
    problems = []
    if measure not in measures:
        close = difflib.get_close_matches(measure, measures, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        shown = ", ".join(m for m in measures if not m[-1].isdigit() and not m.startswith("npv_place_"))
        problems.append(Problem("--where", measure, f"no headline measure '{measure}'{hint}; measures: {shown}, "
                                "npv_place_<place>, net_<year>, cumulative_net_<year>, cashable_<year>"))  # fmt: skip
    try:
        threshold = float(number)
    except ValueError:
        threshold = math.nan
    if not math.isfinite(threshold):
        problems.append(Problem("--where", number, "the threshold is not a number"))
    if problems:
        raise InputError(problems)
    return Condition(measure, operator, threshold)


# ---------------------------------------------------------------- PRIM on numpy


@dataclass
class Box:
    """Limits of a box: lower[j] <= x_j <= upper[j]; -inf / inf where parameter j is not restricted."""

    lower: FloatArray
    upper: FloatArray

    def inside(self, x: FloatArray) -> BoolArray:
        """(n,) which rows of x (n, k) lie in the box."""
        held: BoolArray = np.asarray(((x >= self.lower) & (x <= self.upper)).all(axis=1), dtype=np.bool_)
        return held

    @property
    def restricted(self) -> BoolArray:
        held: BoolArray = np.isfinite(self.lower) | np.isfinite(self.upper)
        return held

    def copy(self) -> Box:
        return Box(self.lower.copy(), self.upper.copy())


@dataclass
class Trajectory:
    """The boxes of a peeling, with their coverage, density and mass [shares], and the chosen box."""

    boxes: list[Box]
    coverage: list[float]
    density: list[float]
    mass: list[float]
    chosen: int = 0
    pasted: Box | None = None
    stats: dict[str, float] = field(default_factory=dict)


def _box_stats(inside: BoolArray, y: BoolArray) -> tuple[float, float, float]:
    """(coverage, density, mass) of a box given which draws are inside it."""
    count, hits = int(inside.sum()), int((inside & y).sum())
    return hits / max(1, int(y.sum())), hits / max(1, count), count / len(y)


def _peel(
    xt: FloatArray, y: BoolArray, box: Box, inside: BoolArray, alpha: float, max_dims: int
) -> tuple[Box, BoolArray] | None:
    """The best single peel of `box` (see the module docstring) and the draws inside the peeled box, or
    None when no peel raises the density. xt: the draws transposed, (k, n), one parameter a row."""
    rows = np.flatnonzero(inside)
    yb = y[rows]
    m = len(yb)
    restricted = box.restricted
    allowed = np.arange(xt.shape[0]) if restricted.sum() < max_dims else np.flatnonzero(restricted)
    if m < 2 or allowed.size == 0:
        return None
    cut = min(m - 1, max(1, int(alpha * m)))
    columns = xt[np.ix_(allowed, rows)]  # (parameter, draw in the box)
    ordered = np.partition(columns, sorted({0, cut, m - 1 - cut, m - 1}), axis=1)
    bottom, top = ordered[:, 0], ordered[:, m - 1]
    low_cut, high_cut = ordered[:, cut].copy(), ordered[:, m - 1 - cut].copy()
    # a cut at the end value (ties) removes nothing: take every draw at the end value instead
    for i in np.flatnonzero(low_cut <= bottom):
        higher = columns[i][columns[i] > bottom[i]]
        low_cut[i] = higher.min() if higher.size else np.inf
    for i in np.flatnonzero(high_cut >= top):
        lower = columns[i][columns[i] < top[i]]
        high_cut[i] = lower.max() if lower.size else -np.inf
    density = yb.mean()
    cases = columns[:, yb]
    best: tuple[float, int, str, float] | None = None
    for side, cuts in (("lower", low_cut), ("upper", high_cut)):
        if side == "lower":
            kept, hits = (columns >= cuts[:, None]).sum(axis=1), (cases >= cuts[:, None]).sum(axis=1)
        else:
            kept, hits = (columns <= cuts[:, None]).sum(axis=1), (cases <= cuts[:, None]).sum(axis=1)
        for i in np.flatnonzero((kept > 0) & (kept < m) & np.isfinite(cuts)):
            gain = (hits[i] / kept[i] - density) / (m - kept[i])
            if gain > 0 and (best is None or gain > best[0]):
                best = (gain, int(allowed[i]), side, float(cuts[i]))
    if best is None:
        return None
    _, j, side, value = best
    peeled = box.copy()
    getattr(peeled, side)[j] = value
    kept_all = xt[j] >= value if side == "lower" else xt[j] <= value
    return peeled, inside & kept_all


def _paste(x: FloatArray, y: BoolArray, box: Box, alpha: float) -> Box:
    """Widen `box` one restricted end at a time while that raises its density (module docstring)."""
    box = box.copy()
    while True:
        dims = np.flatnonzero(box.restricted)
        within = (x[:, dims] >= box.lower[dims]) & (x[:, dims] <= box.upper[dims])
        inside = within.all(axis=1)
        m = int(inside.sum())
        density = (inside & y).sum() / max(1, m)
        outside_once = (~within).sum(axis=1) == 1
        add = max(1, int(alpha * m))
        best: tuple[float, int, str, float] | None = None
        for column, j in enumerate(dims):
            near = outside_once & ~within[:, column]
            for side in ("lower", "upper"):
                limit = getattr(box, side)[j]
                if not np.isfinite(limit):
                    continue
                values = x[near, j]
                values = values[values < limit] if side == "lower" else values[values > limit]
                if values.size == 0:
                    continue
                ordered = np.sort(values)[::-1] if side == "lower" else np.sort(values)
                new = ordered[min(add, ordered.size) - 1]
                gained = (values >= new) if side == "lower" else (values <= new)
                chosen = near & ((x[:, j] >= new) & (x[:, j] < limit) if side == "lower"
                                 else (x[:, j] <= new) & (x[:, j] > limit))  # fmt: skip
                count, hits = m + int(gained.sum()), (inside & y).sum() + (chosen & y).sum()
                if hits / count > density and (best is None or hits / count > best[0]):
                    unbounded = ordered.size <= add
                    best = (hits / count, int(j), side, -math.inf if unbounded and side == "lower"
                            else math.inf if unbounded else float(new))  # fmt: skip
        if best is None:
            return box
        _, index, side, value = best
        getattr(box, side)[index] = value


def _prune(x: FloatArray, y: BoolArray, box: Box) -> Box:
    """Drop, one at a time, a restriction whose removal lowers the box's density by less than one standard
    error, sqrt(d (1 - d) / draws in the box), so that the box names only parameters that matter."""
    box = box.copy()
    while box.restricted.sum() > 1:
        inside = box.inside(x)
        m = int(inside.sum())
        density = (inside & y).sum() / m
        error = math.sqrt(density * (1 - density) / m)
        best: tuple[float, int] | None = None
        for j in np.flatnonzero(box.restricted):
            wider = box.copy()
            wider.lower[j], wider.upper[j] = -math.inf, math.inf
            within = wider.inside(x)
            loose = (within & y).sum() / within.sum()
            if loose >= density - error and (best is None or loose > best[0]):
                best = (loose, int(j))
        if best is None:
            return box
        box.lower[best[1]], box.upper[best[1]] = -math.inf, math.inf
    return box


def choose(trajectory: Trajectory, draws: int, min_coverage: float) -> int:
    """The box to report: among the boxes with coverage >= min_coverage, the first (largest) whose density
    is within one standard error of the densest one's, sqrt(d (1 - d) / draws in that box) (the
    one-standard-error rule, so that peeling into noise is not rewarded)."""
    eligible = [i for i, c in enumerate(trajectory.coverage) if c >= min_coverage] or [0]
    densest = max(eligible, key=lambda i: trajectory.density[i])
    d = trajectory.density[densest]
    error = math.sqrt(d * (1 - d) / max(1.0, trajectory.mass[densest] * draws))
    return min(i for i in eligible if trajectory.density[i] >= d - error)


def prim(
    x: FloatArray,
    y: BoolArray,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
    max_dims: int = 3,
    min_coverage: float = 0.5,
) -> Trajectory:
    """PRIM (module docstring) on draws x (n, k) [each column in its parameter's unit] and cases y (n,):
    the peeling trajectory, the chosen box (densest with coverage >= min_coverage) and it pasted."""
    n, k = x.shape
    box = Box(np.full(k, -math.inf), np.full(k, math.inf))
    inside = np.ones(n, dtype=bool)
    coverage, density, mass = _box_stats(inside, y)
    trajectory = Trajectory([box], [coverage], [density], [mass])
    xt = np.ascontiguousarray(x.T)
    while True:
        peeled = _peel(xt, y, box, inside, peel_alpha, max_dims)
        if peeled is None or peeled[1].sum() < mass_min * n:
            break
        box, inside = peeled
        coverage, density, mass = _box_stats(inside, y)
        trajectory.boxes.append(box)
        trajectory.coverage.append(coverage)
        trajectory.density.append(density)
        trajectory.mass.append(mass)
    trajectory.chosen = choose(trajectory, n, min_coverage)
    trajectory.pasted = _prune(x, y, _paste(x, y, trajectory.boxes[trajectory.chosen], paste_alpha))
    coverage, density, mass = _box_stats(trajectory.pasted.inside(x), y)
    trajectory.stats = {"coverage": coverage, "density": density, "mass": mass}
    return trajectory


# ---------------------------------------------------------------- the analysis


def restriction_text(name: str, lower: float, upper: float, integer: bool = False) -> str:
    """'a >= 0.12', 'b <= 0.3', '0.1 <= c <= 0.2' (3 significant figures; whole numbers for integers)."""

    def shown(value: float) -> str:
        return f"{value:.0f}" if integer else f"{value:.3g}"

    if math.isfinite(lower) and math.isfinite(upper):
        return f"{shown(lower)} <= {name} <= {shown(upper)}"
    return f"{name} >= {shown(lower)}" if math.isfinite(lower) else f"{name} <= {shown(upper)}"


@dataclass
class DiscoveryResult:
    """Where `condition` holds in the Monte Carlo draws of a scenario.

    `trajectory`: one row per box of the peeling (box, coverage, density,
    mass [shares], dimensions, restrictions, chosen); `box`: one row per
    restricted parameter of the final (pasted) box (parameter, unit, lower,
    upper [the parameter's unit; empty when not restricted on that side],
    draws_min, draws_max [its range over the draws]); `statement`: the
    finding in words. With no case, or every draw a case, both tables are
    empty and `statement` says so.
    """

    resolved: Resolved
    condition: Condition
    draws: int
    seed: int
    started: str
    cases: int
    trajectory: pd.DataFrame
    box: pd.DataFrame
    coverage: float | None
    density: float | None
    mass: float | None
    statement: str
    settings: dict[str, float]

    @property
    def name(self) -> str:
        return self.resolved.name

    @property
    def found(self) -> bool:
        """Whether a box was looked for (at least MIN_CASES draws are cases and as many are not)."""
        return MIN_CASES <= self.cases <= self.draws - MIN_CASES

    def summary(self) -> dict[str, Any]:
        """summary.json: the condition, the finding in words, the box with its coverage, density and mass,
        the PRIM settings and provenance."""
        return {
            "scenario": self.name,
            "condition": str(self.condition),
            "statement": self.statement,
            "draws": self.draws,
            "cases": self.cases,
            "share_of_draws": self.cases / self.draws,
            "coverage": self.coverage,
            "density": self.density,
            "mass": self.mass,
            "box": self.box.to_dict(orient="records"),
            "method": "PRIM (peeling and pasting) on the Monte Carlo draws, declared correlations kept",
            "settings": self.settings,
            "units": "coverage, density, mass and share_of_draws as shares of draws (0-1); limits in each "
            "parameter's unit",
            "provenance": provenance(self.resolved, self.seed, self.draws, self.started),
        }


def _statement(
    condition: Condition, cases: int, draws: int, restrictions: list[str], stats: Mapping[str, float]
) -> str:
    """The finding in words (module docstring); shares rounded to whole percent."""
    base = cases / draws
    if cases == 0:
        return f"{condition} in none of the {draws:,} draws: there is nothing to discover"
    if cases == draws:
        return f"{condition} in every one of the {draws:,} draws: no parameter range is needed to explain it"
    if cases < MIN_CASES:
        return (f"{condition} in only {cases} of the {draws:,} draws: too few to say where they are concentrated "
                "(give more --draws)")  # fmt: skip
    if draws - cases < MIN_CASES:
        return (f"{condition} in all but {draws - cases} of the {draws:,} draws: too few exceptions to say where "
                "it does not hold (give more --draws)")  # fmt: skip
    if not restrictions:
        return (f"{condition} in {percent(base)} of all draws, and no parameter range concentrates it "
                f"(no box holds half of those draws with a higher share)")  # fmt: skip
    return (f"{condition} in {percent(stats['density'])} of draws where {' and '.join(restrictions)} "
            f"({percent(stats['mass'])} of all draws; {percent(stats['coverage'])} of the draws with {condition}; "
            f"{percent(base)} of all draws have {condition})")  # fmt: skip


def percent(share: float) -> str:
    """A share as a whole percent, '<1%' and '>99%' near the ends so that neither reads as never or always."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 < share < 1:
        return ">99%"
    return f"{share:.0%}"


def headline_measures(resolved: Resolved, places: Places) -> list[str]:
    """The per-draw headline columns a condition may name (`uncertainty.headline_columns`)."""
    return list(headline_columns(evaluate(resolved, places, {}, 1).headlines, list(resolved.years), places))


def check_draws(draws: int) -> None:
    """MIN_DRAWS <= draws <= MAX_DRAWS, or an `InputError` naming --draws."""
    if not MIN_DRAWS <= draws <= MAX_DRAWS:
        raise fail("--draws", str(draws), f"scenario discovery needs from {MIN_DRAWS:,} to {MAX_DRAWS:,} Monte Carlo "
                   "draws, e.g. 10000")  # fmt: skip


def discover(
    scenario: str,
    draws: int = DEFAULT_DRAWS,
    where: str = DEFAULT_WHERE,
    seed: int = DEFAULT_SEED,
    sets: Sequence[str] = (),
    params_dir: Path | str | None = None,
    overrides: Mapping[str, Any] | None = None,
    **settings: Any,
) -> DiscoveryResult:
    """Scenario discovery on `draws` Monte Carlo draws of `scenario`: where `where` ('npv<0', 'bcr<1',
    'npv_place_kent<50', ...) holds, as a PRIM box (module docstring). settings: max_dims (3),
    min_coverage (0.5), peel_alpha, paste_alpha, mass_min (0.05 each). Raises `InputError` on bad input
    (before anything runs); no case (or all cases) is a result that says so, not an error."""
    check_settings(draws, **settings)
    resolved, places = load_run_inputs(scenario, tuple(sets), overrides, params_dir)
    return discover_draws(resolved, places, draws, where, seed, **settings)


def check_settings(draws: int, max_dims: int = 3, min_coverage: float = 0.5, **_: Any) -> None:
    """The draws and PRIM settings a discovery accepts, or an `InputError` naming the option."""
    check_draws(draws)
    if not 1 <= max_dims <= 20:
        raise fail("--max-dims", str(max_dims), "give from 1 to 20 restricted parameters")
    if not 0 < min_coverage <= 1:
        raise fail("--min-coverage", str(min_coverage), "give a share above 0 and at most 1, e.g. 0.5")


def discover_draws(
    resolved: Resolved,
    places: Places,
    draws: int,
    where: str = DEFAULT_WHERE,
    seed: int = DEFAULT_SEED,
    max_dims: int = 3,
    min_coverage: float = 0.5,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> DiscoveryResult:
    """`discover` on resolved parameters (e.g. a `RunResult`'s, for the same draws as its Monte Carlo)."""
    check_settings(draws, max_dims, min_coverage)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    condition = parse_condition(where, headline_measures(resolved, places))
    samples = uncertain_samples(resolved, draws, seed)
    values = headline_of_samples(resolved, places, samples, condition.measure)
    y = condition.holds(values)
    cases = int(y.sum())
    names = [path for path, column in samples.items() if np.ptp(column) > 0]
    settings = {"max_dims": max_dims, "min_coverage": min_coverage, "peel_alpha": peel_alpha,
                "paste_alpha": paste_alpha, "mass_min": mass_min}  # fmt: skip
    empty_box = pd.DataFrame(columns=["parameter", "unit", "lower", "upper", "draws_min", "draws_max"])
    if not MIN_CASES <= cases <= draws - MIN_CASES or not names:
        statement = _statement(condition, cases, draws, [], {})
        return DiscoveryResult(resolved, condition, draws, seed, started, cases, pd.DataFrame(), empty_box,
                               None, None, None, statement, settings)  # fmt: skip
    x = np.column_stack([samples[name] for name in names])
    trajectory = prim(x, y, peel_alpha, paste_alpha, mass_min, max_dims, min_coverage)
    integer = {name: resolved.specs[parameter_of(resolved, name)].type == "integer" for name in names}

    def restrictions(box: Box) -> list[str]:
        return [restriction_text(names[j], box.lower[j], box.upper[j], integer[names[j]])
                for j in np.flatnonzero(box.restricted)]  # fmt: skip

    table = pd.DataFrame({
        "box": range(len(trajectory.boxes)), "coverage": trajectory.coverage, "density": trajectory.density,
        "mass": trajectory.mass, "dimensions": [int(b.restricted.sum()) for b in trajectory.boxes],
        "restrictions": ["; ".join(restrictions(b)) for b in trajectory.boxes],
        "chosen": [i == trajectory.chosen for i in range(len(trajectory.boxes))],
    })  # fmt: skip
    pasted = trajectory.pasted if trajectory.pasted is not None else trajectory.boxes[trajectory.chosen]
    rows = [
        {"parameter": names[j], "unit": resolved.specs[parameter_of(resolved, names[j])].unit,
         "lower": pasted.lower[j] if np.isfinite(pasted.lower[j]) else math.nan,
         "upper": pasted.upper[j] if np.isfinite(pasted.upper[j]) else math.nan,
         "draws_min": float(x[:, j].min()), "draws_max": float(x[:, j].max())}
        for j in np.flatnonzero(pasted.restricted)
    ]  # fmt: skip
    box = pd.DataFrame(rows, columns=empty_box.columns) if rows else empty_box
    stats = trajectory.stats
    statement = _statement(condition, cases, draws, restrictions(pasted), stats)
    return DiscoveryResult(resolved, condition, draws, seed, started, cases, table, box, stats["coverage"],
                           stats["density"], stats["mass"], statement, settings)  # fmt: skip
