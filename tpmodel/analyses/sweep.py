"""Sweeps: one scenario over a grid of parameter values (spec section 11).

`run_sweep(plan_sweep("standard", {"shared_services.max_rate": [0.1, 0.2, 0.3]}))`
(what `tpmodel.sweep` calls) runs every
point of the full grid of the varied paths and returns a `SweepResult` whose
`table` is sweep.csv: one row per point, the varied values then the headline
figures (and, with draws, the Monte Carlo summary of each point).

Engines. The default ("python") resolves the scenario once and validates
each varied value once (`check_varied`); a point needs no validation of its
own unless some check reads two varied parameters together (`validated_alone`).
When every varied path is one number of the engine (a leaf, as a Monte Carlo
draws one) and there are no draws, a block of points runs as one engine call,
each point a draw whose varied leaves take the point's values (`sampled_block`,
`SAMPLED_BLOCK_POINTS` at a time). Otherwise each point is applied with
`params.override` and the central cases of a block run together along the
draw axis (`python_block`); with draws, each point runs its own Monte Carlo
with the same seed (common random numbers, so differences between points are
not sampling noise). "papermill" executes notebooks/scenario.ipynb once per
point and reads each point's summary.json. Blocks run in this process, in
`workers` processes, or on a dask.distributed scheduler; the blocks and the
arithmetic do not depend on which, so sweep.csv is the same whatever the
engine, workers or scheduler (tested).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.axes import AGENCIES, LEVERS
from ..core.engine import simulate_outcome
from ..core.inputs import signature, stack_draws
from ..data import Places
from ..engine_inputs import engine_inputs, world_of
from ..errors import InputError, Problem, fail
from ..execution import check_address, connect, map_tasks
from ..model import DEFAULT_SEED, load_run_inputs, provenance
from ..params import Resolved, checked_with, leaf_problems, leaves, override, parse_yaml, split_path
from .uncertainty import NOT_SAMPLED, check_correlations, evaluate, headline_columns, monte_carlo, summary_columns

#: Grids larger than this need `yes=True` (--yes).
MAX_POINTS = 100_000
#: No grid may be larger than this, even with --yes (checked before any value is).
MAX_GRID = 1_000_000
#: Points evaluated together (one engine call for central cases, one task for a worker).
BLOCK_POINTS = 64
#: Points evaluated together when they are draws of one engine call (`sampled_block`): as many as a
#: Monte Carlo chunk, so a block's memory is bounded the same way.
SAMPLED_BLOCK_POINTS = 1000
ENGINES = ("python", "papermill")
NOTEBOOK = "scenario.ipynb"


@dataclass(frozen=True)
class Varied:
    """One varied parameter: its dotted path and the values it takes."""

    path: str
    values: tuple[Any, ...]


# ---------------------------------------------------------------- parsing and checking the grid


def parse_vary(text: str) -> Varied:
    """`PATH=START:STOP:N` (N values evenly spaced, ends included) or `PATH=v1,v2,...` (YAML values)."""
    if "=" not in text:
        raise fail("--vary", text, "expected PATH=START:STOP:N or PATH=v1,v2,v3")
    path, raw = (part.strip() for part in text.split("=", 1))
    if not path or not raw:
        raise fail("--vary", text, "expected PATH=START:STOP:N or PATH=v1,v2,v3")
    if ":" in raw and not raw.startswith("{"):
        if raw.count(":") != 2:
            raise fail("--vary", text, "expected PATH=START:STOP:N (N evenly spaced values) or PATH=v1,v2,v3")
        start, stop, count = (part.strip() for part in raw.split(":"))
        try:
            low, high, n = float(start), float(stop), int(count)
        except (ValueError, OverflowError):
            raise fail("--vary", text, "START:STOP:N needs two numbers and a whole number of points") from None
        if n < 1 or not (math.isfinite(low) and math.isfinite(high)):
            raise fail("--vary", text, "N must be at least 1 and START, STOP finite numbers")
        if n > MAX_GRID:
            raise fail("--vary", text, f"{n:,} points; a grid has at most {MAX_GRID:,}")
        # 12 significant digits: 0.1:0.9:9 gives 0.3, not linspace's 0.30000000000000004
        return Varied(path, tuple(float(f"{v:.12g}") for v in np.linspace(low, high, n)))
    items = raw.split(",")
    if len(items) > MAX_GRID:
        raise fail("--vary", path, f"{len(items):,} values; a grid has at most {MAX_GRID:,} points")
    return Varied(path, tuple(parse_yaml(item, f"--vary {path}") for item in items))


def as_varied(vary: Sequence[str] | Mapping[str, Sequence[Any]]) -> list[Varied]:
    """--vary strings, or a mapping {path: values}, as varied parameters."""
    if isinstance(vary, Mapping):
        return [Varied(path, tuple(values)) for path, values in vary.items()]
    return [parse_vary(text) for text in vary]


def check_varied(resolved: Resolved, varied: list[Varied]) -> list[Varied]:
    """Every path exists and every value is allowed on its own (bounds, type); return them with
    whole-number values of integer parameters as int. Raises `InputError` listing every problem."""
    problems: list[Problem] = []
    if not varied:
        raise fail("--vary", "", "give at least one --vary PATH=START:STOP:N (or PATH=v1,v2,...)")
    seen: set[str] = set()
    checked: list[Varied] = []
    for parameter in varied:
        if parameter.path in seen:
            problems.append(Problem("--vary", parameter.path, "varied twice; give each path once"))
            continue
        seen.add(parameter.path)
        try:
            spec, _ = split_path(parameter.path, resolved.specs)
        except ValueError as error:
            problems.append(Problem("--vary", parameter.path, str(error)))
            continue
        if not parameter.values:
            problems.append(Problem("--vary", parameter.path, "no values"))
            continue
        values = tuple(_whole(v) if spec.type == "integer" else v for v in parameter.values)
        for value in {repr(v): v for v in values}.values():
            alone = leaf_problems(resolved, parameter.path, value, "--vary")  # fast, where it can tell
            if alone is not None:
                problems += alone
                continue
            try:
                override(resolved, {parameter.path: value}, file="--vary")
            except InputError as error:
                problems += error.problems
        checked.append(Varied(parameter.path, values))
    if problems:
        raise InputError(problems)
    return checked


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def grid(varied: list[Varied]) -> list[dict[str, Any]]:
    """Every point of the full grid, the first varied parameter varying slowest."""
    paths = [parameter.path for parameter in varied]
    return [
        dict(zip(paths, combo, strict=True)) for combo in itertools.product(*(parameter.values for parameter in varied))
    ]


def grid_size(varied: list[Varied]) -> int:
    """Number of points of the full grid."""
    return math.prod(len(a.values) for a in varied)


# ---------------------------------------------------------------- evaluating points


def validated_alone(resolved: Resolved, varied: list[Varied]) -> bool:
    """True when each point of the grid is valid because each of its values is (checked once by
    `check_varied`): no check reads two varied parameters (`params.checked_with`), none varies the horizon
    (which re-expands year mappings), a place's own value or a freedom, and no parameter is varied twice
    (one leaf each, e.g. two agencies' benefit shares, which are checked together)."""
    if len(varied) < 2:
        return True
    parameters = []
    for one in varied:
        if one.path.startswith(("horizon.", "places.", "single_offer.freedoms")):
            return False
        parameters.append(split_path(one.path, resolved.specs)[0].path)
    chosen = set(parameters)
    if len(chosen) < len(parameters):
        return False
    return all(len(checked_with(resolved, path) & chosen) <= 1 for path in resolved.specs)


def sampleable(resolved: Resolved, one: Varied) -> bool:
    """True when a varied path can take its values as the draws of one engine call: it is one number or
    distribution of an engine parameter in the scenario (a leaf, as a Monte Carlo samples it), given
    plain numbers."""
    spec = split_path(one.path, resolved.specs)[0]
    if not spec.numeric or one.path.startswith(NOT_SAMPLED):
        return False
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in one.values):
        return False
    return _is_leaf(resolved, one.path)


def _is_leaf(resolved: Resolved, path: str) -> bool:
    spec = split_path(path, resolved.specs)[0]
    return path in {leaf for leaf, _ in leaves(spec.path, resolved.values[spec.path])}


def sampled_tasks(
    resolved: Resolved, places: Places, points: list[dict[str, Any]], varied: list[Varied], validate: bool
) -> tuple[list[tuple[Resolved, Places, list[dict[str, Any]], list[str], bool]], list[list[int]]]:
    """Tasks of `sampled_block` for a grid, and the points (indices into `points`) of each: the points are
    grouped by the values of the varied paths that are not `sampleable` (each group's scenario applied
    once, with `override`), and each group runs in blocks of at most `SAMPLED_BLOCK_POINTS`."""
    numbers = [one.path for one in varied if sampleable(resolved, one)]
    others = [one.path for one in varied if one.path not in numbers]
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, point in enumerate(points):
        groups.setdefault(tuple(repr(point[path]) for path in others), []).append(i)
    tasks, members = [], []
    for indices in groups.values():
        first = points[indices[0]]
        # not validated here: a group's values alone may be refused where every point with them is allowed
        variant = (
            override(resolved, {p: first[p] for p in others}, "--vary", validate_all=False) if others else resolved
        )
        for start in range(0, len(indices), SAMPLED_BLOCK_POINTS):
            chunk = indices[start : start + SAMPLED_BLOCK_POINTS]
            tasks.append((variant, places, [points[i] for i in chunk], numbers, validate))
            members.append(chunk)
    return tasks, members


def sampled_block(
    task: tuple[Resolved, Places, list[dict[str, Any]], list[str], bool],
) -> dict[str, np.ndarray] | InputError:
    """Headline columns of a block of points run as the draws of one engine call (picklable task for
    workers): the varied leaves `paths` take the points' values, every other leaf its central value in
    the block's scenario (which holds the points' other varied values). When `validate` is True each
    point is validated first; returns the `InputError` of the first that fails, or of a point whose npv
    is not a finite number."""
    resolved, places, points, paths, validate = task
    if validate or not all(_is_leaf(resolved, path) for path in paths):
        try:
            for point in points:
                override(resolved, point, file="--vary")
        except InputError as error:
            return error
    if not all(_is_leaf(resolved, path) for path in paths):  # the group's values reshaped a parameter
        rows = python_block((resolved, places, points, 0, 0, False))
        if isinstance(rows, InputError):
            return rows
        return {key: np.array([row[key] for row in rows]) for key in rows[0]}
    samples = {path: np.array([float(point[path]) for point in points]) for path in paths}
    outcome = evaluate(resolved, places, samples, len(points))
    columns = headline_columns(outcome.headlines, list(resolved.years), places)
    bad = ~np.isfinite(columns["npv"])
    if bad.any():
        point = points[int(np.argmax(bad))]
        where = ", ".join(f"{path}={value!r}" for path, value in point.items())
        return fail("--vary", where, f"gives an npv of {columns['npv'][bad][0]}, not a finite number: a value is too "
                    "large for the arithmetic")  # fmt: skip
    return columns


def _rows_of(columns: Mapping[str, np.ndarray]) -> list[dict[str, Any]]:
    n = len(next(iter(columns.values())))
    return [{key: float(values[i]) for key, values in columns.items()} for i in range(n)]


def python_block(
    task: tuple[Resolved, Places, list[dict[str, Any]], int, int, bool],
) -> list[dict[str, Any]] | InputError:
    """Rows of a block of points with the python engine (picklable task for workers), each point applied
    with `override` (validated unless `validate` is False).

    Returns the rows, or the `InputError` of the first point that fails (returned, not raised, so that it
    crosses process boundaries intact)."""
    resolved, places, points, draws, seed, validate = task
    try:
        rows = _block_rows(resolved, places, points, draws, seed, validate)
    except InputError as error:
        return error
    for point, row in zip(points, rows, strict=True):
        if not math.isfinite(row["npv"]):
            where = ", ".join(f"{path}={value!r}" for path, value in point.items())
            return fail("--vary", where, f"gives an npv of {row['npv']}, not a finite number: a value is too large "
                        "for the arithmetic")  # fmt: skip
    return rows


def _block_rows(
    resolved: Resolved, places: Places, points: list[dict[str, Any]], draws: int, seed: int, validate: bool = True
) -> list[dict[str, Any]]:
    """The rows of `python_block`; raises `InputError` for a point that is not allowed (each point validated
    unless `validate` is False)."""
    variants = [override(resolved, point, file="--vary", validate_all=validate) for point in points]
    if draws > 0:
        rows = []
        for variant in variants:
            central = evaluate(variant, places, {}, 1)
            summary, _ = monte_carlo(variant, places, draws, seed, per_draw=False)
            rows.append(_rows_of(headline_columns(central.headlines, list(variant.years), places))[0]
                        | summary_columns(summary))  # fmt: skip
        return rows
    inputs = [engine_inputs(variant, places) for variant in variants]
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, (variant, point_inputs) in enumerate(zip(variants, inputs, strict=True)):
        groups.setdefault((tuple(variant.years), signature(point_inputs)), []).append(i)
    out: list[dict[str, Any]] = [{} for _ in points]
    for members in groups.values():
        variant = variants[members[0]]
        with np.errstate(all="ignore"):  # an overflow is reported by python_block, as one message
            outcome = simulate_outcome(
                world_of(variant, places), stack_draws([inputs[i] for i in members]), len(members)
            )
        for i, row in zip(
            members, _rows_of(headline_columns(outcome.headlines, list(variant.years), places)), strict=True
        ):
            out[i] = row
    return out


def papermill_point(task: tuple[str, str, str, dict[str, Any], int, int, str, str]) -> dict[str, Any] | InputError:
    """Row of one point with the papermill engine: execute the scenario notebook into `output`, writing the
    point's run folder into `run_folder`, and read its summary.json (picklable task for workers)."""
    from .notebooks import execute_notebook

    notebook, output, run_folder, point, draws, seed, scenario, params_dir = task
    parameters = {"scenario": scenario, "draws": draws, "seed": seed, "out": run_folder,
                  "overrides": point, "params_dir": params_dir}  # fmt: skip
    try:
        execute_notebook(Path(notebook), Path(output), parameters)
    except InputError as error:
        return error
    return columns_of_summary(json.loads((Path(run_folder) / "summary.json").read_text(encoding="utf-8")))


def columns_of_summary(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The sweep row of a run's summary.json: the columns of `headline_columns` and `summary_columns`."""
    h = summary["headlines"]

    def number(value: Any) -> float:
        return math.nan if value is None else float(value)

    row = {name: number(h[name]) for name in ("npv", "bcr", "pv_receipts", "payback_year")}
    row |= {f"npv_{lever}": number(h["npv_by_lever"][lever]) for lever in LEVERS}
    row |= {f"npv_{agency}": number(h["npv_by_agency"][agency]) for agency in AGENCIES}
    row |= {f"npv_place_{place}": number(v) for place, v in h["npv_by_place"].items()}
    row |= {f"net_{year}": number(v) for year, v in h["net_by_year"].items()}
    row |= {f"cumulative_net_{year}": number(v) for year, v in h["cumulative_net_by_year"].items()}
    row |= {f"cashable_{year}": number(v) for year, v in h["cashable_by_year"].items()}
    return row | summary_columns(summary.get("monte_carlo"))


# ---------------------------------------------------------------- the sweep


@dataclass
class SweepResult:
    """A sweep: its grid and `table` (sweep.csv), one row per point."""

    resolved: Resolved
    varied: list[Varied]
    table: pd.DataFrame
    draws: int
    seed: int
    engine: str
    workers: int
    scheduler: str | None
    started: str
    notebooks: list[Path] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.resolved.name

    def summary(self) -> dict[str, Any]:
        """summary.json of a sweep: what was varied, how it ran, and provenance (spec 11)."""
        return {
            "scenario": self.name,
            "description": self.resolved.description,
            "units": "GBP m, real 2010-11 prices; npv discounted to 2010-11",
            "varied": {parameter.path: list(parameter.values) for parameter in self.varied},
            "points": len(self.table),
            "engine": self.engine,
            "workers": self.workers,
            "scheduler": self.scheduler,
            "columns": list(self.table.columns),
            "provenance": provenance(self.resolved, self.seed, self.draws, self.started),
        }


@dataclass(frozen=True)
class SweepPlan:
    """A sweep whose scenario, grid, engine and scheduler have been checked, ready to run."""

    resolved: Resolved
    places: Places
    varied: list[Varied]
    draws: int
    seed: int
    engine: str
    workers: int
    scheduler: str | None
    started: str
    scenario: str
    params_dir: Path | str | None


def plan_sweep(
    scenario: str,
    vary: Sequence[str] | Mapping[str, Sequence[Any]],
    draws: int = 0,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
    scheduler: str | None = None,
    via: str | None = None,
    params_dir: Path | str | None = None,
    sets: Sequence[str] = (),
    yes: bool = False,
) -> SweepPlan:
    """Check a sweep before anything runs; raise `InputError` for a bad path or value, a grid over
    MAX_POINTS without `yes`, an unknown engine, fewer than one worker or an unreachable scheduler."""
    engine = "python" if via is None else via
    if engine not in ENGINES:
        raise fail("--via", str(via), f"unknown engine; choose one of: {', '.join(ENGINES)} (python is the default)")
    if workers < 1:
        raise fail("--workers", str(workers), "must be at least 1")
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if scheduler:
        check_address(scheduler)
    resolved, places = load_run_inputs(scenario, sets, params_dir=params_dir)
    varied = as_varied(vary)
    size = grid_size(varied)
    shape = " x ".join(str(len(a.values)) for a in varied)
    if size > MAX_GRID:
        raise fail("--vary", "", f"the grid has {size:,} points ({shape}); a grid has at most {MAX_GRID:,}")
    if size > MAX_POINTS and not yes:
        raise fail("--vary", "", f"the grid has {size:,} points ({shape}), over {MAX_POINTS:,}; pass --yes to run it")
    varied = check_varied(resolved, varied)
    if scheduler:
        connect(scheduler).close()
    check_correlations(resolved)
    return SweepPlan(resolved, places, varied, draws, seed, engine, workers, scheduler, started, scenario, params_dir)


def run_sweep(plan: SweepPlan, folder: Path | None = None, progress: bool = False) -> SweepResult:
    """Run every point of a planned sweep. folder: where the papermill engine puts its executed
    notebooks (folder/notebooks/point_NNNNNN.ipynb); a temporary folder when None."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="tpmodel-sweep-") as scratch:
            return _run_sweep(plan, Path(scratch), progress)
    return _run_sweep(plan, folder, progress)


def _run_sweep(plan: SweepPlan, folder: Path, progress: bool) -> SweepResult:
    resolved, places, varied, draws, seed = plan.resolved, plan.places, plan.varied, plan.draws, plan.seed
    workers, scheduler = plan.workers, plan.scheduler
    points = grid(varied)
    notebooks: list[Path] = []
    if plan.engine == "python":
        validate = not validated_alone(resolved, varied)
        if draws == 0 and any(sampleable(resolved, one) for one in varied):
            tasks, members = sampled_tasks(resolved, places, points, varied, validate)
            parts = map_tasks(sampled_block, tasks, workers, scheduler, progress, "point", [len(m) for m in members])
            rows = _collect(parts, members)
        else:  # with draws a point is a whole Monte Carlo: one a task, so workers share them evenly
            size = BLOCK_POINTS if draws == 0 else 1
            blocks = [points[i : i + size] for i in range(0, len(points), size)]
            block_tasks = [(resolved, places, block, draws, seed, validate) for block in blocks]
            parts = map_tasks(
                python_block, block_tasks, workers, scheduler, progress, "point", [len(b) for b in blocks]
            )
            rows = _collect(parts)
    else:
        from .notebooks import notebooks_dir

        (folder / "notebooks").mkdir(exist_ok=True)
        notebook = str(notebooks_dir() / NOTEBOOK)
        with tempfile.TemporaryDirectory(prefix="tpmodel-sweep-runs-") as runs:
            notebooks = [folder / "notebooks" / f"point_{i + 1:06d}.ipynb" for i in range(len(points))]
            tasks = [(notebook, str(notebooks[i]), str(Path(runs) / f"point_{i + 1:06d}"), point, draws, seed,
                      plan.scenario, str(plan.params_dir or "")) for i, point in enumerate(points)]  # fmt: skip
            parts = map_tasks(papermill_point, tasks, workers, scheduler, progress, "point")
        rows = _collect([part if isinstance(part, InputError) else [part] for part in parts])
    table = pd.concat([pd.DataFrame(points), rows], axis=1)
    if "payback_year" in table:
        table["payback_year"] = table["payback_year"].astype("Int64")
    return SweepResult(resolved, varied, table, draws, seed, plan.engine, workers, scheduler, plan.started, notebooks)


def _collect(parts: list[Any], members: list[list[int]] | None = None) -> pd.DataFrame:
    """One table of the blocks' results in point order: rows, or columns of `sampled_block` with the
    points of each block (`members`); raises the blocks' `InputError`s as one."""
    problems = [part for part in parts if isinstance(part, InputError)]
    if problems:
        raise InputError([p for error in problems for p in error.problems])
    if members is None:
        return pd.DataFrame([row for part in parts for row in part])
    order = np.argsort(np.concatenate([np.asarray(m, dtype=np.int64) for m in members]), kind="stable")
    return pd.DataFrame({key: np.concatenate([part[key] for part in parts])[order] for key in parts[0]})
