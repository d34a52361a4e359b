"""Result folders of the analyses, written whole or not at all (spec sections 8 and 11).

`compare`, `sweep`, `sensitivity` and `discover` here run the analyses of
tpmodel/analyses with two more arguments: `out`, the folder to write, and
`overwrite`. They are what `tpmodel.compare`, `tpmodel.sweep`,
`tpmodel.sensitivity` and `tpmodel.discover` are. Every
input is checked before the folder is staged; the folder is built beside
`out` and replaces it in one rename (tpmodel/files.py `staged_dir`), so a
failure leaves earlier results as they were.

A comparison writes each scenario's run folder in the worker that ran it
(`write_run_folder`, handed to the analysis as a callable), then
comparison.csv, comparison.xlsx, charts/ and summary.json.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from .analyses.compare import Comparison, folder_name, plan_comparison, run_comparison
from .analyses.discovery import DEFAULT_DRAWS as DISCOVERY_DRAWS
from .analyses.discovery import DEFAULT_WHERE, DiscoveryResult
from .analyses.discovery import discover as discover_in
from .analyses.sensitivity import SensitivityResult
from .analyses.sensitivity import sensitivity as sensitivity_of
from .analyses.sweep import SweepResult, plan_sweep, run_sweep
from .model import DEFAULT_SEED, RunResult
from .results import check_out_dir, staged_dir, write_csv, write_json, write_run


def write_run_folder(result: RunResult, folder: Path) -> None:
    """A scenario's run folder (spec 8) under `folder`, named after the scenario (`folder_name`)."""
    target = folder / folder_name(result.name)
    target.mkdir()
    write_run(result, target)


def write_comparison_charts(comparison: Comparison, folder: Path) -> list[Path]:
    """The comparison charts as PNG and SVG in `folder`; return the files written."""
    from .charts import (
        cumulative_net_chart,
        cumulative_revenue_net,
        npv_by_agency_chart,
        npv_by_lever_chart,
        npv_ranges_chart,
        receipts_by_agency,
        single_offer_chart,
    )

    folder.mkdir(parents=True, exist_ok=True)
    receipts = receipts_by_agency(comparison.runs)
    paths = npv_by_lever_chart(comparison.by_lever, folder / "npv_by_lever", receipts=receipts.sum(axis=1))
    paths += cumulative_net_chart(
        comparison.cumulative_net,
        folder / "cumulative_net_by_year",
        comparison.bands() or None,
        revenue=cumulative_revenue_net(comparison.runs),
    )
    paths += npv_by_agency_chart(comparison.by_agency, folder / "npv_by_agency", receipts=receipts)
    if comparison.draws > 0:
        paths += npv_ranges_chart(comparison.table, folder / "npv_ranges")
    offer = comparison.single_offer
    if len(offer):
        paths += single_offer_chart(offer, folder / "single_offer_split")
    return paths


def write_comparison(comparison: Comparison, folder: Path) -> None:
    """comparison.csv, comparison.xlsx, charts/ and summary.json into an existing folder
    (the run folders are written apart, by `write_run_folder`)."""
    from .workbook import write_comparison_workbook

    write_csv(comparison.table, folder / "comparison.csv")
    write_comparison_workbook(comparison, folder / "comparison.xlsx")
    charts = write_comparison_charts(comparison, folder / "charts")
    write_json(comparison.summary() | {"charts": [str(p.relative_to(folder)) for p in charts]}, folder / "summary.json")


def write_sweep(result: SweepResult, folder: Path) -> None:
    """sweep.csv, summary.json and the sweep chart (sweep.png/.svg) into an existing folder."""
    from .charts import sweep_chart

    write_csv(result.table, folder / "sweep.csv")
    write_json(result.summary(), folder / "summary.json")
    sweep_chart(result.table, [parameter.path for parameter in result.varied], folder / "sweep")


def write_sensitivity(result: SensitivityResult, folder: Path) -> None:
    """sensitivity.csv, the chart (tornado, sobol, rank or switching .png/.svg) and summary.json into an
    existing folder."""
    from .charts import rank_chart, sobol_chart, switching_chart, tornado_chart

    write_csv(result.table, folder / "sensitivity.csv")
    if result.method == "tornado":
        tornado_chart(result.table, float(result.table["npv_central"].iloc[0]), folder / "tornado")
    elif result.method == "rank":
        rank_chart(result.table, result.table.attrs["r2"], result.samples, folder / "rank")
    elif result.method == "switching":
        switching_chart(result.table, folder / "switching")
    else:
        sobol_chart(result.table, folder / "sobol")
    write_json(result.summary(), folder / "summary.json")


def write_discovery(result: DiscoveryResult, folder: Path) -> None:
    """summary.json and, when a box was looked for, trajectory.csv, box.csv and the chart (box.png/.svg)
    into an existing folder."""
    from .charts import discovery_chart

    if result.found:
        write_csv(result.trajectory, folder / "trajectory.csv")
        write_csv(result.box, folder / "box.csv")
        title = (f"{result.name}: {result.condition}: density {result.density:.0%}, coverage {result.coverage:.0%}, "
                 f"{result.mass:.0%} of {result.draws:,} draws")  # fmt: skip
        if len(result.box):
            discovery_chart(result.trajectory, result.box, title, folder / "box")
    write_json(result.summary(), folder / "summary.json")


def discover(
    scenario: str,
    draws: int = DISCOVERY_DRAWS,
    where: str = DEFAULT_WHERE,
    seed: int = DEFAULT_SEED,
    sets: Sequence[str] = (),
    params_dir: Path | str | None = None,
    out: Path | str | None = None,
    overwrite: bool = False,
    **settings: Any,
) -> DiscoveryResult:
    """`tpmodel.analyses.discovery.discover` (PRIM on the Monte Carlo draws), and with `out` its folder,
    whole or not at all; settings: max_dims, min_coverage, peel_alpha, paste_alpha, mass_min."""
    if out is not None:
        check_out_dir(Path(out), overwrite)
    result = discover_in(scenario, draws, where, seed, sets, params_dir, **settings)
    if out is not None:
        with staged_dir(Path(out), overwrite) as stage:
            write_discovery(result, stage)
    return result


def compare(
    scenarios: Sequence[str] | None = None,
    draws: int = 0,
    seed: int = DEFAULT_SEED,
    params_dir: Path | str | None = None,
    sets: Sequence[str] = (),
    out: Path | str | None = None,
    overwrite: bool = False,
    progress: bool = False,
    workers: int | None = None,
) -> Comparison:
    """Run every scenario (all of params/scenarios/ when `scenarios` is empty) and compare them; with `out`,
    write the comparison folder, whole or not at all.

    Every scenario is resolved and checked before the folder is staged; all problems
    are raised together as one `InputError`. Scenarios run in `workers` processes
    (default: one per CPU); the numbers do not depend on it.
    """
    plan = plan_comparison(scenarios, draws, seed, params_dir, sets, workers)
    if out is None:
        return run_comparison(plan, progress)
    with staged_dir(Path(out), overwrite) as stage:
        comparison = run_comparison(plan, progress, each=partial(write_run_folder, folder=stage))
        write_comparison(comparison, stage)
        write_comparison_assurance(comparison, plan.names, plan.sets, plan.params_dir, stage)
    return comparison


def write_comparison_assurance(
    comparison: Comparison, names: Sequence[str], sets: Sequence[str], params_dir: Path, folder: Path
) -> None:
    """assurance.md and the workbook's Assurance sheet of a comparison (tpmodel/assurance_pack.py)."""
    from .assurance_pack import assurance_sheet, write_assurance
    from .workbook import add_sheet

    logs = write_assurance(folder, comparison.runs, [(name, sets) for name in names], params_dir)
    description = "Each scenario's assumptions log: the evidence for each parameter and its NPV swing"
    add_sheet(folder / "comparison.xlsx", "Assurance", assurance_sheet(logs), description=description)


def sweep(
    scenario: str,
    vary: Sequence[str] | Mapping[str, Sequence[Any]],
    draws: int = 0,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
    scheduler: str | None = None,
    via: str | None = None,
    out: Path | str | None = None,
    overwrite: bool = False,
    params_dir: Path | str | None = None,
    sets: Sequence[str] = (),
    yes: bool = False,
    progress: bool = False,
) -> SweepResult:
    """Run `scenario` at every point of the grid `vary`; with `out`, write the sweep folder, whole or not at all.

    vary: `PATH=START:STOP:N` / `PATH=v1,v2` strings, or {path: values}. via:
    "python" (default) or "papermill" (its executed notebooks go to out/notebooks/).
    Raises `InputError` before anything runs or is written (`plan_sweep`).
    """
    plan = plan_sweep(scenario, vary, draws, seed, workers, scheduler, via, params_dir, sets, yes)
    if out is None:
        return run_sweep(plan, None, progress)
    with staged_dir(Path(out), overwrite) as stage:
        result = run_sweep(plan, stage, progress)
        write_sweep(result, stage)
    result.notebooks = [Path(out) / p.relative_to(stage) for p in result.notebooks]
    return result


def sensitivity(
    scenario: str,
    method: str = "tornado",
    samples: int | None = None,
    seed: int = DEFAULT_SEED,
    params_dir: Path | str | None = None,
    sets: Sequence[str] = (),
    out: Path | str | None = None,
    overwrite: bool = False,
    progress: bool = False,
) -> SensitivityResult:
    """`tpmodel.analyses.sensitivity.sensitivity` (tornado, Sobol or rank), and with `out` its folder,
    whole or not at all."""
    result = sensitivity_of(scenario, method, samples, seed, params_dir, sets, progress)
    if out is not None:
        with staged_dir(Path(out), overwrite) as stage:
            write_sensitivity(result, stage)
    return result
