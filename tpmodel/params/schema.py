"""Parameter metadata: the closed lists of units, types and indexes, `ParamSpec`, and loading
params/defaults.yaml into specs."""

from __future__ import annotations

import math
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


META_KEYS = {
    "value", "description", "unit", "type", "index", "min", "max", "choices", "source", "evidence", "plausible",
    "plausible_source",
}  # fmt: skip


REQUIRED_META = ("value", "description", "unit", "source", "evidence")


#: Evidence grades, strongest first: a published outturn, a published estimate or plan, an analogy or a
#: pilot, a judgment (`assumption:` sources).
EVIDENCE_GRADES = ("strong", "medium", "weak", "assumption")


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
    evidence: str = "assumption"
    evidence_reason: str = ""
    plausible: tuple[float, float] | None = None
    plausible_source: str = ""

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
    problems += evidence_problems(path, meta, file)
    if len(problems) > before:
        return None
    evidence = meta["evidence"]
    plausible = meta.get("plausible")
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
        evidence=evidence["grade"],
        evidence_reason=evidence["reason"].strip(),
        plausible=(float(plausible[0]), float(plausible[1])) if plausible is not None else None,
        plausible_source=str(meta.get("plausible_source", "")).strip(),
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def evidence_problems(path: str, meta: Mapping, file: str) -> list[Problem]:
    """What is wrong with a parameter's `evidence` ({grade, reason}, required) and `plausible` ([low, high],
    optional, a fixed single number only, with `plausible_source` or a reason that says where the range comes
    from); [] when nothing is."""
    problems: list[Problem] = []
    evidence = meta.get("evidence")
    reason = evidence.get("reason") if isinstance(evidence, Mapping) else None
    if evidence is not None and (
        not isinstance(evidence, Mapping)
        or set(evidence) != {"grade", "reason"}
        or evidence.get("grade") not in EVIDENCE_GRADES
        or not isinstance(reason, str)
        or not reason.strip()
    ):
        problems.append(Problem(file, f"{path}.evidence", (
            f"{evidence!r} is not an evidence grade; allowed: {{grade: {' | '.join(EVIDENCE_GRADES)}, "
            "reason: <why, from the source>}"
        )))  # fmt: skip
    if "plausible" not in meta:
        if "plausible_source" in meta:
            problems.append(Problem(file, f"{path}.plausible_source", "given without 'plausible: [low, high]'"))
        return problems
    plausible, value = meta["plausible"], meta.get("value")
    where = f"{path}.plausible"
    if meta.get("type", "number") not in ("number", "integer") or not _number(value):
        problems.append(Problem(file, where, (
            "only a parameter whose value is one fixed number may have a plausible range "
            "(a distribution already has its range; a mapping has one value per agency or year)"
        )))  # fmt: skip
    elif not (isinstance(plausible, list) and len(plausible) == 2 and all(_number(v) for v in plausible)):
        problems.append(Problem(file, where, f"{plausible!r} is not [low, high], two numbers"))
    elif not plausible[0] <= value <= plausible[1]:
        problems.append(Problem(file, where, f"{plausible!r} must hold the value {value!r}: low <= value <= high"))
    else:
        low, high = meta.get("min"), meta.get("max")
        if (_number(low) and plausible[0] < low) or (_number(high) and plausible[1] > high):
            problems.append(Problem(file, where, f"{plausible!r} goes beyond the bounds min {low!r}, max {high!r}"))
    cited = str(meta.get("plausible_source", "")).strip() or ("plausible" in str(reason or "").lower())
    if not cited:
        problems.append(Problem(file, where, (
            "say where the range comes from: a 'plausible_source', or the evidence reason naming the plausible range"
        )))  # fmt: skip
    return problems
