"""Build params/spend.csv (base-year operating spend S0[p,a,c]) from places.csv.

Method (research/total_place.md section 6; see params/README.md):

    S0[p,a,c] = population[p] * per_head[a] * share[a,c] * k[p] / 1e6

in GBP million, 2009-10 spend at real 2010-11 prices, rounded half-up to
3 decimals. k[p] = 1.0 for every place (no sourced place adjustment).

Pure standard library, integer arithmetic only, so the output is identical
on every platform. Run from anywhere:

    python params/build_spend.py

It reads places.csv and writes spend.csv next to this script.
"""

import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PLACES = os.path.join(HERE, "places.csv")
SPEND = os.path.join(HERE, "spend.csv")

AGENCIES = ["council", "nhs", "police", "fire", "jobcentre", "other"]
CATEGORIES = ["back_office", "procurement", "frontline", "estate"]

# National operating spend per head, England 2009-10, GBP at real 2010-11
# prices. Source: research/total_place.md section 6.1, column "per head,
# real 2010-11 (e)" (estimates built from refs [43]-[48]; "other" is an
# assumption, central value of a 150-450 range). Sum = 3,975 a head.
PER_HEAD = {
    "council": 1755,
    "nhs": 1570,
    "police": 236,
    "fire": 41,
    "jobcentre": 63,
    "other": 310,
}

# Category shares of each agency's operating spend, in hundredths (so
# 10 = 0.10). Source: research/total_place.md section 6.2 (all estimates).
# Each row sums to 100.
#            back_office procurement frontline estate
SHARE = {
    "council":   {"back_office": 10, "procurement": 30, "frontline": 54, "estate": 6},
    "nhs":       {"back_office": 6, "procurement": 15, "frontline": 74, "estate": 5},
    "police":    {"back_office": 12, "procurement": 8, "frontline": 76, "estate": 4},
    "fire":      {"back_office": 8, "procurement": 8, "frontline": 78, "estate": 6},
    "jobcentre": {"back_office": 15, "procurement": 15, "frontline": 58, "estate": 12},
    "other":     {"back_office": 10, "procurement": 20, "frontline": 64, "estate": 6},
}

# Place factor k[p] as an exact fraction (numerator, denominator).
# Default 1.0 everywhere: the research offers no sourced adjustment.
DEFAULT_K = (1, 1)
K = {}


def spend_thousandths(population, per_head, share_pct, k):
    """S0 in thousandths of GBP m, rounded half-up, exact integer arithmetic.

    S0 [GBP m] = pop * per_head * (share_pct / 100) * (kn / kd) / 1e6
    thousandths of GBP m = pop * per_head * share_pct * kn / (kd * 1e5)
    """
    kn, kd = k
    num = population * per_head * share_pct * kn
    den = kd * 100000
    q, r = divmod(num, den)
    if 2 * r >= den:
        q += 1
    return q


def fmt(thousandths):
    return "%d.%03d" % divmod(thousandths, 1000)


def read_places(path):
    with open(path, newline="", encoding="ascii") as f:
        reader = csv.DictReader(f)
        expected = ["place", "name", "population", "local_authorities"]
        if reader.fieldnames != expected:
            sys.exit("%s: header must be %s, got %s"
                     % (path, ",".join(expected), reader.fieldnames))
        rows = []
        for row in reader:
            pop = int(row["population"])
            if pop < 0:
                sys.exit("%s: negative population for %s" % (path, row["place"]))
            rows.append((row["place"], pop))
    return rows


def main():
    for a in AGENCIES:
        assert sum(SHARE[a].values()) == 100, a
    places = read_places(PLACES)
    out = []
    totals = []
    for place, pop in places:
        k = K.get(place, DEFAULT_K)
        place_total = 0
        for a in AGENCIES:
            for c in CATEGORIES:
                v = spend_thousandths(pop, PER_HEAD[a], SHARE[a][c], k)
                place_total += v
                out.append((place, a, c, fmt(v)))
        totals.append((place, place_total))
    with open(SPEND, "w", newline="", encoding="ascii") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["place", "agency", "category", "spend"])
        w.writerows(out)
    grand = sum(t for _, t in totals)
    for place, t in totals:
        print("%-16s %12s" % (place, fmt(t)))
    print("%-16s %12s" % ("TOTAL", fmt(grand)))
    print("wrote %d rows to %s" % (len(out), SPEND))


if __name__ == "__main__":
    main()
