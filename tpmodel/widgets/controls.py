"""Controls built from the parameter metadata: which parameters get one (`LEVER_GROUPS`), each one's
`ControlSpec` (names from `labels`, unit, bounds, step from params/defaults.yaml), the value it shows for
a scenario, the ipywidget made from it and the box where its value is shown and typed (`ValueEntry`). No
slider is written out by hand."""

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
from . import labels
from .numbers import nice_ceiling, nice_step

#: The parameters that get a control, by tab (a lever's tab has the lever's name). Agency-indexed ones get one
#: slider per agency.
LEVER_GROUPS: dict[str, tuple[str, ...]] = {
    labels.lever_label("shared_services"): (
        "shared_services.participation", "shared_services.max_rate", "shared_services.cost_rate",
        "shared_services.start_year", "shared_services.ramp_years", "appraisal.shared_services.benefit_optimism_bias",
        "appraisal.shared_services.cost_optimism_bias",
    ),
    labels.lever_label("procurement"): (
        "procurement.participation", "procurement.compliance", "procurement.base_discount",
        "procurement.start_year", "procurement.ramp_years", "appraisal.procurement.benefit_optimism_bias",
        "appraisal.procurement.cost_optimism_bias",
    ),
    labels.lever_label("pooling"): (
        "pooling.participation", "pooling.duplication_rate", "pooling.prevention_share", "pooling.return_rate",
        "pooling.effect_years", "pooling.start_year", "pooling.ramp_years", "appraisal.pooling.benefit_optimism_bias",
        "appraisal.pooling.cost_optimism_bias",
    ),
    labels.lever_label("assets"): (
        "assets.participation", "assets.max_rate", "assets.cost_rate", "assets.receipts_multiple",
        "assets.receipts_years", "assets.start_year", "assets.ramp_years",
        "appraisal.assets.benefit_optimism_bias", "appraisal.assets.cost_optimism_bias",
    ),
    labels.lever_label("reporting"): (
        "reporting.cost_per_indicator", "appraisal.reporting.benefit_optimism_bias",
    ),
    "Appraisal": ("horizon.last_year", "appraisal.discount_rate"),
    "Single offer": (
        "single_offer.places", "single_offer.retained_share", "single_offer.target_rate", "single_offer.start_year",
    ),
}  # fmt: skip

SLIDER_POSITIONS = 200  # a float slider has about this many steps across its range
OPEN_UPPER_YEARS = 10  # upper end of a ramp or lag slider ("years") when the metadata gives none
LONGEST_HORIZON = 20  # horizon.last_year's slider reaches a 20-year appraisal (the metadata gives no maximum)


@dataclass(frozen=True)
class ControlSpec:
    """One control: a dotted path (an agency's entry for agency-indexed parameters) and how to show it."""

    path: str  # e.g. "shared_services.participation.nhs" or "appraisal.discount_rate"
    parameter: str  # the parameter of defaults.yaml it sets
    group: str
    label: str  # whole, for messages: "Shared services: Share of back-office spend shared: NHS"
    unit: str
    description: str
    kind: str  # "float", "integer", "year" (a financial year, shown as '2019-20') or "places"
    low: float = 0.0
    high: float = 1.0
    step: float = 1.0
    readout: str = "d"  # format of the value shown beside the slider
    options: tuple[str, ...] = ()  # places only
    short: str = ""  # beside the control: the parameter, or the agency under a heading naming the parameter
    heading: str = ""  # set on the first agency of an agency-indexed parameter: the parameter's name

    @property
    def percent(self) -> bool:
        """Shown and typed as a percentage (80% for a share of 0.8)."""
        return labels.percent(self.unit)

    def show(self, value: float) -> str:
        """The value as a person reads it ('80%', '3.5%', '0.11', '4')."""
        return labels.format_value(value, self.unit, self.step, self.kind == "integer")

    def bounds_text(self) -> str:
        """The slider's range as a person reads it ('0% to 10%')."""
        return f"{self.show(self.low)} to {self.show(self.high)}"


def control_specs(
    resolved: Resolved, place_ids: Sequence[str], groups: Mapping[str, Sequence[str]] = LEVER_GROUPS
) -> list[ControlSpec]:
    """The controls for `groups` from the parameter metadata of `resolved` (units, bounds, descriptions),
    with the names of `labels`."""
    controls = []
    for group, paths in groups.items():
        for path in paths:
            spec = resolved.specs[path]
            name = labels.parameter_label(path)
            if spec.type == "places":
                options = tuple(place_ids)
                label = labels.full_label(path)
                controls.append(ControlSpec(path, path, group, label, spec.unit, spec.description, "places",
                                            options=options, short=name))  # fmt: skip
                continue
            low, high = slider_bounds(spec, resolved)
            integer = spec.type == "integer"
            step = 1.0 if integer else nice_step(nice_ceiling(high - low) / SLIDER_POSITIONS)
            readout = "d" if integer else f".{max(0, -math.floor(math.log10(step)))}f"
            kind = ("year" if spec.unit == "year" else "integer") if integer else "float"
            unit = labels.UNIT_WORDS.get(spec.unit, "") if kind in ("float", "integer") else ""
            shown = f"{name} ({unit})" if unit and unit.lower() not in name.lower() else name
            if spec.index == "agency":
                for i, agency in enumerate(AGENCIES):
                    controls.append(ControlSpec(
                        f"{path}.{agency}", path, group, labels.full_label(path, agency), spec.unit,
                        spec.description, kind, low, high, step, readout, short=labels.display_name(agency),
                        heading=shown if i == 0 else "",
                    ))  # fmt: skip
            else:
                controls.append(ControlSpec(path, path, group, labels.full_label(path), spec.unit, spec.description,
                                            kind, low, high, step, readout, short=shown))  # fmt: skip
    return controls


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


def make_control(spec: ControlSpec, place_names: Mapping[str, str] | None = None) -> w.ValueWidget:
    """The widget that holds a control's value, in the parameter's own unit (a share as 0.8): a slider
    (its value shown and typed beside it, see `ValueEntry`), a year slider or the places' list. Its name
    is shown beside it by the page, not in the widget. place_names: {place id: name} for the places' list."""
    common = {"tooltip": spec.description, "layout": w.Layout(width="auto", flex="1 1 auto", min_width="120px")}
    if spec.kind == "places":
        return w.SelectMultiple(options=_place_options(spec.options, place_names or {}), rows=7, **common)
    if spec.kind == "year":
        options = year_options(round(spec.low), round(spec.high))
        return w.SelectionSlider(options=options, value=options[-1][1], continuous_update=False, **common)
    slider: Callable[..., w.ValueWidget] = w.IntSlider if spec.kind == "integer" else w.FloatSlider
    return slider(min=spec.low, max=spec.high, step=spec.step, readout=False, continuous_update=False, **common)


def _place_options(ids: Sequence[str], names: Mapping[str, str]) -> list[tuple[str, str]]:
    """(name for people, id) of each place: the name of places.csv where it has one."""
    return [(names.get(place, place), place) for place in ids]


class ValueEntry:
    """A slider's value as a person reads it ('80%', '3.5%'), in a box where a value can be typed: typing
    3.5 on a percentage means 3.5%; a value outside the slider's range, or not a number, is refused with
    a message naming the control (`on_refused`), never clipped, and the box shows the value again."""

    def __init__(self, spec: ControlSpec, slider: w.ValueWidget, on_refused: Callable[[str], None]) -> None:
        self.spec = spec
        self.slider = slider
        self.on_refused = on_refused
        self.box = w.Text(continuous_update=False, layout=w.Layout(width="76px", flex="0 0 76px"))
        self.box.add_class("tp-entry")
        self._showing = False
        self.show()
        slider.observe(lambda _: self.show(), names="value")
        self.box.observe(self._typed, names="value")

    def show(self) -> None:
        """Show the slider's value."""
        self._showing = True
        try:
            self.box.value = self.spec.show(self.slider.value)
        finally:
            self._showing = False

    def _typed(self, change: dict[str, Any]) -> None:
        if not self._showing:
            self.enter(change["new"])

    def enter(self, text: str) -> bool:
        """Take a typed value: set the slider, or refuse it with a message; True if it was taken."""
        spec = self.spec
        value = labels.parse_value(text, spec.unit)
        problem = None
        if value is None:
            problem = f"{text.strip()!r} is not a number"
        elif spec.kind == "integer" and value != int(value):
            problem = f"{text.strip()} is not a whole number"
        elif not spec.low - 1e-12 <= value <= spec.high + 1e-12:
            problem = f"{spec.show(value)} is outside the range of its slider, {spec.bounds_text()}"
        if problem:
            self.on_refused(f"{spec.label}: {problem}; not applied. Type a value from {spec.bounds_text()}.")
            self.show()
            return False
        assert value is not None
        self.slider.value = int(value) if spec.kind == "integer" else value
        self.show()
        return True


def year_options(low: int, high: int) -> list[tuple[str, int]]:
    """A year slider's options: ('2019-20', 2019) for each year from `low` to `high`."""
    return [(financial_year(year), year) for year in range(low, high + 1)]
