"""Parameter metadata: the closed lists of units, types and indexes, `ParamSpec`, and loading
params/defaults.yaml into specs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, fail
from .yaml_io import read_yaml

UNITS = (
    "share", "share a year", "ratio", "GBP per GBP", "GBP m", "GBP m a year",
    "GBP m a year per LA per indicator", "year", "years", "count", "index", "choice", "place ids",
    "dotted paths",
)  # fmt: skip


TYPES = ("number", "integer", "choice", "places", "freedoms")


INDEXES = ("agency", "year", "agency_year")


META_KEYS = {"value", "description", "unit", "type", "index", "min", "max", "choices", "source"}


REQUIRED_META = ("value", "description", "unit", "source")


FIRST_YEAR_KEY, LAST_YEAR_KEY = 2000, 2100  # plausible year keys in a year mapping


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of `params/defaults.yaml` with its metadata."""

    path: str
    default: Any
    description: str
    unit: str
    source: str
    type: str = "number"
    index: str | None = None
    min: float | str | None = None
    max: float | str | None = None
    choices: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        """True for number and integer parameters (the ones that may be uncertain)."""
        return self.type in ("number", "integer")


def load_specs(defaults_file: Path) -> dict[str, ParamSpec]:
    """Read `defaults.yaml` into parameter specs by dotted path, checking its metadata."""
    tree = read_yaml(defaults_file)
    file = str(defaults_file)
    if not isinstance(tree, Mapping):
        raise fail(file, "", "expected a mapping of parameter groups")
    specs: dict[str, ParamSpec] = {}
    problems: list[Problem] = []

    def walk(node: Mapping, prefix: str) -> None:
        for key, child in node.items():
            path = f"{prefix}{key}"
            if not isinstance(child, Mapping):
                problems.append(Problem(file, path, "expected a parameter (a mapping with value, ...) or a group"))
            elif "value" in child:
                spec = _spec_from_meta(path, child, file, problems)
                if spec:
                    specs[path] = spec
            else:
                walk(child, f"{path}.")

    walk(tree, "")
    if problems:
        raise InputError(problems)
    return specs


def _spec_from_meta(path: str, meta: Mapping, file: str, problems: list[Problem]) -> ParamSpec | None:
    before = len(problems)
    for key in meta:
        if key not in META_KEYS:
            problems.append(Problem(file, f"{path}.{key}", f"unknown metadata key; allowed: {sorted(META_KEYS)}"))
    for key in REQUIRED_META:
        if key not in meta:
            problems.append(Problem(file, path, f"missing '{key}'"))
    if meta.get("unit") not in UNITS:
        problems.append(Problem(file, f"{path}.unit", f"{meta.get('unit')!r} is not one of {list(UNITS)}"))
    if meta.get("type", "number") not in TYPES:
        problems.append(Problem(file, f"{path}.type", f"{meta.get('type')!r} is not one of {list(TYPES)}"))
    if meta.get("index") not in (None, *INDEXES):
        problems.append(Problem(file, f"{path}.index", f"{meta.get('index')!r} is not one of {list(INDEXES)}"))
    source = meta.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append(Problem(file, f"{path}.source", "a citation or 'assumption: <why>' is required"))
    if len(problems) > before:
        return None
    return ParamSpec(
        path=path,
        default=meta["value"],
        description=str(meta["description"]),
        unit=meta["unit"],
        source=source,
        type=meta.get("type", "number"),
        index=meta.get("index"),
        min=meta.get("min"),
        max=meta.get("max"),
        choices=tuple(meta.get("choices", ())),
    )
