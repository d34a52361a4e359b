"""Validation: every value against its metadata (type, index, bounds, distributions) and the
cross-checks between parameters, every problem collected at once."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..core.axes import AGENCIES, BASE_YEAR, LEVERS
from ..core.distributions import central, is_distribution
from ..core.distributions import check as check_distribution
from ..errors import Problem
from .paths import _did_you_mean, _sub_keys
from .schema import FIRST_YEAR_KEY, LAST_YEAR_KEY, ParamSpec

if TYPE_CHECKING:
    from .resolution import Resolved


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _bound(values: Mapping[str, Any], bound: float | str | None) -> float | None:
    if bound is None or _number(bound):
        return None if bound is None else float(bound)
    other = values.get(str(bound))
    if is_distribution(other):
        other = central(other)
    return float(other) if _number(other) else None


def _allowed(low: float | None, high: float | None, integer: bool) -> str:
    kind = "a whole number" if integer else "a number"
    if low is not None and high is not None:
        return f"{kind} from {low:g} to {high:g}"
    if low is not None:
        return f"{kind} >= {low:g}"
    if high is not None:
        return f"{kind} <= {high:g}"
    return kind


def check_number(value: Any, spec: ParamSpec, low: float | None, high: float | None) -> str | None:
    """Why a number or distribution is not allowed for `spec`, or None if it is."""
    integer = spec.type == "integer"
    allowed = _allowed(low, high, integer)
    if is_distribution(value):
        return check_distribution(value, low, high, allowed)
    if not _number(value):
        return f"{value!r} is not {allowed}"
    if integer and float(value) != int(value):
        return f"{value!r} is not {allowed}"
    if low is not None and value < low:
        return f"{value!r} is below the minimum; allowed: {allowed}"
    if high is not None and value > high:
        return f"{value!r} is above the maximum; allowed: {allowed}"
    return None


def leaves(path: str, value: Any) -> Iterator[tuple[str, Any]]:
    """Every number or distribution inside a parameter value, with its full dotted path."""
    if isinstance(value, Mapping) and not is_distribution(value):
        for key, child in value.items():
            yield from leaves(f"{path}.{key}", child)
    else:
        yield path, value


def _check_index(spec: ParamSpec, value: Any) -> str | None:
    kinds = _sub_keys(spec)

    def check(node: Any, depth: int) -> str | None:
        if not isinstance(node, Mapping) or is_distribution(node):
            return None
        if depth >= len(kinds):
            return "too deeply nested for this parameter"
        kind = kinds[depth]
        for key, child in node.items():
            if kind == "agency" and key not in AGENCIES:
                return f"no agency {key!r}{_did_you_mean(str(key), AGENCIES)}; agencies: {', '.join(AGENCIES)}"
            if kind == "year" and (not isinstance(key, int) or not FIRST_YEAR_KEY <= key <= LAST_YEAR_KEY):
                return f"{key!r} is not a year (a financial year such as 2012 for 2012-13)"
            problem = check(child, depth + 1)
            if problem:
                return problem
        return None

    if not kinds and isinstance(value, Mapping) and not is_distribution(value):
        return "expected one number or distribution, not a mapping"
    return check(value, 0)


def validate(resolved: Resolved) -> list[Problem]:
    """Every problem with resolved values, against the metadata (types, bounds, indexes)."""
    problems: list[Problem] = []
    values = resolved.values
    for path, spec in resolved.specs.items():
        value = values[path]

        def report(message: str, below: str = "", *, path: str = path) -> None:
            problems.append(resolved.problem(path, message, below))

        if spec.type == "choice":
            if value not in spec.choices:
                report(f"{value!r} is not allowed; choose one of: {', '.join(spec.choices)}")
            continue
        if spec.type == "places":
            if not (value == "all" or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
                report(f"{value!r} is not allowed; give a list of place ids, or all")
            continue
        index_problem = _check_index(spec, value)
        if index_problem:
            report(index_problem)
            continue
        low, high = _bound(values, spec.min), _bound(values, spec.max)
        for leaf_path, leaf in leaves(path, value):
            if path.startswith("horizon.") and is_distribution(leaf):
                report("the horizon cannot be uncertain; give a whole number")
                continue
            message = check_number(leaf, spec, low, high)
            if message:
                report(message, leaf_path[len(path) :] if leaf_path != path else "")
    problems += _cross_checks(resolved)
    return problems


def _cross_checks(resolved: Resolved) -> list[Problem]:
    values = resolved.values
    problems: list[Problem] = []

    def report(path: str, message: str) -> None:
        problems.append(resolved.problem(path, message))

    indicators = values.get("reporting.indicators")
    if isinstance(indicators, Mapping) and not is_distribution(indicators) and BASE_YEAR not in indicators:
        report("reporting.indicators", f"the base year {BASE_YEAR} must be given (198 national indicators in 2009-10)")
    share = values.get("pooling.benefit_share")
    if share is not None:
        centrals = [central(v) if is_distribution(v) else v for _, v in leaves("w", share)]
        if all(_number(v) for v in centrals) and sum(centrals) <= 0:
            report("pooling.benefit_share", "all zero: at least one agency must receive the avoided costs")
    for lever in LEVERS:
        for key in ("benefit_optimism_bias", "deadweight"):
            path = f"appraisal.{lever}.{key}"
            if path in values and _number(values[path]) and values[path] >= 1:
                report(path, f"{values[path]!r} must be below 1")
    return problems
