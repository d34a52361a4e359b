"""Writing files safely: CSV and JSON as a spreadsheet or a second implementation reads them, and folders
written whole or not at all. Nothing here knows about the model."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import fail

if TYPE_CHECKING:
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """A string that a spreadsheet could take for a formula is prefixed with a quote; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell made formula-safe (numbers untouched)."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_text)
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with full float precision (round-trip) and formula-safe text."""
    safe_frame(frame).to_csv(path, index=False, float_format=None, lineterminator="\n")


def write_columns(columns: Mapping[str, np.ndarray], path: Path) -> None:
    """CSV of named columns of equal length, byte for byte what `write_csv` writes for the same table
    (floats in full precision, NaN and None as an empty cell, formula-safe text quoted as the csv module
    quotes it), without pandas: the run command's results.csv and baseline.csv. Each distinct text is
    made safe and quoted once (labels repeat on every row)."""
    cells = [_csv_cells(values) for values in columns.values()]
    lines = [",".join(_csv_field(str(name)) for name in columns), *map(",".join, zip(*cells, strict=True))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _csv_cells(values: np.ndarray) -> list[str]:
    """One column's cells as CSV text."""
    if values.dtype.kind == "f":
        cells = list(map(repr, values.tolist()))
        return [("" if cell == "nan" else cell) for cell in cells] if np.isnan(values).any() else cells
    if values.dtype.kind in "iub":
        return list(map(str, values.tolist()))
    fields: dict[Any, str] = {}
    return [fields[v] if v in fields else fields.setdefault(v, _csv_field(v)) for v in values.tolist()]


def _csv_field(value: Any) -> str:
    """One text cell as the csv module writes it (quoted only where needed); None or NaN empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([safe_text(value), ""])
    return buffer.getvalue()[: -len(",\n")]


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
