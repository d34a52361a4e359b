"""assurance.md (Aqua Book): the assumptions log, data log, verification record, version and parameter hash of
the runs of a report or a comparison. The content is computed by tpmodel/analyses/assurance.py; this module
formats it for people and writes it. `tpmodel report` and `tpmodel compare` call `write_assurance`; the
workbook's Assurance sheet is `assurance_sheet` of the logs it returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .analyses.assurance import (
    DRIVER_SHARE,
    assumptions_log,
    assurance_sheet,
    data_log,
    provenance_lines,
    verification_record,
)
from .model import RunResult
from .version import __version__

__all__ = ["assurance_markdown", "assurance_sheet", "write_assurance"]

FILE = "assurance.md"


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row[c]) for c in columns) + " |" for _, row in frame.iterrows()]
    return lines


def assurance_markdown(
    runs: Sequence[RunResult],
    logs: dict[str, pd.DataFrame],
    checks: dict[str, pd.DataFrame],
    data: pd.DataFrame,
    written: str,
) -> str:
    """assurance.md: version and parameter hashes, verification record, data log, then each scenario's
    assumptions log (`tpmodel.analyses.assurance`)."""
    names = ", ".join(run.name for run in runs)
    lines = [
        f"# Assurance pack: {names}",
        "",
        f"Written {written} by tpmodel {__version__}, following the Aqua Book: what was assumed, on what "
        "evidence, what drives the answer, which data were used and which checks passed. Money in GBP m at "
        "2010-11 prices.",
        "",
        "## Version and parameters",
        "",
        "| scenario | file | parameters sha256 | npv [GBP m] | run time |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        p = provenance_lines(run)
        lines.append(f"| {run.name} | {_cell(run.resolved.file)} | `{p['parameters sha256']}` | "
                     f"{run.headlines['npv']:,.1f} | {p['run time']} |")  # fmt: skip
    lines += [
        "",
        "## Verification record",
        "",
        "Checks re-run when this pack was written, on each scenario as run; the test suite's outcomes are read from "
        'its last record for this code and these parameters ("stale" if either changed since, "not run" if '
        "there is none). Nothing is marked passed that was not run.",
        "",
    ]
    for name, record in checks.items():
        lines += [f"### {name}", "", *_table(record, ["check", "what", "outcome", "detail"]), ""]
    lines += ["## Data log", "", *_table(data, ["file", "role", "sha256", "bytes", "source"]), ""]
    for name, log in logs.items():
        counts = log["evidence"].value_counts()
        grades = ", ".join(f"{counts.get(g, 0)} {g}" for g in ("strong", "medium", "weak", "assumption"))
        lines += [
            f"## Assumptions log: {name}",
            "",
            f"Every parameter the scenario uses ({len(log)}; evidence: {grades}). Rank is the parameter's place in "
            "the tornado over every numeric parameter (swing of npv across its distribution or plausible range, "
            f"the others central). A parameter drives the answer when its swing is at least {DRIVER_SHARE:.0%} "
            "of |npv|; weakly evidenced drivers (weak or assumption) come first, then the other drivers, then the "
            "rest, then the parameters not varied.",
            "",
            *_table(log, ["parameter", "value", "own_values", "unit", "evidence",
                                                     "evidence_reason", "swing", "rank", "varied_by", "source"]),
            "",
        ]  # fmt: skip
    return "\n".join(lines)


def write_assurance(
    folder: Path,
    runs: Sequence[RunResult],
    requested: Sequence[tuple[str, Sequence[str]]] | None = None,
    params_dir: Path | str | None = None,
) -> dict[str, pd.DataFrame]:
    """Write assurance.md into `folder` for `runs`; return each scenario's assumptions log (for the workbook).

    requested: each run's scenario and --set strings as asked for (the reference implementation resolves them
    itself); without them the reference check is reported as not run."""
    logs, checks, data = {}, {}, []
    for i, run in enumerate(runs):
        scenario, sets = requested[i] if requested else (None, ())
        logs[run.name] = assumptions_log(run)
        checks[run.name] = verification_record(run, scenario, sets, params_dir)
        data.append(data_log(run))
    files = pd.concat(data, ignore_index=True).drop_duplicates(["file", "sha256"]) if data else pd.DataFrame()
    written = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    (folder / FILE).write_text(assurance_markdown(runs, logs, checks, files, written) + "\n", encoding="utf-8")
    return logs
