"""tpmodel against a second, loop-by-loop implementation of spec v2 (tests/reference_v2.py).

The oracle reads the parameter files itself and resolves the three layers of
spec 2 leaf by leaf, independently of tpmodel.params. Every cell of
results.csv, every single-offer row and every headline figure must agree to
1e-9 relative, on every shipped scenario and on unusual ones written here.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

import tpmodel
from tpmodel.params import default_params_dir, scenario_names

from .reference_v2 import reference_run

PARAMS = default_params_dir()
RTOL, ATOL = 1e-9, 1e-9

#: Unusual cases: (name, scenario, --set strings).
UNUSUAL = [
    ("consortium all", "standard", ["procurement.consortium=all"]),
    ("consortium group", "group_consortium", []),
    ("offer everywhere with freedoms", "single_offer", ["single_offer.places=all"]),
    (
        "offer for a group",
        "standard",
        ["single_offer.places=[london, kent]", "single_offer.freedoms={reporting.indicators.2012: 10}"],
    ),
    ("horizon to 2014", "standard", ["horizon.last_year=2014"]),
    (
        "horizon from 2012",
        "standard",
        [
            "horizon.first_year=2012",
            "shared_services.start_year=2012",
            "procurement.start_year=2012",
            "pooling.start_year=2012",
            "assets.start_year=2012",
            "single_offer.start_year=2012",
        ],
    ),
    ("first year 2009", "standard", ["horizon.first_year=2009", "reporting.indicators={2008: 188, 2010: 100}"]),
    ("lever after the horizon", "standard", ["assets.start_year=2025"]),
    ("lever in the last year", "standard", ["shared_services.start_year=2019", "assets.start_year=2019"]),
    (
        "pooling lasting three years",
        "standard",
        ["pooling.effect_years=3", "pooling.lag_years=0", "pooling.drop_off=0.3"],
    ),
    (
        "place layers",
        "standard",
        [
            "places.kent.shared_services.participation.nhs=0.95",
            "shared_services.participation.nhs=0.1",
            "places.dorset.baseline.real_growth.council={2012: -0.07}",
            "places.birmingham.reporting.indicators.2013=5",
            "places.croydon.appraisal.assets.cost_deadweight=0.5",
            "places.lewisham.procurement.base_discount={dist: pert, low: 0.01, mode: 0.02, high: 0.2}",
        ],
    ),
    (
        "freedom below a place's own value",
        "single_offer",
        [
            "places.kent.reporting.indicators={2009: 188, 2011: 150}",
            "single_offer.freedoms={pooling.participation.council: 0.2, assets.max_rate: 0.3}",
        ],
    ),
    ("receipts cut at the last year", "standard", ["assets.receipts_years=8", "assets.ramp_years=4"]),
]


def _cases() -> list[tuple[str, str, list[str]]]:
    return [(name, name, []) for name in scenario_names(PARAMS)] + UNUSUAL


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and (b is None or (isinstance(b, float) and math.isnan(b)))
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL)


@pytest.mark.parametrize(("label", "scenario", "sets"), _cases(), ids=[case[0] for case in _cases()])
def test_agrees_with_the_reference(label: str, scenario: str, sets: list[str]) -> None:
    ours = tpmodel.run(scenario, sets=sets)
    theirs = reference_run(PARAMS, scenario, sets)
    assert ours.years == theirs.years

    table = ours.results
    cells = table[table["lever"] != "single_offer"]
    keys = list(zip(cells["place"], cells["agency"], cells["lever"], cells["year"], cells["measure"], strict=True))
    expected = np.array([theirs.cells[key] for key in keys])
    np.testing.assert_allclose(cells["value"].to_numpy(), expected, rtol=RTOL, atol=ATOL, err_msg=label)
    assert len(keys) == len(theirs.cells)

    offer = table[table["lever"] == "single_offer"]
    got = {(p, y, m): v for p, y, m, v in zip(offer["place"], offer["year"], offer["measure"], offer["value"],
                                              strict=True)}  # fmt: skip
    want = {key: value for key, value in theirs.offer.items() if key[2] in ("retained", "exchequer", "target",
                                                                              "shortfall")}  # fmt: skip
    assert set(got) == set(want), label
    for key, value in want.items():
        assert _close(got[key], value), (label, key, got[key], value)

    h, ref = ours.headlines, theirs.headlines
    for name in ("npv", "bcr", "pv_receipts", "payback_year"):
        assert _close(h[name], ref[name]), (label, name, h[name], ref[name])
    for name in ("net_by_year", "cumulative_net_by_year", "cashable_by_year"):
        for year, value in ref[name].items():
            assert _close(h[name][str(year)], value), (label, name, year)
    for name in ("npv_by_lever", "npv_by_agency", "npv_by_place"):
        assert set(h[name]) == set(ref[name])
        for key, value in ref[name].items():
            assert _close(h[name][key], value), (label, name, key, h[name][key], value)


def test_the_reference_sees_a_wrong_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The comparison is not vacuous: halving one place's organisation count in tpmodel's copy of the
    data (only) moves shared services, and the oracle, reading the original files, disagrees."""
    copy = tmp_path / "params"
    shutil.copytree(PARAMS, copy)
    rows = (copy / "organisations.csv").read_text().splitlines()
    rows = [row.replace("kent,council,13", "kent,council,6") for row in rows]
    (copy / "organisations.csv").write_text("\n".join(rows) + "\n")
    ours = tpmodel.run("standard", params_dir=copy).headlines
    theirs = reference_run(PARAMS, "standard").headlines
    assert not _close(ours["npv_by_place"]["kent"], theirs["npv_by_place"]["kent"])
    assert _close(ours["npv_by_place"]["dorset"], theirs["npv_by_place"]["dorset"])


@pytest.mark.parametrize("sets", [[], ["procurement.consortium=all", "single_offer.places=all"]])
def test_a_one_place_dataset_agrees_with_the_reference(tmp_path: Path, sets: list[str]) -> None:
    """A dataset of one place (Kent alone): every axis of length 1 or more still lines up."""
    copy = tmp_path / "params"
    shutil.copytree(PARAMS, copy)
    for name in ("places.csv", "spend.csv", "organisations.csv"):
        lines = (copy / name).read_text().splitlines()
        (copy / name).write_text(
            "\n".join([lines[0], *(line for line in lines[1:] if line.startswith("kent,"))]) + "\n"
        )
    ours = tpmodel.run("standard", sets=sets, params_dir=copy)
    theirs = reference_run(copy, "standard", sets)
    assert list(ours.headlines["npv_by_place"]) == ["kent"]
    assert _close(ours.headlines["npv"], theirs.headlines["npv"])
    cells = ours.results[ours.results["lever"] != "single_offer"]
    keys = list(zip(cells["place"], cells["agency"], cells["lever"], cells["year"], cells["measure"], strict=True))
    np.testing.assert_allclose(cells["value"].to_numpy(), [theirs.cells[k] for k in keys], rtol=RTOL, atol=ATOL)
