"""The assurance pack (Aqua Book): assumptions log, data log and verification record, and where they are written."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import tpmodel
from tpmodel.analyses import assurance
from tpmodel.analyses.assurance import assumptions_log, data_log, source_fingerprint, verification_record
from tpmodel.analyses.sensitivity import tornado
from tpmodel.analyses.uncertainty import uncertain_leaves
from tpmodel.assurance_pack import write_assurance

from .conftest import PARAMS, ROOT


@pytest.fixture(scope="module")
def standard() -> tpmodel.RunResult:
    return tpmodel.run("standard")


def test_assumptions_log_has_every_parameter_weak_drivers_first(standard):
    log = assumptions_log(standard)
    assert sorted(log["parameter"]) == sorted(standard.resolved.specs)
    assert (log["source"] != "").all() and set(log["evidence"]) <= {"strong", "medium", "weak", "assumption"}
    npv = standard.headlines["npv"]
    drives = log["swing"] >= 0.05 * npv
    assert (log["drives_answer"] == drives).all()
    weak = log["evidence"].isin(["weak", "assumption"])
    group = (~(drives & weak)).astype(int) + (~drives).astype(int) + log["swing"].isna().astype(int)
    assert list(group) == sorted(group)  # weak drivers, other drivers, the rest, not varied
    first = log.iloc[0]
    assert first["evidence"] in ("weak", "assumption") and first["drives_answer"]
    table = tornado(standard.resolved, standard.places, uncertain_leaves(standard.resolved))
    participation = table[table["parameter"].str.startswith("procurement.participation.")]
    row = log.set_index("parameter").loc["procurement.participation"]
    assert row["swing"] == participation["swing"].max() and row["varied_by"] == "distribution"
    assert row["rank"] == 1 + (log["swing"] > row["swing"]).sum()
    assert log.set_index("parameter").loc["appraisal.discount_rate", "varied_by"] == "plausible"
    assert pd.isna(log.set_index("parameter").loc["horizon.last_year", "rank"])


def test_places_own_values_are_logged_with_their_parameter():
    log = assumptions_log(tpmodel.run("kent_estate")).set_index("parameter")
    assert "assets.max_rate in kent: 0.133" in log.loc["assets.max_rate", "own_values"]


def test_data_log_hashes_every_file_read(standard):
    log = data_log(standard)
    assert {Path(f).name for f in log["file"]} == {"places.csv", "spend.csv", "organisations.csv", "defaults.yaml",
                                                  "standard.yaml"}  # fmt: skip
    for row in log.itertuples():
        assert row.sha256 == hashlib.sha256(Path(row.file).read_bytes()).hexdigest()
    assert (log.loc[log["role"] == "data", "source"] != "").all()


def test_verification_record_passes_on_a_true_run_and_fails_on_a_wrong_one(standard, tmp_path):
    record = verification_record(standard, "standard", calibration_draws=50).set_index("check")
    for check in ("accounting identities", "invariants", "reference implementation"):
        assert record.loc[check, "outcome"] == "passed", record.loc[check, "detail"]
    assert record.loc["calibration", "outcome"] in ("passed", "not met")
    assert "of 5 published figures inside" in record.loc["calibration", "detail"]
    # the same checks on a run whose data differ from what the reference reads
    copy = tmp_path / "params"
    shutil.copytree(PARAMS, copy)
    rows = (copy / "organisations.csv").read_text().replace("kent,council,13", "kent,council,6")
    (copy / "organisations.csv").write_text(rows)
    wrong = tpmodel.run("standard", params_dir=copy)
    record = verification_record(wrong, "standard", params_dir=PARAMS, calibration_draws=0).set_index("check")
    assert record.loc["reference implementation", "outcome"] == "failed"
    assert verification_record(wrong, None, calibration_draws=0).set_index("check").loc[
        "reference implementation", "outcome"] == "not run"  # fmt: skip
    # a results table that no longer adds up
    broken = tpmodel.run("standard")
    table = broken.results
    table.loc[table["measure"] == "pv_net", "value"] *= 1.01
    record = verification_record(broken, calibration_draws=0).set_index("check")
    assert record.loc["accounting identities", "outcome"] == "failed"
    assert "results.csv pv_net" in record.loc["accounting identities", "detail"]


def test_the_test_record_is_read_for_this_code_only(standard, tmp_path, monkeypatch):
    record_file = tmp_path / "tests.json"
    monkeypatch.setattr(assurance, "TEST_RECORD", record_file)  # absolute: root / path is the path itself

    def outcomes() -> pd.Series:
        checks = verification_record(standard, calibration_draws=0).set_index("check")["outcome"]
        return checks[list(assurance.TEST_GROUPS)]

    assert set(outcomes()) == {"not run"}
    files = {"test_reference.py": {"passed": 30, "failed": 0, "skipped": 0},
             "test_invariants.py": {"passed": 9, "failed": 1, "skipped": 0}}  # fmt: skip
    record = {"time": "t", "version": tpmodel.__version__, "fingerprint": source_fingerprint(ROOT), "files": files}
    record_file.write_text(json.dumps(record))
    assert list(outcomes()) == ["passed", "failed", "not run"]
    record_file.write_text(json.dumps(record | {"fingerprint": "0" * 64}))
    assert set(outcomes()) == {"stale"}


def test_assurance_md_and_sheet_of_a_comparison(tmp_path):
    out = tmp_path / "c"
    tpmodel.compare(["standard", "kent_estate"], out=out, workers=1)
    text = (out / "assurance.md").read_text()
    for heading in ("## Version and parameters", "## Verification record", "### kent_estate", "## Data log",
                    "## Assumptions log: standard", "## Assumptions log: kent_estate"):  # fmt: skip
        assert heading in text, heading
    digest = json.loads((out / "standard" / "summary.json").read_text())["provenance"]["parameters_sha256"]
    assert f"`{digest}`" in text
    assert "| reference implementation | " in text and "| passed |" in text
    from openpyxl import load_workbook

    sheet = load_workbook(out / "comparison.xlsx")["Assurance"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["scenario", "parameter", "value"] and "npv_swing [GBP m]" in header
    assert sheet.max_row == 1 + 2 * 75


def test_write_assurance_writes_one_file(standard, tmp_path):
    logs = write_assurance(tmp_path, [standard])
    assert [p.name for p in tmp_path.iterdir()] == ["assurance.md"] and list(logs) == ["standard"]
    assert "the scenario as asked for was not given" in (tmp_path / "assurance.md").read_text()
