"""Saving a scenario YAML under params/scenarios/ (used by the sliders' "save as scenario" button)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import fail
from .params import SCENARIO_NAME, resolve, scenario_names


def scenario_yaml(name: str, extends: str, sets: Mapping[str, Any], description: str = "") -> str:
    """The text of a scenario file that extends `extends` and sets {dotted path: value}."""
    data = {
        "name": name,
        "description": description or f"Saved from the tpmodel sliders, starting from the {extends} scenario.",
        "extends": extends,
        "set": {path: _plain(value) for path, value in sets.items()},
    }
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def save_scenario(params_dir: Path, name: str, extends: str, sets: Mapping[str, Any], description: str = "") -> Path:
    """Write params_dir/scenarios/NAME.yaml extending `extends` with `sets`, after validating it.

    Raises `InputError` for a bad or taken name or values the model rejects;
    an existing file is never overwritten. Returns the path written.
    """
    folder = Path(params_dir) / "scenarios"
    path = folder / f"{name}.yaml"
    if not SCENARIO_NAME.match(name or ""):
        raise fail(
            str(path), "name", f"{name!r} is not a scenario name (letters, digits, _ and -, not starting with _ or -)"
        )
    if path.exists():
        raise fail(
            str(path),
            "name",
            f"scenario '{name}' exists; choose another name (existing scenarios are never overwritten)",
        )
    if extends not in scenario_names(Path(params_dir)):
        raise fail(str(path), "extends", f"no scenario '{extends}' under {folder}")
    resolve(extends, Path(params_dir), overrides=sets)  # every value checked before anything is written
    text = scenario_yaml(name, extends, sets, description)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise fail(str(path), "name", f"scenario '{name}' exists; choose another name") from None
    return path
