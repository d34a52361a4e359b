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


# ---------------------------------------------------------------- the test record the assurance pack reads

#: Outcomes of this session by test file: {file name: {passed, failed, skipped}}.
_OUTCOMES: dict[str, dict[str, int]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count each test's outcome (its call, or a setup that did not pass) by file."""
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        counts = _OUTCOMES.setdefault(Path(report.nodeid.split("::")[0]).name, {"passed": 0, "failed": 0, "skipped": 0})
        counts[report.outcome] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Record which test files passed, for this code and these parameters (outputs/.verification/tests.json,
    read by `tpmodel.analyses.assurance.verification_record`); files of an earlier session on the same code
    and parameters are kept, a change of code or parameters starts the record afresh."""
    if not _OUTCOMES:
        return
    import datetime as dt
    import json

    from tpmodel.analyses.assurance import TEST_RECORD, source_fingerprint
    from tpmodel.version import __version__

    path = ROOT / TEST_RECORD
    fingerprint = source_fingerprint(ROOT)
    record = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    files = record.get("files", {}) if record.get("fingerprint") == fingerprint else {}
    record = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "version": __version__,
              "fingerprint": fingerprint, "files": files | _OUTCOMES}  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
