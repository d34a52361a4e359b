"""`tpmodel sensitivity` (spec 11): tornado and Sobol, the files, and bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tpmodel
from tpmodel.analyses.sensitivity import low_high, quantile
from tpmodel.cli import main
from tpmodel.folders import sensitivity

DOMINANT = "pooling.return_rate"


@pytest.fixture
def dominated(tmp_path) -> str:
    """The standard case with one parameter whose range dwarfs every other's effect on npv; the factors it
    multiplies (pool size, prevention share, lag, ramp, appraisal of pooling) are fixed, so that its effect
    is its own and not an interaction."""
    path = tmp_path / "dominated.yaml"
    fixed = {
        "pooling.participation": "{council: 0.05, nhs: 0.03, police: 0.02, jobcentre: 0.02, other: 0.02}",
        "pooling.prevention_share": 0.02, "pooling.lag_years": 1, "pooling.ramp_years": 3,
        "appraisal.pooling.benefit_optimism_bias": 0.3, "appraisal.pooling.deadweight": 0.2,
    }  # fmt: skip
    lines = "".join(f"  {key}: {value}\n" for key, value in fixed.items())
    path.write_text(
        f"name: dominated\nextends: standard\nset:\n  {DOMINANT}: {{dist: uniform, low: 0, high: 3000}}\n{lines}"
    )
    return str(path)


def test_tornado_puts_the_dominant_parameter_first(dominated):
    table = sensitivity(dominated).table
    assert table.loc[0, "parameter"] == DOMINANT
    varied = table[table["range"] != "not varied"]
    assert list(varied["swing"]) == sorted(varied["swing"], reverse=True)
    assert list(table.columns) == ["parameter", "unit", "range", "low", "central", "high", "npv_low", "npv_high",
                                   "npv_central", "swing"]  # fmt: skip
    assert table.loc[0, "low"] == 0 and table.loc[0, "high"] == 3000 and table.loc[0, "central"] == 1500


def test_tornado_values_are_runs_with_one_parameter_moved():
    table = sensitivity("standard").table.set_index("parameter")
    row = table.loc["shared_services.cost_rate"]
    assert (row["low"], row["central"], row["high"]) == (0.03, 0.11, 0.24)
    for end in ("low", "high"):
        moved = tpmodel.run("standard", overrides={"shared_services.cost_rate": float(row[end])})
        assert row[f"npv_{end}"] == pytest.approx(moved.headlines["npv"], rel=1e-12)
    assert row["npv_central"] == tpmodel.run("standard").headlines["npv"]
    assert row["swing"] == pytest.approx(abs(row["npv_high"] - row["npv_low"]))


def test_tornado_covers_every_numeric_parameter_fixed_ones_across_their_plausible_range():
    """A fixed parameter's bar (appraisal.discount_rate, plausible [0.03, 0.06]) equals two direct runs; a fixed
    parameter without a plausible range is listed, not varied, after every varied one."""
    table = sensitivity("standard").table
    indexed = table.set_index("parameter")
    row = indexed.loc["appraisal.discount_rate"]
    assert row["range"] == "plausible" and (row["low"], row["central"], row["high"]) == (0.03, 0.035, 0.06)
    for end in ("low", "high"):
        moved = tpmodel.run("standard", overrides={"appraisal.discount_rate": float(row[end])})
        assert row[f"npv_{end}"] == pytest.approx(moved.headlines["npv"], rel=1e-12)
    assert row["swing"] > 100
    fixed = indexed.loc["pooling.effect_years"]
    assert fixed["range"] == "not varied" and math.isnan(fixed["swing"]) and fixed["central"] == 1
    assert {"horizon.last_year", "baseline.real_growth.council.2012", "pooling.benefit_share.nhs"} <= set(
        table.loc[table["range"] == "not varied", "parameter"]
    )
    ranges = list(table["range"])
    assert ranges.index("not varied") == len(ranges) - ranges.count("not varied")  # not varied ones last
    assert (table["range"] == "distribution").sum() == 74  # every uncertain leaf of standard


def test_low_high_and_quantiles_of_each_distribution():
    assert low_high({"dist": "pert", "low": 1, "mode": 2, "high": 5}) == (1.0, 5.0)
    low, high = low_high({"dist": "normal", "mean": 10, "sd": 2})
    assert (low, high) == pytest.approx((10 - 1.6449 * 2, 10 + 1.6449 * 2), abs=1e-3)
    assert low_high({"dist": "lognormal", "median": 2, "sigma": 0.5})[1] == pytest.approx(
        2 * math.exp(1.6449 * 0.5), rel=1e-4
    )
    u = np.array([0.05, 0.5, 0.95])
    assert quantile({"dist": "uniform", "low": 0, "high": 10}, u) == pytest.approx([0.5, 5, 9.5])
    assert quantile({"dist": "triangular", "low": 0, "mode": 0, "high": 1}, np.array([0.75])) == pytest.approx([0.5])
    assert quantile({"dist": "normal", "mean": 0, "sd": 1, "low": 0, "high": 5}, np.array([0.5]))[0] > 0
    assert quantile({"dist": "lognormal", "median": 3, "sigma": 1}, np.array([0.5])) == pytest.approx([3.0])
    pert = quantile({"dist": "pert", "low": 0, "mode": 0.5, "high": 1}, u)
    assert pert[1] == pytest.approx(0.5) and pert[0] < 0.5 < pert[2]


def test_sobol_indices_rank_the_dominant_parameter_first(dominated):
    table = sensitivity(dominated, method="sobol", samples=256, seed=1).table
    assert list(table.columns) == ["parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert table.loc[0, "parameter"] == DOMINANT
    assert table.loc[0, "ST"] > 0.8 and table.loc[0, "S1"] > 0.8
    assert (table["ST"].iloc[1:] < 0.1).all()
    again = sensitivity(dominated, method="sobol", samples=256, seed=1).table
    assert again.equals(table)


def test_files_and_summary(tmp_path, capsys):
    out = tmp_path / "tornado"
    assert main(["sensitivity", "standard", "--out", str(out)]) == 0
    assert "tornado of standard" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["sensitivity.csv", "summary.json", "tornado.png", "tornado.svg"]
    table = pd.read_csv(out / "sensitivity.csv")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["method"] == "tornado" and summary["ranking"] == list(table["parameter"])
    assert summary["provenance"]["tpmodel_version"] == tpmodel.__version__ and summary["provenance"]["parameters"]
    sobol = tmp_path / "sobol"
    assert (
        main(["sensitivity", "standard", "--out", str(sobol), "--method", "sobol", "--samples", "64", "--quiet"]) == 0
    )
    assert sorted(p.name for p in sobol.iterdir()) == ["sensitivity.csv", "sobol.png", "sobol.svg", "summary.json"]
    uncertain = int((table["range"] == "distribution").sum())
    assert json.loads((sobol / "summary.json").read_text())["model_runs"] == 64 * (uncertain + 2)
    assert summary["model_runs"] == 2 * int(table["swing"].notna().sum())


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--method", "morris"], "--method: morris: unknown method; choose one of: tornado, sobol, rank, switching"),
        (["--method", "sobol", "--samples", "1000"], "a power of 2"),
        (["--set", "pooling.return_rat=2"], "no parameter 'return_rat'"),
    ],
    ids=["unknown method", "samples", "bad set"],
)
def test_bad_input_is_one_message_exit_2_nothing_written(tmp_path, capsys, argv, expected):
    out = tmp_path / "bad"
    assert main(["sensitivity", "standard", "--out", str(out), *argv]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("tpmodel: error") == 1
    assert not Path(out).exists()


def test_every_distribution_of_the_registry_has_a_quantile():
    from tpmodel.analyses.sensitivity import QUANTILES
    from tpmodel.core.distributions import DISTRIBUTIONS

    assert list(QUANTILES) == list(DISTRIBUTIONS)
