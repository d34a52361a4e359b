"""End to end against a second implementation of the spec, written with plain loops.

`reference_results` below re-implements spec sections 2-6 from the spec's
text, one scalar at a time, without the core (it only reads the resolved
central parameter values and the CSV data). Every shipped scenario, and
scenarios with unusual settings, must agree with `tpmodel.run` to 1e-9
relative, cell by cell: this catches wiring mistakes (a parameter passed to
the wrong argument) that the equation tests of one lever cannot see.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from tpmodel.model import run
from tpmodel.params import is_distribution, scenario_names

from .conftest import PARAMS

AGENCIES = ["council", "nhs", "police", "fire", "jobcentre", "other"]
CATEGORIES = ["back_office", "procurement", "frontline", "estate"]
LEVERS = ["shared_services", "procurement", "pooling", "assets", "reporting"]


def central(value: Any) -> float:
    if is_distribution(value):
        kind = value["dist"]
        if kind in ("triangular", "pert"):
            return float(value["mode"])
        if kind == "uniform":
            return (value["low"] + value["high"]) / 2
        return float(value["mean"] if kind == "normal" else value["median"])
    return float(value)


def by_agency(value: Any) -> dict[str, float]:
    if isinstance(value, dict) and not is_distribution(value):
        return {a: central(value.get(a, 0.0)) for a in AGENCIES}
    return dict.fromkeys(AGENCIES, central(value))


def growth_of(value: Any, agency: str, year: int) -> float:
    if not (isinstance(value, dict) and not is_distribution(value)):
        return central(value)
    node = value.get(agency, 0.0)
    if isinstance(node, dict) and not is_distribution(node):
        return central(node.get(year, 0.0))
    return central(node)


def reference_results(result) -> dict[tuple[str, str, str, int, str], float]:
    """Spec sections 2-6 for the central case, cell by cell: {(place, agency, lever, year, measure): value}."""
    v = result.resolved.values
    places = list(result.places.ids)
    n_la = dict(zip(places, result.places.local_authorities, strict=True))
    s0 = {
        (p, a, c): float(result.places.base_spend[i, j, k])
        for i, p in enumerate(places)
        for j, a in enumerate(AGENCIES)
        for k, c in enumerate(CATEGORIES)
    }
    first, last = int(v["horizon.first_year"]), int(v["horizon.last_year"])
    years = list(range(first, last + 1))

    def spend(p: str, a: str, c: str, t: int) -> float:  # spec 2
        value = s0[(p, a, c)]
        for y in range(first, t + 1):
            value *= 1 + growth_of(v["baseline.real_growth"], a, y)
        return value

    def ramp(lever: str, t: int) -> float:  # spec 3
        start, length = round(central(v[f"{lever}.start_year"])), round(central(v[f"{lever}.ramp_years"]))
        return 0.0 if t < start else min(1.0, (t - start + 1) / length)

    gross: dict[tuple[str, str, str, int], float] = {}
    cost: dict[tuple[str, str, str, int], float] = {}
    for lever, category in (("shared_services", "back_office"), ("assets", "estate")):  # spec 4.1, 4.4
        q = by_agency(v[f"{lever}.participation"])
        start = round(central(v[f"{lever}.start_year"]))
        implementation = round(central(v[f"{lever}.implementation_years"]))
        for p in places:
            n = sum(1 for a in AGENCIES if q[a] > 0 and s0[(p, a, category)] > 0)
            r = central(v[f"{lever}.max_rate"]) * (1 - math.exp(-central(v[f"{lever}.scale_k"]) * (n - 1))) if n else 0
            for a in AGENCIES:
                a0 = r * q[a] * spend(p, a, category, start) if start <= last else 0.0
                for t in years:
                    g = ramp(lever, t) * r * q[a] * spend(p, a, category, t)
                    if lever == "assets" and t == start + round(central(v["assets.ramp_years"])) - 1:
                        g += central(v["assets.receipts_multiple"]) * a0
                    gross[(p, a, lever, t)] = g
                    in_window = start <= t < start + implementation
                    cost[(p, a, lever, t)] = (
                        central(v[f"{lever}.cost_multiple"]) * a0 / implementation if in_window else 0
                    )
    q = by_agency(v["procurement.participation"])  # spec 4.2
    volume = {(p, t): sum(q[a] * spend(p, a, "procurement", t) for a in AGENCIES) for p in places for t in years}
    for p in places:
        for t in years:
            w = volume[(p, t)] if v["procurement.consortium"] == "place" else sum(volume[(x, t)] for x in places)
            d = 0.0
            if w > 0:
                d = central(v["procurement.base_discount"]) + central(v["procurement.volume_elasticity"]) * math.log(
                    w / central(v["procurement.reference_volume"])
                )
                d = min(max(d, 0.0), central(v["procurement.max_discount"]))
            for a in AGENCIES:
                in_scope = q[a] * spend(p, a, "procurement", t)
                g = ramp("procurement", t) * central(v["procurement.compliance"]) * d * in_scope
                c = central(v["procurement.fee_share"]) * g
                if t == round(central(v["procurement.start_year"])) and volume[(p, t)] > 0:
                    c += central(v["procurement.setup_cost"]) * in_scope / volume[(p, t)]
                gross[(p, a, "procurement", t)], cost[(p, a, "procurement", t)] = g, c
    q = by_agency(v["pooling.participation"])  # spec 4.3
    w_raw = by_agency(v["pooling.benefit_share"])
    w = {a: w_raw[a] / sum(w_raw.values()) for a in AGENCIES}
    lag = round(central(v["pooling.lag_years"]))
    for p in places:
        invested = {
            (a, t): ramp("pooling", t) * central(v["pooling.prevention_share"]) * q[a] * spend(p, a, "frontline", t)
            for a in AGENCIES
            for t in years
        }
        for t in years:
            avoided = sum(
                sum(invested[(a, y)] for a in AGENCIES)
                * central(v["pooling.return_rate"])
                * (1 - central(v["pooling.drop_off"])) ** (t - y - lag)
                for y in years
                if y <= t - lag
            )
            for a in AGENCIES:
                duplication = (
                    ramp("pooling", t) * central(v["pooling.duplication_rate"]) * q[a] * spend(p, a, "frontline", t)
                )
                gross[(p, a, "pooling", t)] = duplication + w[a] * avoided
                cost[(p, a, "pooling", t)] = invested[(a, t)]
    indicators = v["reporting.indicators"]  # spec 4.5
    if not isinstance(indicators, dict):
        indicators = {2009: indicators}

    def in_force(t: int) -> float:
        return central(indicators[max(y for y in indicators if y <= t)])

    for p in places:
        for a in AGENCIES:
            for t in years:
                saved = (in_force(2009) - in_force(t)) * central(v["reporting.cost_per_indicator"]) * n_la[p]
                gross[(p, a, "reporting", t)] = saved if a == "council" else 0.0
                cost[(p, a, "reporting", t)] = 0.0
    out: dict[tuple[str, str, str, int, str], float] = {}  # spec 5
    rate = central(v["appraisal.discount_rate"])
    for (p, a, lever, t), g in gross.items():
        b, o, dw, share = (
            central(v[f"appraisal.{lever}.{k}"])
            for k in ("benefit_optimism_bias", "cost_optimism_bias", "deadweight", "cashable_share")
        )
        adj_gross, adj_cost = g * (1 - b) * (1 - dw), cost[(p, a, lever, t)] * (1 + o)
        values = {
            "gross": g,
            "cost": cost[(p, a, lever, t)],
            "adj_gross": adj_gross,
            "adj_cost": adj_cost,
            "net": adj_gross - adj_cost,
            "cashable": adj_gross * share - adj_cost,
            "pv_net": (adj_gross - adj_cost) * (1 + rate) ** -(t - first),
        }
        out |= {(p, a, lever, t, m): x for m, x in values.items()}
    offer = v["single_offer.places"]  # spec 6
    offer = places if offer == "all" else offer
    for p in offer:
        for t in years:
            if t < round(central(v["single_offer.start_year"])):
                continue
            total = sum(out[(p, a, lever, t, "cashable")] for a in AGENCIES for lever in LEVERS)
            retained = central(v["single_offer.retained_share"]) * max(0.0, total)
            base = sum(spend(p, a, c, t) for a in AGENCIES for c in CATEGORIES)
            out[(p, "all", "single_offer", t, "retained")] = retained
            out[(p, "all", "single_offer", t, "exchequer")] = total - retained
            out[(p, "all", "single_offer", t, "target")] = central(v["single_offer.target_rate"]) * base
    return out


def assert_matches_reference(result) -> None:
    expected = reference_results(result)
    table = result.results
    got = {
        (p, a, lever, int(t), m): x
        for p, a, lever, t, m, x in table[["place", "agency", "lever", "year", "measure", "value"]].itertuples(
            index=False
        )
    }
    assert set(got) == set(expected)
    scale = max(abs(x) for x in expected.values()) or 1.0
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12 * scale), key
    npv = sum(x for (_, _, _, _, m), x in expected.items() if m == "pv_net")
    assert result.headlines["npv"] == pytest.approx(npv, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("scenario", scenario_names(PARAMS))
def test_shipped_scenarios_match_the_reference(scenario):
    assert_matches_reference(run(scenario, params_dir=PARAMS))


UNUSUAL = {
    "all_places_buy_together_and_offer_everywhere": {
        "procurement.consortium": "all",
        "single_offer.places": "all",
        "single_offer.start_year": 2010,
    },
    "long_horizon_late_starts_flat_growth": {
        "horizon.last_year": 2017,
        "baseline.real_growth": -0.02,
        "baseline.real_growth.nhs.2013": 0.05,
        "shared_services.start_year": 2013,
        "shared_services.implementation_years": 4,
        "assets.start_year": 2016,
        "assets.ramp_years": 1,
        "procurement.start_year": 2012,
        "pooling.lag_years": 0,
        "pooling.drop_off": 1.0,
    },
    "lever_after_horizon_and_volume_elasticity": {
        "shared_services.start_year": 2016,
        "procurement.volume_elasticity": 0.04,
        "procurement.reference_volume": 50,
        "procurement.participation.nhs": 0,
        "pooling.benefit_share": {"fire": 1},
        "reporting.indicators": {2009: 198, 2012: 120},
        "appraisal.discount_rate": 0.1,
        "pooling.lag_years": 3,
    },
    "first_year_is_the_base_year": {
        "horizon.first_year": 2009,
        "shared_services.start_year": 2009,
        "pooling.start_year": 2009,
        "single_offer.places": ["durham", "kent"],
        "single_offer.start_year": 2012,
    },
}


@pytest.mark.parametrize("name", UNUSUAL)
def test_unusual_settings_match_the_reference(name):
    assert_matches_reference(run("standard", params_dir=PARAMS, overrides=UNUSUAL[name]))
