"""The slider builder (tpmodel.widgets) and scenario saving, without a browser."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import yaml

import tpmodel
from tpmodel.charts import display_name
from tpmodel.cli import main
from tpmodel.core.axes import AGENCIES
from tpmodel.errors import InputError
from tpmodel.formatting import financial_year
from tpmodel.params import resolve
from tpmodel.scenario_io import save_scenario
from tpmodel.widgets import (
    LEVER_GROUPS,
    SliderApp,
    bar_chart,
    column_chart,
    control_specs,
    format_money,
    labels,
    nice_ceiling,
    nice_step,
    scenario_value,
)


@pytest.fixture
def app(params_copy: Path) -> SliderApp:
    return SliderApp("standard", params_dir=params_copy)


def npv_of(scenario: str, params: Path, overrides: dict | None = None) -> float:
    return tpmodel.run(scenario, overrides=overrides, params_dir=params).headlines["npv"]


# ---------------------------------------------------------------- built from metadata


def test_controls_come_from_the_parameter_metadata(params_copy: Path) -> None:
    defaults = params_copy / "defaults.yaml"
    tree = yaml.safe_load(defaults.read_text())
    tree["shared_services"]["max_rate"]["max"] = 0.6
    tree["shared_services"]["max_rate"]["description"] = "A changed description."
    defaults.write_text(yaml.safe_dump(tree, sort_keys=False))
    resolved = resolve("standard", params_copy)
    controls = {c.path: c for c in control_specs(resolved, ["a", "b"])}
    rate = controls["shared_services.max_rate"]
    assert (rate.low, rate.high) == (0.0, 0.6)
    assert rate.description == "A changed description."
    assert rate.label == "Shared services: Saving rate when many partners share"  # names for people
    assert (rate.short, rate.percent, rate.show(0.2), rate.bounds_text()) == (
        "Saving rate when many partners share", True, "20%", "0% to 60%")  # fmt: skip
    for i, agency in enumerate(AGENCIES):  # an agency-indexed parameter gets one slider per agency
        control = controls[f"procurement.participation.{agency}"]
        assert (
            control.label
            == f"{display_name('procurement')}: Share of third-party spend in scope: {display_name(agency)}"
        )
        assert control.short == display_name(agency)  # under a heading naming the parameter, once
        assert control.heading == ("Share of third-party spend in scope" if i == 0 else "")
    assert controls["procurement.participation.nhs"].short == "NHS"
    year = controls["pooling.start_year"]
    assert (year.kind, year.step, year.high, year.short) == ("year", 1.0, 2019.0, "First year")
    assert year.low == 2009.0  # min: horizon.first_year, whose own minimum is 2009
    assert controls["single_offer.places"].options == ("a", "b")
    for control in controls.values():
        assert control.unit == resolved.specs[control.parameter].unit
        assert control.kind == "places" or control.low <= control.high


def test_every_lever_parameter_named_in_the_issue_has_a_control(app: SliderApp) -> None:
    paths = set(app.controls)
    for lever in ("shared_services", "procurement", "pooling", "assets"):
        assert {f"{lever}.participation.{a}" for a in AGENCIES} <= paths
        assert {f"{lever}.start_year", f"{lever}.ramp_years"} <= paths
        assert {f"appraisal.{lever}.benefit_optimism_bias", f"appraisal.{lever}.cost_optimism_bias"} <= paths
    assert {"appraisal.discount_rate", "single_offer.places", "single_offer.retained_share"} <= paths
    assert {"shared_services.max_rate", "assets.max_rate", "procurement.base_discount"} <= paths
    assert set(LEVER_GROUPS) == {c.group for c in app.specs}


#: The v2 parameters that must have a slider: (path, label, low, high) with the bounds from the metadata
#: (min 0 or 1; an open upper end closed from the unit and the default, spec in controls.slider_bounds).
V2_SLIDERS = [
    ("shared_services.cost_rate", "Shared services: One-off cost per £1 in scope", 0.0, 1.0),
    ("assets.cost_rate", f"{display_name('assets')}: One-off cost per £1 of estate running cost", 0.0, 1.0),
    ("pooling.effect_years", f"{display_name('pooling')}: Years each £1 of prevention returns", 1.0, 10.0),
    ("assets.receipts_years", f"{display_name('assets')}: Years the capital receipts are spread over", 1.0, 10.0),
    ("horizon.last_year", "Last year of the appraisal", 2010.0, 2029.0),  # min horizon.first_year's value; 20 years
]


@pytest.mark.parametrize(("path", "label", "low", "high"), V2_SLIDERS)
def test_the_v2_parameters_have_sliders_within_the_metadata_bounds(app: SliderApp, path, label, low, high) -> None:
    spec = next(c for c in app.specs if c.path == path)
    metadata = app.base.specs[path]
    assert (spec.label, spec.low, spec.high) == (label, low, high)
    if isinstance(metadata.min, int | float):
        assert spec.low == metadata.min
    assert spec.kind == ("year" if metadata.unit == "year" else "integer" if metadata.type == "integer" else "float")
    control = app.controls[path]
    assert control.value == pytest.approx(scenario_value(app.base, spec))
    if spec.kind == "year":  # shown as financial years
        assert control.options[0] == (financial_year(int(low)), int(low))
        assert control.options[-1] == (financial_year(int(high)), int(high))
        assert control.label == "2019-20"
    else:
        assert (control.min, control.max) == (low, high)


def test_the_last_year_slider_follows_the_metadata(params_copy: Path) -> None:
    defaults = params_copy / "defaults.yaml"
    tree = yaml.safe_load(defaults.read_text())
    tree["horizon"]["last_year"]["max"] = 2024
    tree["pooling"]["effect_years"]["max"] = 4
    defaults.write_text(yaml.safe_dump(tree, sort_keys=False, allow_unicode=True))
    controls = {c.path: c for c in control_specs(resolve("standard", params_copy), ["a"])}
    assert (controls["horizon.last_year"].low, controls["horizon.last_year"].high) == (2010.0, 2024.0)
    assert (controls["pooling.effect_years"].low, controls["pooling.effect_years"].high) == (1.0, 4.0)


def test_controls_start_at_the_scenario_central_values(app: SliderApp) -> None:
    assert app.controls["shared_services.max_rate"].value == pytest.approx(0.20)  # PERT mode
    assert app.controls["shared_services.participation.nhs"].value == pytest.approx(0.5)
    assert app.controls["assets.ramp_years"].value == 4
    assert app.overrides() == {}


@pytest.mark.parametrize(
    ("raw", "step", "ceiling"), [(0.005, 0.005, 0.005), (0.0049, 0.002, 0.005), (0.07, 0.05, 0.1), (3.0, 2.0, 5.0)]
)
def test_nice_numbers(raw: float, step: float, ceiling: float) -> None:
    assert nice_step(raw) == pytest.approx(step)
    assert nice_ceiling(raw) == pytest.approx(ceiling)


# ---------------------------------------------------------------- moving sliders


def test_a_move_shows_the_engine_npv(app: SliderApp, params_copy: Path) -> None:
    assert f'class="tp-npv">{format_money(npv_of("standard", params_copy))}<' in app.headline.value
    app.controls["appraisal.discount_rate"].value = 0.05
    expected = npv_of("standard", params_copy, {"appraisal.discount_rate": 0.05})
    assert app.last_good["headlines"]["npv"] == pytest.approx(expected, rel=1e-12)
    assert f'class="tp-npv">{format_money(expected)}<' in app.headline.value
    assert "1 setting changed" in app.status.value


@pytest.mark.parametrize(("path", "value"), [("shared_services.cost_rate", 0.15), ("assets.cost_rate", 0.4),
                                           ("pooling.effect_years", 3), ("assets.receipts_years", 2)])  # fmt: skip
def test_a_v2_slider_gives_the_engine_npv(app: SliderApp, params_copy: Path, path: str, value: float) -> None:
    before = app.last_good["headlines"]["npv"]
    app.controls[path].value = value
    assert app.overrides() == {path: value}
    expected = tpmodel.run("standard", overrides={path: value}, params_dir=params_copy).headlines
    shown = app.last_good["headlines"]
    assert shown["npv"] == expected["npv"] and shown["npv"] != before
    assert shown["pv_receipts"] == expected["pv_receipts"]
    assert f'class="tp-npv">{format_money(expected["npv"])}<' in app.headline.value


def test_moving_the_last_year_changes_every_table_and_chart(app: SliderApp, params_copy: Path) -> None:
    app.controls["horizon.last_year"].value = 2014
    assert app.overrides() == {"horizon.last_year": 2014}
    expected = tpmodel.run("standard", overrides={"horizon.last_year": 2014}, params_dir=params_copy)
    good = app.last_good
    assert good["headlines"]["npv"] == expected.headlines["npv"]
    assert f'class="tp-npv">{format_money(expected.headlines["npv"])}<' in app.headline.value
    assert list(good["by_year"].index) == [2010, 2011, 2012, 2013, 2014]
    assert list(good["headlines"]["net_by_year"]) == ["2010", "2011", "2012", "2013", "2014"]
    assert good["by_lever_agency"].loc["total"].sum() == pytest.approx(expected.headlines["npv"], rel=1e-12)
    assert "2014-15" in app.tables.value and "2015-16" not in app.tables.value
    assert "2014-15" in app.charts.value and "2015-16" not in app.charts.value
    assert (
        "2010-11 to 2014-15" in app.headline.value and "(undiscounted; capital receipts left out)" in app.headline.value
    )
    app.controls["horizon.last_year"].value = 2019
    assert len(app.last_good["by_year"]) == 10 and "2019-20" in app.tables.value and app.overrides() == {}


def test_capital_receipts_are_shown_apart_and_equal_pv_receipts(app: SliderApp, params_copy: Path) -> None:
    result = tpmodel.run("standard", params_dir=params_copy)
    h, good = result.headlines, app.last_good
    who = good["by_lever_agency"]
    assert who.loc["assets: capital receipts"].sum() == pytest.approx(h["pv_receipts"], rel=1e-12)
    assert h["pv_receipts"] > 0  # else this test proves nothing
    assert who.drop(index="total").sum().sum() == pytest.approx(h["npv"], rel=1e-12)
    assert f'class="tp-pv-receipts">{format_money(h["pv_receipts"])}<' in app.headline.value
    by_year = good["by_year"]
    rows = result.results[(result.results["measure"] == "adj_receipts")].groupby("year")["value"].sum()
    assert list(by_year["capital receipts"]) == pytest.approx(list(rows), rel=1e-12, abs=1e-12)
    assert list(by_year["recurring net"] + by_year["capital receipts"]) == pytest.approx(
        list(h["net_by_year"].values()), rel=1e-12
    )
    # payback: the first year from which cumulative net with receipts excluded stays >= 0
    revenue = by_year["cumulative, receipts excluded"]
    staying = [y for y in by_year.index if (revenue.loc[y:] >= 0).all()]
    assert h["payback_year"] == staying[0]
    assert f'class="tp-payback">{financial_year(h["payback_year"])}<' in app.headline.value
    # display names in the tables and charts
    assert f"<th>{display_name('assets: capital receipts')}</th>" in app.tables.value
    assert f"<th>{display_name('council')}</th>" in app.tables.value and "<th>2012-13</th>" in app.tables.value
    assert (
        f"{display_name('assets')} (recurring)" in app.charts.value and "Capital receipts (one-off)" in app.charts.value
    )


def test_the_update_time_is_the_time_the_update_took(app: SliderApp) -> None:
    """`last_update_ms` (for the benchmark; not on the page) is measured inside `update`: at most the time
    around the call."""
    import time

    started = time.perf_counter()
    app.controls["appraisal.discount_rate"].value = 0.05
    around_ms = 1000 * (time.perf_counter() - started)
    assert 0 < app.last_update_ms <= around_ms
    assert " ms" not in app.status.value


def test_an_agency_slider_sets_only_that_agency(app: SliderApp, params_copy: Path) -> None:
    app.controls["pooling.participation.nhs"].value = 0.2
    assert app.overrides() == {"pooling.participation.nhs": 0.2}
    expected = npv_of("standard", params_copy, {"pooling.participation.nhs": 0.2})
    assert app.last_good["headlines"]["npv"] == pytest.approx(expected, rel=1e-12)


def test_moving_back_restores_the_uncertain_parameter(app: SliderApp) -> None:
    app.controls["shared_services.max_rate"].value = 0.3
    app.controls["shared_services.max_rate"].value = 0.2
    assert app.overrides() == {}
    assert app.last_good["resolved"].values["shared_services.max_rate"]["dist"] == "pert"


def test_a_rejected_combination_shows_the_message_and_keeps_the_last_results(app: SliderApp) -> None:
    app.controls["appraisal.discount_rate"].value = 0.05
    good = app.headline.value
    good_npv = app.last_good["headlines"]["npv"]
    assert app.set_values({"assets.start_year": 2009}) is False  # before the horizon starts in 2010
    assert "tp-error" in app.status.value
    assert (
        f"{display_name('assets')}: First year: 2009 is below the minimum; allowed: a whole number &gt;= 2010"
        in app.status.value
    )
    assert "assets.start_year" not in app.status.value  # named by its label, not its path
    assert "still show the last allowed settings" in app.status.value  # where the results are
    assert "Traceback" not in app.status.value
    assert app.headline.value == good
    assert app.last_good["headlines"]["npv"] == good_npv
    app.controls["assets.start_year"].value = 2011  # back to a valid combination
    assert "tp-error" not in app.status.value


def test_who_benefits_and_the_single_offer_are_shown(app: SliderApp, params_copy: Path) -> None:
    pooling = app.last_good["by_lever_agency"].loc["pooling"]
    assert (pooling < 0).any() and (pooling > 0).any()  # the wrong-pocket split of pooling
    assert "NPV by agency, £m: who benefits" in app.charts.value
    assert (
        "no place makes the offer" in app.charts.value and "choose places in the Single offer tab" in app.tables.value
    )
    app.controls["single_offer.places"].value = ("kent", "manchester")
    offer = app.last_good["offer"]
    result = tpmodel.run("standard", overrides={"single_offer.places": ["kent", "manchester"]}, params_dir=params_copy)
    expected = result.single_offer_summary()
    for column in ("retained", "exchequer"):
        total = sum(year[column] for place in expected.values() for year in place.values())
        assert offer[column].sum() == pytest.approx(total, rel=1e-12)
    shortfall = sum(year["shortfall"] for place in expected.values() for year in place.values())
    assert offer["shortfall"].sum() == pytest.approx(shortfall, rel=1e-12)
    assert "Shortfall" in app.charts.value and "Single offer, £m a year" in app.tables.value
    for term, meaning in labels.OFFER_TERMS.items():  # each figure explained where the offer is shown
        assert f"<dt>{term}:</dt> <dd>{html.escape(meaning)}</dd>" in app.tables.value
        assert f"<th>{term}</th>" in app.tables.value


def test_picking_a_scenario_loads_its_values(app: SliderApp, params_copy: Path) -> None:
    app.scenario_picker.value = "ambitious"
    assert app.base.name == "ambitious"
    assert app.controls["procurement.compliance"].value == pytest.approx(0.9)  # params/scenarios/ambitious.yaml
    assert app.overrides() == {}
    assert app.last_good["headlines"]["npv"] == pytest.approx(npv_of("ambitious", params_copy), rel=1e-12)


SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_draws_each_value_from_the_zero_line_to_scale() -> None:
    """Well-formed SVG; one bar per value, a loss left of the zero line in red, a gain right of it in green,
    lengths in proportion to the values; names escaped, values written to 0.1."""
    import xml.etree.ElementTree as ET

    svg = ET.fromstring(bar_chart({"x": -1.0, "y<&>": 2.0}, "t"))
    loss, gain = svg.findall(f"{SVG}rect")
    zero = float(next(line for line in svg.findall(f"{SVG}line")).get("x1"))
    assert (loss.get("fill"), gain.get("fill")) == ("#e15759", "#59a14f")
    assert float(loss.get("x")) + float(loss.get("width")) == pytest.approx(zero, abs=0.1)
    assert float(gain.get("x")) == pytest.approx(zero, abs=0.1)
    assert float(gain.get("width")) == pytest.approx(2 * float(loss.get("width")), abs=0.2)
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert texts[0] == "t" and "y<&>" in texts and "-1.0" in texts and "2.0" in texts


def test_column_chart_stacks_gains_up_and_losses_down_with_a_line() -> None:
    """Per year, positive parts stack upwards from the zero line and negative parts downwards; the line
    has one point per year; every part carries its value in a tooltip."""
    import xml.etree.ElementTree as ET

    svg = ET.fromstring(column_chart(["2010", "2011"], {"a": [1.0, -2.0], "b": [3.0, 0.5]}, "t", line=("c", [1, -1])))
    parts = [r for r in svg.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    tips = [r.find(f"{SVG}title").text for r in parts]
    assert tips == ["a 2010: 1.0", "b 2010: 3.0", "a 2011: -2.0", "b 2011: 0.5"]
    zero = float(svg.findall(f"{SVG}line")[-1].get("y1"))  # the zero line comes after the grid lines
    a10, b10, a11, b11 = parts
    top = lambda r: float(r.get("y"))  # noqa: E731
    bottom = lambda r: float(r.get("y")) + float(r.get("height"))  # noqa: E731
    assert bottom(a10) == pytest.approx(zero, abs=0.1) and bottom(b10) == pytest.approx(top(a10), abs=0.1)
    assert top(a11) == pytest.approx(zero, abs=0.1) and bottom(b11) == pytest.approx(zero, abs=0.1)
    assert float(b10.get("height")) == pytest.approx(3 * float(a10.get("height")), abs=0.2)
    assert len(svg.find(f"{SVG}polyline").get("points").split()) == 2


# ---------------------------------------------------------------- saving a scenario


def test_save_writes_a_scenario_that_tpmodel_run_accepts(app: SliderApp, params_copy: Path, tmp_path, capsys):
    app.set_values({"shared_services.max_rate": 0.25, "single_offer.places": ("kent",), "pooling.ramp_years": 2})
    shown = app.last_good["headlines"]["npv"]
    path = app.save("my_case")
    assert path == params_copy / "scenarios" / "my_case.yaml"
    data = yaml.safe_load(path.read_text())
    assert data["extends"] == "standard"
    assert data["set"] == {"shared_services.max_rate": 0.25, "pooling.ramp_years": 2, "single_offer.places": ["kent"]}
    assert ("My case", "my_case") in app.scenario_picker.options  # named for people in the list
    out = tmp_path / "out"
    assert main(["run", "my_case", "--params", str(params_copy), "--out", str(out), "--quiet"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["headlines"]["npv"] == pytest.approx(shown, rel=1e-12)


def test_save_refuses_to_overwrite_or_a_bad_name(app: SliderApp, params_copy: Path) -> None:
    standard = (params_copy / "scenarios" / "standard.yaml").read_text()
    assert app.save("standard") is None
    assert "exists" in app.save_message.value
    assert (params_copy / "scenarios" / "standard.yaml").read_text() == standard
    assert app.save("../escape") is None
    assert "not a scenario name" in app.save_message.value
    assert not (params_copy / "escape.yaml").exists()
    before = sorted(p.name for p in (params_copy / "scenarios").iterdir())
    for name, why in [("tab\there", "not a scenario name"), ("line\n", "not a scenario name"),
                      ("bell\x07", "not a scenario name"), ("x" * 65, "too long (65 characters)")]:  # fmt: skip
        assert app.save(name) is None, name
        assert why in app.save_message.value and "Not saved" in app.save_message.value
    assert app.save("x" * 64) is not None  # the longest name allowed
    assert sorted(p.name for p in (params_copy / "scenarios").iterdir()) == sorted([*before, "x" * 64 + ".yaml"])


def test_save_scenario_validates_before_writing(params_copy: Path) -> None:
    with pytest.raises(InputError, match="below the minimum"):
        save_scenario(params_copy, "bad", "standard", {"assets.start_year": 2009})
    assert not (params_copy / "scenarios" / "bad.yaml").exists()


def test_reset_puts_every_slider_back(app: SliderApp) -> None:
    start = app.last_good["headlines"]["npv"]
    app.set_values({"shared_services.max_rate": 0.3, "assets.ramp_years": 2})
    assert app.overrides()
    app.reset_button.click()
    assert app.overrides() == {}
    assert app.last_good["headlines"]["npv"] == start


# ---------------------------------------------------------------- for people: typed values, names, the offer


@pytest.mark.parametrize(("typed", "value"), [("3.5", 0.035), ("3.5%", 0.035), (" 5 ", 0.05), ("0", 0.0)])
def test_a_typed_percentage_means_percent(app: SliderApp, params_copy: Path, typed: str, value: float) -> None:
    """The discount rate is shown as a percentage and typing 3.5 means 3.5%; the page shows the engine's npv."""
    entry = app.entries["appraisal.discount_rate"]
    assert entry.box.value == "3.5%"
    entry.box.value = typed  # as the browser sends it
    assert app.controls["appraisal.discount_rate"].value == pytest.approx(value)
    assert app.overrides() == ({} if value == 0.035 else {"appraisal.discount_rate": value})
    expected = npv_of("standard", params_copy, {"appraisal.discount_rate": value})
    assert f'class="tp-npv">{format_money(expected)}<' in app.headline.value
    assert entry.box.value == labels.format_value(value, "share a year", 0.005)


def test_shares_years_and_ratios_are_shown_as_people_read_them(app: SliderApp) -> None:
    shown = {path: entry.box.value for path, entry in app.entries.items()}
    assert shown["shared_services.participation.council"] == "80%"
    assert shown["shared_services.participation.nhs"] == "50%"
    assert shown["assets.ramp_years"] == "4"
    assert shown["shared_services.cost_rate"] == "0.11"
    assert app.controls["horizon.last_year"].label == "2019-20"


@pytest.mark.parametrize(
    ("path", "typed", "why"),
    [
        ("appraisal.discount_rate", "150", "150% is outside the range of its slider, 0% to 100%"),
        ("shared_services.max_rate", "-5", "-5% is outside the range of its slider, 0% to 100%"),
        ("pooling.effect_years", "11", "11 is outside the range of its slider, 1 to 10"),
        ("assets.ramp_years", "2.5", "2.5 is not a whole number"),
        ("shared_services.cost_rate", "a lot", "'a lot' is not a number"),
    ],
)
def test_a_typed_value_outside_the_slider_is_refused_never_clipped(app: SliderApp, path, typed, why) -> None:
    before, npv = app.controls[path].value, app.last_good["headlines"]["npv"]
    shown = app.entries[path].box.value
    app.entries[path].box.value = typed
    assert app.controls[path].value == before and app.overrides() == {}  # not clipped to the end of the slider
    assert app.last_good["headlines"]["npv"] == npv
    assert app.entries[path].box.value == shown  # the box shows the value in use again
    label = app.by_path[path].label
    assert html.escape(f"{label}: {why}; not applied.") in app.status.value and "tp-error" in app.status.value
    assert "have not changed" in app.status.value


def test_picking_another_scenario_with_moved_sliders_asks_first(app: SliderApp, params_copy: Path) -> None:
    app.controls["appraisal.discount_rate"].value = 0.05
    app.scenario_picker.value = "ambitious"
    assert app.base.name == "standard" and app.overrides() == {"appraisal.discount_rate": 0.05}  # nothing lost yet
    assert app.scenario_picker.value == "standard" and app.confirm.layout.display == "flex"
    assert "You have changed 1 setting of the Standard scenario" in app.confirm_text.value
    assert app.confirm_load.description == "Load Ambitious"
    app.confirm_keep.click()
    assert app.confirm.layout.display == "none"
    assert app.base.name == "standard" and app.overrides() == {"appraisal.discount_rate": 0.05}
    app.scenario_picker.value = "ambitious"
    app.confirm_load.click()
    assert app.base.name == "ambitious" and app.overrides() == {} and app.confirm.layout.display == "none"
    assert app.last_good["headlines"]["npv"] == pytest.approx(npv_of("ambitious", params_copy), rel=1e-12)


def test_the_page_shows_the_version_and_the_parameter_set(app: SliderApp, params_copy: Path, tmp_path) -> None:
    """The footer's parameter set is the start of summary.json's parameters_sha256 for the same settings."""
    assert main(["run", "standard", "--params", str(params_copy), "--out", str(tmp_path / "a"), "--quiet"]) == 0
    digest = json.loads((tmp_path / "a" / "summary.json").read_text())["provenance"]["parameters_sha256"]
    assert f'<span class="tp-hash">{digest[:12]}</span>' in app.footer.value
    assert f"tpmodel {tpmodel.__version__}" in app.footer.value
    app.controls["appraisal.discount_rate"].value = 0.05
    assert digest[:12] not in app.footer.value  # moved settings are another parameter set


def test_no_developer_text_on_the_page(app: SliderApp) -> None:
    """What the page shows names levers, agencies, parameters and years for people: no ids or paths."""
    app.controls["single_offer.places"].value = ("kent", "manchester")
    app.set_values({"assets.start_year": 2009})  # a refused combination, so the message shows too
    shown = " ".join([app.headline.value, app.charts.value, app.tables.value, app.status.value, app.footer.value,
                      *(spec.short + spec.heading + spec.label for spec in app.specs)])  # fmt: skip
    for text in ("shared_services", "jobcentre", "_rate", "_year", "GBP", "npv by", "sliders:", "Traceback"):
        assert text not in shown, text
    options = dict(app.controls["single_offer.places"].options)
    assert options["Luton & Central Bedfordshire"] == "luton_cbeds"  # places by their names


def test_tpmodel_app_serves_on_the_port_asked_for_or_says_it_is_taken(capsys) -> None:
    """The address printed is the one served: a taken port is refused (exit 2, one message) before Voila
    starts, and Voila is told not to move to another port."""
    import socket

    from tpmodel.widgets.server import voila_arguments

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["app", "--port", str(port), "--no-browser"]) == 2
    captured = capsys.readouterr()
    assert f"--port: {port}: cannot listen there" in captured.err and "choose another --port" in captured.err
    assert "serving" not in captured.out
    arguments = voila_arguments(Path("sliders.ipynb"), 9000, browser=False, cull_after=30)
    assert {"--port=9000", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--template=tpmodel",
            "--MappingKernelManager.cull_idle_timeout=30", "--no-browser"} <= set(arguments)  # fmt: skip
