"""Every name the slider page shows a person, in one place: parameters, levers, agencies, places, scenarios,
years, table columns, and how a number is written (80%, 3.5%, 0.11, 2019-20).

Levers, agencies, scenarios and years come from the package's table of display names (`tpmodel.labels`,
shared with the charts, the workbook and the notebooks); this module adds what only the page needs: short
names of the parameters that have a slider (the tab names the lever), the words of its tables, the
single offer's explanations, and how a slider's value is shown and typed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .. import labels as names
from ..charts import display_name
from ..formatting import format_money

__all__ = ["display_name", "financial_year", "format_money"]

financial_year = names.financial_year

#: A parameter's name for people, without its lever (the tab says which lever) where the tab names it.
PARAMETERS: dict[str, str] = {
    "shared_services.participation": "Share of back-office spend shared",
    "shared_services.max_rate": "Saving rate when many partners share",
    "shared_services.cost_rate": "One-off cost per £1 in scope",
    "shared_services.start_year": "First year",
    "shared_services.ramp_years": "Years to the full saving",
    "procurement.participation": "Share of third-party spend in scope",
    "procurement.compliance": "Share bought through the joint deals",
    "procurement.base_discount": "Price discount on what is bought jointly",
    "procurement.start_year": "First year",
    "procurement.ramp_years": "Years to the full saving",
    "pooling.participation": "Share of frontline spend pooled",
    "pooling.duplication_rate": "Saving from removing duplication",
    "pooling.prevention_share": "Share of the pool reinvested in prevention",
    "pooling.return_rate": "Cost avoided per £1 of prevention",
    "pooling.effect_years": "Years each £1 of prevention returns",
    "pooling.start_year": "First year",
    "pooling.ramp_years": "Years to the full saving",
    "assets.participation": "Share of the estate co-located",
    "assets.max_rate": "Saving rate on estate running costs",
    "assets.cost_rate": "One-off cost per £1 of estate running cost",
    "assets.receipts_multiple": "Capital receipts, times the yearly saving",
    "assets.receipts_years": "Years the capital receipts are spread over",
    "assets.start_year": "First year",
    "assets.ramp_years": "Years to the full saving",
    "reporting.cost_per_indicator": "Cost of one indicator per council, £m a year",
    "horizon.last_year": "Last year of the appraisal",
    "appraisal.discount_rate": "Discount rate, a year",
    "single_offer.places": "Places making the offer",
    "single_offer.retained_share": "Share of cashable savings the place keeps",
    "single_offer.target_rate": "Savings target, share of the place's spend a year",
    "single_offer.start_year": "First year of the deal",
    "single_offer.end_year": "Last year of the deal",
}
#: Names of the appraisal's adjustments, which every lever has (appraisal.<lever>.<key>).
ADJUSTMENTS: dict[str, str] = {
    "benefit_optimism_bias": "Optimism bias: savings scaled down by",
    "cost_optimism_bias": "Optimism bias: costs scaled up by",
    "deadweight": "Deadweight: savings that would come anyway",
    "cost_deadweight": "Deadweight: costs that would come anyway",
    "cashable_share": "Share of savings that is cashable",
}
#: Units shown as a percentage (a share of 0.8 is 80%, typed as 80).
PERCENT_UNITS = ("share", "share a year")
#: Units worth a word after the number where the label does not say them.
UNIT_WORDS: dict[str, str] = {"years": "years", "GBP m": "£m"}


def parameter_label(path: str) -> str:
    """A parameter for people: 'pooling.return_rate' -> 'Cost avoided per £1 of prevention'; an
    appraisal adjustment 'appraisal.assets.cost_optimism_bias' -> 'Optimism bias: costs scaled up by'."""
    if path in PARAMETERS:
        return PARAMETERS[path]
    parts = path.split(".")
    if parts[0] == "appraisal" and len(parts) == 3 and parts[2] in ADJUSTMENTS:
        return ADJUSTMENTS[parts[2]]
    return parts[-1].replace("_", " ").capitalize()


#: Groups of parameters named before a parameter in a message.
GROUPS: dict[str, str] = {**names.LEVER_LABELS, "single_offer": names.GROUP_LABELS["single_offer"]}


def lever_label(lever: str) -> str:
    """A lever for people ('assets' -> 'Estate co-location'): a tab's title."""
    return names.label("lever", lever)


def group_of(path: str) -> str | None:
    """The lever or group a parameter belongs to ('appraisal.pooling.deadweight' -> 'pooling'), or None."""
    parts = path.split(".")
    group = parts[1] if parts[0] == "appraisal" and len(parts) == 3 else parts[0]
    return group if group in GROUPS else None


def full_label(path: str, agency: str | None = None) -> str:
    """A control's name in a message, whole: lever, parameter and agency ('Pooling: Share of frontline
    spend pooled: NHS'), so that it can be found in its tab."""
    group = group_of(path)
    text = f"{GROUPS[group]}: {parameter_label(path)}" if group else parameter_label(path)
    return f"{text}: {display_name(agency)}" if agency else text


def scenario_label(name: str) -> str:
    """A scenario for people: 'shared_services_only' -> 'Shared services only'."""
    return names.label("scenario", name)


def percent(unit: str) -> bool:
    """True for a unit shown as a percentage."""
    return unit in PERCENT_UNITS


def decimals(step: float, scale: float = 1.0) -> int:
    """Decimal places that show a slider's step: 0.005 as a percentage -> 1 (0.5%)."""
    return max(0, -math.floor(math.log10(step * scale) + 1e-9))


def format_value(value: float, unit: str, step: float, integer: bool = False) -> str:
    """A control's value as a person reads it: 0.8 share -> '80%', 0.035 -> '3.5%', 4 years -> '4',
    0.11 -> '0.11' (trailing zeros dropped)."""
    if integer:
        return f"{round(value)}"
    scale = 100.0 if percent(unit) else 1.0
    text = f"{value * scale:.{decimals(step, scale)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + ("%" if percent(unit) else "")


def parse_value(text: str, unit: str) -> float | None:
    """What a person typed, in the parameter's unit: '3.5' or '3.5%' for a percentage -> 0.035; '1,250'
    -> 1250.0; None if it is not a number."""
    cleaned = text.strip().replace(",", "").replace("£", "").removesuffix("%").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return number / 100.0 if percent(unit) else number


#: Column names of the page's tables for people.
COLUMNS: Mapping[str, str] = {
    "recurring net": "Recurring net",
    "capital receipts": "Capital receipts (one-off)",
    "net": "Net",
    "cumulative net": "Cumulative net",
    "cumulative, receipts excluded": "Cumulative net, receipts excluded",
    "cashable": "Cashable",
    "total_cashable": "Cashable",
    "target": "Target",
    "retained": "Retained",
    "exchequer": "Exchequer",
    "shortfall": "Shortfall",
}


def column_label(key: str) -> str:
    """A table column for people (a lever or agency id by its display name)."""
    return COLUMNS.get(key) or display_name(key)


#: The single offer's figures, one sentence each, shown with the single offer (spec 7).
OFFER_TERMS: dict[str, str] = {
    "Target": "What the place commits to save that year: the target rate times its total spend.",
    "Cashable": "Savings that free budget (not just capacity), all levers and agencies of the place.",
    "Retained": "The share of the cashable savings the place keeps to spend locally.",
    "Exchequer": "The rest of the cashable savings, returned to the Exchequer.",
    "Shortfall": "How far the cashable savings fall short of the target (0 when the target is met).",
}
