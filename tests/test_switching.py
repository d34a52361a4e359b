"""Switching values (`tpmodel sensitivity --method switching`): each reported value re-runs to npv 0."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

import tpmodel
from tpmodel.analyses.sensitivity import quantile
from tpmodel.analyses.switching import CDF_KINDS, cdf, ladder, numeric_leaves, solve_together, switching_values
from tpmodel.cli import main
from tpmodel.core.distributions import DISTRIBUTIONS
from tpmodel.model import load_run_inputs


@pytest.fixture(scope="module")
def cautious() -> pd.DataFrame:
    return switching_values("cautious")


@pytest.fixture(scope="module")
def standard() -> pd.DataFrame:
    return switching_values("standard")


def _npv(scenario: str, path: str, value: float, integer: bool = False) -> float:
    return float(tpmodel.run(scenario, overrides={path: int(value) if integer else value}).headlines["npv"])


def test_rerunning_at_each_switching_value_gives_npv_zero(cautious):
    """cautious switches on many parameters (saving rates, receipts, growth of spend, an integer lag); every
    continuous switching value is a root of npv (and bcr = 1), every integer one the first whole number at
    which npv changes sign."""
    switches = cautious[cautious["status"] == "switches"]
    assert len(switches) > 20
    npv0 = float(cautious["npv_central"].iloc[0])
    assert npv0 == pytest.approx(tpmodel.run("cautious").headlines["npv"], rel=1e-12)
    resolved, _ = load_run_inputs("cautious", [])
    integers = {leaf.path for leaf in numeric_leaves(resolved) if leaf.integer}
    assert integers & set(switches["parameter"])  # an integer parameter switches too
    for row in switches.itertuples():
        integer = row.parameter in integers
        moved = _npv("cautious", row.parameter, row.switching_value, integer)
        if not integer:
            assert abs(moved) < 1e-6, row.parameter
            assert row.bcr_at_switch == pytest.approx(1.0, abs=1e-9)
        else:
            step = -1 if row.direction == "higher" else 1
            before = _npv("cautious", row.parameter, row.switching_value + step, integer)
            assert moved * npv0 <= 0 < before * npv0, row.parameter
        assert moved == pytest.approx(row.npv_at_switch, abs=1e-6)


def test_a_switch_of_an_integer_parameter_is_the_first_whole_number_that_flips_the_sign(cautious):
    row = cautious.set_index("parameter").loc["shared_services.implementation_years"]
    assert row["status"] == "switches" and float(row["switching_value"]).is_integer()


def test_switches_come_nearest_first_then_none_then_no_effect(standard):
    assert list(standard["status"]) == sorted(
        standard["status"], key=["switches", "none within bounds", "no effect"].index
    )
    switches = standard[standard["status"] == "switches"]
    assert list(switches["change_percent"].abs()) == sorted(switches["change_percent"].abs())
    top = standard.iloc[0]
    assert top["parameter"] == "shared_services.cost_rate" and top["direction"] == "higher"
    assert top["change_percent"] == pytest.approx(100 * (top["switching_value"] - 0.11) / 0.11)
    assert top["quantile"] == pytest.approx(1.0) and top["probability_beyond"] == pytest.approx(0.0)
    assert top["inside_range"] == False  # noqa: E712  (outside the PERT's 0.03-0.24)


def test_none_within_bounds_means_the_sign_holds_at_both_bounds(standard):
    row = standard.set_index("parameter").loc["shared_services.max_rate"]
    assert row["status"] == "none within bounds" and (row["search_low"], row["search_high"]) == (0, 1)
    for bound in (0.0, 1.0):
        assert _npv("standard", "shared_services.max_rate", bound) > 0


def test_parameters_that_do_not_move_the_npv_are_said_so(standard):
    indexed = standard.set_index("parameter")
    for path in ("single_offer.target_rate", "pooling.benefit_share.nhs", "appraisal.reporting.cashable_share"):
        assert indexed.loc[path, "status"] == "no effect"
    assert not any(standard["parameter"].str.startswith(("horizon.", "presentation.")))
    assert len(standard) == 155  # every numeric leaf of standard but the horizon's 2 and the deflator's 11


def test_a_places_own_value_and_an_uncertain_quantile(tmp_path):
    """A place's own value is a leaf of its own (owner = the place); an uncertain leaf's quantile is its cdf at
    the switching value (here uniform on 0-1.5, so value / 1.5)."""
    path = tmp_path / "own.yaml"
    path.write_text(
        "name: own\nextends: standard\nset:\n  shared_services.cost_rate: {dist: uniform, low: 0, high: 1.5}\n"
        "places:\n  kent:\n    shared_services.cost_rate: 0.2\n"
    )
    sets = {"appraisal.discount_rate": 0.05}
    table = switching_values(str(path), sets=[f"{k}={v}" for k, v in sets.items()]).set_index("parameter")
    own = table.loc["places.kent.shared_services.cost_rate"]
    assert own["owner"] == "kent" and own["status"] == "switches" and not own["uncertain"]
    moved = tpmodel.run(str(path), overrides=sets | {"places.kent.shared_services.cost_rate": own["switching_value"]})
    assert abs(moved.headlines["npv"]) < 1e-6
    rate = table.loc["shared_services.cost_rate"]
    assert rate["uncertain"] and rate["status"] == "switches" and rate["owner"] == ""
    assert rate["quantile"] == pytest.approx(rate["switching_value"] / 1.5)
    assert rate["probability_beyond"] == pytest.approx(1 - rate["switching_value"] / 1.5)
    assert abs(tpmodel.run(str(path), overrides=sets | {"shared_services.cost_rate": rate["switching_value"]})
               .headlines["npv"]) < 1e-6  # fmt: skip


def test_cdf_inverts_the_quantile_of_every_distribution():
    assert list(CDF_KINDS) == list(DISTRIBUTIONS)
    u = np.array([0.05, 0.3, 0.5, 0.9])
    for dist in (
        {"dist": "triangular", "low": 0, "mode": 1, "high": 4},
        {"dist": "pert", "low": 0.1, "mode": 0.2, "high": 0.6},
        {"dist": "uniform", "low": -1, "high": 3},
        {"dist": "normal", "mean": 1, "sd": 2, "low": 0, "high": 5},
        {"dist": "normal", "mean": 1, "sd": 2},
        {"dist": "lognormal", "median": 2, "sigma": 0.4},
    ):
        assert [cdf(dist, float(x)) for x in quantile(dist, u)] == pytest.approx(list(u), abs=1e-9), dist["dist"]


def test_root_finders_run_together_one_batch_per_round():
    """Three brentq searches evaluated in lock-step give brentq's own roots, with several points per call."""
    targets = [2.0, 3.0, 5.0]
    calls: list[int] = []

    def batch(points):
        calls.append(len(points))
        return [x * x - targets[i] for i, x in points]

    roots = solve_together([lambda f, i=i: brentq(f, 0.0, 10.0, xtol=1e-14) for i in range(3)], batch)
    assert roots == [brentq(lambda x, t=t: x * x - t, 0.0, 10.0, xtol=1e-14) for t in targets]
    assert max(calls) == 3 and len(calls) < sum(calls)


def test_ladder_stays_within_bounds_and_integers_are_whole():
    down, up = ladder(0.2, 0.0, 1.0, integer=False)
    assert down[-1] == 0.0 and up[-1] == 1.0 and all(0 < v < 0.2 for v in down[:-1])
    down, up = ladder(3.0, 1.0, math.inf, integer=True)
    assert down == [2.0, 1.0] and all(float(v).is_integer() for v in up) and up[:3] == [4.0, 5.0, 6.0]


def test_command_writes_csv_chart_and_summary(tmp_path, capsys):
    out = tmp_path / "switching"
    assert main(["sensitivity", "standard", "--method", "switching", "--out", str(out)]) == 0
    assert "switching values of standard" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["sensitivity.csv", "summary.json", "switching.png",
                                                     "switching.svg"]  # fmt: skip
    table = pd.read_csv(out / "sensitivity.csv")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["method"] == "switching" and summary["ranking"] == list(table["parameter"])
    assert summary["model_runs"] > len(table)


def test_a_central_npv_of_zero_has_nothing_to_switch(capsys, tmp_path):
    assert main(["sensitivity", "baseline", "--method", "switching", "--out", str(tmp_path / "x")]) == 2
    assert "the central npv is 0" in capsys.readouterr().err
