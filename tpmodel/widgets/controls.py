"""Controls built from the parameter metadata: which parameters get one (`LEVER_GROUPS`), each one's
`ControlSpec` (label, unit, bounds, step) from params/defaults.yaml, the value it shows for a scenario,
and the ipywidget made from it. No slider is written out by hand."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from ..core.axes import AGENCIES
from ..core.distributions import central_or_number
from ..formatting import financial_year
from ..params import ParamSpec, Resolved, is_distribution
from .numbers import nice_ceiling, nice_step

#: The parameters that get a control, by tab. Agency-indexed ones get one slider per agency.
LEVER_GROUPS: dict[str, tuple[str, ...]] = {
    "Shared services": (
        "shared_services.participation", "shared_services.max_rate", "shared_services.cost_rate",
        "shared_services.start_year", "shared_services.ramp_years", "appraisal.shared_services.benefit_optimism_bias",
        "appraisal.shared_services.cost_optimism_bias",
    ),
    "Procurement": (
        "procurement.participation", "procurement.compliance", "procurement.base_discount",
        "procurement.start_year", "procurement.ramp_years", "appraisal.procurement.benefit_optimism_bias",
        "appraisal.procurement.cost_optimism_bias",
    ),
    "Pooling": (
        "pooling.participation", "pooling.duplication_rate", "pooling.prevention_share", "pooling.return_rate",
        "pooling.effect_years", "pooling.start_year", "pooling.ramp_years", "appraisal.pooling.benefit_optimism_bias",
        "appraisal.pooling.cost_optimism_bias",
    ),
    "Assets": (
        "assets.participation", "assets.max_rate", "assets.cost_rate", "assets.receipts_multiple",
        "assets.receipts_years", "assets.start_year", "assets.ramp_years",
        "appraisal.assets.benefit_optimism_bias", "appraisal.assets.cost_optimism_bias",
    ),
    "Reporting": (
        "reporting.cost_per_indicator", "appraisal.reporting.benefit_optimism_bias",
    ),
    "Appraisal": ("horizon.last_year", "appraisal.discount_rate"),
    "Single offer": (
        "single_offer.places", "single_offer.retained_share", "single_offer.target_rate", "single_offer.start_year",
    ),
}  # fmt: skip

#: Labels for people where the one made from the path would not say enough (the unit is in the label).
LABELS: dict[str, str] = {
    "shared_services.cost_rate": "Shared services: one-off cost per £1 in scope",
    "assets.cost_rate": "Assets: one-off cost per £1 of estate running cost",
    "assets.receipts_multiple": "Assets: capital receipts, x the yearly saving",
    "assets.receipts_years": "Assets: years the capital receipts are spread over",
    "pooling.effect_years": "Pooling: years each £1 of prevention returns",
    "horizon.last_year": "Appraisal ends (last year)",
}

SLIDER_POSITIONS = 200  # a float slider has about this many steps across its range
OPEN_UPPER_YEARS = 10  # upper end of a ramp or lag slider ("years") when the metadata gives none
LONGEST_HORIZON = 20  # horizon.last_year's slider reaches a 20-year appraisal (the metadata gives no maximum)


@dataclass(frozen=True)
class ControlSpec:
    """One control: a dotted path (an agency's entry for agency-indexed parameters) and how to show it."""

    path: str  # e.g. "shared_services.participation.nhs" or "appraisal.discount_rate"
    parameter: str  # the parameter of defaults.yaml it sets
    group: str
    label: str
    unit: str
    description: str
    kind: str  # "float", "integer", "year" (a financial year, shown as '2019-20') or "places"
    low: float = 0.0
    high: float = 1.0
    step: float = 1.0
    readout: str = "d"  # format of the value shown beside the slider
    options: tuple[str, ...] = ()  # places only


def control_specs(
    resolved: Resolved, place_ids: Sequence[str], groups: Mapping[str, Sequence[str]] = LEVER_GROUPS
) -> list[ControlSpec]:
    """The controls for `groups` from the parameter metadata of `resolved` (labels, units, bounds)."""
    controls = []
    for group, paths in groups.items():
        for path in paths:
            spec = resolved.specs[path]
            label = LABELS.get(path) or _label(path, group)
            if spec.type == "places":
                options = tuple(place_ids)
                controls.append(
                    ControlSpec(path, path, group, label, spec.unit, spec.description, "places", options=options)
                )
                continue
            low, high = slider_bounds(spec, resolved)
            integer = spec.type == "integer"
            step = 1.0 if integer else nice_step(nice_ceiling(high - low) / SLIDER_POSITIONS)
            readout = "d" if integer else f".{max(0, -math.floor(math.log10(step)))}f"
            kind = ("year" if spec.unit == "year" else "integer") if integer else "float"
            agency = spec.index == "agency"
            entries = [(f"{path}.{a}", f"{label}: {a}") for a in AGENCIES] if agency else [(path, label)]
            for p, text in entries:
                name = text if path in LABELS or kind == "year" else f"{text} [{spec.unit}]"
                controls.append(
                    ControlSpec(p, path, group, name, spec.unit, spec.description, kind, low, high, step, readout)
                )
    return controls


def _label(path: str, group: str) -> str:
    """'appraisal.pooling.cost_optimism_bias' in group Pooling -> 'cost optimism bias'."""
    parts = path.split(".")
    lever = group.lower().replace(" ", "_")
    kept = [p for p in parts if p not in ("appraisal", lever)] or parts[-1:]
    return " ".join(kept).replace("_", " ")


def _bound_value(bound: float | str | None, resolved: Resolved, side: str) -> float | None:
    """A metadata bound as a number; a bound naming another parameter takes that parameter's own
    widest value (so a start year's slider reaches below the horizon and validation can say so)."""
    if bound is None or isinstance(bound, int | float):
        return None if bound is None else float(bound)
    other = resolved.specs[str(bound)]
    own = _bound_value(other.min if side == "min" else other.max, resolved, side)
    return own if own is not None else float(central_or_number(resolved.values[str(bound)]))


def slider_bounds(spec: ParamSpec, resolved: Resolved) -> tuple[float, float]:
    """Slider range from the metadata's min and max; an open end is closed from the unit and the default."""
    low = _bound_value(spec.min, resolved, "min")
    high = _bound_value(spec.max, resolved, "max")
    if spec.path == "horizon.last_year":  # from a one-year appraisal to LONGEST_HORIZON years
        first = float(resolved.values["horizon.first_year"])
        low = max(low or first, first)
        high = high if high is not None else first + LONGEST_HORIZON - 1
    if low is None:
        low = 0.0
    if high is None:
        if spec.unit == "year":
            high = float(resolved.values["horizon.last_year"])
        elif spec.unit == "years":
            high = float(max(OPEN_UPPER_YEARS, low + 1))
        elif spec.unit.startswith("share"):
            high = 1.0
        else:
            widest = max([abs(v) for v in _points(spec.default)] + [abs(low) + 1e-9])
            floor = 1.0 if spec.unit in ("ratio", "GBP per GBP") else 0.0
            high = nice_ceiling(max(2 * widest, floor))
    return low, max(high, low + (1.0 if spec.type == "integer" else 1e-9))


def _points(value: Any) -> list[float]:
    """Every number in a value (a distribution's points, a mapping's entries)."""
    if is_distribution(value):
        return [float(v) for k, v in value.items() if k != "dist"]
    if isinstance(value, Mapping):
        return [p for v in value.values() for p in _points(v)]
    return [float(value)] if isinstance(value, int | float) else []


def scenario_value(resolved: Resolved, control: ControlSpec) -> Any:
    """The value a control shows for a resolved scenario (the central value of an uncertain one)."""
    value = resolved.values[control.parameter]
    if control.kind == "places":
        return tuple(control.options) if value == "all" else tuple(value)
    if control.path != control.parameter:  # one agency of an agency-indexed parameter
        agency = control.path.rsplit(".", 1)[1]
        value = value.get(agency, 0.0) if isinstance(value, Mapping) and not is_distribution(value) else value
    number = central_or_number(value)
    return round(number) if control.kind in ("integer", "year") else number


def css_name(path: str) -> str:
    """A control's CSS class: 'shared_services.max_rate' -> 'tp-shared_services--max_rate'."""
    return "tp-" + path.replace(".", "--")


def make_control(spec: ControlSpec) -> w.ValueWidget:
    common = {
        "description": spec.label,
        "tooltip": spec.description,
        "style": {"description_width": "300px"},
        "layout": w.Layout(width="680px"),
    }
    if spec.kind == "places":
        return w.SelectMultiple(options=list(spec.options), rows=7, **common)
    if spec.kind == "year":
        options = year_options(round(spec.low), round(spec.high))
        return w.SelectionSlider(options=options, value=options[-1][1], continuous_update=False, **common)
    slider: Callable[..., w.ValueWidget] = w.IntSlider if spec.kind == "integer" else w.FloatSlider
    return slider(
        min=spec.low, max=spec.high, step=spec.step, readout_format=spec.readout, continuous_update=False, **common
    )


def year_options(low: int, high: int) -> list[tuple[str, int]]:
    """A year slider's options: ('2019-20', 2019) for each year from `low` to `high`."""
    return [(financial_year(year), year) for year in range(low, high + 1)]
