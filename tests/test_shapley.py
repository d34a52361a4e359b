"""Shapley values of the levers (issue 12 item 5): the formula on games with known values, the lever
switches against the one-lever scenarios, efficiency, and the interaction residual."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import tpmodel
from tpmodel.analyses.shapley import coalitions, shapley, shapley_values
from tpmodel.cli import main
from tpmodel.core.axes import LEVERS


def by_orders(value, n: int) -> np.ndarray:
    """Shapley values the long way: the average marginal contribution over all n! orders."""
    total = np.zeros(n)
    for order in itertools.permutations(range(n)):
        members: set[int] = set()
        for player in order:
            before = value(frozenset(members))
            members.add(player)
            total[player] += value(frozenset(members)) - before
    return total / math.factorial(n)


def as_rows(value, n: int) -> np.ndarray:
    return np.array([value(frozenset(np.flatnonzero(row))) for row in coalitions(n)])


def test_coalitions_are_numbered_by_bits():
    on = coalitions(3)
    assert on.shape == (8, 3) and not on[0].any() and on[-1].all()
    assert on[0b101].tolist() == [True, False, True]


@pytest.mark.parametrize(
    "value, expected",
    [
        (lambda s: float(len(s) ** 2), [3.0, 3.0, 3.0]),  # symmetric: v(all) / n each
        (lambda s: float({0, 1} <= s), [0.5, 0.5, 0.0]),  # 0 and 1 only together; 2 is a null player
        (lambda s: 2.0 * (0 in s) + 5.0 * (2 in s), [2.0, 0.0, 5.0]),  # additive: each its own value
    ],
)
def test_shapley_values_of_known_games(value, expected):
    assert shapley_values(as_rows(value, 3)) == pytest.approx(expected, abs=1e-12)


def test_shapley_values_equal_the_average_over_every_order_for_a_random_game():
    rng = np.random.default_rng(1)
    table = {frozenset(np.flatnonzero(row)): rng.normal() for row in coalitions(5)}
    values = as_rows(table.__getitem__, 5)
    phi = shapley_values(values)
    assert phi == pytest.approx(by_orders(table.__getitem__, 5), abs=1e-12)
    assert phi.sum() == pytest.approx(values[-1] - values[0], abs=1e-12)


def test_shapley_values_refuse_a_table_that_is_not_every_coalition():
    with pytest.raises(ValueError, match="2\\^n"):
        shapley_values(np.zeros(6))


@pytest.fixture(scope="module")
def standard():
    return shapley("standard")


def test_levers_switched_off_as_the_one_lever_scenarios_do(standard):
    """Row 0 (no lever) is the baseline scenario, each one-lever row the `<lever>_only` scenario."""
    values = standard.coalitions
    assert values.loc[0, "npv"] == pytest.approx(tpmodel.run("baseline").headlines["npv"], abs=1e-9)
    assert values["npv"].iloc[-1] == tpmodel.run("standard").headlines["npv"]
    for i, lever in enumerate(LEVERS):
        alone = tpmodel.run(f"{lever}_only").headlines
        assert values.loc[1 << i, "npv"] == pytest.approx(alone["npv"], rel=1e-12)
        assert values.loc[1 << i, "cashable"] == pytest.approx(sum(alone["cashable_by_year"].values()), rel=1e-12)


def test_shapley_values_sum_to_the_all_levers_npv_and_equal_the_one_lever_npvs(standard):
    npv = tpmodel.run("standard").headlines["npv"]
    assert sum(standard.values("npv").values()) == pytest.approx(npv, rel=1e-12)
    for lever, value in standard.values("npv").items():  # levers that do not interact
        assert value == pytest.approx(tpmodel.run(f"{lever}_only").headlines["npv"], rel=1e-9)
        assert value == pytest.approx(standard.values("npv", "last")[lever], rel=1e-9)
    assert standard.interaction("npv") == pytest.approx(0.0, abs=1e-9)
    assert "shortfall" not in standard.measures  # no single offer


def test_a_places_own_participation_is_switched_off_with_its_lever():
    result = shapley("standard", sets=["places.kent.procurement.participation.nhs=0.9",
                                       "shared_services.participation=0"])  # fmt: skip
    assert result.coalitions.loc[0, "npv"] == pytest.approx(0.0, abs=1e-9)
    assert result.values("npv")["shared_services"] == pytest.approx(0.0, abs=1e-9)
    assert sum(result.values("npv").values()) == pytest.approx(result.coalitions["npv"].iloc[-1], rel=1e-12)


def test_the_single_offer_shortfall_shows_an_interaction_where_levers_together_meet_the_target():
    """With a low target some places meet it only with several levers on: the shortfall, max(0, target -
    cashable), is not additive, so alone, Shapley and last differ and the interaction is not 0."""
    result = shapley("single_offer", sets=["single_offer.target_rate=0.003"])
    values = result.coalitions["shortfall"]
    assert sum(result.values("shortfall").values()) == pytest.approx(values.iloc[-1] - values.iloc[0], abs=1e-9)
    assert abs(result.interaction("shortfall")) > 1.0
    alone, credit = result.values("shortfall", "alone"), result.values("shortfall")
    assert any(abs(alone[lever] - credit[lever]) > 1.0 for lever in LEVERS)
    assert result.interaction("npv") == pytest.approx(0.0, abs=1e-9)


def test_run_prints_the_shapley_value_beside_npv_by_lever(tmp_path, capsys):
    assert main(["run", "standard", "--out", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "Shapley" in out
    line = next(line for line in out.splitlines() if line.strip().startswith("Collaborative procurement"))
    assert line.split()[2:] == ["678.5", "678.5"]
    assert "interaction" in out


def test_comparison_table_has_shapley_columns():
    comparison = tpmodel.compare(["standard", "single_offer"], workers=1)
    table = comparison.table
    for lever in LEVERS:
        assert table.loc[0, f"npv_shapley_{lever}"] == pytest.approx(table.loc[0, f"npv_{lever}"], rel=1e-9)
    assert table.loc[1, "cashable_interaction"] == pytest.approx(0.0, abs=1e-9)
    assert comparison.summary()["shapley"]["single_offer"]["shortfall"]["unit"].startswith("GBP m")
