"""Writing files safely: CSV and JSON as a spreadsheet or a second implementation reads them, and folders
written whole or not at all. Nothing here knows about the model."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import math
import os
import re
import secrets
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import fail

if TYPE_CHECKING:
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A line start inside a text field that a spreadsheet could take for a formula: after the start of the
#: field or any line break (CR, LF, and the other breaks a spreadsheet may split rows on).
_FORMULA_AT_LINE_START = re.compile(r"(^|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029])(?=[=+\-@\t\r])")


def safe_text(value: Any) -> Any:
    """A string with a quote before every line start (of the field or after a line break inside it) that a
    spreadsheet could take for a formula; other values pass."""
    if isinstance(value, str):
        return _FORMULA_AT_LINE_START.sub(r"\1'", value)
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


#: Longest name of an output folder [characters]: the hidden folders beside it add about 30.
MAX_OUT_NAME = 200
#: Longest output path [bytes], within the system's limit (4096 on Linux) with room for the files inside.
MAX_OUT_PATH = 3800
STAGE, PARKED = "partial", "old"


def check_out_dir(out: Path, overwrite: bool) -> None:
    """Refuse an --out that cannot be used, before any work: an existing non-empty folder unless `overwrite`
    (spec 11), a file, a broken link, a folder under a file or where nothing can be written, the current
    folder or one above it, a name over MAX_OUT_NAME. First recovers from a run killed while replacing
    `out` (`recover`)."""
    text = str(out)
    if "\x00" in text:
        raise fail(text, "--out", "a folder name cannot hold a NUL character")
    full = Path(os.path.abspath(out))
    here = Path.cwd()
    if out.name in ("", ".", "..") or full == here or full in here.parents:
        raise fail(text, "--out", "is the current folder or one above it; name a new folder for the results")
    if len(out.name) > MAX_OUT_NAME or len(os.fsencode(full)) > MAX_OUT_PATH:
        raise fail(text, "--out", f"name too long (at most {MAX_OUT_NAME} characters, {MAX_OUT_PATH} for the path)")
    try:
        recover(full)
        if full.is_symlink() and not full.exists():
            raise fail(text, "--out", "is a symbolic link to nothing; remove it or choose another --out")
        if full.exists() and not full.is_dir():
            raise fail(text, "--out", "exists and is not a folder")
        if full.is_dir() and any(full.iterdir()) and not overwrite:
            raise fail(text, "--out", "folder exists and is not empty; choose another --out or pass --overwrite")
        ancestor = full.parent
        while not ancestor.exists() and not ancestor.is_symlink() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise fail(text, "--out", f"{ancestor} is not a folder, so nothing can be written under it")
        if not os.access(ancestor, os.W_OK | os.X_OK):
            raise fail(text, "--out", f"cannot write in {ancestor} (permission denied)")
    except OSError as error:
        raise fail(text, "--out", f"cannot be used ({_reason(error)})") from None


def _reason(error: OSError) -> str:
    return error.strerror or errno.errorcode.get(error.errno or 0, "") or str(error)


def _hidden(out: Path, kind: str) -> Path:
    """A new hidden folder beside `out` for this process: .NAME.partial-PID-XXXX or .NAME.old-PID-XXXX,
    made with the permissions the umask allows (as the final folder will have)."""
    while True:
        path = out.parent / f".{out.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            path.mkdir(mode=0o777)
            return path
        except FileExistsError:
            continue


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path) -> None:
    """Tidy what a run killed while writing `out` left beside it (the hidden folders of `staged_dir`), when the
    process that made them is gone: a half-written .NAME.partial-* folder is removed; the earlier results
    parked in .NAME.old-* while being replaced are put back as `out` if `out` is missing (a kill between the
    two renames), else removed."""
    if not out.parent.is_dir():
        return
    # .NAME.KIND-PID-XXXXXXXX, or .NAME.KIND-XXXXXXXX as tempfile.mkdtemp named them before (no process id)
    hidden = re.compile(rf"^\.{re.escape(out.name)}\.({STAGE}|{PARKED})-(?:([0-9]+)-[0-9a-f]{{8}}|[a-z0-9_]{{8}})$")
    for entry in out.parent.iterdir():
        found = hidden.match(entry.name)
        if not found or not entry.is_dir() or entry.is_symlink():
            continue
        kind, pid = found.group(1), found.group(2)
        if pid is not None and _alive(int(pid)):
            continue
        parked = entry / out.name
        if kind == PARKED and parked.is_dir() and not out.exists() and not out.is_symlink():
            os.replace(parked, out)
        shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def staged_dir(out: Path, overwrite: bool = False) -> Iterator[Path]:
    """Yield a hidden folder beside `out`; on success it replaces `out` in one rename.

    On any error the hidden folder is removed and `out` is untouched, so nothing half-written is left and
    earlier results are never lost; an error of the file system (disk full, permission denied) is an
    `InputError` naming `out`. Replacing an earlier `out` takes two renames (the old folder is parked in a
    hidden folder first); a run killed between them is recovered by the next run (`recover`). Folders and
    files get the permissions the umask allows.
    """
    check_out_dir(out, overwrite)
    stage: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = _hidden(out, STAGE)
        yield stage
        check_out_dir(out, overwrite)
        if out.exists():
            old = _hidden(out, PARKED)
            os.replace(out, old / out.name)
            os.replace(stage, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(stage, out)
    except OSError as error:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        where = f" ({error.filename})" if error.filename and str(error.filename) != str(out) else ""
        raise fail(
            str(out), "--out", f"cannot write the results ({_reason(error)}{where}); nothing was written"
        ) from None
    except BaseException:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        raise


def write_text_file(text: str, path: Path) -> None:
    """Write a text file whole or not at all (through a hidden file beside it, then one rename); a path that
    cannot be written is an `InputError` naming it. An existing target must be a regular file."""
    name = str(path)
    if "\x00" in name:
        raise fail(name, "--to", "a file name cannot hold a NUL character")
    if len(path.name) > MAX_OUT_NAME or len(os.fsencode(os.path.abspath(path))) > MAX_OUT_PATH:
        raise fail(name, "--to", f"name too long (at most {MAX_OUT_NAME} characters)")
    temporary = path.parent / f".{path.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        if path.is_symlink() and not path.exists():
            raise fail(name, "--to", "is a symbolic link to nothing; remove it or choose another file")
        if path.exists() and not path.is_file():
            raise fail(name, "--to", "exists and is not a regular file")
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise fail(name, "--to", f"cannot write the file ({_reason(error)}); nothing was written") from None
