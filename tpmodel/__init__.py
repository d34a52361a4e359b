"""tpmodel: savings from Total Place reforms, place by place and agency by agency.

import tpmodel
result = tpmodel.run("standard", draws=1000, seed=7)
result.headlines["npv"], result.results.head()
"""

__version__ = "0.1.0"

from .compare import compare
from .errors import InputError
from .model import RunResult, run
from .sensitivity import sensitivity
from .sweep import sweep

__all__ = ["InputError", "RunResult", "__version__", "compare", "run", "sensitivity", "sweep"]
