"""Expected value first (issue 12 item 1): wherever a run with draws shows the central case, it also shows
the expected value (mean of the draws) and P(npv > 0)."""

from __future__ import annotations

import json

import pytest

import tpmodel
from tpmodel import report
from tpmodel.cli import main
from tpmodel.formatting import format_comparison, format_summary


@pytest.fixture(scope="module")
def with_draws():
    return tpmodel.compare(["standard", "cautious"], draws=200, seed=5, workers=1)


def test_run_summary_prints_the_expected_npv_and_the_chance_of_a_positive_npv():
    result = tpmodel.run("cautious", draws=200, seed=5)
    text = format_summary(result)
    mean = result.draw_table["npv"].mean()
    assert f"expected npv  {mean:12,.1f}" in text
    chance = (result.draw_table["npv"] > 0).mean()
    assert f"P(npv > 0)    {chance:12.0%}" in text


def test_compare_prints_the_expected_npv_beside_the_central_npv(with_draws):
    lines = format_comparison(with_draws).splitlines()
    assert lines[0].split()[:4] == ["scenario", "npv", "[GBP", "m]"] and "expected" in lines[0]
    for result, line in zip(with_draws.runs, lines[1:3], strict=True):
        mean = result.draw_table["npv"].mean()
        chance = (result.draw_table["npv"] > 0).mean()
        fields = line.split()
        assert fields[:3] == [result.name, f"{result.headlines['npv']:,.1f}", f"{mean:,.1f}"]
        assert fields[-1] == f"{chance:.3f}"
    assert "mean of 200 draws" in lines[-1]


def test_compare_without_draws_shows_the_central_case_only():
    text = format_comparison(tpmodel.compare(["standard"], workers=1))
    assert "expected" not in text and len(text.splitlines()) == 2


def test_comparison_summary_and_table_carry_the_expected_values(with_draws):
    expected = with_draws.summary()["expected_values"]
    cautious = with_draws.runs[1]
    assert expected["cautious"]["expected_npv"] == pytest.approx(cautious.draw_table["npv"].mean(), rel=1e-12)
    assert expected["cautious"]["npv"] == cautious.headlines["npv"]
    assert expected["cautious"]["probability_npv_positive"] == (cautious.draw_table["npv"] > 0).mean()
    table = with_draws.table  # comparison.csv, read by the workbook
    assert table.loc[1, "npv_mean"] == expected["cautious"]["expected_npv"]
    assert table.loc[1, "probability_npv_positive"] == expected["cautious"]["probability_npv_positive"]
    assert tpmodel.compare(["standard"], workers=1).summary()["expected_values"] is None


def test_notebook_comparison_table_puts_the_expected_npv_beside_the_npv(with_draws):
    table = report.comparison_table(with_draws.runs, reference="standard")
    assert list(table.columns[:4]) == ["npv", "npv_minus_standard", "expected_npv", "p_npv_positive"]
    cautious = with_draws.runs[1]
    assert table.loc["cautious", "expected_npv"] == cautious.monte_carlo["npv"]["mean"]
    assert "expected_npv" not in report.comparison_table([tpmodel.run("standard")]).columns


def test_compare_command_writes_the_expected_values(tmp_path, capsys):
    out = tmp_path / "c"
    assert main(["compare", "cautious", "--draws", "100", "--out", str(out), "--workers", "1"]) == 0
    assert "expected" in capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["expected_values"]["cautious"]) == {
        "npv", "expected_npv", "npv_p5", "npv_p95", "probability_npv_positive",
    }  # fmt: skip
