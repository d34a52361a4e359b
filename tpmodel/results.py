"""Writing run folders: tidy CSVs and summary.json (spec 8), written whole or not at all."""

from __future__ import annotations

from pathlib import Path

from .files import check_out_dir, safe_frame, safe_text, staged_dir, write_columns, write_csv, write_json
from .model import RunResult, baseline_columns, results_columns

__all__ = ["check_out_dir", "safe_frame", "safe_text", "staged_dir", "write_csv", "write_json", "write_run"]


def write_run(result: RunResult, folder: Path) -> None:
    """Write a run's files (spec 8) into an existing folder (results.csv and baseline.csv straight from
    the arrays, without pandas, so that `tpmodel run` answers quickly)."""
    write_columns(results_columns(result.simulation, result.years, result.places), folder / "results.csv")
    write_columns(baseline_columns(result.simulation, result.years, result.places), folder / "baseline.csv")
    if result.draw_table is not None:
        write_csv(result.draw_table, folder / "draws.csv")
    write_json(result.summary(), folder / "summary.json")
