"""docs/parameters.md, generated from params/defaults.yaml (`tpmodel docs parameters`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .params import ParamSpec, load_specs

HEADER = """# Parameters

Generated from `params/defaults.yaml` by `tpmodel docs parameters`; do not edit
by hand (a test fails when this copy is stale). Money is GBP m at 2010-11
prices; years are financial years named by the year they start in
(2010 = 2010-11). Bounds given as a path refer to another parameter.

| path | description | unit | min | max | default | source |
|---|---|---|---|---|---|---|
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text.replace("|", "\\|").replace("\n", " ")


def render(specs: dict[str, ParamSpec]) -> str:
    """The markdown table of every parameter."""
    rows = [
        "| `{}` | {} | {} | {} | {} | {} | {} |".format(
            path, _cell(s.description), _cell(s.unit), _cell(s.min), _cell(s.max), _cell(s.default), _cell(s.source)
        )
        for path, s in specs.items()
    ]
    return HEADER + "\n".join(rows) + "\n"


def render_file(params_dir: Path) -> str:
    """Render the parameters page for the defaults in `params_dir`."""
    return render(load_specs(params_dir / "defaults.yaml"))
