"""Checks on params/: run `python params/check_params.py` (needs PyYAML).

- defaults.yaml and every scenario parse; every leaf parameter has value,
  description, unit (from the closed list) and source;
- every point of every distribution (low/mode/high, mean, median) and every
  plain number lies within the parameter's min/max (dotted-path bounds are
  resolved to the other parameter's central value); integer parameters have
  whole-number points;
- scenario `set` and `places` paths name parameters that exist, places named
  exist, and place values only use paths that can be set by place;
- build_spend.py rewrites places.csv, organisations.csv and spend.csv
  byte-identically; totals are printed.
"""
import csv
import hashlib
import os
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
UNITS = {"share", "share a year", "ratio", "GBP per GBP", "GBP m", "GBP m a year",
         "GBP m a year per LA per indicator", "year", "years", "count", "index",
         "choice", "place ids", "dotted paths"}
AGENCIES = ["council", "nhs", "police", "fire", "jobcentre", "other"]
PLACE_SETTABLE = ("baseline.", "shared_services.", "procurement.", "pooling.",
                  "assets.", "reporting.", "appraisal.shared_services.",
                  "appraisal.procurement.", "appraisal.pooling.", "appraisal.assets.",
                  "appraisal.reporting.")
NOT_BY_PLACE = ("procurement.consortium", "procurement.reference_volume")
problems = []


def leaves(tree, prefix=""):
    for k, v in tree.items():
        path = prefix + str(k)
        if isinstance(v, dict) and "value" in v and "source" in v:
            yield path, v
        elif isinstance(v, dict):
            yield from leaves(v, path + ".")


def central(v):
    if isinstance(v, dict) and "dist" in v:
        return v.get("mode", v.get("mean", v.get("median")))
    return v


def points(v):
    """Numbers in a value (distribution points or plain numbers), recursively."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return []
    if isinstance(v, (int, float)):
        return [v]
    if isinstance(v, dict) and "dist" in v:
        return [v[k] for k in ("low", "mode", "high", "mean", "median") if k in v]
    if isinstance(v, dict):
        return [p for x in v.values() for p in points(x)]
    if isinstance(v, list):
        return []
    return []


def check_value(where, meta, value, params):
    def bound(b):
        if isinstance(b, str):
            return central(params[b]["value"])
        return b
    lo, hi = bound(meta.get("min")), bound(meta.get("max"))
    for p in points(value):
        if lo is not None and p < lo:
            problems.append("%s: %r below min %r" % (where, p, lo))
        if hi is not None and p > hi:
            problems.append("%s: %r above max %r" % (where, p, hi))
        if meta.get("type") == "integer" and p != int(p):
            problems.append("%s: %r not whole" % (where, p))
    if isinstance(value, dict) and "dist" in value:
        d = value
        if d["dist"] in ("pert", "triangular") and not d["low"] <= d["mode"] <= d["high"]:
            problems.append("%s: low <= mode <= high fails" % where)


def find(params, path):
    """The parameter a dotted path (possibly into an agency/year key) names."""
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in params:
            return name
    return None


def main():
    defaults = yaml.safe_load(open(os.path.join(HERE, "defaults.yaml")))
    params = dict(leaves(defaults))
    for path, meta in params.items():
        for key in ("value", "description", "unit", "source"):
            if key not in meta:
                problems.append("%s: no %s" % (path, key))
        if meta.get("unit") not in UNITS:
            problems.append("%s: unit %r" % (path, meta.get("unit")))
        check_value(path, meta, meta["value"], params)
    places = [r["place"] for r in csv.DictReader(open(os.path.join(HERE, "places.csv")))]
    groups = {r["group"] for r in csv.DictReader(open(os.path.join(HERE, "places.csv"))) if r["group"]}
    assert not groups & set(places)
    sdir = os.path.join(HERE, "scenarios")
    names = sorted(f[:-5] for f in os.listdir(sdir) if f.endswith(".yaml"))
    for name in names:
        sc = yaml.safe_load(open(os.path.join(sdir, name + ".yaml")))
        for key in sc:
            if key not in ("name", "description", "extends", "set", "places", "correlations"):
                problems.append("%s: unknown key %s" % (name, key))
        if sc.get("name") != name:
            problems.append("%s: name %r" % (name, sc.get("name")))
        if sc.get("extends") and sc["extends"] not in names:
            problems.append("%s: extends %s" % (name, sc["extends"]))
        for path, value in (sc.get("set") or {}).items():
            target = find(params, path)
            if target is None:
                problems.append("%s: set %s names no parameter" % (name, path))
                continue
            if target == "single_offer.freedoms":
                for fpath, fvalue in value.items():
                    ft = find(params, fpath)
                    if ft is None or not fpath.startswith(PLACE_SETTABLE) or ft in NOT_BY_PLACE:
                        problems.append("%s: freedom %s cannot be set by place" % (name, fpath))
                    else:
                        check_value("%s freedom %s" % (name, fpath), params[ft], fvalue, params)
                continue
            if target == "single_offer.places":
                bad = [p for p in value if p not in places and p not in groups] if value != "all" else []
                if bad:
                    problems.append("%s: unknown single-offer places %s" % (name, bad))
                continue
            check_value("%s set %s" % (name, path), params[target], value, params)
        for place, entries in (sc.get("places") or {}).items():
            if place not in places:
                problems.append("%s: unknown place %s" % (name, place))
            for path, value in entries.items():
                target = find(params, path)
                if target is None or not path.startswith(PLACE_SETTABLE) or target in NOT_BY_PLACE:
                    problems.append("%s: places.%s.%s cannot be set by place" % (name, place, path))
                else:
                    check_value("%s places.%s.%s" % (name, place, path), params[target], value, params)
    # build_spend.py reproduces the CSV files byte for byte
    files = ["places.csv", "organisations.csv", "spend.csv"]
    before = {f: hashlib.sha256(open(os.path.join(HERE, f), "rb").read()).hexdigest() for f in files}
    subprocess.run([sys.executable, os.path.join(HERE, "build_spend.py")], check=True,
                   stdout=subprocess.DEVNULL)
    for f in files:
        if hashlib.sha256(open(os.path.join(HERE, f), "rb").read()).hexdigest() != before[f]:
            problems.append("%s: build_spend.py does not reproduce it" % f)
    rows = list(csv.DictReader(open(os.path.join(HERE, "places.csv"))))
    print("places %d, population %d, local authorities %d" % (
        len(rows), sum(int(r["population"]) for r in rows),
        sum(int(r["local_authorities"]) for r in rows)))
    spend = list(csv.DictReader(open(os.path.join(HERE, "spend.csv"))))
    print("spend rows %d, total GBP %.1fm" % (len(spend), sum(float(r["spend"]) for r in spend)))
    print("parameters %d, scenarios %d" % (len(params), len(names)))
    for p in problems:
        print("PROBLEM", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
