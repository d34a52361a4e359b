"""Resolution (spec section 10): defaults, the `extends` chain root first, each `set`, then `--set`;
validated and frozen as `Resolved`; `override` applies more values to a resolved tree."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.axes import BASE_YEAR, LEVERS
from ..core.distributions import is_distribution
from ..errors import InputError, Problem, fail
from .layers import Setting
from .paths import _did_you_mean, _parse_key, _sub_keys, apply_assignment, split_path
from .scenarios import Assignment, Scenario, default_params_dir, scenario_chain
from .schema import FIRST_YEAR_KEY, LAST_YEAR_KEY, ParamSpec, load_specs
from .validation import _check_index, validate
from .yaml_io import parse_yaml

#: Parameter groups that a place may have its own values for (spec 2), and the exceptions.
PLACEABLE_GROUPS = ("baseline.", "shared_services.", "procurement.", "pooling.", "assets.", "reporting.")
NOT_PLACEABLE = ("procurement.consortium", "procurement.reference_volume")
FREEDOMS = "single_offer.freedoms"


@dataclass(frozen=True)
class Resolved:
    """A scenario's parameters, resolved and validated; read-only by convention.

    values: the value of every parameter for all places (layer 3 of spec 2);
    place_settings: place id -> parameter path -> that place's own settings
    (layer 1); freedom_settings: parameter path -> the single offer's freedoms
    (layer 2), in the order they were made (`params.layers`).
    """

    name: str
    description: str
    file: str
    values: dict[str, Any]
    specs: dict[str, ParamSpec]
    origins: dict[str, str]  # path -> "file: origin" of its last assignment
    correlations: list[Any] = field(default_factory=list)
    place_settings: dict[str, dict[str, list[Setting]]] = field(default_factory=dict)
    freedom_settings: dict[str, list[Setting]] = field(default_factory=dict)
    setting_origins: dict[str, str] = field(default_factory=dict)  # leaf id of a setting -> "file: origin"

    @property
    def years(self) -> range:
        """The model years, first_year .. last_year."""
        return range(int(self.values["horizon.first_year"]), int(self.values["horizon.last_year"]) + 1)

    def tree(self) -> dict[str, Any]:
        """The values for all places nested by dotted path, plus `places` (each place's own values)
        when there are any; JSON-friendly (year keys as strings)."""
        nested: dict[str, Any] = {}
        for path, value in sorted(self.values.items()):
            node = nested
            *groups, last = path.split(".")
            for group in groups:
                node = node.setdefault(group, {})
            node[last] = _jsonable(value)
        own = {
            place: {
                setting.leaf_id.split(".", 2)[2]: _jsonable(setting.value) for s in by_path.values() for setting in s
            }
            for place, by_path in self.place_settings.items()
        }
        if own:
            nested["places"] = own
        return nested

    def places_with_own_values(self) -> dict[str, list[str]]:
        """Place id -> the parameter paths it has its own values for (spec 2)."""
        return {place: sorted(paths) for place, paths in self.place_settings.items() if paths}

    def where(self, path: str) -> str:
        """The file a parameter's value came from."""
        return self.origins.get(path, "params/defaults.yaml")

    def problem(self, path: str, message: str, below: str = "") -> Problem:
        """A problem with parameter `path` (or the key `below` inside it, e.g. ".nhs"), named where its
        value was set. Where one key inside it was set (`--set path.nhs=2`, origin "path.nhs"), the key is
        named once ("path.nhs", not "path.nhs.nhs")."""
        file, _, origin = self.where(path).partition(": ")
        end = origin.rfind(path) + len(path) if path in origin else len(origin)
        assigned = origin[end:]  # the keys inside the parameter that were set, e.g. ".nhs"
        if assigned and (below == assigned or below.startswith(assigned + ".")):
            return Problem(file, origin[:end] + below, message)
        return Problem(file, origin + below, message)

    def setting_problem(self, leaf_id: str, message: str) -> Problem:
        """A problem with a place's own value or a freedom, named where it was set."""
        file, _, origin = self.setting_origins.get(leaf_id, f"--set: {leaf_id}").partition(": ")
        return Problem(file, origin, message)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def parse_cli_set(text: str) -> tuple[str, Any]:
    """Parse a command-line `PATH=VALUE` (VALUE in YAML: a number, a list, a {dist: ...} mapping)."""
    if "=" not in text or not text.split("=", 1)[0].strip():
        raise fail("--set", text, "expected PATH=VALUE, e.g. shared_services.max_rate=0.25")
    path, raw = text.split("=", 1)
    return path.strip(), parse_yaml(raw, f"--set {path.strip()}")


def placeable(path: str) -> bool:
    """True where a place may have its own value for parameter `path` (spec 2)."""
    if path in NOT_PLACEABLE:
        return False
    if path.startswith(PLACEABLE_GROUPS):
        return True
    return any(path.startswith(f"appraisal.{lever}.") for lever in LEVERS)


def scenario_assignments(chain: list[Scenario]) -> list[Assignment]:
    """Every assignment of a scenario chain in the order of spec 2: parent first; in a file the
    `set` entries in order, then the `places` entries in order."""
    assignments = []
    for scenario in chain:
        assignments += [Assignment(path, value, scenario.file, f"set.{path}") for path, value in scenario.set.items()]
        for place, entries in scenario.places.items():
            assignments += [
                Assignment(f"places.{place}.{path}", value, scenario.file, f"places.{place}.{path}")
                for path, value in entries.items()
            ]
    return assignments


def resolve(
    scenario: str,
    params_dir: Path | None = None,
    sets: list[str] | tuple[str, ...] = (),
    overrides: Mapping[str, Any] | None = None,
) -> Resolved:
    """Resolve a scenario (name under params/scenarios/ or a YAML path) into validated parameters.

    sets: command-line `PATH=VALUE` strings, applied last; overrides: {dotted path: value}, the same
    as a mapping (used by sweeps and widgets). Raises `InputError` listing every
    problem found.
    """
    params_dir = params_dir or default_params_dir()
    defaults_file = params_dir / "defaults.yaml"
    specs = load_specs(defaults_file)
    chain = scenario_chain(params_dir, scenario)
    assignments = scenario_assignments(chain)
    for text in sets:
        path, value = parse_cli_set(text)
        assignments.append(Assignment(path, value, "--set", path))
    for path, value in (overrides or {}).items():
        assignments.append(Assignment(path, value, "--set", path))
    top = chain[-1]
    base = Resolved(
        name=top.name,
        description=top.description,
        file=top.file,
        values={path: copy.deepcopy(spec.default) for path, spec in specs.items()},
        specs=specs,
        origins={path: f"{defaults_file}: {path}.value" for path in specs},
        correlations=top.correlations if top.correlations else _inherited_correlations(chain),
    )
    return _applied(base, assignments)


def override(
    resolved: Resolved, overrides: Mapping[str, Any], file: str = "--set", *, validate_all: bool = True
) -> Resolved:
    """A copy of `resolved` with {dotted path: value} applied and everything re-validated.

    No file is read: this is how sweeps, widgets and notebooks vary parameters.
    A path may be `places.<place>.<path>` for one place's own value.
    validate_all=False skips the validation of the whole tree (paths and shapes are still checked): only
    for a caller that has validated these values already (a sweep checks each varied value once, and
    its grid's points need no more when no check reads two varied parameters).
    """
    assignments = [Assignment(path, value, file, path) for path, value in overrides.items()]
    return _applied(resolved, assignments, validate_all)


def _applied(base: Resolved, assignments: list[Assignment], validate_all: bool = True) -> Resolved:
    """`base` with `assignments` applied in order (horizon first, so that year mappings expand over the
    model years), validated (unless `validate_all` is False); raises `InputError` listing every problem."""
    values = copy.deepcopy(base.values)
    origins = dict(base.origins)
    own = {place: {path: list(s) for path, s in by_path.items()} for place, by_path in base.place_settings.items()}
    freedoms = {path: list(s) for path, s in base.freedom_settings.items()}
    setting_origins = dict(base.setting_origins)
    problems: list[Problem] = []
    horizon = [a for a in assignments if a.path.startswith("horizon.")]
    _apply_all(horizon, values, origins, base.specs, range(BASE_YEAR, BASE_YEAR + 1), problems)
    years = _expansion_years(values)
    for item in assignments:
        try:
            if item.path.startswith("places."):
                place, path = _place_path(item.path)
                target = own.setdefault(place, {})
                leaf_id = f"places.{place}.{path}"
            elif item.path == FREEDOMS or item.path.startswith(FREEDOMS + "."):
                _apply_freedoms(item, values, origins, base.specs, freedoms, setting_origins, problems)
                continue
            else:
                _apply_all([item], values, origins, base.specs, years, problems)
                continue
            spec, keys = _placeable_split(path, base.specs)
        except ValueError as error:
            problems.append(Problem(item.file, item.origin, str(error)))
            continue
        try:
            setting = _setting(spec, keys, item.value, leaf_id)
        except ValueError as error:
            problems.append(Problem(item.file, item.origin, str(error)))
            continue
        target.setdefault(spec.path, []).append(setting)
        setting_origins[leaf_id] = f"{item.file}: {item.origin}"
    if problems:
        raise InputError(problems)
    resolved = Resolved(
        base.name, base.description, base.file, values, base.specs, origins, base.correlations,
        own, freedoms, setting_origins,
    )  # fmt: skip
    problems = validate(resolved) if validate_all else []
    if problems:
        raise InputError(problems)
    return resolved


def _place_path(path: str) -> tuple[str, str]:
    """`places.<place>.<path>` -> (place, path)."""
    parts = path.split(".", 2)
    if len(parts) < 3 or not parts[1] or not parts[2]:
        raise ValueError("expected places.<place>.<parameter path>, e.g. places.kent.assets.max_rate")
    return parts[1], parts[2]


def _placeable_split(path: str, specs: Mapping[str, ParamSpec]) -> tuple[ParamSpec, list[str]]:
    """`split_path` for a place's own value or a freedom: the parameter must be one that can differ by place."""
    spec, keys = split_path(path, specs)
    if not placeable(spec.path):
        raise ValueError(
            f"'{spec.path}' cannot differ by place; places may have their own values for baseline, "
            "shared_services, procurement (but consortium and reference_volume), pooling, assets, reporting "
            "and appraisal.<lever>"
        )
    return spec, keys


def _setting(spec: ParamSpec, keys: list[str], value: Any, leaf_id: str) -> Setting:
    """A layer setting of `value` at the keys `keys` below parameter `spec`; ValueError if the keys or the
    shape of the value do not fit the parameter (bounds are checked with the rest, in `validate`)."""
    kinds = _sub_keys(spec)
    if len(keys) > len(kinds):
        if not kinds:
            raise ValueError(f"'{spec.path}' holds one value, there is nothing below it to set")
        raise ValueError(f"'{spec.path}' is indexed by {' then '.join(kinds)}; too many segments: {'.'.join(keys)}")
    parsed = tuple(_parse_key(kind, segment) for kind, segment in zip(kinds, keys, strict=False))
    below = ParamSpec(spec.path, value, spec.description, spec.unit, spec.source, spec.type,
                      _index_below(spec, len(parsed)), spec.min, spec.max, spec.choices)  # fmt: skip
    problem = _check_index(below, value)
    if problem:
        raise ValueError(problem)
    return Setting(parsed, copy.deepcopy(value), leaf_id)


def _index_below(spec: ParamSpec, depth: int) -> str | None:
    """The index left below `depth` keys of a parameter: agency_year -> year after one key."""
    kinds = _sub_keys(spec)[depth:]
    return {("agency",): "agency", ("year",): "year", ("agency", "year"): "agency_year"}.get(tuple(kinds))


def _apply_freedoms(
    item: Assignment,
    values: dict[str, Any],
    origins: dict[str, str],
    specs: Mapping[str, ParamSpec],
    freedoms: dict[str, list[Setting]],
    setting_origins: dict[str, str],
    problems: list[Problem],
) -> None:
    """Add single-offer freedoms (spec 7): `single_offer.freedoms: {path: value}` adds its entries to those
    already there, `single_offer.freedoms.<path>: value` adds one."""
    if item.path == FREEDOMS:
        if not isinstance(item.value, Mapping) or is_distribution(item.value):
            problems.append(Problem(item.file, item.origin, "expected a mapping from dotted parameter path to value"))
            return
        entries = [(str(path), value) for path, value in item.value.items()]
    else:
        entries = [(item.path[len(FREEDOMS) + 1 :], item.value)]
    merged = dict(values.get(FREEDOMS) or {})
    for path, value in entries:
        where = f"{item.origin}.{path}" if item.path == FREEDOMS else item.origin
        leaf_id = f"{FREEDOMS}.{path}"
        try:
            spec, keys = _placeable_split(path, specs)
            setting = _setting(spec, keys, value, leaf_id)
        except ValueError as error:
            problems.append(Problem(item.file, where, str(error)))
            continue
        freedoms.setdefault(spec.path, []).append(setting)
        setting_origins[leaf_id] = f"{item.file}: {where}"
        merged[path] = copy.deepcopy(value)
    values[FREEDOMS] = merged
    origins[FREEDOMS] = f"{item.file}: {item.origin}"


def _inherited_correlations(chain: list[Scenario]) -> list[Any]:
    for scenario in reversed(chain):
        if scenario.correlations:
            return scenario.correlations
    return []


def _expansion_years(values: Mapping[str, Any]) -> range:
    """The years a single number given for a year mapping expands over: the base year to the last model
    year, kept within FIRST_YEAR_KEY .. LAST_YEAR_KEY before the horizon is validated."""
    try:
        first = min(max(int(values["horizon.first_year"]), FIRST_YEAR_KEY), LAST_YEAR_KEY)
        last = min(max(int(values["horizon.last_year"]), FIRST_YEAR_KEY), LAST_YEAR_KEY)
    except (TypeError, ValueError, OverflowError):
        return range(BASE_YEAR, BASE_YEAR + 11)
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


def check_places(resolved: Resolved, place_ids: tuple[str, ...], group_names: tuple[str, ...]) -> None:
    """Check the place ids that parameters name against the places data (spec 2, 7, 11): every
    `places.<id>` must be a place (not a group), and `single_offer.places` must list places and groups,
    or be `all`. Raises `InputError` naming where each bad id was written."""
    problems: list[Problem] = []
    known = ", ".join(place_ids)
    for place, by_path in resolved.place_settings.items():
        if place in place_ids:
            continue
        if place in group_names:
            message = f"'{place}' is a group; places.<id> names one place (places: {known})"
        else:
            message = f"no place '{place}'{_did_you_mean(place, place_ids)}; places: {known}"
        for settings in by_path.values():
            for setting in settings:
                problems.append(resolved.setting_problem(setting.leaf_id, message))
    chosen = resolved.values.get("single_offer.places")
    if isinstance(chosen, list):
        unknown = [name for name in chosen if name not in place_ids and name not in group_names]
        if unknown:
            message = (
                f"unknown place or group {', '.join(map(repr, unknown))}; places: {known}; "
                f"groups: {', '.join(group_names) or 'none'}; or all"
            )
            problems.append(resolved.problem("single_offer.places", message))
    if problems:
        raise InputError(list(dict.fromkeys(problems)))
