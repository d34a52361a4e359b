"""Parameters: defaults with metadata, scenarios layered on them, validated (spec section 10).

Resolution is one pipeline: load `params/defaults.yaml`, follow a scenario's
`extends` chain, apply each `set` parent first, then `--set` from the
command line, validate the whole tree, and freeze it. Every value keeps the
file and path it came from, so an error names both.
"""

from __future__ import annotations

import copy
import difflib
import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .core.axes import AGENCIES, BASE_YEAR, LEVERS
from .core.distributions import central, is_distribution
from .core.distributions import check as check_distribution
from .errors import InputError, Problem, fail

UNITS = (
    "share", "share a year", "ratio", "GBP per GBP", "GBP m", "GBP m a year",
    "GBP m a year per LA per indicator", "year", "years", "count", "index", "choice", "place ids",
)  # fmt: skip
TYPES = ("number", "integer", "choice", "places")
INDEXES = ("agency", "year", "agency_year")
META_KEYS = {"value", "description", "unit", "type", "index", "min", "max", "choices", "source"}
REQUIRED_META = ("value", "description", "unit", "source")
SCENARIO_KEYS = {"name", "description", "extends", "set", "correlations"}
SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
FIRST_YEAR_KEY, LAST_YEAR_KEY = 2000, 2100  # plausible year keys in a year mapping


def default_params_dir() -> Path:
    """The parameter folder: $TPMODEL_PARAMS, else ./params, else the one beside the package."""
    if os.environ.get("TPMODEL_PARAMS"):
        return Path(os.environ["TPMODEL_PARAMS"])
    here = Path.cwd() / "params"
    if (here / "defaults.yaml").is_file():
        return here
    return Path(__file__).resolve().parent.parent / "params"


# ---------------------------------------------------------------- YAML reading


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where libyaml is there


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """Safe loader that rejects duplicate keys in a mapping."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)
# YAML 1.1 reads 1e-3 (no dot) as text; read it as the number an economist meant, as YAML 1.2 does.
_UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; a missing file or bad YAML is an `InputError` naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(str(path), "", "file not found") from None
    except OSError as error:
        raise fail(str(path), "", f"cannot read the file ({error.strerror})") from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text with the safe, duplicate-rejecting loader."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        detail = f"{context}, {problem}" if context and problem else problem
        raise fail(source, "", f"malformed YAML: {where}{detail}") from None


# ---------------------------------------------------------------- parameter metadata


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


# ---------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """A scenario file, read but not yet applied."""

    name: str
    description: str
    file: str
    extends: str | None
    set: dict[str, Any]
    correlations: list[Any]


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
        if not candidate.is_file():
            raise fail(name_or_path, "", "scenario file not found")
        return candidate
    if not SCENARIO_NAME.match(name_or_path):
        raise fail(name_or_path, "", "not a scenario name (letters, digits, _ and -) nor a .yaml path")
    path = params_dir / "scenarios" / f"{name_or_path}.yaml"
    if not path.is_file():
        known = scenario_names(params_dir)
        hint = _did_you_mean(name_or_path, known)
        raise fail(str(path), "", f"no scenario '{name_or_path}'{hint}; known: {', '.join(known)}")
    return path


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
    sets = data.get("set") or {}
    if not isinstance(sets, Mapping):
        problems.append(Problem(file, "set", "expected a mapping from dotted path to value"))
        sets = {}
    extends = data.get("extends")
    if extends is not None and (not isinstance(extends, str) or not SCENARIO_NAME.match(extends)):
        problems.append(
            Problem(file, "extends", f"{extends!r} is not a scenario name under params/scenarios/ (no paths)")
        )
    correlations = data.get("correlations") or []
    if not isinstance(correlations, list):
        problems.append(Problem(file, "correlations", "expected a list of {between: [PATH, PATH], rank: r}"))
        correlations = []
    if problems:
        raise InputError(problems)
    return Scenario(
        name=str(data.get("name") or path.stem),
        description=str(data.get("description") or ""),
        file=file,
        extends=extends,
        set={str(k): v for k, v in sets.items()},
        correlations=list(correlations),
    )


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
        if not parent.is_file():
            known = scenario_names(params_dir)
            hint = _did_you_mean(scenario.extends, known)
            raise fail(scenario.file, "extends", f"no scenario '{scenario.extends}' under {parent.parent}{hint}")
        path = parent


# ---------------------------------------------------------------- applying set paths


def _did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def split_path(path: str, specs: Mapping[str, ParamSpec]) -> tuple[ParamSpec, list[str]]:
    """Split a dotted path into its parameter and the keys below it; raise ValueError naming the failing segment."""
    segments = path.split(".")
    for cut in range(len(segments), 0, -1):
        head = ".".join(segments[:cut])
        if head in specs:
            return specs[head], segments[cut:]
    prefix = ""
    for segment in segments:
        candidate = f"{prefix}{segment}"
        children = sorted({p[len(prefix) :].split(".")[0] for p in specs if p.startswith(prefix)})
        if not any(p == candidate or p.startswith(candidate + ".") for p in specs):
            where = f"in '{prefix[:-1]}'" if prefix else "at the top level"
            raise ValueError(
                f"no parameter '{segment}' {where}{_did_you_mean(segment, children)}; choices: {', '.join(children)}"
            )
        prefix = candidate + "."
    raise ValueError(f"'{path}' is a group of parameters, not one parameter; name one of its parameters")


def _sub_keys(spec: ParamSpec) -> list[str]:
    return {"agency": ["agency"], "year": ["year"], "agency_year": ["agency", "year"]}.get(spec.index or "", [])


def _parse_key(kind: str, segment: str) -> str | int:
    if kind == "agency":
        if segment not in AGENCIES:
            raise ValueError(
                f"no agency '{segment}'{_did_you_mean(segment, AGENCIES)}; agencies: {', '.join(AGENCIES)}"
            )
        return segment
    if not re.fullmatch(r"\d{4}", segment):
        raise ValueError(f"'{segment}' is not a year (a financial year such as 2012 for 2012-13)")
    return int(segment)


def apply_assignment(values: dict[str, Any], spec: ParamSpec, keys: list[str], value: Any, years: range) -> None:
    """Set `value` at `spec.path` + keys inside `values`, expanding a single number into the full
    mapping (every agency, or every year of `years`) before one key of it changes (spec section 10)."""
    kinds = _sub_keys(spec)
    if len(keys) > len(kinds):
        if not kinds:
            raise ValueError(f"'{spec.path}' holds one value, there is nothing below it to set")
        raise ValueError(f"'{spec.path}' is indexed by {' then '.join(kinds)}; too many segments: {'.'.join(keys)}")
    if not keys:
        values[spec.path] = copy.deepcopy(value)
        return
    parsed = [_parse_key(kind, segment) for kind, segment in zip(kinds, keys, strict=False)]
    holder: dict[Any, Any] = values
    slot: Any = spec.path
    for kind, key in zip(kinds, parsed, strict=False):
        node = holder[slot]
        if isinstance(node, Mapping) and not is_distribution(node):
            node = dict(node)
        else:
            node = {k: copy.deepcopy(node) for k in (AGENCIES if kind == "agency" else years)}
        holder[slot] = node
        holder, slot = node, key
        holder.setdefault(key, 0.0)  # a missing agency or year means 0
    holder[slot] = copy.deepcopy(value)


# ---------------------------------------------------------------- resolved parameters


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


# ---------------------------------------------------------------- validation


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
