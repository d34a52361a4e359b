"""The package's structure: what importing it costs, and which module may import which."""

import subprocess
import sys

import pytest

HEAVY = ("pandas", "matplotlib", "openpyxl", "scipy", "dask", "yaml")


@pytest.mark.parametrize("statement", ["import tpmodel", "import tpmodel.core", "import tpmodel.core.engine"])
def test_importing_the_package_or_its_core_imports_no_heavy_library(statement):
    """A worker process or a core test does not pay for pandas, plotting, YAML or dask."""
    code = f"{statement}, sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"


def test_the_facade_names_load_on_first_use():
    import tpmodel

    assert callable(tpmodel.run) and callable(tpmodel.compare) and callable(tpmodel.sweep)
    assert callable(tpmodel.sensitivity) and issubclass(tpmodel.InputError, Exception)
    assert tpmodel.RunResult.__name__ == "RunResult" and tpmodel.__version__
    with pytest.raises(AttributeError):
        _ = tpmodel.no_such_name
