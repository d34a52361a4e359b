"""Parameter metadata: the closed lists of units, types and indexes, `ParamSpec`, and loading
params/defaults.yaml into specs."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.distributions import finite_number
from ..errors import InputError, Problem, fail
from .yaml_io import read_yaml

UNITS = (
    "share", "share a year", "ratio", "GBP per GBP", "GBP m", "GBP m a year",
    "GBP m a year per LA per indicator", "year", "years", "count", "index", "choice", "place ids",
    "dotted paths",
)  # fmt: skip


TYPES = ("number", "integer", "choice", "places", "freedoms")


INDEXES = ("agency", "year", "agency_year")


REQUIRED_META = ("value", "description", "unit", "source", "evidence")


#: Evidence grades, strongest first: a published outturn, a published estimate or plan, an analogy or a
#: pilot, a judgment (`assumption:` sources).
EVIDENCE_GRADES = ("strong", "medium", "weak", "assumption")


FIRST_YEAR_KEY, LAST_YEAR_KEY = 2000, 2100  # plausible year keys in a year mapping, and the horizon's limits

#: Every parameter the model reads, with its type and index ("type" or "type/index"): defaults.yaml must
#: define each, as its type says (a test keeps this table and params/defaults.yaml in step).
MODEL_PARAMETERS: dict[str, str] = {
    "horizon.first_year": "integer", "horizon.last_year": "integer",
    "baseline.real_growth": "number/agency_year",
    "shared_services.participation": "number/agency", "shared_services.max_rate": "number",
    "shared_services.scale_k": "number", "shared_services.start_year": "integer",
    "shared_services.ramp_years": "integer", "shared_services.cost_rate": "number",
    "shared_services.implementation_years": "integer",
    "procurement.participation": "number/agency", "procurement.compliance": "number",
    "procurement.base_discount": "number", "procurement.volume_elasticity": "number",
    "procurement.reference_volume": "number", "procurement.max_discount": "number",
    "procurement.consortium": "choice", "procurement.fee_share": "number", "procurement.setup_cost": "number",
    "procurement.start_year": "integer", "procurement.ramp_years": "integer",
    "pooling.participation": "number/agency", "pooling.duplication_rate": "number",
    "pooling.prevention_share": "number", "pooling.return_rate": "number", "pooling.lag_years": "integer",
    "pooling.effect_years": "integer", "pooling.drop_off": "number", "pooling.benefit_share": "number/agency",
    "pooling.start_year": "integer", "pooling.ramp_years": "integer",
    "assets.participation": "number/agency", "assets.max_rate": "number", "assets.scale_k": "number",
    "assets.start_year": "integer", "assets.ramp_years": "integer", "assets.cost_rate": "number",
    "assets.implementation_years": "integer", "assets.receipts_multiple": "number",
    "assets.receipts_years": "integer",
    "reporting.indicators": "integer/year", "reporting.cost_per_indicator": "number",
    "appraisal.discount_rate": "number",
    "appraisal.shared_services.benefit_optimism_bias": "number",
    "appraisal.shared_services.cost_optimism_bias": "number", "appraisal.shared_services.deadweight": "number",
    "appraisal.shared_services.cost_deadweight": "number", "appraisal.shared_services.cashable_share": "number",
    "appraisal.procurement.benefit_optimism_bias": "number", "appraisal.procurement.cost_optimism_bias": "number",
    "appraisal.procurement.deadweight": "number", "appraisal.procurement.cost_deadweight": "number",
    "appraisal.procurement.cashable_share": "number",
    "appraisal.pooling.benefit_optimism_bias": "number", "appraisal.pooling.cost_optimism_bias": "number",
    "appraisal.pooling.deadweight": "number", "appraisal.pooling.cost_deadweight": "number",
    "appraisal.pooling.cashable_share": "number",
    "appraisal.assets.benefit_optimism_bias": "number", "appraisal.assets.cost_optimism_bias": "number",
    "appraisal.assets.deadweight": "number", "appraisal.assets.cost_deadweight": "number",
    "appraisal.assets.cashable_share": "number",
    "appraisal.reporting.benefit_optimism_bias": "number", "appraisal.reporting.cost_optimism_bias": "number",
    "appraisal.reporting.deadweight": "number", "appraisal.reporting.cost_deadweight": "number",
    "appraisal.reporting.cashable_share": "number",
    "single_offer.places": "places", "single_offer.start_year": "integer", "single_offer.end_year": "integer",
    "single_offer.target_rate": "number", "single_offer.retained_share": "number",
    "single_offer.freedoms": "freedoms",
    "presentation.deflator": "number/year",
}  # fmt: skip


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


def _text(value: Any, meta: Mapping) -> str | None:
    return None if isinstance(value, str) and value.strip() else "expected text"


def _one_of(allowed: tuple[str, ...]) -> Callable[[Any, Mapping], str | None]:
    def check(value: Any, meta: Mapping) -> str | None:
        return None if isinstance(value, str) and value in allowed else f"{_shown(value)} is not one of {list(allowed)}"

    return check


def _bound_form(value: Any, meta: Mapping) -> str | None:
    if isinstance(value, str):
        return None  # a parameter path: checked once every parameter is known (`_check_bounds`)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
        return f"{_shown(value)} is not a bound: give a finite number or the dotted path of another parameter"
    return None


def _choices(value: Any, meta: Mapping) -> str | None:
    if meta.get("type") != "choice":
        return "choices apply to parameters of type choice only"
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return "expected a list of the allowed strings"
    return None


def _source(value: Any, meta: Mapping) -> str | None:
    return None if isinstance(value, str) and value.strip() else "a citation or 'assumption: <why>' is required"


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str | int | float | bool) or value is None else f"a {type(value).__name__}"


#: The metadata keys of a parameter and the check of each (None when the value is fine). The one table of
#: parameter metadata: a new key is a new row.
META_RULES: dict[str, Callable[[Any, Mapping], str | None]] = {
    "value": lambda value, meta: None,  # checked against the rest of the metadata by `validation.validate`
    "description": _text,
    "unit": _one_of(UNITS),
    "type": _one_of(TYPES),
    "index": _one_of(INDEXES),
    "min": _bound_form,
    "max": _bound_form,
    "choices": _choices,
    "source": _source,
    # evidence {grade, reason} (required), plausible [low, high] and plausible_source are checked together,
    # by `evidence_problems`
    "evidence": lambda value, meta: None,
    "plausible": lambda value, meta: None,
    "plausible_source": lambda value, meta: None,
}


META_KEYS = set(META_RULES)


def check_meta(path: str, meta: Mapping, file: str) -> list[Problem]:
    """Every problem with one parameter's metadata, key by key (`META_RULES`), in one table."""
    problems = [Problem(file, f"{path}.{key}", f"unknown metadata key; allowed: {sorted(META_KEYS)}")
                for key in meta if key not in META_RULES]  # fmt: skip
    problems += [Problem(file, path, f"missing '{key}'") for key in REQUIRED_META if key not in meta]
    for key, rule in META_RULES.items():
        if key in meta:
            message = rule(meta[key], meta)
            if message:
                problems.append(Problem(file, f"{path}.{key}", message))
    problems += evidence_problems(path, meta, file)
    if meta.get("type") == "choice" and "choices" not in meta:
        problems.append(Problem(file, path, "missing 'choices' (type choice)"))
    low, high = meta.get("min"), meta.get("max")
    if all(isinstance(b, int | float) and not _bound_form(b, meta) for b in (low, high)) and low > high:
        problems.append(Problem(file, f"{path}.min", f"min {low!r} is above max {high!r}"))
    return problems


def _check_bounds(specs: Mapping[str, ParamSpec], file: str) -> list[Problem]:
    """A bound that names a parameter must name another number or integer parameter."""
    problems = []
    for path, spec in specs.items():
        for key in ("min", "max"):
            bound = getattr(spec, key)
            if not isinstance(bound, str):
                continue
            other = specs.get(bound)
            if other is None:
                paths = [p for p in specs if p != path]
                message = f"{bound!r} is not a parameter{_close(bound, paths)}; give a number or a parameter's path"
            elif bound == path:
                message = "a parameter cannot bound itself"
            elif not other.numeric or other.index:
                message = f"'{bound}' is not a single number or integer parameter, so it cannot be a bound"
            else:
                continue
            problems.append(Problem(file, f"{path}.{key}", message))
    return problems


def _check_model_parameters(specs: Mapping[str, ParamSpec], file: str) -> list[Problem]:
    """Every parameter of MODEL_PARAMETERS is defined, with its type and index."""
    problems = []
    for path, kind in MODEL_PARAMETERS.items():
        spec = specs.get(path)
        if spec is None:
            problems.append(Problem(file, path, f"missing: the model needs this parameter ({kind})"))
            continue
        found = spec.type + (f"/{spec.index}" if spec.index else "")
        if found != kind:
            problems.append(Problem(file, path, f"is {found}; the model needs {kind} (type/index)"))
    return problems


def _close(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


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
            elif any(key in child for key in REQUIRED_META):  # a parameter, perhaps with its value missing
                spec = _spec_from_meta(path, child, file, problems)
                if spec:
                    specs[path] = spec
            else:
                walk(child, f"{path}.")

    walk(tree, "")
    problems = problems or _check_model_parameters(specs, file) or _check_bounds(specs, file)
    if problems:
        raise InputError(problems)
    return specs


def _spec_from_meta(path: str, meta: Mapping, file: str, problems: list[Problem]) -> ParamSpec | None:
    found = check_meta(path, meta, file)
    if found:
        problems += found
        return None
    evidence = meta["evidence"]
    plausible = meta.get("plausible")
    return ParamSpec(
        path=path,
        default=meta["value"],
        description=meta["description"],
        unit=meta["unit"],
        source=meta["source"],
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
    if meta.get("type", "number") not in ("number", "integer") or not finite_number(value):
        problems.append(Problem(file, where, (
            "only a parameter whose value is one fixed number may have a plausible range "
            "(a distribution already has its range; a mapping has one value per agency or year)"
        )))  # fmt: skip
    elif not (isinstance(plausible, list) and len(plausible) == 2 and all(finite_number(v) for v in plausible)):
        problems.append(Problem(file, where, f"{plausible!r} is not [low, high], two numbers"))
    elif not plausible[0] <= value <= plausible[1]:
        problems.append(Problem(file, where, f"{plausible!r} must hold the value {value!r}: low <= value <= high"))
    else:
        low, high = meta.get("min"), meta.get("max")
        if (finite_number(low) and plausible[0] < low) or (finite_number(high) and plausible[1] > high):
            problems.append(Problem(file, where, f"{plausible!r} goes beyond the bounds min {low!r}, max {high!r}"))
    cited = str(meta.get("plausible_source", "")).strip() or ("plausible" in str(reason or "").lower())
    if not cited:
        problems.append(Problem(file, where, (
            "say where the range comes from: a 'plausible_source', or the evidence reason naming the plausible range"
        )))  # fmt: skip
    return problems
