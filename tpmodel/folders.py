"""Result folders of the analyses, written whole or not at all (spec sections 8 and 11).

`compare`, `sweep` and `sensitivity` here run the analyses of tpmodel/analyses
with two more arguments: `out`, the folder to write, and `overwrite`. They are
what `tpmodel.compare`, `tpmodel.sweep` and `tpmodel.sensitivity` are. Every
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
from .analyses.sensitivity import DEFAULT_SAMPLES, SensitivityResult
from .analyses.sensitivity import sensitivity as sensitivity_of
from .analyses.sweep import SweepResult, plan_sweep, run_sweep
from .model import DEFAULT_SEED, RunResult
from .results import staged_dir, write_csv, write_json, write_run


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
    from .workbook import write_workbook

    table = comparison.table
    write_csv(table, folder / "comparison.csv")
    sheets = {
        "comparison": (table, None),
        "npv by lever": (comparison.by_lever.reset_index(), "GBP m"),
        "by agency": (comparison.by_agency.reset_index(), "GBP m"),
        "by place": (comparison.by_place.reset_index(), "GBP m"),
        "net by year": (comparison.net_by_year, "GBP m"),
    }
    if len(comparison.single_offer):
        sheets["single offer"] = (comparison.single_offer, "GBP m")
    write_workbook(folder / "comparison.xlsx", sheets)
    charts = write_comparison_charts(comparison, folder / "charts")
    write_json(comparison.summary() | {"charts": [str(p.relative_to(folder)) for p in charts]}, folder / "summary.json")


def write_sweep(result: SweepResult, folder: Path) -> None:
    """sweep.csv, summary.json and the sweep chart (sweep.png/.svg) into an existing folder."""
    from .charts import sweep_chart

    write_csv(result.table, folder / "sweep.csv")
    write_json(result.summary(), folder / "summary.json")
    sweep_chart(result.table, [parameter.path for parameter in result.varied], folder / "sweep")


def write_sensitivity(result: SensitivityResult, folder: Path) -> None:
    """sensitivity.csv, the chart (tornado or sobol .png/.svg) and summary.json into an existing folder."""
    from .charts import sobol_chart, tornado_chart

    write_csv(result.table, folder / "sensitivity.csv")
    if result.method == "tornado":
        tornado_chart(result.table, float(result.table["npv_central"].iloc[0]), folder / "tornado")
    else:
        sobol_chart(result.table, folder / "sobol")
    write_json(result.summary(), folder / "summary.json")


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
    return comparison


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
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    params_dir: Path | str | None = None,
    sets: Sequence[str] = (),
    out: Path | str | None = None,
    overwrite: bool = False,
    progress: bool = False,
) -> SensitivityResult:
    """`tpmodel.analyses.sensitivity.sensitivity` (tornado or Sobol), and with `out` its folder,
    whole or not at all."""
    result = sensitivity_of(scenario, method, samples, seed, params_dir, sets, progress)
    if out is not None:
        with staged_dir(Path(out), overwrite) as stage:
            write_sensitivity(result, stage)
    return result
