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
Evidence: strong (a published outturn, a definition or convention), medium (a
published estimate or plan), weak (an analogy or one pilot's finding),
assumption (a judgment). Plausible: the range a fixed parameter's tornado bar
spans, with its source. Sources: "research/<note>.md s.N [n]" is a research
note's section N and its source n, and a file name such as
`001_87f5307b911aeea9.txt` a seed document; [sources.md](sources.md) lists them all.

| path | description | unit | min | max | default | source | evidence | plausible |
|---|---|---|---|---|---|---|---|---|
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text.replace("|", "\\|").replace("\n", " ")


def render(specs: dict[str, ParamSpec]) -> str:
    """The markdown table of every parameter."""
    rows = []
    for path, s in specs.items():
        plausible = (
            f"{list(s.plausible)}" + (f" ({s.plausible_source})" if s.plausible_source else "") if s.plausible else None
        )
        cells = [
            s.description,
            s.unit,
            s.min,
            s.max,
            s.default,
            s.source,
            f"{s.evidence}: {s.evidence_reason}",
            plausible,
        ]
        rows.append(f"| `{path}` | " + " | ".join(_cell(c) for c in cells) + " |")
    return HEADER + "\n".join(rows) + "\n"


def render_file(params_dir: Path) -> str:
    """Render the parameters page for the defaults in `params_dir`."""
    return render(load_specs(params_dir / "defaults.yaml"))
