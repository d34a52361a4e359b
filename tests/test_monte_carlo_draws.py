"""Monte Carlo draw by draw (spec 8): a draw's headline figures equal a central run at that draw's values.

Every uncertain leaf, the values for all places, the places' own values and the
single offer's freedoms, is set to the value sampled for the draw, and the
central case of that scenario must give the draw's row of the Monte Carlo table.
This catches a draw-axis mix-up anywhere between sampling and the headlines,
whatever the parameter, including the two defects that keeping every
parameter's draw axis at length 1 had hidden (consortium `all` with an
uncertain participation; an uncertain `pooling.benefit_share`).
"""

from __future__ import annotations

import numpy as np
import pytest

import tpmodel
from tpmodel.analyses.uncertainty import draw_samples, monte_carlo
from tpmodel.model import load_run_inputs

CASES = {
    "standard (every default range)": ("standard", []),
    "consortium all, uncertain participation": (
        "standard",
        ["procurement.consortium=all", "procurement.participation={dist: uniform, low: 0.2, high: 0.9}"],
    ),
    "uncertain benefit share": (
        "standard",
        [
            "pooling.benefit_share={council: {dist: uniform, low: 0, high: 1}, nhs: {dist: pert, low: 0.1, mode: 0.4, high: 0.9}}"
        ],
    ),
    "places' own uncertain values and freedoms": (
        "single_offer",
        [
            "places.kent.assets.max_rate={dist: pert, low: 0.1, mode: 0.2, high: 0.3}",
            "places.dorset.pooling.return_rate={dist: triangular, low: 1, mode: 2.4, high: 3}",
            "places.croydon.shared_services.participation.council={dist: uniform, low: 0.5, high: 1}",
            "single_offer.freedoms={assets.cost_rate: {dist: uniform, low: 0.1, high: 0.3}}",
            "procurement.consortium=group",
        ],
    ),
}


@pytest.mark.parametrize(("scenario", "sets"), list(CASES.values()), ids=list(CASES))
def test_each_draw_is_a_central_run_at_its_sampled_values(scenario, sets):
    draws, seed = 20, 11
    resolved, places = load_run_inputs(scenario, sets)
    samples = draw_samples(resolved, draws, seed)
    _, table = monte_carlo(resolved, places, draws, seed, chunk=7)
    for draw in (0, 6, 13, 19):
        overrides = {path: float(values[draw]) for path, values in samples.items()}
        central = tpmodel.run(scenario, sets=sets, overrides=overrides).headlines
        row = table.iloc[draw]
        assert row["npv"] == pytest.approx(central["npv"], rel=1e-9), draw
        assert row["pv_receipts"] == pytest.approx(central["pv_receipts"], rel=1e-9, abs=1e-9)
        for place, value in central["npv_by_place"].items():
            assert row[f"npv_place_{place}"] == pytest.approx(value, rel=1e-9, abs=1e-9), (draw, place)
        for agency, value in central["npv_by_agency"].items():
            assert row[f"npv_{agency}"] == pytest.approx(value, rel=1e-9, abs=1e-9), (draw, agency)
        for year, value in central["cashable_by_year"].items():
            assert row[f"cashable_{year}"] == pytest.approx(value, rel=1e-9, abs=1e-9), (draw, year)


def test_every_leaf_varies_and_place_leaves_are_their_own():
    """A place's own distribution and a freedom are leaves of their own, sampled apart (spec 8)."""
    resolved, _ = load_run_inputs("single_offer", CASES["places' own uncertain values and freedoms"][1])
    samples = draw_samples(resolved, 50, 3)
    assert {"places.kent.assets.max_rate", "single_offer.freedoms.assets.cost_rate"} <= set(samples)
    assert not np.array_equal(samples["places.kent.assets.max_rate"], samples["assets.max_rate"])
    assert all(np.ptp(values) > 0 for values in samples.values())
