"""Writing run folders: tidy CSVs and summary.json (spec 8), written whole or not at all."""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import fail
from .model import RunResult
from .params import Resolved
from .version import __version__

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """A string that a spreadsheet could take for a formula is prefixed with a quote; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell made formula-safe (numbers untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_text)
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with full float precision (round-trip) and formula-safe text."""
    safe_frame(frame).to_csv(path, index=False, float_format=None, lineterminator="\n")


def _json_clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(data: Any, path: Path) -> None:
    """JSON, NaN and infinities written as null."""
    path.write_text(json.dumps(_json_clean(data), indent=2, allow_nan=False) + "\n", encoding="utf-8")


def check_out_dir(out: Path, overwrite: bool) -> None:
    """Refuse an existing non-empty folder unless `overwrite` (spec 11)."""
    if out.exists() and not out.is_dir():
        raise fail(str(out), "--out", "exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise fail(str(out), "--out", "folder exists and is not empty; choose another --out or pass --overwrite")


@contextlib.contextmanager
def staged_dir(out: Path, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside `out`; on success it replaces `out` in one rename.

    On any error the temporary folder is removed and `out` is untouched, so
    nothing half-written is left and earlier results are never lost.
    """
    check_out_dir(out, overwrite)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        yield stage
        check_out_dir(out, overwrite)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, old / out.name)
            os.replace(stage, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def write_run(result: RunResult, folder: Path) -> None:
    """Write a run's files (spec 8) into an existing folder."""
    write_csv(result.results, folder / "results.csv")
    write_csv(result.baseline, folder / "baseline.csv")
    if result.draw_table is not None:
        write_csv(result.draw_table, folder / "draws.csv")
    write_json(result.summary(), folder / "summary.json")


def provenance(resolved: Resolved, seed: int, draws: int, started: str) -> dict[str, Any]:
    """The provenance block of a sweep's or a sensitivity's summary.json (spec 11): tpmodel version,
    scenario file, seed, draws, time of the run and the resolved parameters."""
    return {
        "tpmodel_version": __version__,
        "scenario_file": resolved.file,
        "seed": seed,
        "draws": draws,
        "run_time": started,
        "parameters": resolved.tree(),
    }
