"""Resolution (spec section 10): defaults, the `extends` chain root first, each `set`, then `--set`;
validated and frozen as `Resolved`; `override` applies more values to a resolved tree."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.axes import BASE_YEAR
from ..errors import InputError, Problem, fail
from .paths import apply_assignment, split_path
from .scenarios import Assignment, Scenario, default_params_dir, scenario_chain
from .schema import ParamSpec, load_specs
from .validation import validate
from .yaml_io import parse_yaml


@dataclass(frozen=True)
class Resolved:
    """A scenario's parameters, resolved and validated; read-only by convention."""

    name: str
    description: str
    file: str
    values: dict[str, Any]
    specs: dict[str, ParamSpec]
    origins: dict[str, str]  # path -> "file: origin" of its last assignment
    correlations: list[Any] = field(default_factory=list)

    @property
    def years(self) -> range:
        """The horizon years, first_year .. last_year."""
        return range(int(self.values["horizon.first_year"]), int(self.values["horizon.last_year"]) + 1)

    def tree(self) -> dict[str, Any]:
        """The values nested by dotted path, JSON-friendly (year keys as strings)."""
        nested: dict[str, Any] = {}
        for path, value in sorted(self.values.items()):
            node = nested
            *groups, last = path.split(".")
            for group in groups:
                node = node.setdefault(group, {})
            node[last] = _jsonable(value)
        return nested

    def where(self, path: str) -> str:
        """The file a parameter's value came from."""
        return self.origins.get(path, "params/defaults.yaml")

    def problem(self, path: str, message: str, below: str = "") -> Problem:
        """A problem with parameter `path` (or the key `below` inside it), named where its value was set."""
        file, _, origin = self.where(path).partition(": ")
        return Problem(file, origin + below, message)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def parse_cli_set(text: str) -> tuple[str, Any]:
    """Parse a command-line `PATH=VALUE` (VALUE in YAML: a number, a list, a {dist: ...} mapping)."""
    if "=" not in text:
        raise fail("--set", text, "expected PATH=VALUE, e.g. shared_services.max_rate=0.25")
    path, raw = text.split("=", 1)
    return path.strip(), parse_yaml(raw, f"--set {path.strip()}")


def resolve(
    scenario: str,
    params_dir: Path | None = None,
    sets: list[str] | tuple[str, ...] = (),
    extra_sets: Mapping[str, Any] | None = None,
) -> Resolved:
    """Resolve a scenario (name under params/scenarios/ or a YAML path) into validated parameters.

    sets: command-line `PATH=VALUE` strings, applied last; extra_sets: the same
    as a mapping (used by sweeps and widgets). Raises `InputError` listing every
    problem found.
    """
    params_dir = params_dir or default_params_dir()
    defaults_file = params_dir / "defaults.yaml"
    specs = load_specs(defaults_file)
    chain = scenario_chain(params_dir, scenario)
    assignments = [Assignment(path, value, s.file, f"set.{path}") for s in chain for path, value in s.set.items()]
    for text in sets:
        path, value = parse_cli_set(text)
        assignments.append(Assignment(path, value, "--set", path))
    for path, value in (extra_sets or {}).items():
        assignments.append(Assignment(path, value, "--set", path))
    values = {path: copy.deepcopy(spec.default) for path, spec in specs.items()}
    origins = {path: f"{defaults_file}: {path}.value" for path in specs}
    problems: list[Problem] = []
    horizon = [a for a in assignments if a.path.startswith("horizon.")]
    _apply_all(horizon, values, origins, specs, range(BASE_YEAR, BASE_YEAR + 1), [])
    years = _expansion_years(values)
    _apply_all(assignments, values, origins, specs, years, problems)
    if problems:
        raise InputError(problems)
    top = chain[-1]
    resolved = Resolved(
        name=top.name,
        description=top.description,
        file=top.file,
        values=values,
        specs=specs,
        origins=origins,
        correlations=top.correlations if top.correlations else _inherited_correlations(chain),
    )
    problems = validate(resolved)
    if problems:
        raise InputError(problems)
    return resolved


def override(resolved: Resolved, overrides: Mapping[str, Any], file: str = "--set") -> Resolved:
    """A copy of `resolved` with {dotted path: value} applied and everything re-validated.

    No file is read: this is how sweeps, widgets and notebooks vary parameters.
    """
    values = copy.deepcopy(resolved.values)
    origins = dict(resolved.origins)
    assignments = [Assignment(path, value, file, path) for path, value in overrides.items()]
    problems: list[Problem] = []
    _apply_all([a for a in assignments if a.path.startswith("horizon.")], values, origins, resolved.specs,
               range(BASE_YEAR, BASE_YEAR + 1), problems)  # fmt: skip
    _apply_all(assignments, values, origins, resolved.specs, _expansion_years(values), problems)
    if problems:
        raise InputError(problems)
    changed = Resolved(resolved.name, resolved.description, resolved.file, values, resolved.specs, origins,
                       resolved.correlations)  # fmt: skip
    problems = validate(changed)
    if problems:
        raise InputError(problems)
    return changed


def _inherited_correlations(chain: list[Scenario]) -> list[Any]:
    for scenario in reversed(chain):
        if scenario.correlations:
            return scenario.correlations
    return []


def _expansion_years(values: Mapping[str, Any]) -> range:
    try:
        first = int(values["horizon.first_year"])
        last = int(values["horizon.last_year"])
    except (TypeError, ValueError):
        return range(BASE_YEAR, BASE_YEAR + 6)
    return range(min(first, BASE_YEAR), max(last, first) + 1)


def _apply_all(
    assignments: list[Assignment],
    values: dict[str, Any],
    origins: dict[str, str],
    specs: Mapping[str, ParamSpec],
    years: range,
    problems: list[Problem],
) -> None:
    for item in assignments:
        try:
            spec, keys = split_path(item.path, specs)
            apply_assignment(values, spec, keys, item.value, years)
        except ValueError as error:
            problems.append(Problem(item.file, item.origin, str(error)))
            continue
        origins[spec.path] = f"{item.file}: {item.origin}"
