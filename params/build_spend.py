"""Build params/places.csv, params/organisations.csv and params/spend.csv.

    python params/build_spend.py

Every input figure is a named constant below with a comment citing where it
comes from ("research notes" = the project's research notes, cited in the
project's shorthand research/<file>.md s.<section> [ref]; seeds by file
name). The script uses the standard library only and integer arithmetic for
every value it writes, so running it again rewrites the three files
byte-identically (LF line endings, fixed row order).

Method (details and status of every figure in params/README.md):

    S0[p,a,c] = population[p] x per_head[a] x k[p,a] x share[a,c] / 1e6

with per_head[a] national operating spend per head (England 2009-10, real
2010-11 prices; council spend excludes schools, housing benefit, police and
fire), k[p,a] a place factor (1.00 where nothing place-specific is known)
and share[a,c] the split of agency a's spend into the four categories.
"""

import csv
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PLACES_CSV = os.path.join(HERE, "places.csv")
ORGANISATIONS_CSV = os.path.join(HERE, "organisations.csv")
SPEND_CSV = os.path.join(HERE, "spend.csv")

AGENCIES = ["council", "nhs", "police", "fire", "jobcentre", "other"]
CATEGORIES = ["back_office", "procurement", "frontline", "estate"]

# ---------------------------------------------------------------------------
# Step 1. Places: id, display name, mid-2009 population, local authorities,
# group.
#
# Population: mid-2009 on the census-consistent basis (basis (b): revised
# after the 2011 census), research/places.md s.2.2 (2011 census counts summed
# by place [7], interpolated 2001-2011 or scaled back from 2011; Birmingham
# derived from the city's own census-rebased series TP[12]). One basis for
# every place and for England (ENGLAND_POP_2009 below).
#
# local_authorities: pilot partner councils, summing to the official 63
# (seed 001_87f5307b911aeea9.txt "63 local authorities"). Structural counts
# (research/places.md s.1) sum to 67; the gap of 4 is put in csw (4 of its 5
# Warwickshire districts not formal partners: assumption, README s.1.2).
#
# group: sub-region / city region shared with another pilot, research/places.md
# s.7: west_midlands = Birmingham, Coventry & Black Country city-region MAA
# (Sep 2009) [17] plus West Midlands Police and FRA serving both [7][8];
# london = Metropolitan Police, LFEPA and London probation serve both [7][8];
# tyne_wear = Tyne and Wear city-region MAA (Jul 2008), members include
# Gateshead, South Tyneside, Sunderland and Durham [16]. Worcestershire shares
# only the GOR region with the west_midlands pair (West Mercia police,
# Hereford & Worcester fire, no MAA), so it has no group.
PLACES = [
    # id, name, population, local_authorities, group
    ("birmingham", "Birmingham", 1050100, 1, "west_midlands"),
    ("dorset", "Bournemouth, Dorset & Poole", 734300, 9, ""),
    ("bradford", "Bradford", 512100, 1, ""),
    ("luton_cbeds", "Luton & Central Bedfordshire", 451600, 2, ""),
    ("csw", "Coventry, Solihull & Warwickshire", 1055800, 4, "west_midlands"),
    ("croydon", "Croydon", 357700, 1, "london"),
    ("durham", "Durham", 509300, 1, "tyne_wear"),
    ("kent", "Kent", 1429200, 13, ""),
    ("leicestershire", "Leicester & Leicestershire", 967500, 9, ""),
    ("lewisham", "Lewisham", 270500, 1, "london"),
    ("manchester", "Manchester city region incl. Warrington", 2849300, 11, ""),
    ("south_tyne", "South Tyneside, Gateshead & Sunderland", 624800, 3, "tyne_wear"),
    ("worcestershire", "Worcestershire", 558800, 7, ""),
]

# ---------------------------------------------------------------------------
# Step 2. Organisations serving each place in 2009-10, research/places.md s.1.
# council: structural count of councils (all bodies serving the area, so csw
#   has 8 here although 4 are counted as pilot partners in places.csv).
# nhs: primary care trusts (the bodies whose allocations are the nhs spend).
# police: police authorities / forces (csw: West Midlands + Warwickshire;
#   manchester: Greater Manchester + Cheshire for Warrington [7][13]).
# fire: fire and rescue authorities (csw: West Midlands FRA + Warwickshire
#   County Council's fire service [8][64]; manchester: GMFRA + Cheshire [12]).
# jobcentre: 1 everywhere (JCP districts not found, s.1).
# other: probation areas, coterminous with police force areas [14] (estimate:
#   one body for each police force area; courts, skills and other bodies are
#   not counted).
ORGANISATIONS = {
    #                council nhs police fire jobcentre other
    "birmingham":     (1, 3, 1, 1, 1, 1),
    "dorset":         (9, 2, 1, 1, 1, 1),
    "bradford":       (1, 1, 1, 1, 1, 1),
    "luton_cbeds":    (2, 2, 1, 1, 1, 1),
    "csw":            (8, 3, 2, 2, 1, 2),
    "croydon":        (1, 1, 1, 1, 1, 1),
    "durham":         (1, 1, 1, 1, 1, 1),
    "kent":           (13, 2, 1, 1, 1, 1),
    "leicestershire": (9, 2, 1, 1, 1, 1),
    "lewisham":       (1, 1, 1, 1, 1, 1),
    "manchester":     (11, 11, 2, 2, 1, 2),
    "south_tyne":     (3, 3, 1, 1, 1, 1),
    "worcestershire": (7, 1, 1, 1, 1, 1),
}

# ---------------------------------------------------------------------------
# Step 3. National operating spend per head, England 2009-10.

# England mid-2009 population, census-consistent basis, millions
# (research/places.md s.2.2: 53.0/1.07 + 0.8 x 3.47 = 52.31, from [47a]).
ENGLAND_POP_2009 = 52.31
# Cash 2009-10 to real 2010-11 prices: CLG restated 2009-10 net current
# expenditure of GBP 119.2bn cash as GBP 122.5bn at 2010-11 prices
# (research/total_place.md s.6.1 [45]; research/appraisal.md s.5.3).
TO_REAL_2010 = 122.5 / 119.2

# Council: local authority net current expenditure 2009-10, GBP bn, and its
# shares: "37% ... on education, 17% on social care, 14% on housing benefits
# and 10% on police" (research/places.md s.5 [36]).
LA_NCE_2009 = 121.3
EDUCATION_SHARE = 0.37
HOUSING_BENEFIT_SHARE = 0.14
POLICE_SHARE = 0.10
# Schools within education: Welsh analogue 2009-10, schools GBP 2,389,067k of
# GBP 2,550,437k education revenue spend (research/places.md s.5 [66]);
# no England figure was found, so the Welsh share is an estimate for England.
SCHOOLS_IN_EDUCATION = 2389067 / 2550437
# Fire: England expenditure per head 2009-10, GBP 41.71 (research/places.md
# s.4.1 [9]); fire is inside LA net current expenditure and taken out of it.
FIRE_PER_HEAD_CASH = 41.71
# NHS: PCT allocations GBP 164bn over 2009-10 and 2010-11, +5.5% a year
# (research/total_place.md s.6.1 [46]): 2009-10 = 164 / 2.055.
PCT_TWO_YEARS = 164.0
PCT_GROWTH = 0.055
# Jobcentre Plus: admin budget 2009-10 GBP 3,683m for Great Britain, GB
# population ~60.0m (research/total_place.md s.6.1 [43][48]); operating cost
# only, not benefits (research/places.md s.4.5).
JCP_ADMIN_GB = 3683.0
GB_POP_2009 = 60.0
# Other (probation, courts, skills funding, HCA...): no national anchor found;
# assumption, centre of the GBP 150-450 a head range (research/total_place.md
# s.6.1), already in real terms.
OTHER_PER_HEAD_REAL = 310


def national_per_head():
    """GBP a head, real 2010-11 prices, rounded to whole pounds."""
    fire_bn = FIRE_PER_HEAD_CASH * ENGLAND_POP_2009 / 1000
    council_bn = LA_NCE_2009 * (1 - EDUCATION_SHARE * SCHOOLS_IN_EDUCATION
                                - HOUSING_BENEFIT_SHARE - POLICE_SHARE) - fire_bn
    police_bn = LA_NCE_2009 * POLICE_SHARE
    nhs_bn = PCT_TWO_YEARS / (2 + PCT_GROWTH)
    cash = {
        "council": council_bn * 1000 / ENGLAND_POP_2009,
        "nhs": nhs_bn * 1000 / ENGLAND_POP_2009,
        "police": police_bn * 1000 / ENGLAND_POP_2009,
        "fire": FIRE_PER_HEAD_CASH,
        "jobcentre": JCP_ADMIN_GB / GB_POP_2009,
    }
    real = {a: int(math.floor(v * TO_REAL_2010 + 0.5)) for a, v in cash.items()}
    real["other"] = OTHER_PER_HEAD_REAL
    return real


# ---------------------------------------------------------------------------
# Step 4. Place factors k[p,a], in hundredths (100 = national average).
#
# nhs, police, fire: research/places.md s.4.6 (estimates built from 4.1-4.3):
#   fire = 2008-09 fire spend per head of the place's fire authority / England
#   GBP 41.71 [8][9]; police = 2009-10 police grant per head index [10], damped
#   by a third towards 1 for the precept; London places take the London-wide
#   Metropolitan Police and LFEPA figures; nhs = PCT net operating cost per
#   head [29][30] where found, judgment otherwise.
NHS_POLICE_FIRE = {
    #                  nhs police fire
    "birmingham":     (117, 115, 105),
    "dorset":         (93, 74, 81),
    "bradford":       (109, 103, 76),
    "luton_cbeds":    (97, 86, 88),
    "csw":            (101, 97, 100),
    "croydon":        (110, 145, 129),
    "durham":         (110, 101, 106),
    "kent":           (96, 85, 98),
    "leicestershire": (96, 87, 78),
    "lewisham":       (110, 145, 129),
    "manchester":     (113, 111, 93),
    "south_tyne":     (115, 114, 111),
    "worcestershire": (93, 79, 88),
}

# council and other: the five sourced whole-area counts per head against the
# programme average (research/places.md s.3 and s.4.6: "use the count per
# head only for the five sourced places; otherwise 1.0"). Counts, GBP bn a
# year: Birmingham 7.3 (2008-09) [20], Kent 8.3 [18], Worcestershire 3.5
# (partial: Home Office and courts missing) [20], Lewisham 2.2 and Manchester
# 22 (research/total_place.md s.1 [5]). Programme: GBP 82bn over the 13
# places (seed 001_87f5307b911aeea9.txt).
COUNT_BN = {
    "birmingham": 7.3,
    "kent": 8.3,
    "worcestershire": 3.5,
    "lewisham": 2.2,
    "manchester": 22.0,
}
PROGRAMME_COUNT_BN = 82.0
# Croydon council: net current expenditure excluding education 2009-10,
# GBP 490m, Revenue Outturn (research/places.md s.4.4 [37]). It includes
# housing benefit and excludes police and fire (GLA bodies); compared with the
# England equivalent, LA NCE x (1 - education - police) less fire.
CROYDON_NCE_EX_EDUCATION_M = 490.0


def place_factors(population):
    """k[p][a] in hundredths."""
    total_pop = sum(population.values())
    programme_per_head = PROGRAMME_COUNT_BN / total_pop
    england_ex_edu_bn = (LA_NCE_2009 * (1 - EDUCATION_SHARE - POLICE_SHARE)
                         - FIRE_PER_HEAD_CASH * ENGLAND_POP_2009 / 1000)
    england_ex_edu_per_head = england_ex_edu_bn * 1e9 / (ENGLAND_POP_2009 * 1e6)
    k = {}
    for place, pop in population.items():
        nhs, police, fire = NHS_POLICE_FIRE[place]
        council = other = 100
        if place in COUNT_BN:
            index = (COUNT_BN[place] / pop) / programme_per_head
            council = other = int(math.floor(index * 100 + 0.5))
        if place == "croydon":
            index = (CROYDON_NCE_EX_EDUCATION_M * 1e6 / pop) / england_ex_edu_per_head
            council = int(math.floor(index * 100 + 0.5))
        k[place] = {"council": council, "nhs": nhs, "police": police,
                    "fire": fire, "jobcentre": 100, "other": other}
    return k


# ---------------------------------------------------------------------------
# Step 5. Category shares of each agency's operating spend, in hundredths.
# research/total_place.md s.6.2 (all estimates), except council, re-estimated
# here for spend EXCLUDING schools (estimate): schools were ~35% of LA net
# current expenditure and mostly pay (research/places.md s.5), so without them
# the non-pay shares rise: council third-party spend GBP 41.5bn in 2009-10
# (research/savings_evidence.md s.2 [20]), less construction (mostly
# capital) ~GBP 33bn, is well over a third of non-school council spend;
# back office and estate rise in proportion.
SHARE = {
    #            back_office procurement frontline estate
    "council":   (12, 40, 41, 7),
    "nhs":       (6, 15, 74, 5),
    "police":    (12, 8, 76, 4),
    "fire":      (8, 8, 78, 6),
    "jobcentre": (15, 15, 58, 12),
    "other":     (10, 20, 64, 6),
}


# ---------------------------------------------------------------------------
# Arithmetic and output.

def spend_thousandths(population, per_head, k_hundredths, share_hundredths):
    """S0 in thousandths of GBP m (GBP 1,000), rounded half up, exactly.

    S0 [GBP m] = pop x per_head x (k / 100) x (share / 100) / 1e6, so
    thousandths = pop x per_head x k x share / 1e7.
    """
    num = population * per_head * k_hundredths * share_hundredths
    q, r = divmod(num, 10 ** 7)
    if 2 * r >= 10 ** 7:
        q += 1
    return q


def fmt(thousandths):
    return "%d.%03d" % divmod(thousandths, 1000)


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="ascii") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def build_places():
    ids = [p[0] for p in PLACES]
    groups = {p[4] for p in PLACES if p[4]}
    assert not groups & set(ids), "a group id equals a place id"
    write_csv(PLACES_CSV,
              ["place", "name", "population", "local_authorities", "group"],
              PLACES)
    return {p[0]: p[2] for p in PLACES}


def build_organisations():
    rows = []
    for place, *_ in PLACES:
        for agency, n in zip(AGENCIES, ORGANISATIONS[place]):
            rows.append((place, agency, n))
    write_csv(ORGANISATIONS_CSV, ["place", "agency", "organisations"], rows)


def build_spend(population):
    per_head = national_per_head()
    k = place_factors(population)
    for agency in AGENCIES:
        assert sum(SHARE[agency]) == 100, agency
    rows, totals = [], {}
    for place, *_ in PLACES:
        for agency in AGENCIES:
            for category, share in zip(CATEGORIES, SHARE[agency]):
                v = spend_thousandths(population[place], per_head[agency],
                                      k[place][agency], share)
                totals[(place, agency)] = totals.get((place, agency), 0) + v
                rows.append((place, agency, category, fmt(v)))
    write_csv(SPEND_CSV, ["place", "agency", "category", "spend"], rows)
    return per_head, k, totals


def report(population, per_head, k, totals):
    print("per head (GBP, real 2010-11): %s" % per_head)
    print("%-15s %9s %11s %8s  %s" % ("place", "pop", "GBP m", "per head",
                                      "k council/nhs/police/fire/other"))
    grand = 0
    for place, *_ in PLACES:
        t = sum(totals[(place, a)] for a in AGENCIES)
        grand += t
        kk = k[place]
        print("%-15s %9d %11s %8.0f  %d/%d/%d/%d/%d" % (
            place, population[place], fmt(t), t * 1000.0 / population[place],
            kk["council"], kk["nhs"], kk["police"], kk["fire"], kk["other"]))
    pop = sum(population.values())
    print("%-15s %9d %11s %8.0f" % ("TOTAL", pop, fmt(grand), grand * 1000.0 / pop))
    for a in AGENCIES:
        print("  %-10s %11s" % (a, fmt(sum(totals[(p[0], a)] for p in PLACES))))


def main():
    population = build_places()
    build_organisations()
    per_head, k, totals = build_spend(population)
    report(population, per_head, k, totals)


if __name__ == "__main__":
    main()
