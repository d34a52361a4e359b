"""The one table of display names (`tpmodel.labels`): every code people read has a name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tpmodel.core.axes import AGENCIES, LEVERS
from tpmodel.labels import (
    KINDS,
    MEASURE_LABELS,
    financial_year,
    label,
    labels,
    percent,
    place_names,
    scenario_order,
    value_text,
)
from tpmodel.model import MEASURES, OFFER_MEASURES

from .conftest import PARAMS


def test_levers_agencies_and_headlines_have_the_names_people_use() -> None:
    assert [label("lever", lever) for lever in LEVERS] == [
        "Shared services", "Collaborative procurement", "Pooled budgets", "Estate co-location", "Lighter reporting",
    ]  # fmt: skip
    assert [label("agency", agency) for agency in AGENCIES] == [
        "Council", "NHS", "Police", "Fire", "Jobcentre Plus", "Other",
    ]  # fmt: skip
    assert [label("headline", k) for k in ("npv", "npv_mean", "probability_npv_positive", "bcr")] == [
        "NPV", "Expected NPV", "P(NPV > 0)", "BCR",
    ]  # fmt: skip
    assert label("headline", "payback_year") == "Payback year (undiscounted)"
    assert label("headline", "pv_receipts") == "PV of capital receipts"


def test_every_measure_has_a_name_of_its_own() -> None:
    names = [label("measure", m) for m in (*MEASURES, *OFFER_MEASURES)]
    assert len(set(names)) == len(names)
    assert set(MEASURES) | set(OFFER_MEASURES) <= set(MEASURE_LABELS)  # named, not made from the code


def test_places_are_named_from_places_csv() -> None:
    with (PARAMS / "places.csv").open(newline="", encoding="utf-8") as handle:
        expected = {row["place"]: row["name"] for row in csv.DictReader(handle)}
    assert place_names(PARAMS) == expected
    assert label("place", "luton_cbeds", PARAMS) == "Luton & Central Bedfordshire"
    assert labels("place", ["kent", "dorset"], PARAMS) == {"kent": "Kent", "dorset": "Bournemouth, Dorset & Poole"}


def test_places_follow_the_parameter_folder(tmp_path: Path) -> None:
    (tmp_path / "places.csv").write_text("place,name,population,local_authorities\nx1,Exampleshire,1,1\n")
    assert label("place", "x1", tmp_path) == "Exampleshire"
    assert label("place", "no_such_place", tmp_path) == "No such place"  # readable before it has a name


def test_years_and_percentages() -> None:
    assert financial_year(2012) == label("year", 2012) == label("year", "2012") == "2012-13"
    assert financial_year(1999) == "1999-00"
    assert (percent(0.8), percent(0.035, 1), percent(1.0)) == ("80%", "3.5%", "100%")


def test_parameters_are_named_by_lever_agency_place_and_year() -> None:
    assert label("parameter", "shared_services.participation.nhs") == "Shared services: participation, NHS"
    assert label("parameter", "appraisal.assets.deadweight") == "Estate co-location: deadweight (appraisal)"
    assert label("parameter", "appraisal.discount_rate") == "Appraisal: discount rate"
    assert label("parameter", "reporting.indicators.2011") == "Lighter reporting: indicators, 2011-12"
    assert label("parameter", "places.kent.assets.max_rate", PARAMS) == "Estate co-location: saving rate at scale, Kent"


def test_parameter_values_in_their_unit() -> None:
    assert value_text("shared_services.max_rate", 0.2, PARAMS) == "20%"
    assert value_text("appraisal.discount_rate", 0.035, PARAMS) == "3.5%"
    assert value_text("shared_services.participation.nhs", 0.5, PARAMS) == "50%"
    assert value_text("shared_services.start_year", 2012.0, PARAMS) == "2012-13"
    assert value_text("shared_services.cost_rate", 0.11, PARAMS) == "£0.11 per £1"
    assert value_text("assets.receipts_multiple", 8.0, PARAMS) == "8"
    assert value_text("places.kent.assets.max_rate", 0.25, PARAMS) == "25%"


def test_scenarios_in_rising_ambition_then_as_given() -> None:
    given = ["ambitious", "assets_only", "baseline", "cautious", "kent_estate", "standard"]
    assert scenario_order(given) == ["baseline", "cautious", "standard", "ambitious", "assets_only", "kent_estate"]
    assert scenario_order(["mine", "standard"]) == ["standard", "mine"]
    assert label("scenario", "shared_services_only") == "Shared services only"


def test_an_unknown_kind_is_refused() -> None:
    assert "place" in KINDS
    with pytest.raises(ValueError, match="unknown kind of label 'levers'; kinds: lever, agency"):
        label("levers", "pooling")
