"""tpmodel: savings from Total Place reforms, place by place and agency by agency.

import tpmodel
result = tpmodel.run("standard", draws=1000, seed=7)
result.headlines["npv"], result.results.head()

The names below are imported on first use (PEP 562), so that `import tpmodel`
or `import tpmodel.core` (a worker process, a core test) does not import
pandas, matplotlib, YAML or dask.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .analyses.runs import run
    from .analyses.shapley import shapley
    from .analyses.switching import switching_values
    from .errors import InputError
    from .folders import compare, discover, sensitivity, sweep
    from .model import RunResult

#: Public name -> the module it lives in.
_LAZY = {
    "compare": "tpmodel.folders",
    "discover": "tpmodel.folders",
    "InputError": "tpmodel.errors",
    "RunResult": "tpmodel.model",
    "run": "tpmodel.analyses.runs",
    "sensitivity": "tpmodel.folders",
    "shapley": "tpmodel.analyses.shapley",
    "sweep": "tpmodel.folders",
    "switching_values": "tpmodel.analyses.switching",
}

__all__ = [
    "InputError", "RunResult", "__version__", "compare", "discover", "run", "sensitivity", "shapley", "sweep",
    "switching_values",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'tpmodel' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
