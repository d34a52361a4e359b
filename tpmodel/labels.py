"""Display names: the one table of what people read for each code the model uses.

Files for machines (CSV, JSON, summary.json) keep the codes (`shared_services`, `nhs`, `luton_cbeds`,
`2012`, `npv`); every surface a person reads (charts, the workbook, the notebooks' tables, the report,
the slider page) shows the names from here:

>>> label("lever", "pooling")
'Pooled budgets'
>>> label("agency", "jobcentre")
'Jobcentre Plus'
>>> label("year", 2012)
'2012-13'
>>> label("headline", "probability_npv_positive")
'P(NPV > 0)'
>>> percent(0.8), percent(0.035, 1)
('80%', '3.5%')

Kinds (`KINDS`): `lever`, `agency`, `place` (the `name` column of places.csv), `year` (a financial year),
`measure` (results.csv measures and the single offer's), `headline` (the headline figures),
`parameter` (a dotted parameter path, made from its groups and leaf names, with agencies, places and
years by their names) and `scenario` (a scenario name). An unknown code of a kind is shown with its
underscores as spaces and its first letter capitalised, so a new code is readable before it has a name.

Places are read from `places.csv` of the parameter folder (`tpmodel.params.default_params_dir()`, or
`params_dir=`), once per folder; parameter units from its `defaults.yaml` (`value_text`).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .core.axes import AGENCIES, LEVERS

KINDS = ("lever", "agency", "place", "year", "measure", "headline", "parameter", "scenario")

LEVER_LABELS: dict[str, str] = {
    "shared_services": "Shared services",
    "procurement": "Collaborative procurement",
    "pooling": "Pooled budgets",
    "assets": "Estate co-location",
    "reporting": "Lighter reporting",
}
AGENCY_LABELS: dict[str, str] = {
    "council": "Council",
    "nhs": "NHS",
    "police": "Police",
    "fire": "Fire",
    "jobcentre": "Jobcentre Plus",
    "other": "Other",
}
MEASURE_LABELS: dict[str, str] = {
    "gross": "Gross saving",
    "receipts": "Capital receipts",
    "cost": "Implementation cost",
    "adj_gross": "Gross saving, adjusted",
    "adj_receipts": "Capital receipts, adjusted",
    "adj_cost": "Implementation cost, adjusted",
    "net": "Net",
    "cumulative_net": "Cumulative net",
    "cashable": "Cashable",
    "pv_net": "Present value of net",
    "total_cashable": "Cashable",
    "target": "Target",
    "retained": "Retained by the place",
    "exchequer": "To the Exchequer",
    "shortfall": "Shortfall against the target",
    "target_met": "Target met",
}
HEADLINE_LABELS: dict[str, str] = {
    "npv": "NPV",
    "npv_mean": "Expected NPV",
    "expected_npv": "Expected NPV",
    "probability_npv_positive": "P(NPV > 0)",
    "bcr": "BCR",
    "payback_year": "Payback year (undiscounted)",
    "pv_receipts": "PV of capital receipts",
    "npv_p5": "NPV, 5th percentile",
    "npv_p95": "NPV, 95th percentile",
}
#: The top-level parameter groups that are not levers.
GROUP_LABELS: dict[str, str] = {
    "horizon": "Horizon",
    "baseline": "Baseline",
    "appraisal": "Appraisal",
    "single_offer": "Single offer",
    "presentation": "Presentation",
}
#: Leaf names of parameters where the words of the name would not say enough.
PARAMETER_WORDS: dict[str, str] = {
    "max_rate": "saving rate at scale",
    "scale_k": "partner curve",
    "cost_rate": "one-off cost per £1 in scope",
    "receipts_multiple": "capital receipts, times the yearly saving",
    "receipts_years": "years the capital receipts are spread over",
    "benefit_optimism_bias": "optimism bias on benefits",
    "cost_optimism_bias": "optimism bias on costs",
    "cost_deadweight": "deadweight on costs",
    "effect_years": "years each £1 of prevention returns",
    "return_rate": "avoided cost per £1 of prevention",
    "fee_share": "buying organisation's levy",
    "real_growth": "real growth of spend",
    "first_year": "first year",
    "last_year": "last year",
}
#: The order scenarios are shown in when the caller gives none: no reform, then rising ambition.
SCENARIO_ORDER = ("baseline", "cautious", "standard", "ambitious")


def _readable(code: str) -> str:
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def financial_year(year: int | str) -> str:
    """2012 -> '2012-13' (years are financial years named by the calendar year they start in)."""
    year = int(year)
    return f"{year}-{str(year + 1)[-2:]}"


def percent(share: float, decimals: int = 0) -> str:
    """A share as a percentage for people: 0.8 -> '80%', percent(0.035, 1) -> '3.5%'."""
    return f"{share:.{decimals}%}"


@lru_cache(maxsize=8)
def _place_names(params_dir: Path) -> dict[str, str]:
    path = params_dir / "places.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["place"]: row["name"] for row in csv.DictReader(handle) if row.get("place") and row.get("name")}


def place_names(params_dir: Path | str | None = None) -> dict[str, str]:
    """Place id -> name from places.csv (`{}` when there is none)."""
    from .params import default_params_dir

    return dict(_place_names(Path(params_dir) if params_dir else default_params_dir()))


def _parameter(path: str, params_dir: Path | str | None) -> str:
    """'shared_services.participation.nhs' -> 'Shared services: participation, NHS';
    'appraisal.assets.deadweight' -> 'Estate co-location: deadweight (appraisal)'."""
    parts = path.split(".")
    place = None
    if parts[0] == "places" and len(parts) > 2:  # a place's own value: places.<place>.<path>
        place, parts = parts[1], parts[2:]
    appraisal = parts[0] == "appraisal" and len(parts) > 2 and parts[1] in LEVERS
    if appraisal:
        parts = parts[1:]
    group = LEVER_LABELS.get(parts[0]) or GROUP_LABELS.get(parts[0]) or _readable(parts[0])
    words = []
    for part in parts[1:]:
        if part in AGENCY_LABELS:
            words.append(AGENCY_LABELS[part])
        elif part.isdigit():
            words.append(financial_year(int(part)))
        else:
            words.append(PARAMETER_WORDS.get(part, part.replace("_", " ")))
    text = f"{group}: {', '.join(words)}" if words else group
    if appraisal:
        text += " (appraisal)"
    if place is not None:
        text += f", {label('place', place, params_dir)}"
    return text


def label(kind: str, code: Any, params_dir: Path | str | None = None) -> str:
    """The display name of `code` of `kind` (one of `KINDS`); see the module's docstring.

    params_dir: the parameter folder whose places.csv names the places (default: the default folder).
    Raises ValueError for an unknown kind.
    """
    text = str(code)
    if kind == "lever":
        return LEVER_LABELS.get(text) or _readable(text)
    if kind == "agency":
        return AGENCY_LABELS.get(text) or _readable(text)
    if kind == "place":
        return place_names(params_dir).get(text) or _readable(text)
    if kind == "year":
        return financial_year(int(code))
    if kind == "measure":
        return MEASURE_LABELS.get(text) or _readable(text)
    if kind == "headline":
        return HEADLINE_LABELS.get(text) or _readable(text)
    if kind == "parameter":
        return _parameter(text, params_dir)
    if kind == "scenario":
        return _readable(text)
    raise ValueError(f"unknown kind of label {kind!r}; kinds: {', '.join(KINDS)}")


def labels(kind: str, codes: Any, params_dir: Path | str | None = None) -> dict[str, str]:
    """{code: display name} for each code, in order (for `DataFrame.rename`)."""
    return {code: label(kind, code, params_dir) for code in codes}


def value_text(path: str, value: float, params_dir: Path | str | None = None) -> str:
    """A parameter's value in its unit for people, by the unit in defaults.yaml: shares as percentages
    ('80%'), years as financial years ('2012-13'), GBP per GBP as '£0.11 per £1', others to 3 significant
    figures with the unit ('8 ratio' is shown as '8.0')."""
    unit = _unit(_spec_path(path), params_dir)
    if unit in ("share", "share a year"):
        return percent(value, 0 if abs(value * 100 - round(value * 100)) < 1e-9 else 1)
    if unit == "year":
        return financial_year(round(value))
    if unit == "GBP per GBP":
        return f"£{value:.2f} per £1"
    if unit in ("years", "count"):
        return f"{value:g}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _spec_path(path: str) -> str:
    parts = path.split(".")
    if parts[0] == "places" and len(parts) > 2:
        parts = parts[2:]
    return ".".join(parts)


def _unit(path: str, params_dir: Path | str | None) -> str | None:
    specs = _specs(str(params_dir) if params_dir else None)
    while path:
        if path in specs:
            return specs[path]
        path = path.rpartition(".")[0]
    return None


@lru_cache(maxsize=4)
def _specs(params_dir: str | None) -> dict[str, str]:
    from .params import default_params_dir
    from .params.schema import load_specs

    folder = Path(params_dir) if params_dir else default_params_dir()
    return {path: spec.unit for path, spec in load_specs(folder / "defaults.yaml").items()}


def scenario_order(names: list[str] | tuple[str, ...]) -> list[str]:
    """`names` in the order people read them: baseline, cautious, standard, ambitious first (those present),
    then the others as given."""
    known = [name for name in SCENARIO_ORDER if name in names]
    return known + [name for name in names if name not in SCENARIO_ORDER]


def figure_label(column: str, params_dir: Path | str | None = None) -> str:
    """A headline column of comparison.csv for people: 'npv_pooling' -> 'NPV: Pooled budgets',
    'npv_place_kent' -> 'NPV: Kent', 'cumulative_net_2012' -> 'Cumulative net, 2012-13'."""
    if column.startswith("npv_place_"):
        return f"NPV: {label('place', column.removeprefix('npv_place_'), params_dir)}"
    for lever in LEVERS:
        if column == f"npv_{lever}":
            return f"NPV: {label('lever', lever)}"
    for agency in AGENCIES:
        if column == f"npv_{agency}":
            return f"NPV: {label('agency', agency)}"
    match = re.fullmatch(r"(cumulative_net|net|cashable)_(\d{4})", column)
    if match:
        return f"{label('measure', match[1])}, {financial_year(int(match[2]))}"
    return label("headline", column)
