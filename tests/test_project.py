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


# ---------------------------------------------------------------- citations and links stay in the repository

SOURCES = ROOT / "docs" / "sources.md"
#: Files that cite sources or link to other files.
CITING = ("README.md", "CHANGELOG.md", "params/*.md", "params/*.yaml", "params/scenarios/*.yaml", "docs/**/*.md",
          "notebooks/*.ipynb", "tpmodel/**/*.py")  # fmt: skip
NOTE = re.compile(r"research/(\w+\.md)")
SEED = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def _citing_files() -> list:
    return sorted({path for pattern in CITING for path in ROOT.glob(pattern) if path != SOURCES})


def _source_numbers() -> dict[str, set[int]]:
    """docs/sources.md's numbered sources, by research note."""
    text = SOURCES.read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)
    found = {}
    for section in sections:
        named = re.match(r"research/(\w+\.md)\n", section)
        if named:
            found[named.group(1)] = {int(n) for n in re.findall(r"^(\d+)\. ", section, flags=re.M)}
    return found


def test_every_cited_source_is_listed_in_docs_sources():
    """A citation `research/<note>.md s.N [n][m]` names a note's numbered sources; docs/sources.md lists
    each note's sources and each seed document, so every citation can be followed in the repository."""
    numbers = _source_numbers()
    assert set(numbers) == {"total_place.md", "savings_evidence.md", "appraisal.md", "places.md"}
    listed_seeds = set(SEED.findall(SOURCES.read_text(encoding="utf-8")))
    assert len(listed_seeds) == 5
    missing, cited = [], 0
    for path in _citing_files():
        text = path.read_text(encoding="utf-8")
        pieces = NOTE.split(text)
        for note, after in zip(pieces[1::2], pieces[2::2], strict=True):
            cited += 1
            segment = re.split(r"\n\n|\"\n|\bseed\b|\|", after)[0]  # up to the end of the cell or sentence group
            for number in map(int, re.findall(r"\[(\d+)\]", segment)):
                if number not in numbers.get(note, set()):
                    missing.append(f"{path.relative_to(ROOT)}: research/{note} [{number}]")
        missing += [f"{path.relative_to(ROOT)}: seed {seed}" for seed in set(SEED.findall(text)) - listed_seeds]
    assert cited > 100 and not missing


def test_no_file_cites_or_links_outside_the_repository():
    """README and docs link only to files that exist here, and nothing names the shared folders around it."""
    broken = []
    for path in _citing_files():
        text = path.read_text(encoding="utf-8")
        if "../shared" in text or "/work/" in text:
            broken.append(f"{path.relative_to(ROOT)}: names a folder outside the repository")
        if path.suffix == ".md":
            for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
                if not re.match(r"[a-z]+:", target) and not (path.parent / target).exists():
                    broken.append(f"{path.relative_to(ROOT)}: link to {target}")
    assert not broken
