"""Hand-worked checks of the v2 oracle (tests/reference_v2.py) on tiny worlds.

Every world starts from `BASE`: every lever off (participation 0, indicators constant), no growth, no
optimism bias or deadweight, cashable_share 1, discount rate 0, years 2010-2013. Each test switches on
what it needs; the arithmetic is in its docstring.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from .reference_v2 import AGENCIES, LEVERS, MEASURES, reference_run

LN2 = math.log(2)

BASE: dict[str, tuple] = {  # path: (value, extra metadata)
    "horizon.first_year": (2010, {"type": "integer"}),
    "horizon.last_year": (2013, {"type": "integer"}),
    "baseline.real_growth": (0.0, {"index": "agency_year"}),
    "shared_services.participation": (0.0, {"index": "agency"}),
    "shared_services.max_rate": (0.2, {}),
    "shared_services.scale_k": (0.5, {}),
    "shared_services.start_year": (2010, {"type": "integer"}),
    "shared_services.ramp_years": (1, {"type": "integer"}),
    "shared_services.cost_rate": (0.0, {}),
    "shared_services.implementation_years": (1, {"type": "integer"}),
    "procurement.participation": (0.0, {"index": "agency"}),
    "procurement.compliance": (1.0, {}),
    "procurement.base_discount": (0.05, {}),
    "procurement.volume_elasticity": (0.0, {}),
    "procurement.reference_volume": (100.0, {}),
    "procurement.max_discount": (0.5, {}),
    "procurement.consortium": ("place", {"type": "choice", "choices": ["place", "group", "all"]}),
    "procurement.fee_share": (0.0, {}),
    "procurement.setup_cost": (0.0, {}),
    "procurement.start_year": (2010, {"type": "integer"}),
    "procurement.ramp_years": (1, {"type": "integer"}),
    "pooling.participation": (0.0, {"index": "agency"}),
    "pooling.duplication_rate": (0.0, {}),
    "pooling.prevention_share": (0.0, {}),
    "pooling.return_rate": (0.0, {}),
    "pooling.lag_years": (0, {"type": "integer"}),
    "pooling.effect_years": (1, {"type": "integer"}),
    "pooling.drop_off": (0.0, {}),
    "pooling.benefit_share": ({"council": 1.0}, {"index": "agency"}),
    "pooling.start_year": (2010, {"type": "integer"}),
    "pooling.ramp_years": (1, {"type": "integer"}),
    "assets.participation": (0.0, {"index": "agency"}),
    "assets.max_rate": (0.2, {}),
    "assets.scale_k": (0.5, {}),
    "assets.start_year": (2010, {"type": "integer"}),
    "assets.ramp_years": (1, {"type": "integer"}),
    "assets.cost_rate": (0.0, {}),
    "assets.implementation_years": (1, {"type": "integer"}),
    "assets.receipts_multiple": (0.0, {}),
    "assets.receipts_years": (1, {"type": "integer"}),
    "reporting.indicators": (100, {"index": "year", "type": "integer"}),
    "reporting.cost_per_indicator": (1.0, {}),
    "appraisal.discount_rate": (0.0, {}),
    **{
        f"appraisal.{lever}.{name}": (1.0 if name == "cashable_share" else 0.0, {})
        for lever in LEVERS
        for name in ("benefit_optimism_bias", "cost_optimism_bias", "deadweight", "cost_deadweight", "cashable_share")
    },
    "single_offer.places": ([], {"type": "places"}),
    "single_offer.start_year": (2011, {"type": "integer"}),
    "single_offer.end_year": (2014, {"type": "integer"}),
    "single_offer.target_rate": (0.0, {}),
    "single_offer.retained_share": (0.5, {}),
    "single_offer.freedoms": ({}, {"type": "freedoms"}),
    "presentation.deflator": ({2010: 1.0}, {"index": "year"}),
}


def make_world(
    tmp_path: Path,
    spend: list[tuple[str, str, str, float]],
    places: list[tuple[str, int, str]] = (("a", 1, ""), ("b", 2, "")),
    orgs: list[tuple[str, str, float]] | None = None,
    changes: dict | None = None,
    scenarios: dict[str, dict] | None = None,
) -> Path:
    """A params folder: places (id, n_la, group), spend rows, organisation rows, defaults with `changes`."""
    root = tmp_path / "params"
    (root / "scenarios").mkdir(parents=True)
    tree: dict = {}
    for path, (value, extra) in BASE.items():
        value = (changes or {}).get(path, value)
        node = tree
        for key in path.split(".")[:-1]:
            node = node.setdefault(key, {})
        node[path.split(".")[-1]] = {"value": value, "description": "d", "unit": "u", "source": "test", **extra}
    (root / "defaults.yaml").write_text(yaml.safe_dump(tree, sort_keys=False))
    lines = ["place,name,population,local_authorities,group"]
    lines += [f"{p},{p.upper()},1000,{n},{g}" for p, n, g in places]
    (root / "places.csv").write_text("\n".join(lines) + "\n")
    lines = ["place,agency,category,spend"] + [f"{p},{a},{c},{x}" for p, a, c, x in spend]
    (root / "spend.csv").write_text("\n".join(lines) + "\n")
    if orgs is not None:
        lines = ["place,agency,organisations"] + [f"{p},{a},{n}" for p, a, n in orgs]
        (root / "organisations.csv").write_text("\n".join(lines) + "\n")
    docs = {"base": {"name": "base", "description": "d", "set": {}}, **(scenarios or {})}
    for name, doc in docs.items():
        (root / "scenarios" / f"{name}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return root


def series(ref, place: str, agency: str, lever: str, measure: str) -> list[float]:
    return [ref.cells[(place, agency, lever, t, measure)] for t in ref.years]


def approx(values):
    return pytest.approx(values, rel=1e-12, abs=1e-12)


def test_every_cell_is_there_and_all_off_is_zero(tmp_path):
    """Spec s.10: all participations 0 and indicators constant give zeros everywhere; 2 places x 6 agencies x
    5 levers x 4 years x 9 measures cells; bcr and payback null where nothing happens."""
    root = make_world(tmp_path, spend=[("a", "council", "back_office", 100.0), ("b", "nhs", "estate", 50.0)])
    ref = reference_run(root, "base")
    assert ref.years == [2010, 2011, 2012, 2013]
    assert len(ref.cells) == 2 * 6 * 5 * 4 * 9
    assert {m for *_, m in ref.cells} == set(MEASURES)
    assert all(x == 0 for x in ref.cells.values())
    assert ref.headlines["npv"] == 0 and ref.headlines["bcr"] is None and ref.headlines["payback_year"] is None
    assert ref.offer == {}


def test_councils_alone_share(tmp_path):
    """s.5.1. Place a: one agency (council) with O=3 organisations, q=0.5: n = 0.5*3 = 1.5;
    scale_k = 2 ln 2: r = 0.2 * (1 - exp(-2 ln 2 * 0.5)) = 0.2 * 0.5 = 0.1. B = 0.5*100 = 50.
    start 2011, ramp 2: gross = 0, 0.5*0.1*50 = 2.5, 5, 5.
    cost_rate 0.4 over 2 years: 0.4*50/2 = 10 in 2011 and 2012.
    Place b: council with O=1 (no row): n = 0.5 <= 1, r = 0: gross 0 and cost 0."""
    root = make_world(
        tmp_path,
        spend=[("a", "council", "back_office", 100.0), ("b", "council", "back_office", 100.0)],
        orgs=[("a", "council", 3)],
        changes={
            "shared_services.scale_k": 2 * LN2,
            "shared_services.start_year": 2011,
            "shared_services.ramp_years": 2,
            "shared_services.cost_rate": 0.4,
            "shared_services.implementation_years": 2,
        },
    )
    ref = reference_run(root, "base", ["shared_services.participation.council=0.5"])
    assert series(ref, "a", "council", "shared_services", "gross") == approx([0, 2.5, 5, 5])
    assert series(ref, "a", "council", "shared_services", "cost") == approx([0, 10, 10, 0])
    assert series(ref, "b", "council", "shared_services", "gross") == [0, 0, 0, 0]
    assert series(ref, "b", "council", "shared_services", "cost") == [0, 0, 0, 0]
    assert series(ref, "a", "nhs", "shared_services", "gross") == [0, 0, 0, 0]


def test_one_organisation_pays_nothing_and_cost_uses_start_year_spend(tmp_path):
    """s.5.1 with q = 1 for every agency (one number), cost_rate 0.5, one year from 2010, council growth 0.1.
    Place a: council back office 100, nhs back office 0 (nhs has frontline spend only):
    n = 1*1*[100>0] + 1*1*[0>0] = 1: r = 0, so gross 0 and cost 0 though cost_rate > 0.
    Place b: council and nhs back office 100 each: n = 2, r = 0.2*(1 - e^-0.5).
    council spend 110, 121, 133.1, 146.41: gross = r * that; cost 2010 = 0.5*110 = 55 (B at start_year).
    nhs: gross = r*100 every year; cost 2010 = 50."""
    root = make_world(
        tmp_path,
        spend=[
            ("a", "council", "back_office", 100.0),
            ("a", "nhs", "frontline", 50.0),
            ("b", "council", "back_office", 100.0),
            ("b", "nhs", "back_office", 100.0),
        ],
        changes={"shared_services.cost_rate": 0.5, "shared_services.participation": 1.0},
    )
    ref = reference_run(root, "base", ["baseline.real_growth.council=0.1"])
    for a in AGENCIES:
        assert series(ref, "a", a, "shared_services", "gross") == [0, 0, 0, 0]
        assert series(ref, "a", a, "shared_services", "cost") == [0, 0, 0, 0]
    r = 0.2 * (1 - math.exp(-0.5))
    assert series(ref, "b", "council", "shared_services", "gross") == approx([r * 110, r * 121, r * 133.1, r * 146.41])
    assert series(ref, "b", "council", "shared_services", "cost") == approx([55, 0, 0, 0])
    assert series(ref, "b", "nhs", "shared_services", "gross") == approx([r * 100] * 4)
    assert series(ref, "b", "nhs", "shared_services", "cost") == approx([50, 0, 0, 0])


def test_growth_from_2010_whatever_the_first_year(tmp_path):
    """s.3 with first_year 2012: council growth {2010: 0.1, 2011: 0.2, 2012: 0.5} (2013 missing: 0):
    S[2012] = 100*1.1*1.2*1.5 = 198 = S[2013]. Pooling from 2012, q=1, prevention 0.1: cost 19.8, 19.8.
    Place b's own growth {2012: -0.5} sets every year of its council growth (2010, 2011, 2013: 0):
    S = 50, 50, cost 5, 5. Discount 0.1 from first_year: pv_net[2013] = -19.8/1.1."""
    root = make_world(
        tmp_path,
        spend=[("a", "council", "frontline", 100.0), ("b", "council", "frontline", 100.0)],
        changes={
            "horizon.first_year": 2012,
            "pooling.start_year": 2012,
            "pooling.prevention_share": 0.1,
            "pooling.participation": {"council": 1.0},
            "baseline.real_growth": {"council": {2010: 0.1, 2011: 0.2, 2012: 0.5}, "nhs": 0.3},
            "appraisal.discount_rate": 0.1,
        },
        scenarios={"s": {"name": "s", "set": {"places.b.baseline.real_growth.council": {2012: -0.5}}}},
    )
    ref = reference_run(root, "s")
    assert ref.years == [2012, 2013]
    assert series(ref, "a", "council", "pooling", "cost") == approx([19.8, 19.8])
    assert series(ref, "b", "council", "pooling", "cost") == approx([5, 5])
    assert series(ref, "a", "council", "pooling", "pv_net") == approx([-19.8, -19.8 / 1.1])


def test_receipts_spread_cut_at_last_year_and_appraised(tmp_path):
    """s.5.4 and s.6. council and nhs estate 100, q=1: n=2, scale_k ln 2: r = 0.2*(1-1/2) = 0.1.
    start 2011, ramp 2: gross = 0, 5, 10, 10 per agency. cost_rate 0.3 over 2 years: 15 in 2011, 2012.
    A0 = 0.1*100 = 10; f = 2011+2-1 = 2012; receipts_multiple 6 over 3 years: 20 in 2012, 2013 (2014 is cut).
    Appraisal (assets): b 0.1, dw 0.2 -> x0.72; o 0.5, cdw 0.2 -> x1.2; cashable_share 0.5; rate 0.1.
    2012: adj_gross 7.2, adj_receipts 14.4, adj_cost 18, net 3.6, cashable 3.6-18 = -14.4, pv_net 3.6/1.21."""
    root = make_world(
        tmp_path,
        spend=[("a", "council", "estate", 100.0), ("a", "nhs", "estate", 100.0)],
        changes={
            "assets.participation": 1.0,
            "assets.scale_k": LN2,
            "assets.start_year": 2011,
            "assets.ramp_years": 2,
            "assets.cost_rate": 0.3,
            "assets.implementation_years": 2,
            "assets.receipts_multiple": 6.0,
            "assets.receipts_years": 3,
            "appraisal.assets.benefit_optimism_bias": 0.1,
            "appraisal.assets.deadweight": 0.2,
            "appraisal.assets.cost_optimism_bias": 0.5,
            "appraisal.assets.cost_deadweight": 0.2,
            "appraisal.assets.cashable_share": 0.5,
        },
    )
    ref = reference_run(root, "base", ["appraisal.discount_rate=0.1"])
    for a in ("council", "nhs"):
        assert series(ref, "a", a, "assets", "gross") == approx([0, 5, 10, 10])
        assert series(ref, "a", a, "assets", "receipts") == approx([0, 0, 20, 20])
        assert series(ref, "a", a, "assets", "cost") == approx([0, 15, 15, 0])
        assert series(ref, "a", a, "assets", "adj_receipts") == approx([0, 0, 14.4, 14.4])
        assert series(ref, "a", a, "assets", "adj_cost") == approx([0, 18, 18, 0])
        assert series(ref, "a", a, "assets", "net") == approx([0, 3.6 - 18, 3.6, 21.6])
        assert series(ref, "a", a, "assets", "cashable") == approx([0, 1.8 - 18, 3.6 - 18, 3.6])
        assert series(ref, "a", a, "assets", "pv_net") == approx([0, -14.4 / 1.1, 3.6 / 1.21, 21.6 / 1.331])
    h = ref.headlines
    assert h["pv_receipts"] == pytest.approx(2 * (14.4 / 1.21 + 14.4 / 1.331))
    benefits = 2 * (3.6 / 1.1 + (7.2 + 14.4) / 1.21 + (7.2 + 14.4) / 1.331)
    assert h["bcr"] == pytest.approx(benefits / (2 * (18 / 1.1 + 18 / 1.21)))
    assert h["npv"] == pytest.approx(2 * (-14.4 / 1.1 + 3.6 / 1.21 + 21.6 / 1.331))
    assert h["npv_by_lever"]["assets"] == pytest.approx(h["npv"]) and h["npv_by_lever"]["pooling"] == 0
    assert h["npv_by_agency"]["nhs"] == pytest.approx(h["npv"] / 2)
    assert h["npv_by_place"] == pytest.approx({"a": h["npv"], "b": 0.0})
    assert h["net_by_year"] == approx({2010: 0, 2011: -28.8, 2012: 7.2, 2013: 43.2})
    assert h["cumulative_net_by_year"] == approx({2010: 0, 2011: -28.8, 2012: -21.6, 2013: 21.6})
    assert h["cashable_by_year"] == approx({2010: 0, 2011: -32.4, 2012: -28.8, 2013: 7.2})


def test_pooling_effect_years_lag_and_drop_off(tmp_path):
    """s.5.3. council frontline 100 in each place, q council 1: I = 0.1*100 = 10 a year from 2010, R 2, lag 1.
    duplication 0.05: D = 5. benefit_share {council 1, nhs 3} -> w 0.25, 0.75.
    Place a, E = 1: X = 0, 20, 20, 20 (GBP 1 in y avoids R in y+1 only).
    Place b (own values), E = 3, drop_off 0.5: X[2011] = 20; X[2012] = 20*0.5 + 20 = 30;
    X[2013] = 20*0.25 + 20*0.5 + 20 = 35.
    gross council = 5 + 0.25 X; gross nhs = 0.75 X; cost council = 10."""
    root = make_world(
        tmp_path,
        spend=[("a", "council", "frontline", 100.0), ("b", "council", "frontline", 100.0)],
        changes={
            "pooling.participation": {"council": 1.0},
            "pooling.prevention_share": 0.1,
            "pooling.duplication_rate": 0.05,
            "pooling.return_rate": 2.0,
            "pooling.lag_years": 1,
            "pooling.benefit_share": {"council": 1.0, "nhs": 3.0},
        },
        scenarios={"s": {"name": "s", "places": {"b": {"pooling.effect_years": 3, "pooling.drop_off": 0.5}}}},
    )
    ref = reference_run(root, "s")
    assert series(ref, "a", "council", "pooling", "gross") == approx([5, 10, 10, 10])
    assert series(ref, "a", "nhs", "pooling", "gross") == approx([0, 15, 15, 15])
    assert series(ref, "a", "council", "pooling", "cost") == approx([10, 10, 10, 10])
    assert series(ref, "a", "nhs", "pooling", "cost") == [0, 0, 0, 0]
    assert series(ref, "b", "council", "pooling", "gross") == approx([5, 10, 12.5, 13.75])
    assert series(ref, "b", "nhs", "pooling", "gross") == approx([0, 15, 22.5, 26.25])


def test_group_and_all_consortium(tmp_path):
    """s.5.2. a (council 60, nhs 40) and b (council 100) are group g; c (council 100) has no group.
    q = 1, d0 0.05, e 0.01, V0 100, compliance 1, fee 0.1, setup 1.0 in 2010.
    group: W_a = W_b = 200, W_c = 100. d_a = 0.05 + 0.01 ln 2; b's own max_discount 0.05 clips d_b to 0.05;
    d_c = 0.05. gross a council = 60 d_a; cost a council 2010 = 0.1*60 d_a + 1.0*60/100, 2011 = 0.1*60 d_a.
    all: W = 300 for everyone: d_a = d_c = 0.05 + 0.01 ln 3."""
    root = make_world(
        tmp_path,
        places=[("a", 1, "g"), ("b", 1, "g"), ("c", 1, "")],
        spend=[
            ("a", "council", "procurement", 60.0),
            ("a", "nhs", "procurement", 40.0),
            ("b", "council", "procurement", 100.0),
            ("c", "council", "procurement", 100.0),
        ],
        changes={
            "procurement.participation": 1.0,
            "procurement.volume_elasticity": 0.01,
            "procurement.fee_share": 0.1,
            "procurement.setup_cost": 1.0,
            "procurement.consortium": "group",
        },
        scenarios={"s": {"name": "s", "set": {"places.b.procurement.max_discount": 0.05}}},
    )
    ref = reference_run(root, "s")
    d_a = 0.05 + 0.01 * LN2
    assert series(ref, "a", "council", "procurement", "gross") == approx([60 * d_a] * 4)
    assert series(ref, "a", "nhs", "procurement", "gross") == approx([40 * d_a] * 4)
    assert series(ref, "a", "council", "procurement", "cost") == approx([6 * d_a + 0.6] + [6 * d_a] * 3)
    assert series(ref, "a", "nhs", "procurement", "cost") == approx([4 * d_a + 0.4] + [4 * d_a] * 3)
    assert series(ref, "b", "council", "procurement", "gross") == approx([5.0] * 4)
    assert series(ref, "c", "council", "procurement", "gross") == approx([5.0] * 4)
    ref = reference_run(root, "s", ["procurement.consortium=all"])
    d = 0.05 + 0.01 * math.log(3)
    assert series(ref, "a", "council", "procurement", "gross") == approx([60 * d] * 4)
    assert series(ref, "c", "council", "procurement", "gross") == approx([100 * d] * 4)
    assert series(ref, "b", "council", "procurement", "gross") == approx([5.0] * 4)


def test_payback_ignores_receipts(tmp_path):
    """s.6 payback. Assets from 2010, ramp 1: council estate 100, O = 3, q 1: n = 3; scale_k ln2/2:
    r = 0.2*(1 - 1/2) = 0.1; gross 10 a year; cost_rate 0.25 in one year: 25 in 2010;
    receipts 3*10 = 30 in 2010 (f = 2010, one year).
    revenue net -15, 10, 10, 10: cumulative -15, -5, 5, 15: payback 2012 (2010 if receipts counted).
    net 15, 10, 10, 10; cumulative 15, 25, 35, 45; npv 45; bcr = (40 + 30)/25 = 2.8; pv_receipts 30."""
    root = make_world(
        tmp_path,
        spend=[("a", "council", "estate", 100.0)],
        orgs=[("a", "council", 3)],
        changes={
            "assets.participation": {"council": 1.0},
            "assets.scale_k": LN2 / 2,
            "assets.cost_rate": 0.25,
            "assets.receipts_multiple": 3.0,
        },
    )
    h = reference_run(root, "base").headlines
    assert h["payback_year"] == 2012
    assert h["net_by_year"] == approx({2010: 15, 2011: 10, 2012: 10, 2013: 10})
    assert h["cumulative_net_by_year"] == approx({2010: 15, 2011: 25, 2012: 35, 2013: 45})
    assert h["npv"] == pytest.approx(45) and h["bcr"] == pytest.approx(2.8) and h["pv_receipts"] == pytest.approx(30)


def test_payback_must_stay_non_negative(tmp_path):
    """s.6 payback and s.5.5 (gross negative, not clipped, where indicators rise above the base).
    indicators {2009: 100, 2010: 90, 2011: 115, 2012: 50}, cost 1 per LA per indicator; a 1 LA, b 2 LAs:
    gross a = 10, -15, 50, 50; b = 20, -30, 100, 100; total 30, -45, 150, 150; cumulative 30, -15, 135, 285:
    2010 is >= 0 but does not stay so: payback 2012."""
    root = make_world(tmp_path, spend=[], changes={"reporting.indicators": {2009: 100, 2010: 90, 2011: 115, 2012: 50}})
    ref = reference_run(root, "base")
    assert series(ref, "a", "council", "reporting", "gross") == approx([10, -15, 50, 50])
    assert series(ref, "b", "council", "reporting", "gross") == approx([20, -30, 100, 100])
    assert series(ref, "b", "nhs", "reporting", "gross") == [0, 0, 0, 0]
    assert ref.headlines["payback_year"] == 2012


def test_reporting_base_and_steps(tmp_path):
    """s.5.5 with first_year 2011: indicators {2009: 198, 2010: 170, 2012: 100}; base = N[2010] = 170.
    cost 0.5; a 1 LA, b 2 LAs. b: 2011 0, 2012 70*0.5*2 = 70, 2013 70.
    --set reporting.indicators.2013=150 adds a step: b 2013 = 20*0.5*2 = 20.
    a's own 2011: 120 is a step until the next year (2012, global): a = 25, 35, 10 (its 2013 falls through).
    b's own full mapping {2010: 170, 2013: 160} covers every year, global steps included: b = 0, 0, 10."""
    root = make_world(
        tmp_path,
        spend=[],
        changes={
            "horizon.first_year": 2011,
            "reporting.indicators": {2009: 198, 2010: 170, 2012: 100},
            "reporting.cost_per_indicator": 0.5,
        },
    )
    ref = reference_run(root, "base")
    assert series(ref, "b", "council", "reporting", "gross") == approx([0, 70, 70])
    ref = reference_run(root, "base", ["reporting.indicators.2013=150"])
    assert series(ref, "b", "council", "reporting", "gross") == approx([0, 70, 20])
    ref = reference_run(
        root,
        "base",
        [
            "reporting.indicators.2013=150",
            "places.a.reporting.indicators.2011=120",
            "places.b.reporting.indicators={2010: 170, 2013: 160}",
        ],
    )
    assert series(ref, "a", "council", "reporting", "gross") == approx([25, 35, 10])
    assert series(ref, "b", "council", "reporting", "gross") == approx([0, 0, 10])


def test_reporting_single_number_then_one_year(tmp_path):
    """s.5.5 and s.11: indicators 100 (one number: never changes); setting 2012 to 80 adds a step from 2012
    to the end: gross a = 0, 0, 20, 20 (not only 2012)."""
    root = make_world(tmp_path, spend=[])
    ref = reference_run(root, "base", ["reporting.indicators.2012=80"])
    assert series(ref, "a", "council", "reporting", "gross") == approx([0, 0, 20, 20])


def test_three_layers(tmp_path):
    """s.2 with pooling duplication only: gross = u[p] * q[p,a] * 100 (frontline 100 for three agencies).
    parent: global u 0.3, q 0.5 (all agencies); place a: q nhs 0.9 (in `set`), u 0.4 (in `places`).
    child (extends parent): global q council 0.7, q nhs 0.2, u 0.2; place b: u 0.1.
    a: u 0.4 (its own value beats the child's later global 0.2); council 0.7 (its nhs leaf does not stop the
    council leaf following the global change), nhs 0.9, police 0.5: gross 28, 36, 20.
    b: u 0.1 (child's place value over the globals): council 7, nhs 2, police 5.
    Then --set pooling.participation=1 and places.b.pooling.participation.police=0:
    a: council 40, nhs 36, police 40; b: council 10, nhs 10, police 0."""
    spend = [(p, a, "frontline", 100.0) for p in ("a", "b") for a in ("council", "nhs", "police")]
    parent = {
        "name": "parent",
        "set": {
            "pooling.duplication_rate": 0.3,
            "pooling.participation": 0.5,
            "places.a.pooling.participation.nhs": 0.9,
        },
        "places": {"a": {"pooling.duplication_rate": 0.4}},
    }
    child = {
        "name": "child",
        "extends": "parent",
        "set": {
            "pooling.participation.council": 0.7,
            "pooling.participation.nhs": 0.2,
            "pooling.duplication_rate": 0.2,
        },
        "places": {"b": {"pooling.duplication_rate": 0.1}},
    }
    root = make_world(tmp_path, spend=spend, scenarios={"parent": parent, "child": child})

    def gross(ref, p):
        return [ref.cells[(p, a, "pooling", 2011, "gross")] for a in ("council", "nhs", "police")]

    ref = reference_run(root, "child")
    assert gross(ref, "a") == approx([28, 36, 20])
    assert gross(ref, "b") == approx([7, 2, 5])
    ref = reference_run(root, "child", ["pooling.participation=1", "places.b.pooling.participation.police=0"])
    assert gross(ref, "a") == approx([40, 36, 40])
    assert gross(ref, "b") == approx([10, 10, 0])
    ref = reference_run(root, str(root / "scenarios" / "parent.yaml"))  # a scenario given as a path
    assert gross(ref, "a") == approx([20, 36, 20])
    assert gross(ref, "b") == approx([15, 15, 15])


def test_freedoms_only_in_offer_places_and_lose_to_own_values(tmp_path):
    """s.2 layer 2 and s.7. indicators 100 everywhere; a 1 LA, b 2 LAs.
    parent freedom reporting.indicators.2011: 30; child adds freedom cost_per_indicator 5; a's own cost 2.
    Offer [a]: a = 0, 70*2 = 140, 140, 140 (own cost 2 beats the freedom's 5); b (no offer) = 0.
    Offer [a, b]: b = 0, 70*5*2 = 700, 700, 700.
    --set single_offer.freedoms={reporting.indicators.2011: 50} is added and wins for that leaf:
    a = 0, 50*2 = 100, ...; b = 0, 50*5*2 = 500, ..."""
    parent = {"name": "parent", "set": {"single_offer.freedoms": {"reporting.indicators.2011": 30}}}
    child = {
        "name": "child",
        "extends": "parent",
        "set": {"single_offer.places": ["a"], "single_offer.freedoms": {"reporting.cost_per_indicator": 5}},
        "places": {"a": {"reporting.cost_per_indicator": 2}},
    }
    root = make_world(tmp_path, spend=[], scenarios={"parent": parent, "child": child})
    ref = reference_run(root, "child")
    assert series(ref, "a", "council", "reporting", "gross") == approx([0, 140, 140, 140])
    assert series(ref, "b", "council", "reporting", "gross") == [0, 0, 0, 0]
    ref = reference_run(root, "child", ["single_offer.places=[a, b]"])
    assert series(ref, "b", "council", "reporting", "gross") == approx([0, 700, 700, 700])
    ref = reference_run(
        root, "child", ["single_offer.places=all", "single_offer.freedoms={reporting.indicators.2011: 50}"]
    )
    assert series(ref, "a", "council", "reporting", "gross") == approx([0, 100, 100, 100])
    assert series(ref, "b", "council", "reporting", "gross") == approx([0, 500, 500, 500])


def test_single_offer_shortfall_and_target_met(tmp_path):
    """s.7. Offer by group name g (place a only). a: council frontline 1000, growth {2012: 0.1}:
    spend 1000, 1000, 1100, 1100; target_rate 0.01: target 10, 10, 11, 11. Reporting indicators
    {2009: 100, 2011: 95, 2012: 85, 2013: 104}, 1 LA, cost 1, cashable share 1: cashable 0, 5, 15, -4.
    Deal 2011 to 2014, cut at last_year 2013; retained_share 0.5:
    2011: retained 2.5, exchequer 2.5, shortfall 5, not met; 2012: 7.5, 7.5, 0, met;
    2013: -2, -2 (losses shared), shortfall 11 + 4 = 15, not met. No rows for 2010 or for b.
    With end_year 2012 only 2011 and 2012."""
    root = make_world(
        tmp_path,
        places=[("a", 1, "g"), ("b", 1, "")],
        spend=[("a", "council", "frontline", 1000.0), ("b", "council", "frontline", 1000.0)],
        changes={
            "reporting.indicators": {2009: 100, 2011: 95, 2012: 85, 2013: 104},
            "baseline.real_growth": {"council": {2012: 0.1}},
            "single_offer.target_rate": 0.01,
        },
        scenarios={"s": {"name": "s", "set": {"single_offer.places": ["g"]}}},
    )
    ref = reference_run(root, "s")
    expected = {
        2011: {"total_cashable": 5, "target": 10, "retained": 2.5, "exchequer": 2.5, "shortfall": 5},
        2012: {"total_cashable": 15, "target": 11, "retained": 7.5, "exchequer": 7.5, "shortfall": 0},
        2013: {"total_cashable": -4, "target": 11, "retained": -2, "exchequer": -2, "shortfall": 15},
    }
    got = {(p, t, m): x for (p, t, m), x in ref.offer.items() if m != "target_met"}
    assert got == approx({("a", t, m): x for t, row in expected.items() for m, x in row.items()})
    assert [ref.offer[("a", t, "target_met")] for t in (2011, 2012, 2013)] == [False, True, False]
    ref = reference_run(root, "s", ["single_offer.end_year=2012"])
    assert sorted({t for (_, t, _) in ref.offer}) == [2011, 2012]


def test_central_values_and_integer_rounding(tmp_path):
    """s.8 central values and s.1 rounding half up. council frontline 100, q 1.
    duplication uniform(0, 0.2) -> 0.1; prevention pert mode 0.05; return lognormal median 2;
    drop_off normal mean 0.5 (truncated; the mean given); start_year 2010.5 -> 2011; lag_years 0.5 -> 1
    (not Python's round to even, which gives 2010 and 0); effect_years 2.
    D = 0, 10, 10, 10; I = 0, 5, 5, 5; X[2012] = 5*2 = 10; X[2013] = 10 + 5*2*0.5 = 15.
    gross = 0, 10, 20, 25."""
    root = make_world(
        tmp_path,
        spend=[("a", "council", "frontline", 100.0)],
        changes={
            "pooling.participation": {"council": 1.0},
            "pooling.duplication_rate": {"dist": "uniform", "low": 0.0, "high": 0.2},
            "pooling.prevention_share": {"dist": "pert", "low": 0.0, "mode": 0.05, "high": 0.5},
            "pooling.return_rate": {"dist": "lognormal", "median": 2.0, "sigma": 0.5},
            "pooling.drop_off": {"dist": "normal", "mean": 0.5, "sd": 0.1, "low": 0.45, "high": 0.9},
            "pooling.start_year": 2010.5,
            "pooling.lag_years": 0.5,
            "pooling.effect_years": 2,
        },
    )
    ref = reference_run(root, "base")
    assert series(ref, "a", "council", "pooling", "gross") == approx([0, 10, 20, 25])
    assert series(ref, "a", "council", "pooling", "cost") == approx([0, 5, 5, 5])
