"""Executing the parameterised notebooks with papermill (the report command and the sweep's papermill engine)."""

from __future__ import annotations

import ast
import types
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


class NotebookInputError(InputError):
    """Bad notebook parameters, raised inside the notebook: IPython (and so papermill) shows the command
    line's one-line message (`tpmodel: error: ...`) instead of a traceback (`_render_traceback_`)."""

    def _render_traceback_(self) -> list[str]:
        return [f"tpmodel: error: {self.render()}"]


#: Names IPython itself puts in a notebook's namespace.
_IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}
_TYPES: dict[type, tuple[type, ...]] = {str: (str,), int: (int,), float: (int, float), list: (list, tuple),
                                        dict: (dict,), bool: (bool,)}  # fmt: skip
_KINDS = {
    str: "a text",
    int: "a whole number",
    float: "a number",
    list: "a list",
    dict: "a mapping",
    bool: "true or false",
}


def check_parameters(namespace: Mapping[str, Any], notebook: str) -> None:
    """Check the papermill parameters of `notebook` (a file name under `notebooks_dir()`) as the notebook
    sees them, in its first cell after the parameters: `check_parameters(globals(), "scenario.ipynb")`.

    A name the parameters cell does not define (papermill only warns of it), or a value of another type
    than the default's (`-p others cautious` where a list is expected), raises `NotebookInputError`, and
    so do a scenario or overrides that the model rejects: the message is the command line's, one line.
    """
    path = notebooks_dir() / notebook
    import papermill

    defaults = {
        name: ast.literal_eval(found["default"]) for name, found in papermill.inspect_notebook(str(path)).items()
    }
    problems = []
    for name, value in namespace.items():
        if name.startswith("_") or name in _IPYTHON_NAMES or isinstance(value, types.ModuleType) or callable(value):
            continue
        if name not in defaults:
            problems.append(Problem(notebook, "parameters", f"unknown notebook parameter '{name}'; known: "
                                    f"{', '.join(defaults)}"))  # fmt: skip
            continue
        wanted = type(defaults[name])
        allowed = _TYPES.get(wanted, (wanted,))
        if not isinstance(value, allowed) or (wanted is int and isinstance(value, bool)):
            problems.append(Problem(notebook, name, f"expected {_KINDS.get(wanted, wanted.__name__)} like "
                                    f"{defaults[name]!r}, got {value!r}"))  # fmt: skip
    if problems:
        raise NotebookInputError(problems)
    names = [namespace["scenario"]] if "scenario" in namespace else []
    names += list(namespace.get("others", ()))
    for name in names:
        try:
            load_run_inputs(str(name), overrides=namespace.get("overrides") or {},
                            params_dir=namespace.get("params_dir") or None)  # fmt: skip
        except InputError as error:
            raise NotebookInputError(error.problems) from None
