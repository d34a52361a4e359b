"""Calibration like for like (tpmodel/analyses/calibration.py, notebooks/calibration_targets.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tpmodel
from tpmodel.analyses import calibration
from tpmodel.errors import InputError

SEED = 20100324


@pytest.fixture(scope="module")
def standard() -> tpmodel.RunResult:
    return tpmodel.run("standard")


@pytest.fixture(scope="module")
def targets() -> calibration.Targets:
    return calibration.load_targets()


def hand_sum(result: tpmodel.RunResult, measure: str, **wanted: Any) -> dict[int, float]:
    """results.csv cells of one measure under the filters, summed by year (the reader's own arithmetic)."""
    table = result.results
    rows = table[table["measure"] == measure]
    for column, values in wanted.items():
        rows = rows[rows[column].isin(values if isinstance(values, list) else [values])]
    return rows.groupby("year")["value"].sum().to_dict()


def planted(**fields: Any) -> dict[str, Any]:
    entry = {
        "id": "planted", "label": "Planted", "published": 10, "source": "test", "measure": "gross",
        "prices": "real", "cumulative": False, "select": {"place": "kent", "lever": "assets", "year": 2014},
    }  # fmt: skip
    return {**entry, **fields}


def parsed(*entries: dict[str, Any], population: float = 51.8e6) -> calibration.Targets:
    return calibration.parse_targets({"england_population": population, "targets": list(entries)}, "planted.yaml")


# ---------------------------------------------------------------- the targets file records each basis


def test_targets_file_records_the_basis_of_each_published_figure(targets: calibration.Targets) -> None:
    by_id = {t.id: t for t in targets.targets}
    assert set(by_id) == {"budget_2010", "pbr_2009", "lga_shared_services", "kent_estate", "lewisham_procurement"}
    budget = by_id["budget_2010"]
    assert (budget.published, budget.measure, budget.prices, budget.cumulative, budget.scale) == (
        2100,
        "cashable",
        "cash",
        False,
        "england",
    )
    assert budget.select == {"agency": ("council",), "lever": ("procurement", "shared_services"), "year": (2012,)}
    lga = by_id["lga_shared_services"]
    assert lga.cumulative and lga.years == (2010, 2011, 2012) and lga.year_share == {2012: 0.75}
    assert by_id["kent_estate"].prices == 2009 and by_id["kent_estate"].scale == ""
    assert by_id["lewisham_procurement"].low == 6.5 and by_id["lewisham_procurement"].high == 15
    assert 50e6 < targets.england_population < 55e6


# ---------------------------------------------------------------- central values are hand sums of results.csv


def test_national_cash_target_is_the_hand_sum_times_deflator_and_england_scale(standard, targets) -> None:
    budget = next(t for t in targets.targets if t.id == "budget_2010")
    cells = hand_sum(standard, "cashable", agency="council", lever=["procurement", "shared_services"], year=2012)
    deflator = standard.resolved.values["presentation.deflator"][2012]
    assert deflator == pytest.approx(1.040)
    england = targets.england_population / standard.places.population.sum()
    expected = cells[2012] * deflator * england
    assert calibration.central_value(standard, budget, targets.england_population) == pytest.approx(expected)


def test_cumulative_target_sums_years_each_at_its_deflator_with_part_of_the_last(standard, targets) -> None:
    lga = next(t for t in targets.targets if t.id == "lga_shared_services")
    cells = hand_sum(standard, "gross", agency="council", lever=["shared_services", "procurement"])
    deflator = standard.resolved.values["presentation.deflator"]
    cash = cells[2010] * deflator[2010] + cells[2011] * deflator[2011] + 0.75 * cells[2012] * deflator[2012]
    expected = cash * targets.england_population / standard.places.population.sum()
    assert calibration.central_value(standard, lga, targets.england_population) == pytest.approx(expected)


def test_pilot_target_in_price_year_prices_is_not_scaled(standard, targets) -> None:
    kent = next(t for t in targets.targets if t.id == "kent_estate")
    cells = hand_sum(standard, "gross", place="kent", lever="assets", year=2016)
    expected = cells[2016] * standard.resolved.values["presentation.deflator"][2009]
    assert calibration.central_value(standard, kent, targets.england_population) == pytest.approx(expected)
    assert expected == pytest.approx(0.984 * cells[2016])


def test_engine_path_with_no_draws_gives_the_central_values(standard, targets) -> None:
    """The per-draw evaluation (cells from the engine) agrees with results.csv in the central case."""
    values = calibration.evaluate_targets(targets, standard.resolved, standard.places, {}, 1)
    central = [calibration.central_value(standard, t, targets.england_population) for t in targets.targets]
    np.testing.assert_allclose(values[0], central, rtol=1e-12)


# ---------------------------------------------------------------- the bands


def test_target_draws_use_the_same_draws_as_the_run_monte_carlo() -> None:
    """A target of every cashable cell in 2012 (real, pilots) is the run's cashable_2012 draw by draw."""
    result = tpmodel.run("standard", draws=40, seed=SEED)
    everything = parsed(planted(measure="cashable", select={"year": 2012}))
    values = calibration.target_draws(everything, result.resolved, result.places, 40, SEED, chunk=15)
    np.testing.assert_allclose(values[:, 0], result.draw_table["cashable_2012"].to_numpy(), rtol=1e-9, atol=1e-9)


def test_bands_are_ordered_and_contain_the_central_value(standard, targets) -> None:
    table = calibration.calibrate(standard, targets, draws=200, seed=SEED)
    assert (table["p5"] <= table["p50"]).all() and (table["p50"] <= table["p95"]).all()
    assert (table["p5"] < table["p95"]).all()  # every target depends on some uncertain parameter
    assert ((table["p5"] <= table["central"]) & (table["central"] <= table["p95"])).all()
    again = calibration.calibrate(standard, targets, draws=200, seed=SEED)
    assert table.equals(again)  # the same seed gives the same band (the stored notebook is stable)


def test_inside_is_computed_from_the_band() -> None:
    assert calibration.inside(5, 1, 10) and calibration.inside(1, 1, 10) and calibration.inside(10, 1, 10)
    assert not calibration.inside(0.5, 1, 10) and not calibration.inside(10.5, 1, 10)
    assert calibration.position(0.5, 1, 10) == "below the band"
    assert calibration.position(11, 1, 10) == "above the band"
    assert calibration.position(5, 1, 10) == "inside"


def test_inside_on_planted_targets(standard) -> None:
    probe = calibration.calibrate(standard, parsed(planted()), draws=200, seed=SEED)
    p5, p50, p95 = probe.loc["planted", ["p5", "p50", "p95"]]
    assert p5 < p50 < p95
    targets = parsed(
        planted(id="at_median", published=float(p50)),
        planted(id="just_below", published=float(p5) * 0.999),
        planted(id="far_above", published=float(p95) * 10),
    )
    table = calibration.calibrate(standard, targets, draws=200, seed=SEED)
    assert table["inside"].to_dict() == {"at_median": True, "just_below": False, "far_above": False}
    assert table.loc["just_below", "position"] == "below the band"
    shown = calibration.display_table(table)
    assert list(shown.columns) == ["target", "basis", "published", "model central", "p5", "p95", "inside?"]
    assert list(shown["inside?"]) == ["yes", "no", "no"]


def test_basis_reads_for_people(targets) -> None:
    budget = next(t for t in targets.targets if t.id == "budget_2010")
    basis = budget.basis()
    assert "cashable, net of costs" in basis and "cash" in basis and "2012-13, a year" in basis
    assert "Collaborative procurement + Shared services" in basis and "England" in basis


# ---------------------------------------------------------------- bad targets files


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BAD_ENTRIES = [
    ("measure: grossly", "targets[0] (bad).measure"),
    ("prices: nominal", "targets[0] (bad).prices"),
    ("cumulative: maybe", "targets[0] (bad).cumulative"),
    ("scale: wales", "targets[0] (bad).scale"),
    ("published: lots", "targets[0] (bad).published"),
    ("colour: red", "targets[0] (bad).colour"),
    ("select: {lever: magic, year: 2012}", "targets[0] (bad).select.lever"),
    ("select: {agency: army, year: 2012}", "targets[0] (bad).select.agency"),
    ("select: {lever: assets}", "targets[0] (bad).select.year"),
    ("select: {lever: assets, year: [2012, 2013]}", "targets[0] (bad).select.year"),  # a yearly figure, two years
    ("year_share: {2019: 0.5}", "targets[0] (bad).year_share.2019"),
]


@pytest.mark.parametrize(("line", "key"), BAD_ENTRIES, ids=[key.split(".", 1)[1] for _, key in BAD_ENTRIES])
def test_a_bad_entry_is_an_input_error_naming_the_file_and_key(tmp_path: Path, line: str, key: str) -> None:
    base = {
        "id": "bad", "label": "Bad", "published": "1", "source": "test", "measure": "gross", "prices": "real",
        "cumulative": "false", "select": "{lever: assets, year: 2012}",
    }  # fmt: skip
    name = line.split(":", 1)[0]
    base[name] = line.split(":", 1)[1].strip()
    body = "\n".join(f"    {k}: {v}" for k, v in base.items())
    path = write(tmp_path, f"england_population: 51.8e6\ntargets:\n  -\n{body}\n")
    with pytest.raises(InputError) as caught:
        calibration.load_targets(path)
    assert f"{path}: {key}:" in str(caught.value)


def test_a_missing_field_and_a_bad_population_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, "england_population: -1\ntargets:\n  - {id: x, label: X}\n")
    with pytest.raises(InputError) as caught:
        calibration.load_targets(path)
    text = str(caught.value)
    assert f"{path}: england_population:" in text
    assert f"{path}: targets[0] (x).published: missing" in text and f"{path}: targets[0] (x).measure: missing" in text


def test_places_years_and_price_years_are_checked_against_the_run(standard) -> None:
    targets = parsed(
        planted(id="nowhere", select={"place": "atlantis", "year": 2012}),
        planted(id="too_late", select={"year": 2030}),
        planted(id="no_deflator", prices=1990),
    )
    with pytest.raises(InputError) as caught:
        calibration.calibrate(standard, targets, draws=0, seed=SEED)
    text = str(caught.value)
    assert "planted.yaml: targets[0] (nowhere).select.place" in text
    assert "planted.yaml: targets[1] (too_late).select.year" in text
    assert "planted.yaml: targets[2] (no_deflator).prices" in text
