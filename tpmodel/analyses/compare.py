"""Comparisons of scenarios (spec section 11).

`compare(["standard", "cautious"], draws=1000)` runs each scenario (its
central case and, with draws, its Monte Carlo) and returns a `Comparison`
with tidy pandas tables: `table` (comparison.csv, one row per scenario),
`by_lever`, `by_agency`, `by_place`, `net_by_year` and `single_offer`.
With `out`, it writes the folder whole or not at all: one run folder per
scenario (spec 8), comparison.csv, comparison.xlsx, charts/*.png|svg and
summary.json.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.axes import AGENCIES, LEVERS
from ..errors import InputError, Problem
from ..execution import map_tasks
from ..labels import scenario_order
from ..model import DEFAULT_SEED, RunResult, load_run_inputs
from ..params import default_params_dir, scenario_names
from ..results import staged_dir, write_csv, write_json, write_run
from ..version import __version__
from .runs import run
from .uncertainty import correlation_matrix, headline_columns, summary_columns, uncertain_leaves

SAFE_FOLDER = re.compile(r"[^A-Za-z0-9_-]+")


def folder_name(name: str) -> str:
    """A scenario name as a folder name: letters, digits, _ and - only."""
    return SAFE_FOLDER.sub("_", name).strip("_") or "scenario"


@dataclass
class Comparison:
    """Scenarios run side by side; each table has one row per scenario unless said otherwise."""

    runs: list[RunResult]
    draws: int
    seed: int
    started: str

    @property
    def names(self) -> list[str]:
        return [result.name for result in self.runs]

    @property
    def table(self) -> pd.DataFrame:
        """comparison.csv: scenario, description, the headline figures of spec 5 (npv, bcr, payback_year,
        npv_<lever>, npv_<agency>, npv_place_<place>, net_<year>, cumulative_net_<year>) and, with draws, the
        Monte Carlo summary (`uncertainty.summary_columns`) [GBP m unless the name says otherwise]."""
        rows = []
        for result in self.runs:
            central = headline_columns(result.simulation.outcome.headlines, result.years, result.places)
            row: dict[str, Any] = {"scenario": result.name, "description": result.resolved.description}
            row |= {key: float(values[0]) for key, values in central.items()}
            rows.append(row | summary_columns(result.monte_carlo))
        table = pd.DataFrame(rows)
        table["payback_year"] = table["payback_year"].astype("Int64")
        return table

    def _wide(self, key: str, labels: Sequence[str] | None = None) -> pd.DataFrame:
        frame = pd.DataFrame([result.headlines[key] for result in self.runs], index=pd.Index(self.names))
        frame = frame[list(labels)] if labels is not None else frame
        return frame.rename_axis("scenario")

    @property
    def by_lever(self) -> pd.DataFrame:
        """npv by lever: one row per scenario, one column per lever [GBP m]."""
        return self._wide("npv_by_lever", LEVERS)

    @property
    def by_agency(self) -> pd.DataFrame:
        """npv by agency (who benefits): one row per scenario, one column per agency [GBP m]."""
        return self._wide("npv_by_agency", AGENCIES)

    @property
    def by_place(self) -> pd.DataFrame:
        """npv by place: one row per scenario, one column per place id [GBP m]."""
        return self._wide("npv_by_place")

    @property
    def net_by_year(self) -> pd.DataFrame:
        """Net and cumulative net by year: one row per scenario and measure, one column per year [GBP m]."""
        parts = []
        for key, measure in (("net_by_year", "net"), ("cumulative_net_by_year", "cumulative net")):
            part = self._wide(key).reset_index()
            part.insert(1, "measure", measure)
            parts.append(part)
        table = pd.concat(parts, ignore_index=True)
        order = table["scenario"].map({name: i for i, name in enumerate(self.names)})
        return table.iloc[order.argsort(kind="stable")].reset_index(drop=True)

    @property
    def single_offer(self) -> pd.DataFrame:
        """Single-offer places of every scenario, summed over the offer years: total cashable, target,
        retained, exchequer and shortfall [GBP m]; empty when no scenario has a single offer."""
        keys = ("total_cashable", "target", "retained", "exchequer", "shortfall")
        rows = [
            {"scenario": result.name, "place": place, "years": len(by_year)}
            | {key: sum(year[key] for year in by_year.values()) for key in keys}
            for result in self.runs
            for place, by_year in result.single_offer_summary().items()
        ]
        return pd.DataFrame(rows, columns=["scenario", "place", "years", *keys])

    def bands(self) -> dict[str, tuple[list[float], list[float]]]:
        """Monte Carlo p5 and p95 of cumulative net by year, per scenario with draws."""
        out = {}
        for result in self.runs:
            if result.monte_carlo:
                keys = [f"cumulative_net_{year}" for year in result.years]
                out[result.name] = (
                    [result.monte_carlo[k]["p5"] for k in keys],
                    [result.monte_carlo[k]["p95"] for k in keys],
                )
        return out

    def summary(self) -> dict[str, Any]:
        """summary.json of a comparison: the scenarios, their folders, headlines and provenance (spec 11)."""
        return {
            "scenarios": self.names,
            "folders": {result.name: folder_name(result.name) for result in self.runs},
            "units": "GBP m, real 2010-11 prices; npv discounted to 2010-11",
            "headlines": {result.name: result.headlines for result in self.runs},
            "provenance": {
                "tpmodel_version": __version__,
                "seed": self.seed,
                "draws": self.draws,
                "run_time": self.started,
                "scenario_files": {result.name: result.resolved.file for result in self.runs},
                "parameters": {result.name: result.resolved.tree() for result in self.runs},
            },
        }

    def write_charts(self, folder: Path) -> list[Path]:
        """The comparison charts as PNG and SVG in `folder`; return the files written."""
        from ..charts import (
            cumulative_net_chart,
            cumulative_revenue_net,
            npv_by_agency_chart,
            npv_by_lever_chart,
            npv_ranges_chart,
            receipts_by_agency,
            single_offer_chart,
        )

        folder.mkdir(parents=True, exist_ok=True)
        cumulative = self._wide("cumulative_net_by_year")
        receipts = receipts_by_agency(self.runs)
        paths = npv_by_lever_chart(self.by_lever, folder / "npv_by_lever", receipts=receipts.sum(axis=1))
        paths += cumulative_net_chart(
            cumulative,
            folder / "cumulative_net_by_year",
            self.bands() or None,
            revenue=cumulative_revenue_net(self.runs),
        )
        paths += npv_by_agency_chart(self.by_agency, folder / "npv_by_agency", receipts=receipts)
        if self.draws > 0:
            paths += npv_ranges_chart(self.table, folder / "npv_ranges")
        offer = self.single_offer
        if len(offer):
            paths += single_offer_chart(offer, folder / "single_offer_split")
        return paths

    def write(self, folder: Path) -> None:
        """Write the comparison into an existing folder: run folders, comparison.csv/.xlsx, charts, summary.json."""
        for result in self.runs:
            write_run_folder(result, folder)
        self.write_tables(folder)

    def write_tables(self, folder: Path) -> None:
        """comparison.csv, comparison.xlsx, charts/ and summary.json (the run folders are written apart)."""
        from ..workbook import write_workbook

        table = self.table
        write_csv(table, folder / "comparison.csv")
        sheets = {
            "comparison": (table, None),
            "npv by lever": (self.by_lever.reset_index(), "GBP m"),
            "by agency": (self.by_agency.reset_index(), "GBP m"),
            "by place": (self.by_place.reset_index(), "GBP m"),
            "net by year": (self.net_by_year, "GBP m"),
        }
        if len(self.single_offer):
            sheets["single offer"] = (self.single_offer, "GBP m")
        write_workbook(folder / "comparison.xlsx", sheets)
        charts = self.write_charts(folder / "charts")
        write_json(self.summary() | {"charts": [str(p.relative_to(folder)) for p in charts]}, folder / "summary.json")


def write_run_folder(result: RunResult, folder: Path) -> None:
    """A scenario's run folder (spec 8) under `folder`, named after the scenario."""
    target = folder / folder_name(result.name)
    target.mkdir()
    write_run(result, target)


def run_task(task: tuple[str, int, int, Sequence[str], Path, Path | None]) -> RunResult:
    """Run one scenario and, given a folder, write its run folder there (picklable task for workers)."""
    name, draws, seed, sets, params_dir, folder = task
    result = run(name, draws, seed, sets, params_dir=params_dir)
    if folder is not None:
        write_run_folder(result, folder)
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
    """Run every scenario (all of params/scenarios/ when `scenarios` is empty, baseline, cautious, standard
    and ambitious first: `labels.scenario_order`) and compare them, in that order.

    Every scenario is resolved and checked before any is run; all problems are
    raised together as one `InputError`. sets: `PATH=VALUE` applied to every
    scenario. With `out`, the folder is written whole or not at all. Scenarios
    run in `workers` processes (default: one per CPU); the numbers do not depend on it.
    """
    workers = workers or os.cpu_count() or 1
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    folder = Path(params_dir) if params_dir else default_params_dir()
    names = list(scenarios) if scenarios else scenario_order(scenario_names(folder))
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for name in names:
        try:
            resolved, _ = load_run_inputs(name, sets, params_dir=folder)
            if draws > 0:
                correlation_matrix(resolved, uncertain_leaves(resolved))
        except InputError as error:
            problems += error.problems
            continue
        key = folder_name(resolved.name)
        if key in seen:
            problems.append(Problem(resolved.file, "name", f"'{resolved.name}' is also the name of {seen[key]}; "
                                    "each scenario of a comparison needs its own name"))  # fmt: skip
        seen[key] = resolved.file
    if not names:
        problems.append(Problem(str(folder / "scenarios"), "", "no scenarios to compare"))
    if problems:
        raise InputError(problems)
    if out is None:
        runs = map_tasks(
            run_task, [(n, draws, seed, sets, folder, None) for n in names], workers, None, progress, "scenario"
        )
        return Comparison(runs, draws, seed, started)
    with staged_dir(Path(out), overwrite) as stage:
        tasks = [(name, draws, seed, sets, folder, stage) for name in names]
        comparison = Comparison(map_tasks(run_task, tasks, workers, None, progress, "scenario"), draws, seed, started)
        comparison.write_tables(stage)
    return comparison
