"""`tpmodel report`, the papermill notebooks' contract and the report tables."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

import tpmodel
from tpmodel import report
from tpmodel.cli import main
from tpmodel.errors import InputError

NOTEBOOKS = report.notebooks_dir()
PAPERMILL_NOTEBOOKS = ("scenario.ipynb", "compare.ipynb", "calibration.ipynb")


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---------------------------------------------------------------- notebook contracts


def test_scenario_notebook_parameters_cell_is_the_agreed_contract() -> None:
    found = papermill.inspect_notebook(str(NOTEBOOKS / "scenario.ipynb"))
    defaults = {name: value["default"] for name, value in found.items()}
    assert defaults == {
        "scenario": '"standard"', "draws": "0", "seed": "20100324", "out": '""', "overrides": "{}", "params_dir": '""',
    }  # fmt: skip


@pytest.mark.parametrize("name", PAPERMILL_NOTEBOOKS)
def test_papermill_notebooks_take_scenario_draws_seed_out(name: str) -> None:
    assert {"scenario", "draws", "seed", "out"} <= set(papermill.inspect_notebook(str(NOTEBOOKS / name)))


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_stored_executed_with_the_python3_kernel(path: Path) -> None:
    notebook = nbformat.read(str(path), as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    assert any(cell.outputs for cell in code)
    text = "\n".join(cell.source for cell in code)
    assert "import tpmodel" in text or "from tpmodel" in text
    assert "def " not in text and "class " not in text  # thin: no model logic in the notebooks


# ---------------------------------------------------------------- tpmodel report


@pytest.mark.slow
def test_report_writes_the_executed_notebook_html_and_run(tmp_path: Path, capsys) -> None:
    out = tmp_path / "report"
    code, stdout, _ = run_cli(capsys, "report", "standard", "--out", out, "--set", "appraisal.discount_rate=0.05")
    assert code == 0, stdout
    assert sorted(p.name for p in out.iterdir()) == ["assurance.md", "run", "scenario.html", "scenario.ipynb"]
    assert "| appraisal.discount_rate | 0.05 |" in (out / "assurance.md").read_text()  # the run as asked for
    expected = tpmodel.run("standard", overrides={"appraisal.discount_rate": 0.05}).headlines["npv"]
    summary = json.loads((out / "run" / "summary.json").read_text())
    assert summary["headlines"]["npv"] == pytest.approx(expected, rel=1e-12)
    executed = nbformat.read(str(out / "scenario.ipynb"), as_version=4)
    shown = "".join(o.get("data", {}).get("text/plain", "") for cell in executed.cells for o in cell.get("outputs", []))
    assert re.search(rf"\nNPV +{re.escape(f'{expected:,.1f}')} +GBP m, central case", shown)
    html = (out / "scenario.html").read_text()
    assert f"{expected:,.1f}" in html and "<img" in html
    assert "<title>Standard</title>" in html and "<h1" in html and "word-break: normal" in html
    assert not list(tmp_path.glob(".report*"))  # no staging folder left behind


@pytest.mark.parametrize(
    "bad", [["standardx"], ["standard", "--set", "shared_servces.max_rate=0.3"], ["standard", "--set", "x"]]
)
def test_report_bad_input_gives_the_cli_message_exit_2_and_writes_nothing(tmp_path: Path, capsys, bad) -> None:
    out = tmp_path / "report"
    code, _, report_error = run_cli(capsys, "report", *bad, "--out", out)
    run_code, _, run_error = run_cli(capsys, "run", *bad, "--out", tmp_path / "run")
    assert (code, run_code) == (2, 2)
    assert report_error == run_error
    assert report_error.startswith("tpmodel: error: ") and report_error.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_report_refuses_a_non_empty_out(tmp_path: Path, capsys) -> None:
    (tmp_path / "keep.txt").write_text("x")
    code, _, error = run_cli(capsys, "report", "standard", "--out", tmp_path)
    assert code == 2 and "--overwrite" in error
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_execute_notebook_rejects_unknown_notebook_parameters_and_scenarios(tmp_path: Path) -> None:
    notebook = NOTEBOOKS / "scenario.ipynb"
    with pytest.raises(InputError, match="unknown notebook parameter 'scenrio'; known: scenario, draws"):
        report.execute_notebook(notebook, tmp_path / "x.ipynb", {"scenrio": "standard"})
    with pytest.raises(InputError) as error:
        report.execute_notebook(notebook, tmp_path / "x.ipynb", {"scenario": "nope"})
    with pytest.raises(InputError) as direct:
        tpmodel.run("nope")
    assert error.value.render() == direct.value.render()
    with pytest.raises(InputError, match="no parameter 'foo'"):
        report.execute_notebook(notebook, tmp_path / "x.ipynb", {"overrides": {"foo.bar": 1}})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "parameters", "message"),
    [
        ("scenario.ipynb", {"scenrio": "ambitious"},
         "tpmodel: error: scenario.ipynb: parameters: unknown notebook parameter 'scenrio'; known: scenario, draws"),
        ("compare.ipynb", {"others": "cautious"},
         "tpmodel: error: compare.ipynb: others: expected a list like ['cautious', 'ambitious', 'single_offer'], "
         "got 'cautious'"),
        ("scenario.ipynb", {"draws": "many"}, "tpmodel: error: scenario.ipynb: draws: expected a whole number"),
        ("calibration.ipynb", {"scenario": "nope"}, "no scenario 'nope'; known: ambitious"),
    ],
)  # fmt: skip
def test_papermill_run_directly_stops_at_once_on_bad_parameters(tmp_path: Path, name, parameters, message) -> None:
    """papermill itself (not `tpmodel report`) with an unknown name or a wrong type: the first cell after the
    parameters fails with the command line's one-line message and no traceback; nothing after it runs."""
    with pytest.raises(papermill.PapermillExecutionError) as raised:
        papermill.execute_notebook(str(NOTEBOOKS / name), str(tmp_path / name), parameters=parameters,
                                   kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOKS))  # fmt: skip
    error = raised.value
    assert len(error.traceback) == 1 and error.traceback[0].startswith("tpmodel: error: "), error.traceback
    assert message in error.traceback[0] and "\n" not in error.traceback[0]
    executed = nbformat.read(str(tmp_path / name), as_version=4)
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    failed = next(i for i, cell in enumerate(code) if any(o.output_type == "error" for o in cell.outputs))
    assert "check_parameters(globals()" in code[failed].source  # the check cell, right after the parameters
    assert all(not cell.outputs for cell in code[failed + 1 :])


@pytest.mark.slow
def test_storing_an_unchanged_checkout_changes_nothing(tmp_path: Path) -> None:
    """`python -m tpmodel.report store` on copies of the stored notebooks leaves every byte as it was
    (stable table ids, stable widget ids, no timing or widget state)."""
    for path in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(path, tmp_path / path.name)
    stored = report.store_notebooks(sorted(tmp_path.glob("*.ipynb")))
    assert len(stored) == 4
    for path in stored:
        assert path.read_bytes() == (NOTEBOOKS / path.name).read_bytes(), path.name


def test_report_html_has_the_title_and_does_not_break_words(tmp_path: Path) -> None:
    report.notebook_html(NOTEBOOKS / "scenario.ipynb", tmp_path / "x.html", title="Standard")
    html = (tmp_path / "x.html").read_text()
    assert "<title>Standard</title>" in html and "word-break: normal" in html
    assert '<table id="T_headline"' in html and "Payback year (undiscounted)" in html
    assert "Printed as" not in html and "&#x27;no single-offer" not in html  # no developer notes or quoted strings


# ---------------------------------------------------------------- tables


@pytest.fixture(scope="module")
def offer_run() -> tpmodel.RunResult:
    return tpmodel.run("single_offer")


def test_lever_agency_npv_adds_up_to_the_headlines(offer_run: tpmodel.RunResult) -> None:
    table = report.lever_agency_npv(offer_run.simulation)
    h = offer_run.headlines
    for agency, value in h["npv_by_agency"].items():
        assert table.loc["total", agency] == pytest.approx(value, rel=1e-9, abs=1e-9)
    for lever, value in h["npv_by_lever"].items():
        receipts = table.loc[f"{lever}: capital receipts"].sum() if f"{lever}: capital receipts" in table.index else 0.0
        assert table.loc[lever].sum() + receipts == pytest.approx(value, rel=1e-9, abs=1e-9)
    assert table.loc["assets: capital receipts"].sum() == pytest.approx(h["pv_receipts"], rel=1e-9)  # apart


def test_offer_by_year_sums_the_places(offer_run: tpmodel.RunResult) -> None:
    by_year = report.offer_by_year(offer_run.simulation, offer_run.years).set_index("year")
    for column in ("retained", "exchequer", "target"):
        expected: dict[int, float] = {}
        for place in offer_run.single_offer_summary().values():
            for year, values in place.items():
                expected[int(year)] = expected.get(int(year), 0.0) + values[column]
        assert by_year[column].to_dict() == pytest.approx(expected, rel=1e-12)
    assert report.offer_by_year(tpmodel.run("standard").simulation, offer_run.years).empty


def test_comparison_table_differences_from_the_reference() -> None:
    results = [tpmodel.run(name) for name in ("standard", "cautious")]
    table = report.comparison_table(results, reference="standard")
    assert table.loc["standard", "npv_minus_standard"] == 0
    cautious = results[1].headlines["npv"] - results[0].headlines["npv"]
    assert table.loc["cautious", "npv_minus_standard"] == pytest.approx(cautious)
    assert table.loc["cautious", "npv_pooling"] == pytest.approx(results[1].headlines["npv_by_lever"]["pooling"])


def test_calibration_selects_sums_and_scales_results(offer_run: tpmodel.RunResult) -> None:
    targets = [
        {"label": "kent", "published": 10, "select": {"place": "kent", "lever": "assets", "year": 2013}},
        {"label": "national", "published": 100, "scale": "england",
         "select": {"agency": "council", "lever": ["procurement", "shared_services"], "year": 2012}},
    ]  # fmt: skip
    population = 2 * float(offer_run.places.population.sum())
    table = report.calibration_table(offer_run, targets, population)
    results = offer_run.results
    gross = results[results["measure"] == "gross"]
    kent = gross[(gross.place == "kent") & (gross.lever == "assets") & (gross.year == 2013)]["value"].sum()
    council = gross[(gross.agency == "council") & gross.lever.isin(["procurement", "shared_services"])]
    national = 2 * council[council.year == 2012]["value"].sum()
    assert table.loc["kent", "model_gross"] == pytest.approx(kent)
    assert table.loc["national", "model_gross"] == pytest.approx(national)
    assert table.loc["national", "gap_gross"] == pytest.approx(national - 100)
    assert bool(table.loc["national", "scaled_to_england"]) and not bool(table.loc["kent", "scaled_to_england"])


def test_calibration_targets_file_names_budget_2010() -> None:
    targets, england = report.load_calibration_targets()
    budget = next(t for t in targets if t["id"] == "budget_2010")
    assert budget["published"] == 2100 and "004_7f81585d1030fda7" in budget["source"]
    assert 50e6 < england < 55e6
    assert isinstance(report.breakdown_tables(tpmodel.run("standard").headlines)["NPV by lever"], pd.DataFrame)
