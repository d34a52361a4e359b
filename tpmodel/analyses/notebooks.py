"""Executing the parameterised notebooks with papermill (the report command and the sweep's papermill engine)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..model import load_run_inputs


def notebooks_dir() -> Path:
    """The folder of the notebooks (beside the package in a source checkout)."""
    return Path(__file__).resolve().parents[2] / "notebooks"


def notebook_parameters(notebook: Path) -> tuple[str, ...]:
    """The names defined in a notebook's `parameters` cell."""
    import papermill

    return tuple(papermill.inspect_notebook(str(notebook)))


def check_notebook_run(notebook: Path, parameters: Mapping[str, Any]) -> None:
    """Raise `InputError` (the CLI's message, exit 2) before executing anything:
    a parameter the notebook does not take, or a scenario or override the model rejects."""
    known = notebook_parameters(notebook)
    unknown = [name for name in parameters if name not in known]
    if unknown:
        raise InputError(
            [
                Problem(str(notebook), "parameters", f"unknown notebook parameter '{name}'; known: {', '.join(known)}")
                for name in unknown
            ]
        )
    if "scenario" in parameters or "overrides" in parameters:
        load_run_inputs(
            str(parameters.get("scenario", "standard")),
            overrides=parameters.get("overrides") or {},
            params_dir=parameters.get("params_dir") or None,
        )


def execute_notebook(notebook: Path, output: Path, parameters: Mapping[str, Any], cwd: Path | None = None) -> None:
    """Check the parameters (`check_notebook_run`), then execute `notebook` with papermill into `output`.

    The kernel is `python3`. A failing cell raises papermill's `PapermillExecutionError`.
    """
    import papermill

    check_notebook_run(notebook, parameters)
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=dict(parameters),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(cwd) if cwd else None,
    )
