"""Switching values (Green Book): the value of each parameter at which the npv falls to 0.

`switching_values("standard")` takes every numeric leaf the scenario resolves,
one at a time, the others at their central values, and finds the value at
which npv = 0 (where there are costs, the same point is bcr = 1, since
npv = PV benefits - PV costs and bcr = PV benefits / PV costs), or says there
is none within the leaf's bounds.

Leaves. Every scalar the engine reads: a parameter's single number or
distribution, each agency's, year's or agency-year's entry of a mapping
(`shared_services.participation.nhs`, `baseline.real_growth.council.2012`,
`reporting.indicators.2011`), each place's own value
(`places.kent.assets.max_rate`) and each single-offer freedom
(`single_offer.freedoms.<path>`). `horizon.*` (it sets the appraisal's years)
and `presentation.*` (no real figure depends on it) are left out.

Bounds. The search runs over the parameter's `min` and `max` (a bound that
names another parameter takes that parameter's central value); a year
parameter stops at `horizon.last_year + 1` (any later year acts the same). An
open side is searched out to 512 times the central value (or, for a central
value of 0, 512 times the width of the bounds, else 512). The distribution's
support and the `plausible` range are not search limits: they are reported
beside the switch, so a reader sees a switch that lies outside what the
evidence allows.

Method. For every leaf a ladder of values is evaluated from the central value
outwards on each side (steps of 1/16 to 512 times the scale, doubling; whole
numbers 1 to 8 and then doubling for integer parameters), all leaves' ladders
in one batch of engine calls along the draw axis. The first rung whose npv
has the other sign brackets a root, which `scipy.optimize.brentq` finds (to
1e-12); integer parameters are bisected over whole numbers instead, and their
switching value is the first whole number at which the sign flips. The
root-finders of every leaf run together: each asks for one point at a time,
and the points asked for are evaluated in one engine call per round. Where
both sides switch, the nearer one (relative to the central value) is
reported. A sign change between two rungs and back again is not seen.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.distributions import is_distribution
from ..data import Places
from ..engine_inputs import central_leaf
from ..errors import fail
from ..model import load_run_inputs
from ..params import ParamSpec, Resolved, leaves
from .uncertainty import CHUNK_DRAWS, NOT_SAMPLED, chunks, evaluate

#: Doubling steps of the ladder, as multiples of a leaf's scale: 1/16 .. 512.
LADDER = 2.0 ** np.arange(-4, 10)
#: Whole-number steps of an integer leaf before doubling.
WHOLE_STEPS = np.arange(1, 9)
#: brentq's tolerances (absolute and relative) on the switching value.
XTOL, RTOL = 1e-12, 1e-12
STATUSES = ("switches", "none within bounds", "no effect")


@dataclass(frozen=True)
class NumericLeaf:
    """One scalar of the resolved parameters: its dotted path (leaf id), its parameter's spec, its number or
    distribution, and whose it is ('' for all places, a place id, or 'single offer' for a freedom)."""

    path: str
    spec: ParamSpec
    value: Any
    owner: str = ""

    @property
    def integer(self) -> bool:
        return self.spec.type == "integer"

    @property
    def uncertain(self) -> bool:
        return is_distribution(self.value)

    @property
    def central(self) -> float:
        """The central value (draw 0), rounded half up for an integer parameter."""
        return float(central_leaf(self.path, self.value, self.integer)[0])

    @property
    def in_engine(self) -> bool:
        """False for horizon.* and presentation.*, which are not leaves the engine draws."""
        return not self.spec.path.startswith(NOT_SAMPLED)


def numeric_leaves(resolved: Resolved) -> list[NumericLeaf]:
    """Every number and distribution of number and integer parameters, in parameter order: the values
    for all places, then the single offer's freedoms, then each place's own values."""
    found: list[NumericLeaf] = []
    for path, spec in resolved.specs.items():
        if spec.numeric:
            found += [NumericLeaf(leaf, spec, value) for leaf, value in leaves(path, resolved.values[path])]
    owners = [("single offer", resolved.freedom_settings), *resolved.place_settings.items()]
    for owner, by_path in owners:
        for path, layer in by_path.items():
            spec = resolved.specs[path]
            for setting in layer:
                found += [NumericLeaf(leaf, spec, v, owner) for leaf, v in leaves(setting.leaf_id, setting.value)]
    return list({leaf.path: leaf for leaf in found}.values())


# ---------------------------------------------------------------- distributions: support and cdf


def support(dist: Mapping[str, Any]) -> tuple[float, float]:
    """The smallest and largest value a distribution can draw (infinite where unbounded)."""
    kind = dist["dist"]
    if kind == "lognormal":
        return 0.0, math.inf
    if kind == "normal":
        return float(dist.get("low", -math.inf)), float(dist.get("high", math.inf))
    return float(dist["low"]), float(dist["high"])


def cdf(dist: Mapping[str, Any], x: float) -> float:
    """P(X <= x) of a distribution of spec 7 (the quantile of x in it, 0 to 1)."""
    from scipy import stats

    from ..core.distributions import pert_shape

    kind = dist["dist"]
    if kind == "lognormal":
        return (
            float(stats.norm.cdf((math.log(x) - math.log(float(dist["median"]))) / float(dist["sigma"])))
            if x > 0
            else 0.0
        )
    if kind == "normal":
        mean, sd = float(dist["mean"]), float(dist["sd"])
        a, b = support(dist)
        return float(stats.truncnorm.cdf(x, (a - mean) / sd, (b - mean) / sd, loc=mean, scale=sd))
    low, high = float(dist["low"]), float(dist["high"])
    if kind == "uniform":
        return float(np.clip((x - low) / (high - low), 0.0, 1.0))
    mode = float(dist["mode"])
    if kind == "triangular":
        return float(stats.triang.cdf(x, (mode - low) / (high - low), loc=low, scale=high - low))
    return float(stats.beta.cdf((x - low) / (high - low), *pert_shape(low, mode, high)))


#: The cdf of every kind of `tpmodel.core.distributions.DISTRIBUTIONS` (a test keeps them in step).
CDF_KINDS = ("triangular", "pert", "uniform", "normal", "lognormal")


# ---------------------------------------------------------------- bounds and ladders


def search_bounds(leaf: NumericLeaf, resolved: Resolved) -> tuple[float, float]:
    """The interval searched for a leaf: its parameter's min and max (a path bound at that parameter's
    central value), a year parameter capped at horizon.last_year + 1; infinite where open."""

    def bound(value: Any, default: float) -> float:
        if value is None:
            return default
        if isinstance(value, str):
            other = resolved.values[value]
            return float(central_leaf(value, other, resolved.specs[value].type == "integer")[0])
        return float(value)

    low, high = bound(leaf.spec.min, -math.inf), bound(leaf.spec.max, math.inf)
    if leaf.spec.unit == "year":
        high = min(high, float(resolved.years[-1] + 1))
    return low, high


def scale_of(central: float, low: float, high: float) -> float:
    """The unit of a leaf's ladder: |central|, else the width of finite bounds, else 1."""
    if central != 0:
        return abs(central)
    return high - low if math.isfinite(high - low) and high > low else 1.0


def ladder(central: float, low: float, high: float, integer: bool) -> tuple[list[float], list[float]]:
    """Values tried below and above the central value, nearest first, within [low, high] (the bound itself
    the last rung where finite)."""
    scale = scale_of(central, low, high)
    steps = scale * LADDER
    if integer:
        steps = np.unique(np.concatenate([WHOLE_STEPS, np.rint(np.maximum(steps, 1.0))]))

    def side(sign: float, bound: float) -> list[float]:
        rungs = [central + sign * step for step in steps if sign * (central + sign * step - bound) < 0]
        if math.isfinite(bound) and sign * (bound - central) > 0:
            rungs.append(math.floor(bound) if integer and sign > 0 else math.ceil(bound) if integer else bound)
        return sorted(set(rungs), key=lambda v: abs(v - central))

    return side(-1.0, low), side(1.0, high)


# ---------------------------------------------------------------- the engine on many points at once


def npv_bcr_of(
    resolved: Resolved, places: Places, points: Sequence[tuple[str, float]], centrals: Mapping[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """npv [GBP m] and bcr of runs that each move one leaf (path, value), the others central: the runs are
    draws of the engine, in chunks of `CHUNK_DRAWS`."""
    npv, bcr = np.empty(len(points)), np.empty(len(points))
    for start, stop in chunks(len(points), CHUNK_DRAWS):
        part = points[start:stop]
        samples: dict[str, np.ndarray] = {}
        for row, (path, value) in enumerate(part):
            if path not in samples:
                samples[path] = np.full(len(part), centrals[path])
            samples[path][row] = value
        headlines = evaluate(resolved, places, samples, len(part)).headlines
        npv[start:stop], bcr[start:stop] = headlines.npv, headlines.bcr
    return npv, bcr


def solve_together(
    solvers: Sequence[Callable[[Callable[[float], float]], Any]],
    evaluate_points: Callable[[list[tuple[int, float]]], Sequence[float]],
) -> list[Any]:
    """Run every solver (a function of f, such as a brentq call) in its own thread, in lock-step: each call
    f(x) waits until every running solver has asked for a point or finished, and then all the points asked
    for are evaluated in one `evaluate_points([(solver index, x), ...])` call. Returns each solver's result
    (or raises the first solver's exception)."""
    condition = threading.Condition()
    pending: dict[int, float] = {}
    answers: dict[int, float] = {}
    results: list[Any] = [None] * len(solvers)
    errors: list[BaseException] = []
    finished = 0

    def ask(index: int, x: float) -> float:
        with condition:
            pending[index] = float(x)
            condition.notify_all()
            condition.wait_for(lambda: index in answers or bool(errors))
            if index not in answers:
                raise RuntimeError("the evaluation of another point failed")
            return answers.pop(index)

    def work(index: int) -> None:
        nonlocal finished
        try:
            results[index] = solvers[index](lambda x: ask(index, x))
        except BaseException as error:  # handed to the caller below
            errors.append(error)
        finally:
            with condition:
                finished += 1
                condition.notify_all()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(solvers))]
    for thread in threads:
        thread.start()
    with condition:
        while True:
            condition.wait_for(lambda: finished + len(pending) == len(solvers))
            if not pending:
                break
            batch = sorted(pending.items())
            pending.clear()
            try:
                answers.update(zip((i for i, _ in batch), evaluate_points(batch), strict=True))
            except BaseException as error:  # every waiting solver stops, then it is raised
                errors.insert(0, error)
            condition.notify_all()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def _integer_root(f: Callable[[float], float], inside: float, outside: float, sign: float) -> float:
    """The whole number nearest `inside` at which f has not the sign `sign`, between `inside` (f has it) and
    `outside` (f has not), by bisection over whole numbers."""
    while abs(outside - inside) > 1:
        middle = math.floor((inside + outside) / 2)
        if sign * f(middle) > 0:
            inside = middle
        else:
            outside = middle
    return outside


# ---------------------------------------------------------------- switching values


def switching_table(resolved: Resolved, places: Places) -> pd.DataFrame:
    """The switching value of every numeric leaf of a resolved scenario, nearest switch first.

    Columns: parameter (the leaf's dotted path), owner ('' for all places, a place id, 'single offer'),
    unit, evidence (grade), uncertain, central, search_low, search_high [the parameter's unit], status
    (`STATUSES`), switching_value [unit], change_percent [% of the central value; empty when it is 0],
    direction (lower, higher), npv_at_switch [GBP m, ~0 for a continuous parameter], bcr_at_switch [ratio],
    quantile [0-1, P(X <= switching value), uncertain leaves], probability_beyond [0-1, the share of draws
    beyond the switch on its side], range_low, range_high (the distribution's support or the plausible
    range), inside_range, npv_central [GBP m].
    """
    from scipy.optimize import brentq

    npv0 = float(evaluate(resolved, places, {}, 1).headlines.npv[0])
    if npv0 == 0:
        raise fail(resolved.file, "", "the central npv is 0: there is no switch to find")
    sign = math.copysign(1.0, npv0)
    candidates = [leaf for leaf in numeric_leaves(resolved) if leaf.in_engine]
    centrals = {leaf.path: leaf.central for leaf in candidates}
    bounds = {leaf.path: search_bounds(leaf, resolved) for leaf in candidates}
    ladders = {leaf.path: ladder(centrals[leaf.path], *bounds[leaf.path], leaf.integer) for leaf in candidates}
    points = [(leaf.path, v) for leaf in candidates for rungs in ladders[leaf.path] for v in rungs]
    npv, _ = npv_bcr_of(resolved, places, points, centrals)
    at: dict[str, dict[float, float]] = {leaf.path: {centrals[leaf.path]: npv0} for leaf in candidates}
    for (path, value), figure in zip(points, npv, strict=True):
        at[path][value] = float(figure)

    tasks: list[tuple[str, str, float, float]] = []  # (leaf, direction, inside, outside)
    for leaf in candidates:
        for direction, rungs in zip(("lower", "higher"), ladders[leaf.path], strict=True):
            inside = centrals[leaf.path]
            for value in rungs:
                if sign * at[leaf.path][value] <= 0:
                    tasks.append((leaf.path, direction, inside, value))
                    break
                inside = value
    integer = {leaf.path: leaf.integer for leaf in candidates}

    def solver(path: str, inside: float, outside: float) -> Callable[[Callable[[float], float]], float]:
        known = at[path]

        def f(ask: Callable[[float], float]) -> Callable[[float], float]:
            return lambda x: known[x] if x in known else ask(x)

        if integer[path]:
            return lambda ask: _integer_root(f(ask), inside, outside, sign)
        if at[path][outside] == 0:
            return lambda ask: outside
        return lambda ask: float(brentq(f(ask), inside, outside, xtol=XTOL, rtol=RTOL))

    evaluated = [0]

    def run_points(batch: list[tuple[int, float]]) -> Sequence[float]:
        evaluated[0] += len(batch)
        return npv_bcr_of(resolved, places, [(tasks[i][0], x) for i, x in batch], centrals)[0]

    roots = solve_together([solver(path, inside, outside) for path, _, inside, outside in tasks], run_points)
    found: dict[str, tuple[str, float]] = {}
    for (path, direction, _, _), root in zip(tasks, roots, strict=True):
        distance = abs(root - centrals[path])
        if path not in found or distance < abs(found[path][1] - centrals[path]):
            found[path] = (direction, float(root))
    switch_npv, switch_bcr = npv_bcr_of(resolved, places, [(p, v) for p, (_, v) in found.items()], centrals)
    at_switch = {p: (float(n), float(b)) for p, n, b in zip(found, switch_npv, switch_bcr, strict=True)}

    rows = []
    for leaf in candidates:
        path, central = leaf.path, centrals[leaf.path]
        low, high = bounds[path]
        effect = any(abs(v - npv0) > 1e-9 * max(1.0, abs(npv0)) for v in at[path].values())
        status = "switches" if path in found else "none within bounds" if effect else "no effect"
        span = support(leaf.value) if leaf.uncertain else leaf.spec.plausible
        row: dict[str, Any] = {
            "parameter": path, "owner": leaf.owner, "unit": leaf.spec.unit, "evidence": leaf.spec.evidence,
            "uncertain": leaf.uncertain, "central": central, "search_low": low, "search_high": high,
            "status": status, "switching_value": math.nan, "change_percent": math.nan, "direction": "",
            "npv_at_switch": math.nan, "bcr_at_switch": math.nan, "quantile": math.nan,
            "probability_beyond": math.nan, "range_low": span[0] if span else math.nan,
            "range_high": span[1] if span else math.nan, "inside_range": None, "npv_central": npv0,
        }  # fmt: skip
        if path in found:
            direction, value = found[path]
            row |= {"switching_value": value, "direction": direction}
            row["npv_at_switch"], row["bcr_at_switch"] = at_switch[path]
            if central != 0:
                row["change_percent"] = 100.0 * (value - central) / abs(central)
            if span:
                row["inside_range"] = bool(span[0] <= value <= span[1])
            if leaf.uncertain:
                q = cdf(leaf.value, value)
                row["quantile"] = q
                row["probability_beyond"] = q if direction == "lower" else 1.0 - q
        rows.append(row)
    table = pd.DataFrame(rows)
    order = pd.DataFrame({
        "status": table["status"].map({s: i for i, s in enumerate(STATUSES)}),
        "relative": table["change_percent"].abs().fillna(math.inf),
        "absolute": (table["switching_value"] - table["central"]).abs(),
    })  # fmt: skip
    ranked = order.sort_values(["status", "relative", "absolute"], kind="stable").index
    table = table.loc[ranked].reset_index(drop=True)
    table.attrs["model_runs"] = 1 + len(points) + len(found) + evaluated[0]
    return table


def switching_values(scenario: str, sets: Sequence[str] = (), params_dir: Path | str | None = None) -> pd.DataFrame:
    """`switching_table` of a scenario (a name or a YAML file) with `sets` (PATH=VALUE) applied:
    `tpmodel.switching_values("standard")`. Raises `InputError` for bad input or a central npv of 0."""
    resolved, places = load_run_inputs(scenario, sets, params_dir=params_dir)
    return switching_table(resolved, places)
