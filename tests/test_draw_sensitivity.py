"""Sensitivity on the Monte Carlo draws (issue 12 item 6): rank correlation, SRRC and PRCC against known
answers, correlated inputs not credited with each other's effect, and the `--method rank` command."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tpmodel
from tpmodel.analyses.draw_sensitivity import average_ranks, parameter_of, rank_sensitivity
from tpmodel.analyses.uncertainty import draw_samples, headline_of_samples
from tpmodel.cli import main
from tpmodel.model import load_run_inputs

N = 20_000


def by_name(table):
    return table.set_index("parameter")


def test_srrc_of_a_linear_model_of_independent_inputs():
    """y = 3 a + b (+ nothing of c), a, b, c independent standard normals: the standardized regression
    coefficients are 3 / sqrt(10), 1 / sqrt(10) and 0; in ranks they stay within 0.03 of that."""
    rng = np.random.default_rng(3)
    a, b, c = rng.normal(size=(3, N))
    table, r2 = rank_sensitivity({"c": c, "b": b, "a": a}, 3 * a + b)
    assert list(table["parameter"]) == ["a", "b", "c"]  # largest |srrc| first
    t = by_name(table)
    assert t.loc["a", "srrc"] == pytest.approx(3 / np.sqrt(10), abs=0.03)
    assert t.loc["b", "srrc"] == pytest.approx(1 / np.sqrt(10), abs=0.03)
    assert abs(t.loc["c", "srrc"]) < 0.02 and abs(t.loc["c", "prcc"]) < 0.02
    assert r2 > 0.97
    negative, _ = rank_sensitivity({"a": a}, -a)
    assert negative.loc[0, "srrc"] == pytest.approx(-1.0) and negative.loc[0, "spearman"] == pytest.approx(-1.0)


def test_a_correlated_input_without_effect_is_not_credited():
    """x1 and x2 rank-correlated about 0.8, y = x1: x2's rank correlation with y is high, as a one-at-a-time
    reading would credit it, but its SRRC and PRCC are about 0."""
    rng = np.random.default_rng(5)
    x1 = rng.normal(size=N)
    x2 = 0.8 * x1 + 0.6 * rng.normal(size=N)
    t = by_name(rank_sensitivity({"x1": x1, "x2": x2}, x1 + 0.1 * rng.normal(size=N))[0])
    assert t.loc["x2", "spearman"] > 0.7
    assert abs(t.loc["x2", "srrc"]) < 0.03 and abs(t.loc["x2", "prcc"]) < 0.05
    assert t.loc["x1", "srrc"] > 0.95 and t.loc["x1", "prcc"] > 0.95


def test_prcc_equals_the_correlation_of_rank_residuals():
    """PRCC by its definition (correlate the residuals of the ranks of x_j and of y, each regressed on the
    ranks of the other inputs) equals the precision-matrix formula the module uses."""
    from scipy.stats import rankdata

    rng = np.random.default_rng(7)
    x = rng.normal(size=(2000, 3))
    y = x[:, 0] + 0.5 * x[:, 1] ** 3 + rng.normal(size=2000)
    table, _ = rank_sensitivity({f"x{j}": x[:, j] for j in range(3)}, y)
    ranks = rankdata(x, axis=0)
    ry = rankdata(y)
    for j in range(3):
        others = np.column_stack([np.ones(2000), np.delete(ranks, j, axis=1)])
        residual_x = ranks[:, j] - others @ np.linalg.lstsq(others, ranks[:, j], rcond=None)[0]
        residual_y = ry - others @ np.linalg.lstsq(others, ry, rcond=None)[0]
        expected = np.corrcoef(residual_x, residual_y)[0, 1]
        assert by_name(table).loc[f"x{j}", "prcc"] == pytest.approx(expected, abs=1e-9)


def test_average_ranks_equal_scipys_with_ties():
    from scipy.stats import rankdata

    rng = np.random.default_rng(4)
    values = np.column_stack([rng.integers(0, 4, size=300), rng.normal(size=300), np.full(300, 1.0)])
    assert np.array_equal(average_ranks(values), rankdata(values, axis=0))


def test_an_input_with_one_value_gets_nan_and_the_others_are_unaffected():
    rng = np.random.default_rng(9)
    a = rng.normal(size=500)
    table, _ = rank_sensitivity({"a": a, "fixed": np.full(500, 2.0)}, a)
    t = by_name(table)
    assert np.isnan(t.loc["fixed", "srrc"]) and np.isnan(t.loc["fixed", "prcc"])
    assert t.loc["a", "srrc"] == pytest.approx(1.0)
    assert list(table["parameter"]) == ["a", "fixed"]


def test_the_draws_are_those_of_a_monte_carlo_run():
    resolved, places = load_run_inputs("standard")
    npv = headline_of_samples(resolved, places, draw_samples(resolved, 300, 11), "npv")
    assert np.array_equal(npv, tpmodel.run("standard", draws=300, seed=11).draw_table["npv"].to_numpy())


def test_units_of_place_and_freedom_leaves():
    resolved, _ = load_run_inputs("single_offer")
    assert parameter_of(resolved, "places.kent.assets.max_rate") == "assets.max_rate"
    assert parameter_of(resolved, "single_offer.freedoms.assets.cost_rate") == "assets.cost_rate"
    assert parameter_of(resolved, "pooling.participation.nhs") == "pooling.participation"


LINKED = """
name: linked
extends: standard
correlations:
  - {between: [shared_services.max_rate, single_offer.target_rate], rank: 0.9}
"""


def test_rank_method_respects_declared_correlations_in_the_model(tmp_path):
    """single_offer.target_rate does not move npv in a scenario without offer places; declared 0.9 with
    shared_services.max_rate, the strongest driver, it is rank-correlated with npv but gets no SRRC."""
    path = tmp_path / "linked.yaml"
    path.write_text(LINKED, encoding="utf-8")
    result = tpmodel.sensitivity(str(path), method="rank", samples=4000, seed=2)
    t = by_name(result.table)
    driver = t.loc["shared_services.max_rate"]
    assert t.loc["single_offer.target_rate", "spearman"] == pytest.approx(0.9 * driver["spearman"], abs=0.05)
    assert abs(t.loc["single_offer.target_rate", "srrc"]) < 0.03
    assert abs(t.loc["single_offer.target_rate", "prcc"]) < 0.06
    assert result.summary()["method"] == "rank" and "correlations kept" in result.summary()["method_description"]


def test_rank_command_writes_the_table_chart_and_states_the_method(tmp_path, capsys):
    out = tmp_path / "rank"
    assert main(["sensitivity", "standard", "--method", "rank", "--samples", "500", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "standardized rank regression (SRRC)" in printed and "on 500 Monte Carlo draws" in printed
    assert sorted(p.name for p in out.iterdir()) == ["rank.png", "rank.svg", "sensitivity.csv", "summary.json"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["samples"] == 500 and 0 < summary["rank_regression_r2"] <= 1


def test_too_few_draws_is_one_message_and_nothing_written(tmp_path, capsys):
    out = tmp_path / "rank"
    assert main(["sensitivity", "standard", "--method", "rank", "--samples", "10", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "too few Monte Carlo draws" in err and err.count("\n") == 1
    assert not out.exists()
