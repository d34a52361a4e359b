"""A deliberately simple second implementation of spec/model.md version 2, used as a test oracle.

`reference_run(params_dir, scenario, sets)` reads the files of spec section 11 by itself (YAML and CSV,
no tpmodel code) and computes the central case of sections 2-7 one scalar at a time, with plain loops.
It checks nothing that a valid input would not trip over: it is meant for valid inputs only.

Parameters are resolved leaf by leaf (spec s.2). A leaf is (parameter path, agency or None, year or None).
There are three layers, each a dict leaf -> central value:
    own[p]  the place's own values      (places.<p>.<path>)
    free    the single-offer freedoms  (applied only where p makes the offer)
    glob    the value for all places   (defaults, the scenario chain's `set`, then --set)
An assignment to a path writes every leaf under that path into its layer, in order, so later assignments
replace earlier ones leaf by leaf; the value of a leaf in place p is the first layer that has it.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

AGENCIES = ["council", "nhs", "police", "fire", "jobcentre", "other"]
CATEGORIES = ["back_office", "procurement", "frontline", "estate"]
LEVERS = ["shared_services", "procurement", "pooling", "assets", "reporting"]
MEASURES = ["gross", "receipts", "cost", "adj_gross", "adj_receipts", "adj_cost", "net", "cashable", "pv_net"]
INDICATORS = "reporting.indicators"
NONE = "no step"  # reporting.indicators: a year covered by an assignment that puts no step there (s.5.5)


@dataclass
class Reference:
    years: list[int]
    cells: dict[tuple[str, str, str, int, str], float] = field(default_factory=dict)
    offer: dict[tuple[str, int, str], Any] = field(default_factory=dict)
    headlines: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- values (s.1 integers, s.8 central values)


def is_dist(value: Any) -> bool:
    return isinstance(value, dict) and "dist" in value


def central(value: Any) -> float:
    """s.8: mode (triangular, pert), mean (uniform, normal), median (lognormal)."""
    if is_dist(value):
        kind = value["dist"]
        if kind in ("triangular", "pert"):
            return float(value["mode"])
        if kind == "uniform":
            return (float(value["low"]) + float(value["high"])) / 2
        if kind == "normal":
            return float(value["mean"])
        if kind == "lognormal":
            return float(value["median"])
        raise ValueError(f"unknown distribution {kind}")
    return float(value)


def is_integer_param(path: str) -> bool:
    """s.1: every *_year, *_years, and lag_years (lag_years ends in _years)."""
    name = path.split(".")[-1]
    return name.endswith("_year") or name.endswith("_years")


def leaf_value(path: str, value: Any) -> float | int:
    x = central(value)
    return math.floor(x + 0.5) if is_integer_param(path) else x  # s.1: rounded half up


def year_key(key: Any) -> Any:
    return int(key) if isinstance(key, str) and key.isdigit() else key


# ---------------------------------------------------------------- reading the files (s.11)


def read_defaults(path: Path) -> dict[str, dict]:
    """{dotted path: parameter mapping (value, index, type, ...)}."""
    params: dict[str, dict] = {}

    def walk(node: dict, prefix: str) -> None:
        for key, child in node.items():
            name = f"{prefix}{key}"
            if isinstance(child, dict) and "value" in child:
                params[name] = child
            elif isinstance(child, dict):
                walk(child, name + ".")

    walk(yaml.safe_load(path.read_text()), "")
    return params


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def scenario_chain(params_dir: Path, scenario: str) -> list[dict]:
    """The scenario files, root parent first (s.11 extends)."""
    candidate = Path(scenario)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        path = candidate
    else:
        path = params_dir / "scenarios" / f"{scenario}.yaml"
    chain = []
    while True:
        doc = yaml.safe_load(path.read_text()) or {}
        chain.append(doc)
        if not doc.get("extends"):
            break
        path = params_dir / "scenarios" / f"{doc['extends']}.yaml"
    return chain[::-1]


def parse_set(text: str) -> tuple[str, Any]:
    """--set PATH=VALUE, VALUE read as YAML."""
    path, _, value = text.partition("=")
    return path.strip(), yaml.safe_load(value)


def assignments(params: dict[str, dict], params_dir: Path, scenario: str, sets) -> list[tuple[str, Any, str, Any]]:
    """Every assignment in order, as (layer, place or None, path, value); layer in glob, own, free (s.2, s.11)."""
    out: list[tuple[str, Any, str, Any]] = []

    def add(path: str, value: Any) -> None:  # one `set` or --set entry
        if path.startswith("places."):
            _, place, rest = path.split(".", 2)
            out.append(("own", place, rest, value))
        elif path == "single_offer.freedoms":  # entries are ADDED to those there (s.11)
            for fpath, fvalue in (value or {}).items():
                out.append(("free", None, str(fpath), fvalue))
        elif path.startswith("single_offer.freedoms."):
            out.append(("free", None, path[len("single_offer.freedoms.") :], value))
        else:
            out.append(("glob", None, path, value))

    for path, param in params.items():  # the defaults
        if not path.startswith("presentation."):
            add(path, param["value"])
    for doc in scenario_chain(params_dir, scenario):  # parent before child
        for path, value in (doc.get("set") or {}).items():  # set entries in order
            add(str(path), value)
        for place, entries in (doc.get("places") or {}).items():  # then places entries in order
            for path, value in (entries or {}).items():
                out.append(("own", str(place), str(path), value))
    for text in sets:  # --set last
        add(*parse_set(text))
    return out


# ---------------------------------------------------------------- leaves (s.2, s.11)


def split_path(params: dict[str, dict], path: str) -> tuple[str, list]:
    """'baseline.real_growth.council.2012' -> ('baseline.real_growth', ['council', 2012])."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        name = ".".join(parts[:i])
        if name in params:
            return name, [year_key(k) for k in parts[i:]]
    raise ValueError(f"unknown parameter path {path}")


def expand(
    params: dict[str, dict], path: str, value: Any, years: list[int], indicator_years: list[int]
) -> list[tuple[tuple, Any]]:
    """The leaves that one assignment covers, with their values."""
    name, keys = split_path(params, path)
    index = params[name].get("index")
    kind = params[name].get("type", "number")
    if kind in ("choice", "places"):  # a string or a list, not a number
        assert not keys
        return [((name, None, None), value)]
    if index is None:
        assert not keys, path
        return [((name, None, None), leaf_value(name, value))]
    if index == "agency":
        if keys:  # one agency
            return [((name, keys[0], None), leaf_value(name, value))]
        if isinstance(value, dict) and not is_dist(value):  # a mapping: a missing agency means 0
            return [((name, a, None), leaf_value(name, value.get(a, 0))) for a in AGENCIES]
        return [((name, a, None), leaf_value(name, value)) for a in AGENCIES]  # one number: every agency
    if index == "year" and name == INDICATORS:  # s.5.5: a step function over its own years
        if keys:  # one year: a step from that year until the next year in the mapping
            return [((name, None, keys[0]), leaf_value(name, value))]
        if isinstance(value, dict) and not is_dist(value):  # the whole mapping: steps at its years only
            steps = {year_key(y): v for y, v in value.items()}
            return [((name, None, y), leaf_value(name, steps[y]) if y in steps else NONE) for y in indicator_years]
        # a single number: the count never changes (one step at the earliest year)
        return [
            ((name, None, y), leaf_value(name, value) if y == indicator_years[0] else NONE) for y in indicator_years
        ]
    if index == "year":
        if keys:
            return [((name, None, keys[0]), leaf_value(name, value))]
        return [((name, None, y), leaf_value(name, by_year(value, y))) for y in years]
    if index == "agency_year":
        if len(keys) == 2:  # one agency, one year
            return [((name, keys[0], keys[1]), leaf_value(name, value))]
        if len(keys) == 1:  # one agency, every year
            return [((name, keys[0], y), leaf_value(name, by_year(value, y))) for y in years]
        out = []
        for a in AGENCIES:
            node = value.get(a, 0) if isinstance(value, dict) and not is_dist(value) else value
            out += [((name, a, y), leaf_value(name, by_year(node, y))) for y in years]
        return out
    raise ValueError(f"unknown index {index} of {name}")


def by_year(value: Any, year: int) -> Any:
    """A number for every year, or a mapping year -> number where a missing year means 0."""
    if isinstance(value, dict) and not is_dist(value):
        return {year_key(y): v for y, v in value.items()}.get(year, 0)
    return value


def mentioned_indicator_years(params: dict[str, dict], todo: list) -> set[int]:
    years = set()
    for _, _, path, value in todo:
        name, keys = split_path(params, path)
        if name == INDICATORS:
            years |= set(keys)
            if isinstance(value, dict) and not is_dist(value):
                years |= {year_key(y) for y in value}
    return years


# ---------------------------------------------------------------- the run


def reference_run(params_dir: Path, scenario: str, sets=()) -> Reference:
    params_dir = Path(params_dir)
    params = read_defaults(params_dir / "defaults.yaml")
    todo = assignments(params, params_dir, scenario, sets)

    # s.1 horizon (not by place): the last global assignment wins
    horizon = {}
    for layer, _, path, value in todo:
        if layer == "glob" and path in ("horizon.first_year", "horizon.last_year"):
            horizon[path] = int(leaf_value(path, value))
    first, last = horizon["horizon.first_year"], horizon["horizon.last_year"]
    years = list(range(first, last + 1))
    year_leaves = list(range(min(2009, first), last + 1))  # growth applies from 2010 whatever the first year
    indicator_years = sorted(set(range(first - 1, last + 1)) | mentioned_indicator_years(params, todo))

    # s.2 the three layers
    glob: dict[tuple, Any] = {}
    free: dict[tuple, Any] = {}
    own: dict[str, dict[tuple, Any]] = {}
    for layer, place, path, value in todo:
        target = glob if layer == "glob" else free if layer == "free" else own.setdefault(place, {})
        for leaf, x in expand(params, path, value, year_leaves, indicator_years):
            target[leaf] = x

    # s.11 data
    place_rows = read_csv(params_dir / "places.csv")
    places = [r["place"] for r in place_rows]
    n_la = {r["place"]: float(r["local_authorities"]) for r in place_rows}
    group = {r["place"]: (r.get("group") or "").strip() for r in place_rows}
    orgs = {(p, a): 1.0 for p in places for a in AGENCIES}  # a missing row (or file) means 1
    if (params_dir / "organisations.csv").exists():
        for r in read_csv(params_dir / "organisations.csv"):
            orgs[(r["place"], r["agency"])] = float(r["organisations"])
    s0 = {(p, a, c): 0.0 for p in places for a in AGENCIES for c in CATEGORIES}  # a missing row means 0
    for r in read_csv(params_dir / "spend.csv"):
        s0[(r["place"], r["agency"], r["category"])] = float(r["spend"])

    # s.7 single-offer places (a group name means all its places; 'all' every place)
    named = glob.get(("single_offer.places", None, None), []) or []
    named = [named] if isinstance(named, str) and named != "all" else named
    if named == "all":
        offer_places = set(places)
    else:
        offer_places = {p for p in places if p in named or (group[p] and group[p] in named)}

    def par(p: str, path: str, agency: str | None = None, year: int | None = None) -> Any:
        """s.2: the first that exists of the place's own value, the freedom (offer places), the global value."""
        leaf = (path, agency, year)
        if leaf in own.get(p, {}):
            return own[p][leaf]
        if p in offer_places and leaf in free:
            return free[leaf]
        return glob[leaf]

    def gpar(path: str) -> Any:  # parameters that are never by place
        return glob[(path, None, None)]

    # s.3 baseline spend
    def spend(p: str, a: str, c: str, t: int) -> float:
        s = s0[(p, a, c)]
        for y in range(2010, t + 1):
            s *= 1 + par(p, "baseline.real_growth", a, y)
        return s

    # s.4 ramp
    def ramp(p: str, lever: str, t: int) -> float:
        start, length = par(p, f"{lever}.start_year"), par(p, f"{lever}.ramp_years")
        return 0.0 if t < start else min(1.0, (t - start + 1) / length)

    gross = {(p, a, L, t): 0.0 for p in places for a in AGENCIES for L in LEVERS for t in years}
    receipts = dict.fromkeys(gross, 0.0)
    cost = dict.fromkeys(gross, 0.0)

    # s.5.1 shared services (back_office) and s.5.4 assets (estate): the same partnership equations
    for lever, c in (("shared_services", "back_office"), ("assets", "estate")):
        for p in places:
            q = {a: par(p, f"{lever}.participation", a) for a in AGENCIES}
            n = sum(q[a] * orgs[(p, a)] * (1 if s0[(p, a, c)] > 0 else 0) for a in AGENCIES)
            r = par(p, f"{lever}.max_rate") * max(0.0, 1 - math.exp(-par(p, f"{lever}.scale_k") * (n - 1)))
            start = par(p, f"{lever}.start_year")
            impl = par(p, f"{lever}.implementation_years")
            for a in AGENCIES:
                for t in years:
                    gross[(p, a, lever, t)] = ramp(p, lever, t) * r * q[a] * spend(p, a, c, t)
                    if start <= t < start + impl and r > 0:
                        b_start = q[a] * spend(p, a, c, start)
                        cost[(p, a, lever, t)] = par(p, f"{lever}.cost_rate") * b_start / impl
                    if lever == "assets":  # s.5.4 receipts from the year the ramp first reaches 1
                        f = start + par(p, "assets.ramp_years") - 1
                        ry = par(p, "assets.receipts_years")
                        if f <= t < f + ry:
                            a0 = r * q[a] * spend(p, a, c, start)
                            receipts[(p, a, lever, t)] = par(p, "assets.receipts_multiple") * a0 / ry

    # s.5.2 collaborative procurement
    def in_scope_procurement(p: str, a: str, t: int) -> float:
        return par(p, "procurement.participation", a) * spend(p, a, "procurement", t)

    def volume(p: str, t: int) -> float:
        return sum(in_scope_procurement(p, a, t) for a in AGENCIES)

    consortium = gpar("procurement.consortium")
    v0 = gpar("procurement.reference_volume")
    for p in places:
        for t in years:
            if consortium == "place":
                w = volume(p, t)
            elif consortium == "group":  # a place with an empty group is a group of its own
                mine = group[p] or p
                w = sum(volume(x, t) for x in places if (group[x] or x) == mine)
            else:
                w = sum(volume(x, t) for x in places)
            d = 0.0
            if w > 0:
                d = par(p, "procurement.base_discount") + par(p, "procurement.volume_elasticity") * math.log(w / v0)
                d = min(max(d, 0.0), par(p, "procurement.max_discount"))
            v = volume(p, t)
            for a in AGENCIES:
                pa = in_scope_procurement(p, a, t)
                g = ramp(p, "procurement", t) * par(p, "procurement.compliance") * d * pa
                k = par(p, "procurement.fee_share") * g
                if t == par(p, "procurement.start_year") and v > 0:
                    k += par(p, "procurement.setup_cost") * pa / v
                gross[(p, a, "procurement", t)] = g
                cost[(p, a, "procurement", t)] = k

    # s.5.3 pooled budgets
    for p in places:
        lag, e_years = par(p, "pooling.lag_years"), par(p, "pooling.effect_years")
        shares = {a: par(p, "pooling.benefit_share", a) for a in AGENCIES}
        w = {a: shares[a] / sum(shares.values()) for a in AGENCIES}
        invest = {}  # I[p,a,t]
        for a in AGENCIES:
            for t in years:
                pool = par(p, "pooling.participation", a) * spend(p, a, "frontline", t)
                invest[(a, t)] = ramp(p, "pooling", t) * par(p, "pooling.prevention_share") * pool
                cost[(p, a, "pooling", t)] = invest[(a, t)]
                gross[(p, a, "pooling", t)] = ramp(p, "pooling", t) * par(p, "pooling.duplication_rate") * pool
        for t in years:
            avoided = 0.0
            for y in years:  # only investment made in the model's years counts
                if lag <= t - y < lag + e_years:
                    total = sum(invest[(a, y)] for a in AGENCIES)
                    avoided += total * par(p, "pooling.return_rate") * (1 - par(p, "pooling.drop_off")) ** (t - y - lag)
            for a in AGENCIES:
                gross[(p, a, "pooling", t)] += w[a] * avoided

    # s.5.5 reporting burden: a step function; base = N[first_year - 1]
    def indicators(p: str, t: int) -> float:
        """N[t]: the value of the latest year <= t that holds a step (a leaf no layer has holds none)."""
        found = None
        for y in indicator_years:
            leaf = (INDICATORS, None, y)
            layers = [own.get(p, {}), free if p in offer_places else {}, glob]
            x = next((layer[leaf] for layer in layers if leaf in layer), NONE)
            if y <= t and x != NONE:
                found = x
        if found is None:
            raise ValueError(f"{INDICATORS}: no year <= {t} in place {p}")
        return found

    for p in places:
        base = indicators(p, first - 1)
        for t in years:
            saved = (base - indicators(p, t)) * par(p, "reporting.cost_per_indicator") * n_la[p]
            gross[(p, "council", "reporting", t)] = saved

    # s.6 appraisal
    rate = gpar("appraisal.discount_rate")
    cells: dict[tuple[str, str, str, int, str], float] = {}
    for (p, a, L, t), g in gross.items():
        b = par(p, f"appraisal.{L}.benefit_optimism_bias")
        o = par(p, f"appraisal.{L}.cost_optimism_bias")
        dw = par(p, f"appraisal.{L}.deadweight")
        cdw = par(p, f"appraisal.{L}.cost_deadweight")
        share = par(p, f"appraisal.{L}.cashable_share")
        adj_gross = g * (1 - b) * (1 - dw)
        adj_receipts = receipts[(p, a, L, t)] * (1 - b) * (1 - dw)
        adj_cost = cost[(p, a, L, t)] * (1 + o) * (1 - cdw)
        net = adj_gross + adj_receipts - adj_cost
        values = {
            "gross": g,
            "receipts": receipts[(p, a, L, t)],
            "cost": cost[(p, a, L, t)],
            "adj_gross": adj_gross,
            "adj_receipts": adj_receipts,
            "adj_cost": adj_cost,
            "net": net,
            "cashable": adj_gross * share - adj_cost,
            "pv_net": net * (1 + rate) ** -(t - first),
        }
        for m, x in values.items():
            cells[(p, a, L, t, m)] = x

    # s.6 headlines: plain sums over places, agencies, levers, years
    npv = pv_benefits = pv_costs = pv_receipts = 0.0
    net_by_year = dict.fromkeys(years, 0.0)
    revenue_by_year = dict.fromkeys(years, 0.0)  # net less adj_receipts
    cashable_by_year = dict.fromkeys(years, 0.0)
    npv_by_lever = dict.fromkeys(LEVERS, 0.0)
    npv_by_agency = dict.fromkeys(AGENCIES, 0.0)
    npv_by_place = dict.fromkeys(places, 0.0)
    for p in places:
        for a in AGENCIES:
            for L in LEVERS:
                for t in years:
                    cell = {m: cells[(p, a, L, t, m)] for m in MEASURES}
                    df = (1 + rate) ** -(t - first)
                    npv += cell["pv_net"]
                    pv_benefits += (cell["adj_gross"] + cell["adj_receipts"]) * df
                    pv_costs += cell["adj_cost"] * df
                    pv_receipts += cell["adj_receipts"] * df
                    net_by_year[t] += cell["net"]
                    revenue_by_year[t] += cell["net"] - cell["adj_receipts"]
                    cashable_by_year[t] += cell["cashable"]
                    npv_by_lever[L] += cell["pv_net"]
                    npv_by_agency[a] += cell["pv_net"]
                    npv_by_place[p] += cell["pv_net"]
    cumulative, revenue_cumulative, running, revenue_running = {}, {}, 0.0, 0.0
    for t in years:
        running += net_by_year[t]
        revenue_running += revenue_by_year[t]
        cumulative[t] = running
        revenue_cumulative[t] = revenue_running
    payback = None  # first year whose cumulative revenue net is >= 0 and stays >= 0 to last_year
    if any(revenue_by_year[t] != 0 for t in years):  # null where nothing happens
        for t in years:
            if all(revenue_cumulative[u] >= 0 for u in years if u >= t):
                payback = t
                break
    headlines = {
        "npv": npv,
        "bcr": pv_benefits / pv_costs if pv_costs != 0 else None,
        "pv_receipts": pv_receipts,
        "net_by_year": net_by_year,
        "cumulative_net_by_year": cumulative,
        "cashable_by_year": cashable_by_year,
        "payback_year": payback,
        "npv_by_lever": npv_by_lever,
        "npv_by_agency": npv_by_agency,
        "npv_by_place": npv_by_place,
    }

    # s.7 single offer, start_year <= t <= min(end_year, last_year)
    offer: dict[tuple[str, int, str], Any] = {}
    if offer_places:
        start = glob.get(("single_offer.start_year", None, None), 2011)  # spec s.7 defaults
        end = glob.get(("single_offer.end_year", None, None), 2014)
        for p in places:
            if p not in offer_places:
                continue
            for t in years:
                if not start <= t <= min(end, last):
                    continue
                cash = sum(cells[(p, a, L, t, "cashable")] for a in AGENCIES for L in LEVERS)
                target = gpar("single_offer.target_rate") * sum(spend(p, a, c, t) for a in AGENCIES for c in CATEGORIES)
                retained = gpar("single_offer.retained_share") * cash
                offer[(p, t, "total_cashable")] = cash
                offer[(p, t, "target")] = target
                offer[(p, t, "retained")] = retained
                offer[(p, t, "exchequer")] = cash - retained
                offer[(p, t, "shortfall")] = max(0.0, target - cash)
                offer[(p, t, "target_met")] = cash >= target
    return Reference(years=years, cells=cells, offer=offer, headlines=headlines)
