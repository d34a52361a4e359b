"""Parameters: defaults with metadata, scenarios layered on them, validated (spec section 10).

Resolution is one pipeline: load `params/defaults.yaml`, follow a scenario's
`extends` chain, apply each `set` parent first, then `--set` from the
command line, validate the whole tree, and freeze it. Every value keeps the
file and path it came from, so an error names both.

One module per concern: `yaml_io` (reading YAML safely), `schema` (metadata,
`ParamSpec`), `scenarios` (scenario files and `extends` chains), `paths`
(dotted paths, applying an assignment), `resolution` (`Resolved`, `resolve`,
`override`), `validation` (every check, all problems at once). Callers import from
`tpmodel.params`.
"""

from __future__ import annotations

from .paths import apply_assignment, split_path
from .resolution import Resolved, check_places, override, parse_cli_set, placeable, resolve
from .scenarios import (
    SCENARIO_KEYS,
    SCENARIO_NAME,
    Assignment,
    Scenario,
    default_params_dir,
    read_scenario,
    scenario_chain,
    scenario_file,
    scenario_names,
)
from .schema import (
    EVIDENCE_GRADES,
    FIRST_YEAR_KEY,
    INDEXES,
    LAST_YEAR_KEY,
    META_KEYS,
    REQUIRED_META,
    TYPES,
    UNITS,
    ParamSpec,
    load_specs,
)
from .validation import check_number, checked_with, is_distribution, leaf_problems, leaves, validate
from .yaml_io import parse_yaml, read_yaml

__all__ = [
    "EVIDENCE_GRADES",
    "FIRST_YEAR_KEY",
    "INDEXES",
    "LAST_YEAR_KEY",
    "META_KEYS",
    "REQUIRED_META",
    "SCENARIO_KEYS",
    "SCENARIO_NAME",
    "TYPES",
    "UNITS",
    "Assignment",
    "ParamSpec",
    "Resolved",
    "Scenario",
    "apply_assignment",
    "check_number",
    "check_places",
    "checked_with",
    "default_params_dir",
    "is_distribution",
    "leaf_problems",
    "leaves",
    "load_specs",
    "override",
    "parse_cli_set",
    "parse_yaml",
    "placeable",
    "read_scenario",
    "read_yaml",
    "resolve",
    "scenario_chain",
    "scenario_file",
    "scenario_names",
    "split_path",
    "validate",
]
