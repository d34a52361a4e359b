"""Project hygiene: environment.yml and pyproject.toml agree; generated docs are current."""

from __future__ import annotations

import re
import tomllib

import yaml

from tpmodel.paramdocs import render_file

from .conftest import PARAMS, ROOT

# conda-forge names of PyPI requirements where they differ: one split in two, one renamed
CONDA_FOR_PIP = {"dask[distributed]": {"dask", "distributed"}, "playwright": {"playwright-python"}}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;]", requirement, maxsplit=1)[0].strip().lower()


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names: set[str] = set()
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        name = _name(requirement)
        pip_names |= CONDA_FOR_PIP.get(name, {name})
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = {_name(d) for d in environment["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda_names == pip_names


def test_parameters_page_is_current():
    """docs/parameters.md is generated: run `tpmodel docs parameters` after changing defaults.yaml."""
    committed = (ROOT / "docs" / "parameters.md").read_text()
    assert committed == render_file(PARAMS), "docs/parameters.md is stale: run `tpmodel docs parameters`"
