"""Scenario files: where the parameter folder is, scenario names, reading a scenario, and its
`extends` chain (a loop is an error naming each file)."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, fail
from .paths import _did_you_mean
from .yaml_io import read_yaml

SCENARIO_KEYS = {"name", "description", "extends", "set", "places", "correlations"}


SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

#: Longest scenario `name` and `description` [characters].
MAX_NAME, MAX_DESCRIPTION = 200, 5000


def text_problem(value: Any, longest: int, lines: bool) -> str | None:
    """Why `value` cannot be a scenario's name (lines=False) or description (lines=True), or None if it can:
    it must be text of at most `longest` characters without control characters (a description may have
    line breaks and tabs), since it is printed, written into CSV, JSON and the workbook, and made a folder
    name."""
    if not isinstance(value, str):
        return f"expected text, not {type(value).__name__ if value is not None else 'nothing'}"
    if not value.strip():
        return "expected text, not an empty string"
    if len(value) > longest:
        return f"too long ({len(value):,} characters; at most {longest:,})"
    allowed = "\n\t" if lines else ""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and not (lines and char in "\n\t"):
            kind = "a control character" if unicodedata.category(char) == "Cc" else "an invisible format character"
            shown = char.encode("unicode_escape").decode("ascii")
            return f"{kind} ({shown}) is not allowed" + ("; line breaks and tabs are" if allowed else "")
    return None


def default_params_dir() -> Path:
    """The parameter folder: $TPMODEL_PARAMS, else ./params, else the one beside the package.

    A ./params folder is used even without defaults.yaml, so that the user hears the file is missing
    rather than having their data silently ignored for the bundled one."""
    if os.environ.get("TPMODEL_PARAMS"):
        return Path(os.environ["TPMODEL_PARAMS"])
    here = Path.cwd() / "params"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "params"


@dataclass(frozen=True)
class Scenario:
    """A scenario file, read but not yet applied."""

    name: str
    description: str
    file: str
    extends: str | None
    set: dict[str, Any]
    correlations: list[Any]
    places: dict[str, dict[str, Any]] = field(default_factory=dict)  # place id -> {dotted path: value}


@dataclass(frozen=True)
class Assignment:
    """One `set` entry: a dotted path, a value, and where it was written."""

    path: str
    value: Any
    file: str
    origin: str  # e.g. "set.shared_services.max_rate" or "--set shared_services.max_rate"


def scenario_names(params_dir: Path) -> list[str]:
    """Names of the scenarios under params/scenarios/, sorted."""
    return sorted(p.stem for p in (params_dir / "scenarios").glob("*.yaml"))


def scenario_file(params_dir: Path, name_or_path: str) -> Path:
    """The file of a scenario given by name (under params/scenarios/) or by path to a YAML file."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or os.sep in name_or_path or "/" in name_or_path:
        if not _is_file(candidate):
            raise fail(name_or_path, "", "scenario file not found")
        return candidate
    if not SCENARIO_NAME.match(name_or_path) or len(name_or_path) > MAX_NAME:
        raise fail(
            name_or_path, "", f"not a scenario name (letters, digits, _ and -, at most {MAX_NAME}) nor a .yaml path"
        )
    path = params_dir / "scenarios" / f"{name_or_path}.yaml"
    if not _is_file(path):
        known = scenario_names(params_dir)
        hint = _did_you_mean(name_or_path, known)
        raise fail(str(path), "", f"no scenario '{name_or_path}'{hint}; known: {', '.join(known)}")
    return path


def _is_file(path: Path) -> bool:
    """True for an existing file; False also for a path the system cannot look up (too long, NUL, a loop)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def read_scenario(path: Path) -> Scenario:
    """Read and check the shape of one scenario file."""
    file = str(path)
    data = read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise fail(file, "", "expected a mapping with name, description, extends, set")
    problems = [
        Problem(file, str(key), f"unknown key; allowed: {', '.join(sorted(SCENARIO_KEYS))}")
        for key in data
        if key not in SCENARIO_KEYS
    ]
    for key, longest, lines in (("name", MAX_NAME, False), ("description", MAX_DESCRIPTION, True)):
        message = text_problem(data[key], longest, lines) if data.get(key) is not None else None
        if message:
            problems.append(Problem(file, key, message))
    sets = _mapping(data, "set", file, "expected a mapping from dotted path to value", problems)
    extends = data.get("extends")
    if extends is not None and (not isinstance(extends, str) or not SCENARIO_NAME.match(extends)):
        shown = repr(extends) if isinstance(extends, str | int | float) else f"a {type(extends).__name__}"
        problems.append(Problem(file, "extends", f"{shown} is not a scenario name under params/scenarios/ (no paths)"))
    correlations = data.get("correlations")
    if correlations is None:
        correlations = []
    elif not isinstance(correlations, list):
        problems.append(Problem(file, "correlations", "expected a list of {between: [PATH, PATH], rank: r}"))
        correlations = []
    own = _mapping(data, "places", file, "expected a mapping from place id to {dotted path: value}", problems)
    for place, entries in own.items():
        if not isinstance(entries, Mapping):
            problems.append(Problem(file, f"places.{place}", "expected a mapping from dotted path to value"))
    if problems:
        raise InputError(problems)
    return Scenario(
        name=str(data.get("name") or path.stem),
        description=str(data.get("description") or ""),
        file=file,
        extends=extends,
        set={str(k): v for k, v in sets.items()},
        correlations=list(correlations),
        places={str(p): {str(k): v for k, v in entries.items()} for p, entries in own.items()},
    )


def _mapping(data: Mapping, key: str, file: str, expected: str, problems: list[Problem]) -> Mapping:
    """`data[key]` when it is a mapping; absent or null is an empty one; anything else (false, 0, a list, text)
    is a problem."""
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(Problem(file, key, expected))
        return {}
    return value


def scenario_chain(params_dir: Path, name_or_path: str) -> list[Scenario]:
    """The scenario and its `extends` ancestors, root first. A cycle is an error naming each file."""
    chain: list[Scenario] = []
    seen: list[str] = []
    path = scenario_file(params_dir, name_or_path)
    while True:
        key = str(path.resolve())
        if key in seen:
            files = " -> ".join([*(s.file for s in reversed(chain)), str(path)][::-1])
            raise fail(str(path), "extends", f"'extends' makes a loop: {files}")
        seen.append(key)
        scenario = read_scenario(path)
        chain.append(scenario)
        if scenario.extends is None:
            return chain[::-1]
        parent = params_dir / "scenarios" / f"{scenario.extends}.yaml"
        if not _is_file(parent):
            known = scenario_names(params_dir)
            hint = _did_you_mean(scenario.extends, known)
            raise fail(scenario.file, "extends", f"no scenario '{scenario.extends}' under {parent.parent}{hint}")
        path = parent
