"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"


@pytest.fixture
def params_copy(tmp_path: Path) -> Path:
    """A private copy of params/ that a test may change."""
    target = tmp_path / "params"
    shutil.copytree(PARAMS, target)
    return target
