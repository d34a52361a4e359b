"""Scenario discovery (issue 12 item 4): PRIM recovers boxes planted in synthetic draws; the condition is
parsed with one clear message on bad input; the box found in a scenario's draws has the coverage,
density and mass it reports; no case is a plain message, exit 0."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import tpmodel
from tpmodel.analyses.discovery import Condition, parse_condition, percent, prim
from tpmodel.analyses.uncertainty import draw_samples
from tpmodel.cli import main
from tpmodel.errors import InputError
from tpmodel.model import load_run_inputs


def limits(trajectory) -> dict[int, tuple[float, float]]:
    box = trajectory.pasted
    return {int(j): (box.lower[j], box.upper[j]) for j in np.flatnonzero(box.restricted)}


def test_prim_recovers_a_planted_box():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(5000, 10))
    y = (x[:, 0] > 0.6) & (x[:, 3] < 0.3)
    found = prim(x, y)
    box = limits(found)
    assert set(box) == {0, 3}
    assert box[0][0] == pytest.approx(0.6, abs=0.02) and box[0][1] == math.inf
    assert box[3][0] == -math.inf and box[3][1] == pytest.approx(0.3, abs=0.02)
    assert found.stats["density"] == 1.0 and found.stats["coverage"] > 0.9
    assert found.stats["mass"] == pytest.approx(0.12, abs=0.02)


def test_prim_recovers_a_two_sided_box_through_label_noise():
    """5% of the labels flipped at random: the box is still the planted one, to 0.03."""
    rng = np.random.default_rng(1)
    x = rng.uniform(size=(10000, 12))
    y = ((x[:, 1] > 0.2) & (x[:, 1] < 0.5) & (x[:, 4] > 0.7)) ^ (rng.uniform(size=10000) < 0.05)
    found = prim(x, y)
    box = limits(found)
    assert set(box) == {1, 4}
    assert box[1][0] == pytest.approx(0.2, abs=0.03) and box[1][1] == pytest.approx(0.5, abs=0.03)
    assert box[4][0] == pytest.approx(0.7, abs=0.03) and box[4][1] == math.inf
    assert found.stats["density"] > 0.85 and found.stats["coverage"] > 0.5


def test_prim_keeps_to_max_dims_and_peels_ties_of_integer_parameters():
    rng = np.random.default_rng(2)
    whole = rng.integers(0, 5, size=4000).astype(float)  # an integer parameter: many ties
    x = np.column_stack([whole, rng.uniform(size=(4000, 3))])
    y = (whole >= 3) & (x[:, 2] < 0.5)
    assert limits(prim(x, y)) == {0: (3.0, math.inf), 2: pytest.approx((-math.inf, 0.5), abs=0.03)}
    assert len(limits(prim(x, y, max_dims=1))) == 1


def test_the_trajectory_peels_towards_density():
    rng = np.random.default_rng(3)
    x = rng.uniform(size=(3000, 4))
    found = prim(x, x[:, 0] + 0.3 * rng.normal(size=3000) > 1.0)
    assert found.density[-1] > found.density[0] and found.coverage[0] == 1.0 and found.mass[0] == 1.0
    assert all(a >= b for a, b in zip(found.mass, found.mass[1:], strict=False))
    assert found.mass[-1] >= 0.05


MEASURES = ["npv", "bcr", "payback_year", "npv_place_kent", "net_2012"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("npv<0", Condition("npv", "<", 0.0)), (" bcr <= 1 ", Condition("bcr", "<=", 1.0)),
     ("npv_place_kent>-1.5e2", Condition("npv_place_kent", ">", -150.0)), ("net_2012>=3", Condition("net_2012", ">=", 3))],
)  # fmt: skip
def test_conditions_are_parsed(text, expected):
    assert parse_condition(text, MEASURES) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("npx<0", "no headline measure 'npx' (did you mean 'npv'?)"), ("npv<abc", "abc: the threshold is not a number"),
     ("npv<nan", "the threshold is not a number"), ("npv = 0", "expected MEASURE OPERATOR NUMBER"), ("", "expected")],
)  # fmt: skip
def test_bad_conditions_are_one_clear_message(text, message):
    with pytest.raises(InputError, match="--where") as error:
        parse_condition(text, MEASURES)
    assert message in str(error.value)


def test_a_missing_value_never_meets_the_condition():
    held = Condition("bcr", "<", 1).holds(np.array([0.5, np.nan, 2.0]))
    assert held.tolist() == [True, False, False]
    assert percent(0.001) == "<1%" and percent(0.999) == ">99%" and percent(0.0) == "0%" and percent(0.5) == "50%"


def test_the_box_found_in_a_scenario_holds_what_it_reports():
    """pooling_only has npv < 0 in about a third of its draws: the reported coverage, density and mass are
    those of the box applied to the draws of tpmodel.run with the same draws and seed."""
    result = tpmodel.discover("pooling_only", draws=2000, where="npv<0", seed=4)
    assert result.found and len(result.box) >= 1
    assert result.statement.startswith(f"npv < 0 in {result.density:.0%} of draws where ")
    resolved, _ = load_run_inputs("pooling_only")
    samples = draw_samples(resolved, 2000, 4)
    npv = tpmodel.run("pooling_only", draws=2000, seed=4).draw_table["npv"].to_numpy()
    inside = np.ones(2000, dtype=bool)
    for row in result.box.itertuples():
        values = samples[row.parameter]
        inside &= (values >= row.lower if row.lower == row.lower else True) & (
            values <= row.upper if row.upper == row.upper else True
        )
    cases = npv < 0
    assert result.cases == cases.sum()
    assert result.density == pytest.approx((inside & cases).sum() / inside.sum())
    assert result.coverage == pytest.approx((inside & cases).sum() / cases.sum())
    assert result.mass == pytest.approx(inside.mean())
    assert result.density > 2 * cases.mean()  # the box concentrates the cases
    assert result.trajectory["chosen"].sum() == 1


def test_no_case_is_said_plainly_and_writes_only_the_summary(tmp_path, capsys):
    out = tmp_path / "d"
    assert main(["discover", "standard", "--draws", "300", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "npv < 0 in none of the 300 draws: there is nothing to discover" in printed
    assert [p.name for p in out.iterdir()] == ["summary.json"]
    assert json.loads((out / "summary.json").read_text())["cases"] == 0


def test_discover_command_writes_the_box_the_trajectory_and_the_chart(tmp_path, capsys):
    out = tmp_path / "d"
    args = ["discover", "pooling_only", "--draws", "1000", "--where", "npv<0", "--max-dims", "2", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "npv < 0 in " in printed and "coverage" in printed
    assert sorted(p.name for p in out.iterdir()) == ["box.csv", "box.png", "box.svg", "summary.json",
                                                     "trajectory.csv"]  # fmt: skip
    summary = json.loads((out / "summary.json").read_text())
    assert summary["draws"] == 1000 and len(summary["box"]) <= 2 and summary["condition"] == "npv < 0"
    assert main(args) == 2  # never overwrites silently
    assert "--overwrite" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--where", "npx<0"], "did you mean 'npv'?"), (["--where", "npv<zero"], "the threshold is not a number"),
     (["--draws", "10"], "needs from 200 to 200,000 Monte Carlo draws"),
     (["--draws", "5000000"], "needs from 200 to 200,000 Monte Carlo draws")],
)  # fmt: skip
def test_bad_input_is_one_message_exit_2_and_nothing_written(tmp_path, capsys, args, message):
    out = tmp_path / "d"
    assert main(["discover", "standard", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("tpmodel: error: ") and err.count("\n") == 1
    assert not out.exists()
