"""Validation: every value against its metadata (type, index, bounds, distributions) and the
cross-checks between parameters, every problem collected at once."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..core.axes import AGENCIES, LEVERS
from ..core.distributions import central, is_distribution
from ..core.distributions import check as check_distribution
from ..errors import Problem
from .layers import Setting, leaf_value, step_mapping
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
    """Every problem with resolved values, places' own values and freedoms, against the metadata
    (types, bounds, indexes), and the checks across parameters."""
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
                report(f"{value!r} is not allowed; give a list of place ids and group names, or all")
            continue
        if spec.type == "freedoms":
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
    for path, setting in _every_setting(resolved):
        spec = resolved.specs[path]
        low, high = _bound(values, spec.min), _bound(values, spec.max)
        for leaf_path, leaf in leaves(setting.leaf_id, setting.value):
            message = check_number(leaf, spec, low, high)
            if message:
                below = leaf_path[len(setting.leaf_id) :]
                problem = resolved.setting_problem(setting.leaf_id, message)
                problems.append(Problem(problem.file, problem.path + below, problem.message))
    problems += _cross_checks(resolved)
    return problems


def _every_setting(resolved: Resolved) -> Iterator[tuple[str, Setting]]:
    """(parameter path, setting) of every place's own value and every freedom."""
    for by_path in [*resolved.place_settings.values(), resolved.freedom_settings]:
        for path, settings in by_path.items():
            for setting in settings:
                yield path, setting


def _layer_stacks(resolved: Resolved, path: str) -> Iterator[tuple[list[list[Setting]], str | None]]:
    """The layer stacks (spec 2) a parameter can resolve through, each with the leaf id of its first setting
    (None for the value for all places): all places; offer places; each place with its own values, in or
    out of the offer."""
    common = [Setting((), resolved.values[path], path)]
    freedom = resolved.freedom_settings.get(path, [])
    yield [common], None
    if freedom:
        yield [freedom, common], freedom[-1].leaf_id
    for by_path in resolved.place_settings.values():
        own = by_path.get(path, [])
        if own:
            yield [own, common], own[-1].leaf_id
            if freedom:
                yield [own, freedom, common], own[-1].leaf_id


#: The checks across parameters (`_cross_checks`): a parameter's check also reads these parameters.
CROSS_CHECKED: dict[str, tuple[str, ...]] = {
    "reporting.indicators": ("horizon.first_year",),
    "single_offer.start_year": ("horizon.first_year", "single_offer.places"),
    "single_offer.end_year": ("single_offer.start_year", "single_offer.places"),
}


def checked_with(resolved: Resolved, path: str) -> set[str]:
    """The parameters whose values the validation of parameter `path` reads: itself, those its bounds
    name, and those of the checks across parameters (`CROSS_CHECKED`)."""
    spec = resolved.specs[path]
    named = {str(bound) for bound in (spec.min, spec.max) if bound is not None and not _number(bound)}
    return {path} | named | set(CROSS_CHECKED.get(path, ()))


def _cross_checks(resolved: Resolved) -> list[Problem]:
    values = resolved.values
    problems: list[Problem] = []
    seen: set[str] = set()

    def report(path: str, leaf_id: str | None, message: str) -> None:
        problem = resolved.setting_problem(leaf_id, message) if leaf_id else resolved.problem(path, message)
        if str(problem) not in seen:
            seen.add(str(problem))
            problems.append(problem)

    first_year = values.get("horizon.first_year")
    if _number(first_year):
        path = "reporting.indicators"
        for stack, leaf_id in _layer_stacks(resolved, path):
            earliest = min(step_mapping(stack))
            if earliest > int(first_year) - 1:
                report(path, leaf_id, (
                    f"no year <= {int(first_year) - 1} (the year before the first model year, the base of the "
                    f"saving): give the count in force then, e.g. {{{int(first_year) - 1}: 188, ...}}"
                ))  # fmt: skip
    path = "pooling.benefit_share"
    for stack, leaf_id in _layer_stacks(resolved, path):
        shares = [leaf_value((agency,), stack)[1] for agency in AGENCIES]
        centres = [central(v) if is_distribution(v) else v for v in shares]
        if all(_number(v) for v in centres) and sum(centres) <= 0:
            report(path, leaf_id, "all zero: at least one agency must receive the avoided costs")
    for lever in LEVERS:
        for key in ("benefit_optimism_bias", "deadweight", "cost_deadweight"):
            path = f"appraisal.{lever}.{key}"
            bound = _bound(values, resolved.specs[path].max) if path in resolved.specs else None
            if bound is not None and bound < 1:
                continue  # the metadata's maximum already refuses 1, with its own message
            for stack, leaf_id in _layer_stacks(resolved, path):
                value = leaf_value((), stack)[1]
                if _number(value) and value >= 1:
                    report(path, leaf_id, f"{value!r} must be below 1")
    offer = values.get("single_offer.places")
    if offer:
        for key, low in (("start_year", "horizon.first_year"), ("end_year", "single_offer.start_year")):
            path, bound = f"single_offer.{key}", _bound(values, low)
            value = values.get(path)
            value = central(value) if is_distribution(value) else value
            if _number(value) and bound is not None and value < bound:
                report(path, None, f"{value!r} is before {low} ({bound:g}) while places make the offer")
    return problems
