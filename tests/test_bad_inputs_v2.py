"""Bad input of model v2's new keys and files (spec 2, 7, 11): exit 2, one message naming the file,
the path and what is allowed, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_cli import run_cli

#: (--set strings, words the message must hold)
BAD_SETS = {
    "unknown place": (
        ["places.atlantis.assets.max_rate=0.2"],
        ["--set", "places.atlantis.assets.max_rate", "no place 'atlantis'", "kent"],
    ),
    "a group where a place is meant": (["places.london.assets.max_rate=0.2"], ["places.london", "'london' is a group"]),
    "typo in a place id": (["places.kentt.assets.max_rate=0.2"], ["did you mean 'kent'"]),
    "path that cannot differ by place": (
        ["places.kent.procurement.consortium=all"],
        ["places.kent.procurement.consortium", "cannot differ by place"],
    ),
    "horizon by place": (["places.kent.horizon.last_year=2015"], ["'horizon.last_year' cannot differ by place"]),
    "discount rate by place": (["places.kent.appraisal.discount_rate=0.05"], ["cannot differ by place"]),
    "a mapping of several parameters": (
        ["places.kent.assets={max_rate: 0.3}"],
        ["places.kent.assets", "group of parameters"],
    ),
    "into a distribution's fields": (["places.kent.assets.max_rate.mode=0.3"], ["holds one value"]),
    "agency key on a scalar": (["places.kent.assets.max_rate.nhs=0.3"], ["holds one value"]),
    "unknown agency": (["places.kent.assets.participation.nhss=0.3"], ["no agency 'nhss'", "did you mean 'nhs'"]),
    "place value out of range": (
        ["places.kent.assets.max_rate=1.5"],
        ["places.kent.assets.max_rate", "above the maximum", "from 0 to 1"],
    ),
    "place distribution out of range": (
        ["places.kent.assets.max_rate={dist: uniform, low: 0.5, high: 1.5}"],
        ["places.kent.assets.max_rate", "above the maximum"],
    ),
    "place benefit share all zero": (
        ["places.kent.pooling.benefit_share=0"],
        ["places.kent.pooling.benefit_share", "all zero"],
    ),
    "freedom on a global path": (
        ["single_offer.freedoms={horizon.last_year: 2016}"],
        ["single_offer.freedoms", "cannot differ by place"],
    ),
    "freedom not a mapping": (["single_offer.freedoms=3"], ["single_offer.freedoms", "expected a mapping"]),
    "freedom out of range": (
        ["single_offer.freedoms={reporting.cost_per_indicator: -1}"],
        ["single_offer.freedoms.reporting.cost_per_indicator", "below the minimum"],
    ),
    "receipts_years 0": (["assets.receipts_years=0"], ["assets.receipts_years", ">= 1"]),
    "effect_years 0": (["pooling.effect_years=0"], ["pooling.effect_years", ">= 1"]),
    "place effect_years 0": (["places.dorset.pooling.effect_years=0"], ["places.dorset.pooling.effect_years", ">= 1"]),
    "end_year before start_year": (
        ["single_offer.places=[kent]", "single_offer.end_year=2010"],
        ["single_offer.end_year"],
    ),
    "unknown offer place or group": (
        ["single_offer.places=[kent, atlantis]"],
        ["single_offer.places", "'atlantis'", "groups: "],
    ),
    "no indicator year before the first year": (
        ["reporting.indicators={2010: 170}"],
        ["reporting.indicators", "no year <= 2009"],
    ),
    "place indicators with no base year": (
        ["places.kent.reporting.indicators={2012: 100}"],
        ["places.kent.reporting.indicators", "no year <= 2009"],
    ),
    "consortium not a choice": (["procurement.consortium=region"], ["place, group, all"]),
    "places block path malformed": (["places.kent=3"], ["places.<place>.<parameter path>"]),
}


@pytest.mark.parametrize(("sets", "expected"), list(BAD_SETS.values()), ids=list(BAD_SETS))
def test_bad_place_values_and_freedoms_exit_2(tmp_path, capsys, sets, expected):
    argv = ["run", "standard", "--out", tmp_path / "out"]
    for text in sets:
        argv += ["--set", text]
    code, out, err = run_cli(capsys, *argv)
    assert code == 2, out
    for words in expected:
        assert words in err, (words, err)
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (["--set", "shared_services.participation.nhs=2"], "--set: shared_services.participation.nhs: 2 is above"),
        (["--set", "shared_services.participation={council: 0.5, nhs: 3}"],
         "--set: shared_services.participation.nhs: 3 is above"),
        (["--set", "baseline.real_growth.nhs.2012=-2"], "--set: baseline.real_growth.nhs.2012: -2 is below"),
        (["--set", "shared_services.participation.nhs={dist: uniform, low: 0.5, high: 1.5}"],
         "--set: shared_services.participation.nhs: distribution high 1.5 is above"),
        ("scenario", "set.shared_services.participation.nhs: 2 is above"),
    ],
)  # fmt: skip
def test_a_bad_value_set_inside_a_parameter_is_named_once(tmp_path, capsys, where, expected):
    """Setting one agency's or year's value names that key once ("participation.nhs", not
    "participation.nhs.nhs"), whether the key or the whole mapping was set."""
    if where == "scenario":
        scenario = tmp_path / "leaf.yaml"
        scenario.write_text("name: leaf\nextends: standard\nset:\n  shared_services.participation.nhs: 2\n")
        argv = ["run", scenario]
    else:
        argv = ["run", "standard", *where]
    code, _, err = run_cli(capsys, *argv, "--out", tmp_path / "out")
    assert code == 2 and expected in err, err
    assert ".nhs.nhs" not in err and ".2012.nhs" not in err


def _write(params: Path, file: str, text: str) -> None:
    (params / file).write_text(text, encoding="utf-8")


BAD_DATA = {
    "organisations: unknown place": (
        "organisations.csv",
        "place,agency,organisations\natlantis,council,3\n",
        ["organisations.csv", "line 2: place", "unknown place 'atlantis'"],
    ),
    "organisations: unknown agency": (
        "organisations.csv",
        "place,agency,organisations\nkent,councl,3\n",
        ["organisations.csv", "line 2: agency", "unknown agency 'councl'"],
    ),
    "organisations: negative": (
        "organisations.csv",
        "place,agency,organisations\nkent,council,-3\n",
        ["organisations.csv", "line 2: organisations", ">= 0"],
    ),
    "organisations: not a number": (
        "organisations.csv",
        "place,agency,organisations\nkent,council,many\n",
        ["organisations.csv", "'many' must be a number"],
    ),
    "organisations: missing column": (
        "organisations.csv",
        "place,agency\nkent,council\n",
        ["organisations.csv", "missing column(s) organisations"],
    ),
}


@pytest.mark.parametrize(("file", "text", "expected"), list(BAD_DATA.values()), ids=list(BAD_DATA))
def test_bad_organisations_file_exits_2(params_copy, tmp_path, capsys, file, text, expected):
    _write(params_copy, file, text)
    code, _, err = run_cli(capsys, "run", "standard", "--out", tmp_path / "out", "--params", params_copy)
    assert code == 2
    for words in expected:
        assert words in err, (words, err)
    assert not (tmp_path / "out").exists()


def test_a_group_id_equal_to_a_place_id_exits_2(params_copy, tmp_path, capsys):
    places = params_copy / "places.csv"
    places.write_text(places.read_text().replace(",london\n", ",kent\n"), encoding="utf-8")
    code, _, err = run_cli(capsys, "run", "standard", "--out", tmp_path / "out", "--params", params_copy)
    assert code == 2 and "places.csv" in err and "group id 'kent' is also a place id" in err
    assert not (tmp_path / "out").exists()


def test_a_places_block_with_an_unknown_place_names_the_scenario_file(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: s\ndescription: d\nextends: standard\nplaces:\n  kent: {assets.max_rate: 0.2}\n  atlantis: {assets.max_rate: 0.2}\n"
    )
    code, _, err = run_cli(capsys, "run", scenario, "--out", tmp_path / "out")
    assert code == 2 and "s.yaml: places.atlantis.assets.max_rate: no place 'atlantis'" in err
    assert not (tmp_path / "out").exists()
