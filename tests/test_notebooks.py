"""The nbval net works: a moved default makes `pytest --nbval` fail on the stored notebook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tpmodel

from .conftest import ROOT


def nbval(project: Path) -> subprocess.CompletedProcess:
    """`pytest --nbval` on the project copy's scenario notebook, reading the copy's params."""
    command = [sys.executable, "-m", "pytest", "--nbval", "notebooks/scenario.ipynb",
               "--nbval-sanitize-with", "notebooks/nbval_sanitize.cfg", "-p", "no:cacheprovider",
               "--rootdir", str(project), "-q"]  # fmt: skip
    env = {**os.environ, "TPMODEL_PARAMS": str(project / "params")}
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_nbval_fails_on_a_moved_number(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "params", project / "params")
    (project / "notebooks").mkdir()
    for name in ("scenario.ipynb", "nbval_sanitize.cfg"):
        shutil.copy(ROOT / "notebooks" / name, project / "notebooks" / name)
    unchanged = nbval(project)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr

    before = tpmodel.run("standard", params_dir=project / "params").headlines["npv"]
    defaults = project / "params" / "defaults.yaml"
    text = defaults.read_text()
    old = "  discount_rate:\n    value: 0.035\n"
    assert old in text
    defaults.write_text(text.replace(old, "  discount_rate:\n    value: 0.05\n"))
    after = tpmodel.run("standard", params_dir=project / "params").headlines["npv"]
    assert f"{after:,.1f}" != f"{before:,.1f}"

    moved = nbval(project)
    assert moved.returncode != 0
    assert "failed" in moved.stdout
    assert f"{before:,.1f}" in moved.stdout and f"{after:,.1f}" in moved.stdout  # the stored and the new npv
