"""The `tpmodel run` command line: outputs, exit codes and one clear message for each bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tpmodel.cli import main

from .conftest import PARAMS, ROOT

BAD = Path(__file__).parent / "bad_inputs"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_run_writes_the_results_of_spec_8(tmp_path, capsys):
    out = tmp_path / "standard"
    code, stdout, _ = run_cli(capsys, "run", "standard", "--out", out)
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["baseline.csv", "results.csv", "summary.json"]
    results = pd.read_csv(out / "results.csv")
    assert list(results.columns) == ["place", "agency", "lever", "year", "measure", "value"]
    assert set(results["measure"]) == {
        "gross", "receipts", "cost", "adj_gross", "adj_receipts", "adj_cost", "net", "cashable", "pv_net",
    }  # fmt: skip
    assert sorted(results["year"].unique()) == list(range(2010, 2020))
    summary = json.loads((out / "summary.json").read_text())
    pv = results[results["measure"] == "pv_net"]
    assert summary["headlines"]["npv"] == pytest.approx(pv["value"].sum(), rel=1e-12)
    by_lever = pv.groupby("lever")["value"].sum()
    for lever, value in summary["headlines"]["npv_by_lever"].items():
        assert value == pytest.approx(by_lever[lever], rel=1e-12, abs=1e-12)
    provenance = summary["provenance"]
    assert provenance["tpmodel_version"] and provenance["run_time"] and provenance["parameters"]
    assert provenance["parameters"]["appraisal"]["discount_rate"] == 0.035
    baseline = pd.read_csv(out / "baseline.csv")
    assert list(baseline.columns) == ["place", "agency", "category", "year", "value"]
    assert "npv" in stdout and "npv by lever" in stdout


def test_run_files_written_without_pandas_are_what_pandas_writes(tmp_path, capsys):
    """results.csv and baseline.csv come straight from the arrays (no pandas in `tpmodel run`); they are
    byte for byte what pandas writes for `RunResult.results` and `.baseline`, a single-offer run included."""
    import tpmodel
    from tpmodel.files import write_csv

    out = tmp_path / "offer"
    assert run_cli(capsys, "run", "single_offer", "--out", out)[0] == 0
    result = tpmodel.run("single_offer")
    assert "single_offer" in set(result.results["lever"])  # else the offer's rows are not checked
    write_csv(result.results, tmp_path / "results.csv")
    write_csv(result.baseline, tmp_path / "baseline.csv")
    for name in ("results.csv", "baseline.csv"):
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes()


def test_columns_writer_quotes_and_formats_as_pandas_does(tmp_path):
    """Text that needs quoting or could be read as a formula, NaN, tiny and huge floats, negative integers."""
    import numpy as np

    from tpmodel.files import write_columns, write_csv

    columns = {
        "label": np.array(["plain", "a, b", 'say "hi"', "=SUM(A1)", "-1", "two\nlines", "", "café"], dtype=object),
        "year": np.array([2010, -1, 0, 2019, 7, 8, 9, 10], dtype=np.int64),
        "value": np.array([0.1, np.nan, 1e-05, 1e20, -0.0, 2.5, 1 / 3, -123456.789]),
    }
    write_columns(columns, tmp_path / "fast.csv")
    write_csv(pd.DataFrame(columns), tmp_path / "pandas.csv")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_set_on_the_command_line_changes_the_result(tmp_path, capsys):
    base = tmp_path / "a"
    changed = tmp_path / "b"
    assert run_cli(capsys, "run", "standard", "--out", base)[0] == 0
    code, _, _ = run_cli(capsys, "run", "standard", "--out", changed, "--set", "shared_services.participation.nhs=0.9")
    assert code == 0
    summary = json.loads((changed / "summary.json").read_text())
    assert summary["provenance"]["parameters"]["shared_services"]["participation"]["nhs"] == 0.9
    npv = [json.loads((d / "summary.json").read_text())["headlines"]["npv_by_lever"] for d in (base, changed)]
    assert npv[1]["shared_services"] != npv[0]["shared_services"]
    assert npv[1]["procurement"] == npv[0]["procurement"]


def test_existing_results_are_never_overwritten_silently(tmp_path, capsys):
    out = tmp_path / "run"
    assert run_cli(capsys, "run", "baseline", "--out", out)[0] == 0
    before = (out / "summary.json").read_text()
    code, _, err = run_cli(capsys, "run", "standard", "--out", out)
    assert code == 2 and "--overwrite" in err
    assert (out / "summary.json").read_text() == before
    assert run_cli(capsys, "run", "standard", "--out", out, "--overwrite")[0] == 0
    assert json.loads((out / "summary.json").read_text())["scenario"] == "standard"
    assert [p.name for p in tmp_path.iterdir()] == ["run"], "no temporary folders left behind"


# (scenario file, strings stderr must hold: the file, the parameter path, what is allowed)
BAD_SCENARIOS = [
    ("typo_path.yaml", ["typo_path.yaml", "set.shared_servces.max_rate", "did you mean 'shared_services'"]),
    ("out_of_bounds.yaml", ["out_of_bounds.yaml", "set.shared_services.max_rate", "1.5", "from 0 to 1"]),
    ("wrong_type.yaml", ["wrong_type.yaml", "set.procurement.compliance", "'high' is not a number from 0 to 1"]),
    ("malformed.yaml", ["malformed.yaml", "malformed YAML", "line"]),
    ("duplicate_key.yaml", ["duplicate_key.yaml", "duplicate key 'shared_services.max_rate'"]),
    ("unknown_agency.yaml", ["unknown_agency.yaml", "set.shared_services.participation.nhss", "did you mean 'nhs'"]),
    ("distribution_out_of_bounds.yaml", ["distribution_out_of_bounds.yaml", "set.pooling.drop_off", "below the minimum", "from 0 to 1"]),
    ("start_before_horizon.yaml", ["start_before_horizon.yaml", "set.assets.start_year", "2008", ">= 2010"]),
    ("unknown_place.yaml", ["unknown_place.yaml", "set.single_offer.places", "atlantis", "birmingham"]),
    ("unknown_key.yaml", ["unknown_key.yaml", "sett", "allowed: correlations, description, extends, name, places, set"]),
    ("extends_path.yaml", ["extends_path.yaml", "extends", "no paths"]),
    ("missing_parent.yaml", ["missing_parent.yaml", "extends", "no scenario 'standrad'", "did you mean 'standard'"]),
    ("all_zero_benefit_share.yaml", ["all_zero_benefit_share.yaml", "set.pooling.benefit_share", "all zero"]),
    ("bad_distribution.yaml", ["bad_distribution.yaml", "set.pooling.return_rate", "unknown distribution 'gamma'", "pert"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), BAD_SCENARIOS, ids=[b[0] for b in BAD_SCENARIOS])
def test_bad_scenario_exits_2_with_one_clear_message(tmp_path, capsys, name, expected):
    out = tmp_path / "out"
    code, stdout, err = run_cli(capsys, "run", BAD / name, "--out", out)
    assert code == 2
    for text in expected:
        assert text in err, f"{text!r} not in {err!r}"
    assert "Traceback" not in err and stdout == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


BAD_SETS = [
    ("appraisal.discount_rate=2", ["--set", "appraisal.discount_rate", "from 0 to 1"]),
    ("appraisal.discount_rte=0.05", ["--set", "appraisal.discount_rte", "did you mean 'discount_rate'"]),
    ("pooling.lag_years=1.5", ["--set", "pooling.lag_years", "a whole number >= 0"]),
    ("procurement.consortium=region", ["--set", "procurement.consortium", "place, group, all"]),
    ("shared_services.max_rate", ["--set", "expected PATH=VALUE"]),
    ("baseline.real_growth.council.20x2=0.1", ["--set", "baseline.real_growth.council.20x2", "not a year"]),
]


@pytest.mark.parametrize(("assignment", "expected"), BAD_SETS, ids=[b[0] for b in BAD_SETS])
def test_bad_set_exits_2(tmp_path, capsys, assignment, expected):
    code, _, err = run_cli(capsys, "run", "standard", "--out", tmp_path / "out", "--set", assignment)
    assert code == 2
    for text in expected:
        assert text in err, f"{text!r} not in {err!r}"
    assert not (tmp_path / "out").exists()


def test_unknown_scenario(tmp_path, capsys):
    code, _, err = run_cli(capsys, "run", "standrad", "--out", tmp_path / "out")
    assert code == 2 and "no scenario 'standrad'" in err and "did you mean 'standard'" in err
    assert "standard.yaml" in err or "scenarios" in err


def test_extends_loop_names_each_file(params_copy, tmp_path, capsys):
    scenarios = params_copy / "scenarios"
    (scenarios / "loop_a.yaml").write_text("name: loop_a\ndescription: a\nextends: loop_b\nset: {}\n")
    (scenarios / "loop_b.yaml").write_text("name: loop_b\ndescription: b\nextends: loop_a\nset: {}\n")
    code, _, err = run_cli(capsys, "run", "loop_a", "--out", tmp_path / "out", "--params", params_copy)
    assert code == 2 and "loop" in err and "loop_a.yaml" in err and "loop_b.yaml" in err
    assert not (tmp_path / "out").exists()


CSV_BREAKS = [
    ("spend.csv", "birmingham,council,back_office,", "atlantis,council,back_office,", ["spend.csv", "unknown place 'atlantis'"]),
    ("spend.csv", "birmingham,council,back_office,", "birmingham,councll,back_office,", ["spend.csv", "agency", "unknown agency 'councll'", "council, nhs"]),
    ("spend.csv", "birmingham,council,back_office,", "birmingham,council,backoffice,", ["spend.csv", "category", "back_office, procurement, frontline, estate"]),
    ("spend.csv", "birmingham,council,back_office,113", "birmingham,council,back_office,-113", ["spend.csv", "spend", "must be a number >= 0"]),
    ("places.csv", "birmingham,Birmingham,1050100,1", "birmingham,Birmingham,many,1", ["places.csv", "population", "'many' must be a number > 0"]),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "expected"), CSV_BREAKS)
def test_bad_data_file_exits_2(params_copy, tmp_path, capsys, file, old, new, expected):
    path = params_copy / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    code, _, err = run_cli(capsys, "run", "standard", "--out", tmp_path / "out", "--params", params_copy)
    assert code == 2
    for item in expected:
        assert item in err, f"{item!r} not in {err!r}"
    assert not (tmp_path / "out").exists()


def test_missing_data_file(params_copy, tmp_path, capsys):
    (params_copy / "spend.csv").unlink()
    code, _, err = run_cli(capsys, "run", "standard", "--out", tmp_path / "out", "--params", params_copy)
    assert code == 2 and "spend.csv: file not found" in err


def test_broken_defaults_metadata(params_copy, tmp_path, capsys):
    path = params_copy / "defaults.yaml"
    path.write_text(path.read_text().replace("unit: share a year", "unit: percent", 1))
    code, _, err = run_cli(capsys, "run", "standard", "--out", tmp_path / "out", "--params", params_copy)
    assert code == 2 and "defaults.yaml" in err and "'percent' is not one of" in err


def test_console_script_exit_status_and_stderr(tmp_path):
    """The installed command, as a user types it: bad input -> exit 2, message, no traceback."""
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "tpmodel.cli", "run", str(BAD / "out_of_bounds.yaml"), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("tpmodel: error: ") and "Traceback" not in done.stderr
    assert not out.exists()
    assert PARAMS.is_dir()


def test_nominal_view_multiplies_by_the_deflator(tmp_path, capsys):
    """Cash terms = real value x GDP deflator of the year (2012-13: 1.040 by default)."""
    out = tmp_path / "cash"
    assert run_cli(capsys, "run", "standard", "--out", out, "--nominal")[0] == 0
    real = pd.read_csv(out / "results.csv")
    cash = pd.read_csv(out / "results_nominal.csv")
    row = (real["year"] == 2012) & (real["value"] != 0)
    assert (cash.loc[row, "value"] / real.loc[row, "value"]).round(12).unique().tolist() == [1.04]
    assert cash.loc[real["year"] == 2010, "value"].tolist() == real.loc[real["year"] == 2010, "value"].tolist()


def test_nominal_view_needs_a_deflator_for_every_year(tmp_path, capsys):
    code, _, err = run_cli(
        capsys, "run", "standard", "--out", tmp_path / "o", "--nominal", "--set", "horizon.last_year=2021"
    )
    assert code == 2 and "presentation.deflator" in err and "2020" in err
    assert not (tmp_path / "o").exists()
