"""Validation: every value against its metadata (type, index, bounds, distributions) and the
cross-checks between parameters, every problem collected at once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..core.axes import AGENCIES, LEVERS
from ..core.distributions import central, finite_number, is_distribution
from ..core.distributions import check as check_distribution
from ..errors import Problem
from .layers import Setting, leaf_value, step_mapping
from .paths import _did_you_mean, _sub_keys, split_path
from .schema import FIRST_YEAR_KEY, LAST_YEAR_KEY, ParamSpec

HORIZON = ("horizon.first_year", "horizon.last_year")

if TYPE_CHECKING:
    from .resolution import Resolved


def _centre(value: Any) -> Any:
    """A number as it is, a valid distribution's central value, anything else None."""
    if is_distribution(value):
        return central(value) if check_distribution(value, None, None, "") is None else None
    return value if finite_number(value) else None


def _bound(values: Mapping[str, Any], bound: float | str | None) -> float | None:
    if bound is None or finite_number(bound):
        return None if bound is None else float(bound)
    other = _centre(values.get(str(bound)))
    return float(other) if finite_number(other) else None


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
    if not finite_number(value):
        return f"{_shown(value)} is not {allowed}"
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
    (types, bounds, indexes), and the checks across parameters.

    The horizon comes first: every year of every other parameter is read against it, so a bad horizon is
    the one problem reported. A value out of the range another parameter sets (min: horizon.first_year)
    is reported once, at that parameter, when only that parameter was changed. The checks across
    parameters run once every value is valid on its own."""
    problems = _horizon_problems(resolved)
    if problems:
        return problems
    values = resolved.values
    caused: dict[tuple[str, str], list[str]] = {}  # (bound's path, min|max) -> parameters it puts out of range
    for path, spec in resolved.specs.items():
        value = values[path]

        def report(message: str, below: str = "", *, path: str = path) -> None:
            problems.append(resolved.problem(path, message, below))

        if spec.type == "choice":
            if not isinstance(value, str) or value not in spec.choices:
                report(f"{_shown(value)} is not allowed; choose one of: {', '.join(spec.choices)}")
            continue
        if spec.type == "places":
            if not (value == "all" or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
                report(f"{_shown(value)} is not allowed; give a list of place ids and group names, or all")
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
            cause = _caused_by(resolved, path, spec, leaf, low, high) if message else None
            if cause:
                caused.setdefault(cause, []).append(leaf_path)
            elif message:
                report(message, leaf_path[len(path) :] if leaf_path != path else "")
    for (bound, side), paths in caused.items():
        sign = ">=" if side == "min" else "<="
        message = (
            f"{values[bound]!r} puts {', '.join(dict.fromkeys(paths))} (left at their defaults) out of range: "
            f"they must be {sign} {bound} ({values[bound]!r}); set them too, or choose another {bound}"
        )
        problems.append(resolved.problem(bound, message))
    for path, setting in _every_setting(resolved):
        spec = resolved.specs[path]
        low, high = _bound(values, spec.min), _bound(values, spec.max)
        for leaf_path, leaf in leaves(setting.leaf_id, setting.value):
            message = check_number(leaf, spec, low, high)
            if message:
                below = leaf_path[len(setting.leaf_id) :]
                problem = resolved.setting_problem(setting.leaf_id, message)
                problems.append(Problem(problem.file, problem.path + below, problem.message))
    if problems:
        return problems
    return _cross_checks(resolved)


def _shown(value: Any) -> str:
    """A value for a message: its repr when short and plain, else its kind."""
    if isinstance(value, str | int | float | bool) or value is None:
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, list) and len(value) <= 10 and all(isinstance(v, str | int | float) for v in value):
        return _shown_list(value)
    return f"a {type(value).__name__}"


def _shown_list(value: list[Any]) -> str:
    text = repr(value)
    return text if len(text) <= 120 else f"a list of {len(value)}"


def _horizon_problems(resolved: Resolved) -> list[Problem]:
    """The first and last model year: whole numbers from FIRST_YEAR_KEY to LAST_YEAR_KEY (whatever
    defaults.yaml says), the last not before the first; with the bounds of their metadata."""
    problems = []
    for path in HORIZON:
        value, spec = resolved.values[path], resolved.specs[path]
        if is_distribution(value):
            message: str | None = "the horizon cannot be uncertain; give a whole number"
        elif not finite_number(value) or float(value) != int(value) or not FIRST_YEAR_KEY <= value <= LAST_YEAR_KEY:
            message = f"{_shown(value)} is not a year from {FIRST_YEAR_KEY} to {LAST_YEAR_KEY} (a whole number)"
        else:
            low, high = _bound(resolved.values, spec.min), _bound(resolved.values, spec.max)
            message = check_number(value, spec, low, high)
            cause = _caused_by(resolved, path, spec, value, low, high) if message else None
            if cause:
                bound, sign = cause[0], ">=" if cause[1] == "min" else "<="
                message = (
                    f"{resolved.values[bound]!r} puts {path} ({value!r}, its default) out of range: it must be "
                    f"{sign} {bound}; set it too, or choose another {bound}"
                )
                path = bound
        if message:
            problems.append(resolved.problem(path, message))
    return problems


def _caused_by(
    resolved: Resolved, path: str, spec: ParamSpec, leaf: Any, low: float | None, high: float | None
) -> tuple[str, str] | None:
    """(the parameter, min or max) that puts a value at its default out of range, when the value's bound
    names a parameter that was changed and the value passes without that bound; else None."""
    if not resolved.where(path).endswith(f"{path}.value"):
        return None
    for name, bound in (("min", spec.min), ("max", spec.max)):
        if not isinstance(bound, str) or resolved.where(bound).endswith(f"{bound}.value"):
            continue
        without = (None, high) if name == "min" else (low, None)
        if check_number(leaf, spec, *without) is None:
            return bound, name
    return None


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


#: Appraisal keys of each lever that `_cross_checks` refuses at 1 or more.
BELOW_ONE = ("benefit_optimism_bias", "deadweight", "cost_deadweight")
#: The checks across parameters (`_cross_checks`): each parameter they check, and the other parameters
#: its check also reads (none where the check reads only the parameter's own values together).
CROSS_CHECKED: dict[str, tuple[str, ...]] = {
    "reporting.indicators": ("horizon.first_year",),
    "pooling.benefit_share": (),
    **{f"appraisal.{lever}.{key}": () for lever in LEVERS for key in BELOW_ONE},
    "single_offer.start_year": ("horizon.first_year", "single_offer.places"),
    "single_offer.end_year": ("single_offer.start_year", "single_offer.places"),
}


def checked_with(resolved: Resolved, path: str) -> set[str]:
    """The parameters whose values the validation of parameter `path` reads: itself, those its bounds
    name, and those of the checks across parameters (`CROSS_CHECKED`)."""
    spec = resolved.specs[path]
    named = {str(bound) for bound in (spec.min, spec.max) if bound is not None and not finite_number(bound)}
    return {path} | named | set(CROSS_CHECKED.get(path, ()))


def leaf_problems(resolved: Resolved, path: str, value: Any, file: str) -> list[Problem] | None:
    """The problems that setting the one number at `path` to the plain number `value` would give (what
    `override(resolved, {path: value}, file)` reports, `resolved` being valid), found by checking that
    number alone instead of copying and re-validating the whole tree; None when they cannot be found so:
    a value that is not a plain number, a path that is not one number already there (or is a year's,
    a place's, a freedom's or the horizon's), or a parameter that a check across parameters checks
    (`CROSS_CHECKED`) or whose value another's validation reads (`checked_with`). Sweeps check each
    varied value this way (spec 9)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or path.startswith(("places.", "horizon.")):
        return None
    try:
        spec, _ = split_path(path, resolved.specs)
    except ValueError:
        return None
    if not spec.numeric or "year" in _sub_keys(spec) or spec.path in CROSS_CHECKED:
        return None
    if any(spec.path in checked_with(resolved, other) for other in resolved.specs if other != spec.path):
        return None
    if path not in {leaf for leaf, _ in leaves(spec.path, resolved.values[spec.path])}:
        return None
    low, high = _bound(resolved.values, spec.min), _bound(resolved.values, spec.max)
    message = check_number(value, spec, low, high)
    return [Problem(file, path, message)] if message else []


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
    if finite_number(first_year):
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
        centres = [_centre(v) for v in shares]
        if all(finite_number(v) for v in centres) and sum(centres) <= 0:
            report(path, leaf_id, "all zero: at least one agency must receive the avoided costs")
    for lever in LEVERS:
        for key in BELOW_ONE:
            path = f"appraisal.{lever}.{key}"
            bound = _bound(values, resolved.specs[path].max) if path in resolved.specs else None
            if bound is not None and bound < 1:
                continue  # the metadata's maximum already refuses 1, with its own message
            for stack, leaf_id in _layer_stacks(resolved, path):
                value = leaf_value((), stack)[1]
                if finite_number(value) and value >= 1:
                    report(path, leaf_id, f"{value!r} must be below 1")
    offer = values.get("single_offer.places")
    if offer:
        for key, low in (("start_year", "horizon.first_year"), ("end_year", "single_offer.start_year")):
            path, bound = f"single_offer.{key}", _bound(values, low)
            value = _centre(values.get(path))
            if finite_number(value) and bound is not None and value < bound:
                report(path, None, f"{value!r} is before {low} ({bound:g}) while places make the offer")
    return problems
