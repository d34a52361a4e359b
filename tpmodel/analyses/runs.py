"""`run`: a scenario's central case and, with draws, its Monte Carlo (the function behind `tpmodel.run`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model import DEFAULT_SEED, RunResult, load_run_inputs, run_central
from .uncertainty import check_correlations, monte_carlo


def run(
    scenario: str,
    draws: int = 0,
    seed: int = DEFAULT_SEED,
    sets: list[str] | tuple[str, ...] = (),
    overrides: Mapping[str, Any] | None = None,
    params_dir: Path | str | None = None,
    progress: bool = False,
    per_draw: bool = True,
) -> RunResult:
    """Run a scenario: its central case and, with draws > 0, a Monte Carlo of `draws` draws.

    scenario: a name under params/scenarios/ or a path to a YAML file; sets:
    `PATH=VALUE` strings; overrides: {dotted path: value}, applied after sets.
    per_draw=False keeps no per-draw table (`draw_table` None, no draws.csv), only the summary:
    memory then stays that of a chunk of draws, however many (`uncertainty.DrawColumns`).
    """
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    resolved, places = load_run_inputs(scenario, sets, overrides, params_dir)
    check_correlations(resolved)
    result = RunResult(resolved, places, run_central(resolved, places), seed, draws, started)
    if draws > 0:
        result.monte_carlo, result.draw_table = monte_carlo(
            resolved, places, draws, seed, progress=progress, per_draw=per_draw
        )
    return result
