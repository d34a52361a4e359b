"""Calibration, like for like: the model's savings set against published figures on the basis each was scored.

Each target in notebooks/calibration_targets.yaml says how its figure was counted, and the model's figure
is taken on the same basis:

- `measure`: which results.csv measure (gross, cashable, net, ...; `tpmodel.model.MEASURES`);
- `prices`: `cash` (each year at its own GDP deflator, `presentation.deflator`), `real` (2010-11 prices)
  or a year (constant prices of that year, e.g. 2009 for a 2009-10 estimate);
- `cumulative`: true sums the selected years (`year_share` may count part of a year), false takes one year;
- `scale: england`: national figures gross the pilot places up to England by population;
- `select`: the place, agency, lever and year cells of results.csv that are summed.

`central_value` is the central case's figure from results.csv; `target_draws` evaluates every target in
each Monte Carlo draw from the same sampled values as `tpmodel.run(..., draws, seed)` (`draw_samples`),
running the engine cell by cell; `calibrate` puts published figure, central value and the p5-p95 band side
by side and says whether the published figure falls inside the band.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.appraisal import appraise, discount_factors
from ..core.axes import AGENCIES, LEVERS, FloatArray
from ..core.engine import baseline, lever_flows
from ..data import Places
from ..engine_inputs import central_leaf, engine_inputs, world_of
from ..errors import InputError, Problem
from ..labels import LEVER_LABELS
from ..model import MEASURES, RunResult
from ..params import Resolved, is_distribution
from .notebooks import notebooks_dir
from .uncertainty import chunks, draw_samples

#: The columns of results.csv a target may select on.
SELECT_KEYS = ("place", "agency", "lever", "year")
#: Fields a target may have.
FIELDS = {
    "id", "label", "published", "low", "high", "source", "note", "measure", "prices", "cumulative", "scale",
    "select", "year_share",
}  # fmt: skip
REQUIRED = ("id", "label", "published", "source", "measure", "prices", "cumulative", "select")
#: Draws evaluated at once (memory: every lever's cells for this many draws).
CHUNK = 100
DEFLATOR = "presentation.deflator"

#: Names for people.
MEASURE_NAMES = {
    "gross": "gross",
    "receipts": "receipts",
    "cost": "cost",
    "adj_gross": "gross after optimism bias and deadweight",
    "adj_receipts": "receipts after optimism bias and deadweight",
    "adj_cost": "cost after optimism bias",
    "net": "net of costs",
    "cashable": "cashable, net of costs",
    "pv_net": "present value, net",
}
LEVER_NAMES = LEVER_LABELS  # the one table of display names (tpmodel.labels)
#: Agencies as a sentence names them (a basis reads "cash; councils; ...").
AGENCY_NAMES = {
    "council": "councils",
    "nhs": "NHS",
    "police": "police",
    "fire": "fire",
    "jobcentre": "Jobcentre Plus",
    "other": "other agencies",
}


def year_name(year: int) -> str:
    """2012 -> '2012-13'."""
    return f"{year}-{str(year + 1)[-2:]}"


@dataclass(frozen=True)
class Target:
    """One published figure and the basis it was scored on."""

    id: str
    label: str
    published: float
    low: float
    high: float
    measure: str
    prices: str | int  # "cash", "real" or a price year
    cumulative: bool
    scale: str  # "england" or "" (the places selected)
    select: dict[str, tuple[Any, ...]]  # column -> wanted values; a column not given is not filtered
    year_share: dict[int, float] = field(default_factory=dict)  # part of a year counted (default 1)
    source: str = ""
    note: str = ""

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(int(year) for year in self.select.get("year", ()))

    def basis(self, place_names: Mapping[str, str] | None = None) -> str:
        """The basis in words: measure, prices, who, which levers, which years, scaling."""
        names = place_names or {}
        if isinstance(self.prices, int):
            prices = f"{year_name(self.prices)} prices"
        else:
            prices = {"cash": "cash", "real": "2010-11 prices"}[self.prices]
        who = [names.get(p, p) for p in self.select.get("place", ())]
        who += [AGENCY_NAMES.get(a, a) for a in self.select.get("agency", ())] or ["all agencies"]
        levers = " + ".join(LEVER_NAMES.get(lever, lever) for lever in self.select.get("lever", LEVERS))
        years = [
            year_name(y) + (f" x {self.year_share[y]:g}" if self.year_share.get(y, 1.0) != 1.0 else "")
            for y in self.years
        ]
        when = f"cumulative {', '.join(years)}" if self.cumulative else f"{years[0]}, a year"
        scaled = "; England (pilots scaled by population)" if self.scale == "england" else ""
        return f"{MEASURE_NAMES[self.measure]}; {prices}; {', '.join(who)}; {levers}; {when}{scaled}"


@dataclass(frozen=True)
class Targets:
    """A targets file: where it is, England's population and its targets."""

    file: str
    england_population: float
    targets: tuple[Target, ...]


# ---------------------------------------------------------------- reading and checking the targets file


def default_targets_file() -> Path:
    return notebooks_dir() / "calibration_targets.yaml"


def load_targets(path: Path | str | None = None) -> Targets:
    """Read and check a targets file (default notebooks/calibration_targets.yaml); every problem is an
    `InputError` naming the file and the key."""
    from ..params import read_yaml

    file = Path(path) if path else default_targets_file()
    return parse_targets(read_yaml(file), str(file))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and bool(np.isfinite(value))


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def parse_targets(data: Any, file: str) -> Targets:
    """Targets from a parsed targets file; all problems at once, each naming `file` and the key."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise InputError([Problem(file, "", "expected a mapping with england_population and targets")])
    population: Any = data.get("england_population")
    if not _number(population) or population <= 0:
        problems.append(Problem(file, "england_population", f"{population!r} is not a positive number of people"))
    entries = data.get("targets")
    if not isinstance(entries, list) or not entries:
        problems.append(Problem(file, "targets", "expected a non-empty list of targets"))
        entries = []
    targets, seen = [], set()
    for i, entry in enumerate(entries):
        where = f"targets[{i}]"
        if not isinstance(entry, Mapping):
            problems.append(Problem(file, where, "expected a mapping"))
            continue
        if isinstance(entry.get("id"), str):
            where = f"targets[{i}] ({entry['id']})"
        found = _check_target(entry, file, where)
        if entry.get("id") in seen:
            found.append(Problem(file, f"{where}.id", f"id {entry['id']!r} is used twice"))
        seen.add(entry.get("id"))
        problems += found
        if not found:
            targets.append(_target(entry))
    if problems:
        raise InputError(problems)
    return Targets(file, float(population), tuple(targets))


def _check_target(entry: Mapping[str, Any], file: str, where: str) -> list[Problem]:
    problems = [Problem(file, f"{where}.{key}", "missing") for key in REQUIRED if key not in entry]
    problems += [
        Problem(file, f"{where}.{key}", f"unknown field; fields: {', '.join(sorted(FIELDS))}")
        for key in entry
        if key not in FIELDS
    ]
    for key in ("published", "low", "high"):
        if key in entry and not _number(entry[key]):
            problems.append(Problem(file, f"{where}.{key}", f"{entry[key]!r} is not a number (GBP m)"))
    if "measure" in entry and entry["measure"] not in MEASURES:
        problems.append(Problem(file, f"{where}.measure", f"{entry['measure']!r} is not one of {', '.join(MEASURES)}"))
    prices = entry.get("prices")
    if "prices" in entry and prices not in ("cash", "real") and not (isinstance(prices, int) and prices > 1900):
        problems.append(Problem(file, f"{where}.prices", f"{prices!r}: expected cash, real or a price year (2009)"))
    if "cumulative" in entry and not isinstance(entry["cumulative"], bool):
        problems.append(Problem(file, f"{where}.cumulative", f"{entry['cumulative']!r} is not true or false"))
    if entry.get("scale", "") not in ("", "england"):
        problems.append(Problem(file, f"{where}.scale", f"{entry['scale']!r}: the only scale is england"))
    select = entry.get("select")
    if "select" in entry:
        if not isinstance(select, Mapping):
            return [*problems, Problem(file, f"{where}.select", "expected {place, agency, lever, year} filters")]
        for key, wanted in select.items():
            values = _as_tuple(wanted)
            if key not in SELECT_KEYS:
                problems.append(Problem(file, f"{where}.select.{key}", f"not one of {', '.join(SELECT_KEYS)}"))
            elif key == "agency" and not set(values) <= set(AGENCIES):
                problems.append(
                    Problem(file, f"{where}.select.agency", f"{wanted!r}: agencies are {', '.join(AGENCIES)}")
                )
            elif key == "lever" and not set(values) <= set(LEVERS):
                problems.append(Problem(file, f"{where}.select.lever", f"{wanted!r}: levers are {', '.join(LEVERS)}"))
            elif key == "year" and not all(isinstance(y, int) and not isinstance(y, bool) for y in values):
                problems.append(Problem(file, f"{where}.select.year", f"{wanted!r}: years are whole numbers (2012)"))
        years = _as_tuple(select.get("year", ()))
        if not years:
            problems.append(Problem(file, f"{where}.select.year", "missing: say which year(s) the figure is for"))
        elif entry.get("cumulative") is False and len(years) != 1:
            problems.append(
                Problem(file, f"{where}.select.year", f"{wanted_years(years)}: a yearly figure takes one year")
            )
        share = entry.get("year_share", {})
        if not isinstance(share, Mapping):
            problems.append(Problem(file, f"{where}.year_share", "expected {year: share of the year}"))
        else:
            for year, part in share.items():
                if year not in years or not _number(part) or not 0 <= part <= 1:
                    problems.append(Problem(
                        file, f"{where}.year_share.{year}", f"{part!r}: a share from 0 to 1 of a selected year"
                    ))  # fmt: skip
    return problems


def wanted_years(years: Sequence[int]) -> str:
    return ", ".join(str(y) for y in years)


def _target(entry: Mapping[str, Any]) -> Target:
    published = float(entry["published"])
    return Target(
        id=str(entry["id"]),
        label=str(entry["label"]),
        published=published,
        low=float(entry.get("low", published)),
        high=float(entry.get("high", published)),
        measure=entry["measure"],
        prices=entry["prices"],
        cumulative=entry["cumulative"],
        scale=entry.get("scale", ""),
        select={key: _as_tuple(value) for key, value in entry["select"].items()},
        year_share={int(y): float(s) for y, s in entry.get("year_share", {}).items()},
        source=str(entry["source"]),
        note=str(entry.get("note", "")),
    )


def check_targets(targets: Targets, resolved: Resolved, places: Places) -> None:
    """Places and years the run knows, and a deflator for every price year used (else `InputError`)."""
    problems = []
    for i, target in enumerate(targets.targets):
        where = f"targets[{i}] ({target.id})"
        unknown = [p for p in target.select.get("place", ()) if p not in places.ids]
        if unknown:
            problems.append(
                Problem(targets.file, f"{where}.select.place", f"{unknown}: places are {', '.join(places.ids)}")
            )
        outside = [y for y in target.years if y not in resolved.years]
        if outside:
            horizon = f"{resolved.years[0]}-{resolved.years[-1]}"
            problems.append(Problem(targets.file, f"{where}.select.year", f"{outside} outside the horizon {horizon}"))
        if isinstance(target.prices, int) and target.prices not in _deflator_table(resolved):
            problems.append(Problem(targets.file, f"{where}.prices", f"no {DEFLATOR} for {target.prices}"))
    if problems:
        raise InputError(problems)


# ---------------------------------------------------------------- weights of the results cells


def _deflator_table(resolved: Resolved) -> dict[int, float]:
    """Central GDP deflator by year for every year the parameter gives (horizon years and any others)."""
    given = resolved.values[DEFLATOR]
    if not isinstance(given, Mapping) or is_distribution(given):
        given = dict.fromkeys(resolved.years, given)
    return {int(year): float(central_leaf(DEFLATOR, value, False)[0]) for year, value in given.items()}


def price_factors(target: Target, resolved: Resolved) -> dict[int, float]:
    """By selected year: what turns a real (2010-11 prices) figure into the target's prices, times the share
    of the year counted."""
    deflator = _deflator_table(resolved)
    factors = {}
    for year in target.years:
        if target.prices == "cash":
            price = deflator[year]
        elif target.prices == "real":
            price = 1.0
        else:
            price = deflator[int(target.prices)]
        factors[year] = price * target.year_share.get(year, 1.0)
    return factors


def scale_factor(target: Target, places: Places, england_population: float) -> float:
    """England's population over the pilots' for a national figure, else 1."""
    return england_population / float(places.population.sum()) if target.scale == "england" else 1.0


def central_value(result: RunResult, target: Target, england_population: float) -> float:
    """The central case's figure on the target's basis: results.csv cells of its measure and selection,
    each times its year's price factor, summed, times the England scale."""
    table = result.results
    chosen = (table["measure"] == target.measure).to_numpy().copy()
    for column, wanted in target.select.items():
        chosen &= table[column].isin(list(wanted)).to_numpy()
    cells = table[chosen]
    factors = cells["year"].map(price_factors(target, result.resolved))
    return float((cells["value"] * factors).sum()) * scale_factor(target, result.places, england_population)


def cell_weights(target: Target, resolved: Resolved, places: Places, england_population: float) -> FloatArray:
    """(lever, place, agency, year) weights: the selection times price factor, year share and scale."""
    years = list(resolved.years)
    masks = []
    for key, labels in (("lever", LEVERS), ("place", places.ids), ("agency", AGENCIES)):
        wanted = target.select.get(key)
        masks.append(np.array([wanted is None or label in wanted for label in labels], dtype=float))
    factors = price_factors(target, resolved)
    by_year = np.array([factors.get(year, 0.0) for year in years])
    lever, place, agency = masks
    weights = lever[:, None, None, None] * place[None, :, None, None] * agency[None, None, :, None] * by_year
    return weights * scale_factor(target, places, england_population)


# ---------------------------------------------------------------- the targets in every draw


def cell_flows(
    resolved: Resolved, places: Places, samples: Mapping[str, FloatArray], draws: int
) -> dict[str, FloatArray]:
    """Every measure of results.csv, cell by cell, for `draws` draws: measure -> (draw, lever, place, agency,
    year) [GBP m, real]. Each leaf in `samples` takes its (draws,) values, every other leaf its central value
    (as `uncertainty.evaluate`); with no samples and draws = 1 this is the central case."""

    def leaf(path: str, value: Any, integer: bool) -> FloatArray:
        return samples[path] if path in samples else central_leaf(path, value, integer)

    world = world_of(resolved, places)
    inputs = engine_inputs(resolved, places, leaf)
    flows = lever_flows(world, inputs, baseline(world, inputs), draws)
    discount_factor = discount_factors(world.years, inputs.discount_rate)
    out: dict[str, list[FloatArray]] = {measure: [] for measure in MEASURES}
    for name in LEVERS:
        flow = flows[name]
        appraised = appraise(flow.gross, flow.receipts, flow.cost, inputs.appraisal[name], discount_factor)
        for measure in MEASURES:
            values = getattr(flow, measure) if measure in flow._fields else getattr(appraised, measure)
            out[measure].append(np.broadcast_to(values, flow.gross.shape))
    return {measure: np.stack(arrays, axis=1) for measure, arrays in out.items()}


def evaluate_targets(
    targets: Targets, resolved: Resolved, places: Places, samples: Mapping[str, FloatArray], draws: int
) -> FloatArray:
    """(draws, target) figures of every target on its basis, for draws given by `samples`."""
    cells = cell_flows(resolved, places, samples, draws)
    columns = [
        np.einsum("dlpay,lpay->d", cells[t.measure], cell_weights(t, resolved, places, targets.england_population))
        for t in targets.targets
    ]
    return np.stack(columns, axis=1)


def target_draws(
    targets: Targets, resolved: Resolved, places: Places, draws: int, seed: int, chunk: int = CHUNK
) -> FloatArray:
    """(draws, target): every target in each Monte Carlo draw of (draws, seed), the same sampled values as
    `tpmodel.run(scenario, draws=draws, seed=seed)` uses (`uncertainty.draw_samples`)."""
    samples = draw_samples(resolved, draws, seed)
    parts = [
        evaluate_targets(targets, resolved, places, {p: v[start:stop] for p, v in samples.items()}, stop - start)
        for start, stop in chunks(draws, chunk)
    ]
    return np.concatenate(parts, axis=0) if parts else np.zeros((0, len(targets.targets)))


# ---------------------------------------------------------------- the comparison


def inside(published: float, p5: float, p95: float) -> bool:
    """Whether the published figure falls inside the model's p5-p95 band (ends included)."""
    return bool(p5 <= published <= p95)


def position(published: float, p5: float, p95: float) -> str:
    """'inside', 'below the band' (published < p5) or 'above the band' (published > p95)."""
    if published < p5:
        return "below the band"
    if published > p95:
        return "above the band"
    return "inside"


def calibrate(result: RunResult, targets: Targets, draws: int, seed: int) -> pd.DataFrame:
    """One row per target (index id): label, basis, published (low, high), model central, p5, p50, p95,
    inside, position, published_over_central [GBP m on each target's basis]. Without draws the band is
    the central value."""
    check_targets(targets, result.resolved, result.places)
    names = dict(zip(result.places.ids, result.places.names, strict=True))
    central = np.array([central_value(result, t, targets.england_population) for t in targets.targets])
    if draws > 0:
        values = target_draws(targets, result.resolved, result.places, draws, seed)
        p5, p50, p95 = np.percentile(values, [5, 50, 95], axis=0)
    else:
        p5 = p50 = p95 = central
    rows = []
    for i, t in enumerate(targets.targets):
        rows.append({
            "id": t.id, "label": t.label, "basis": t.basis(names), "measure": t.measure, "prices": str(t.prices),
            "cumulative": t.cumulative, "scaled_to_england": t.scale == "england",
            "published": t.published, "low": t.low, "high": t.high,
            "central": float(central[i]), "p5": float(p5[i]), "p50": float(p50[i]), "p95": float(p95[i]),
            "inside": inside(t.published, p5[i], p95[i]), "position": position(t.published, p5[i], p95[i]),
            "published_over_central": t.published / central[i] if central[i] else np.nan,
        })  # fmt: skip
    return pd.DataFrame(rows).set_index("id")


def _money(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison for people: target, basis, published, model central, p5, p95, inside? (rounded text)."""
    published = [
        _money(row.published) + (f" ({_money(row.low)}-{_money(row.high)})" if row.low != row.high else "")
        for row in table.itertuples()
    ]
    return pd.DataFrame({
        "target": table["label"].to_numpy(),
        "basis": table["basis"].to_numpy(),
        "published": published,
        "model central": [_money(v) for v in table["central"]],
        "p5": [_money(v) for v in table["p5"]],
        "p95": [_money(v) for v in table["p95"]],
        "inside?": ["yes" if v else "no" for v in table["inside"]],
    }, index=pd.RangeIndex(1, len(table) + 1))  # fmt: skip


def findings(table: pd.DataFrame) -> list[str]:
    """One sentence per target: where the published figure falls against the band, and by how much."""
    lines = []
    for row in table.itertuples():
        band = f"{_money(row.p5)} to {_money(row.p95)}"
        if row.inside:
            how = "inside the band"
        elif row.published < row.p5:
            how = f"below the band: the model's p5 is {row.p5 / row.published:.1f} x the published figure"
        else:
            how = f"above the band: the published figure is {row.published / row.p95:.1f} x the model's p95"
        lines.append(
            f"- {row.label}: published {_money(row.published)}, model {_money(row.central)} (p5-p95 {band}); {how}."
        )
    return lines


def sources_table(targets: Targets) -> pd.DataFrame:
    """Each target's source and why it is compared on its basis (from the targets file)."""
    return pd.DataFrame(
        {
            "target": [t.label for t in targets.targets],
            "source": [t.source for t in targets.targets],
            "why this basis": [t.note for t in targets.targets],
        },
        index=pd.RangeIndex(1, len(targets.targets) + 1),
    )
