"""Sliders for the levers' main parameters, built from the parameter metadata (ipywidgets).

    from tpmodel.widgets import SliderApp
    app = SliderApp("standard")
    app.widget          # display it in JupyterLab or Voila

Every control comes from a `ControlSpec` that `control_specs` derives from
`params/defaults.yaml` (label from the path, unit, bounds, description); no
slider is written out by hand. A move re-validates the scenario with
`params.override` (no file read) and re-runs the central case (a few ms);
headline, tables and charts (inline SVG, cheap to redraw) update at once. A
combination the validation rejects shows its message beside the sliders and
the last good results stay on screen.
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w

from .core.axes import AGENCIES
from .core.distributions import central_or_number
from .data import Places, load_places
from .errors import InputError
from .formatting import format_money
from .model import headline_dict, run_central
from .params import ParamSpec, Resolved, default_params_dir, is_distribution, override, resolve, scenario_names
from .report import lever_agency_npv, offer_by_year

#: The parameters that get a control, by tab. Agency-indexed ones get one slider per agency.
LEVER_GROUPS: dict[str, tuple[str, ...]] = {
    "Shared services": (
        "shared_services.participation", "shared_services.max_rate", "shared_services.start_year",
        "shared_services.ramp_years", "appraisal.shared_services.benefit_optimism_bias",
        "appraisal.shared_services.cost_optimism_bias",
    ),
    "Procurement": (
        "procurement.participation", "procurement.compliance", "procurement.base_discount",
        "procurement.start_year", "procurement.ramp_years", "appraisal.procurement.benefit_optimism_bias",
        "appraisal.procurement.cost_optimism_bias",
    ),
    "Pooling": (
        "pooling.participation", "pooling.duplication_rate", "pooling.prevention_share", "pooling.return_rate",
        "pooling.start_year", "pooling.ramp_years", "appraisal.pooling.benefit_optimism_bias",
        "appraisal.pooling.cost_optimism_bias",
    ),
    "Assets": (
        "assets.participation", "assets.max_rate", "assets.start_year", "assets.ramp_years",
        "appraisal.assets.benefit_optimism_bias", "appraisal.assets.cost_optimism_bias",
    ),
    "Reporting": (
        "reporting.cost_per_indicator", "appraisal.reporting.benefit_optimism_bias",
    ),
    "Appraisal": ("appraisal.discount_rate",),
    "Single offer": (
        "single_offer.places", "single_offer.retained_share", "single_offer.target_rate", "single_offer.start_year",
    ),
}  # fmt: skip

PAGE_STYLE = (  # tab titles at their natural width, so "Shared services" is not cut short
    "<style>.tp-tabs .lm-TabBar-tab {flex: 0 0 auto !important; max-width: none !important;"
    " min-width: 0 !important; padding: 0 9px !important}</style>"
)
TABLE_STYLE = (
    "<style>.tp-table td, .tp-table th {text-align: right; padding: 2px 10px}"
    " .tp-table thead th {border-bottom: 1px solid #999}</style>"
)
SLIDER_POSITIONS = 200  # a float slider has about this many steps across its range
OPEN_UPPER_YEARS = 10  # upper end of a ramp or lag slider ("years") when the metadata gives none


@dataclass(frozen=True)
class ControlSpec:
    """One control: a dotted path (an agency's entry for agency-indexed parameters) and how to show it."""

    path: str  # e.g. "shared_services.participation.nhs" or "appraisal.discount_rate"
    parameter: str  # the parameter of defaults.yaml it sets
    group: str
    label: str
    unit: str
    description: str
    kind: str  # "float", "integer" or "places"
    low: float = 0.0
    high: float = 1.0
    step: float = 1.0
    readout: str = "d"  # format of the value shown beside the slider
    options: tuple[str, ...] = ()  # places only


# ---------------------------------------------------------------- specs from metadata


def control_specs(
    resolved: Resolved, place_ids: Sequence[str], groups: Mapping[str, Sequence[str]] = LEVER_GROUPS
) -> list[ControlSpec]:
    """The controls for `groups` from the parameter metadata of `resolved` (labels, units, bounds)."""
    controls = []
    for group, paths in groups.items():
        for path in paths:
            spec = resolved.specs[path]
            label = _label(path, group)
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
            kind = "integer" if integer else "float"
            agency = spec.index == "agency"
            entries = [(f"{path}.{a}", f"{label}: {a}") for a in AGENCIES] if agency else [(path, label)]
            for p, text in entries:
                name = f"{text} [{spec.unit}]"
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


def nice_step(raw: float) -> float:
    """The largest of 1, 2, 5 x 10^k that is at most `raw`."""
    exponent = math.floor(math.log10(raw))
    for mantissa in (5, 2, 1):
        if mantissa * 10.0**exponent <= raw:
            return mantissa * 10.0**exponent
    return 10.0**exponent  # pragma: no cover - 1 x 10^k <= raw always holds


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k that is at least `value`."""
    exponent = math.floor(math.log10(value))
    for mantissa in (1, 2, 5, 10):
        if mantissa * 10.0**exponent >= value * (1 - 1e-12):
            return mantissa * 10.0**exponent
    return 10.0 ** (exponent + 1)  # pragma: no cover


def scenario_value(resolved: Resolved, control: ControlSpec) -> Any:
    """The value a control shows for a resolved scenario (the central value of an uncertain one)."""
    value = resolved.values[control.parameter]
    if control.kind == "places":
        return tuple(control.options) if value == "all" else tuple(value)
    if control.path != control.parameter:  # one agency of an agency-indexed parameter
        agency = control.path.rsplit(".", 1)[1]
        value = value.get(agency, 0.0) if isinstance(value, Mapping) and not is_distribution(value) else value
    number = central_or_number(value)
    return round(number) if control.kind == "integer" else number


def clean_number(value: float, step: float) -> float:
    """A slider value without float noise (0.35000000000000003 -> 0.35), to the slider's precision."""
    decimals = max(0, -math.floor(math.log10(step))) + 2
    return round(float(value), decimals)


# ---------------------------------------------------------------- SVG charts


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high - low <= 0:
        return [low]
    step = nice_ceiling((high - low) / count)
    first = math.floor(low / step) * step
    return [first + i * step for i in range(math.ceil((high - first) / step) + 1)]


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
        f'<text x="{width / 2}" y="14" text-anchor="middle" font-weight="bold" font-size="12">'
        f"{html.escape(title)}</text>{''.join(body)}</svg>"
    )


def column_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str,
    line: tuple[str, Sequence[float]] | None = None,
    colors: Sequence[str] = ("#2b7bb9", "#f28e2b", "#59a14f"),
    width: int = 380,
    height: int = 230,
) -> str:
    """Stacked columns (positive parts up, negative down) with an optional line, as an SVG string."""
    left, right, top, bottom = 52, 10, 24, 36
    names = list(series)
    ups = [sum(max(0.0, series[n][i]) for n in names) for i in range(len(labels))]
    downs = [sum(min(0.0, series[n][i]) for n in names) for i in range(len(labels))]
    extra = list(line[1]) if line else []
    lo, hi = min([0.0, *downs, *extra]), max([0.0, *ups, *extra])
    ticks = _nice_ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    span = (hi - lo) or 1.0
    plot_h, plot_w = height - top - bottom, width - left - right

    def y(v: float) -> float:
        return top + (hi - v) / span * plot_h

    body = [
        f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>'
        f'<text x="{left - 4}" y="{y(t) + 4:.1f}" text-anchor="end">{t:,.0f}</text>'
        for t in ticks
    ]
    slot = plot_w / max(1, len(labels))
    for i, label in enumerate(labels):
        x = left + i * slot + slot * 0.15
        up = down = 0.0
        for k, name in enumerate(names):
            v = float(series[name][i])
            base = up if v >= 0 else down
            y0, y1 = sorted((y(base), y(base + v)))
            body.append(
                f'<rect x="{x:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" height="{max(0.5, y1 - y0):.1f}" '
                f'fill="{colors[k % len(colors)]}"><title>{html.escape(name)} {label}: {v:,.1f}</title></rect>'
            )
            up, down = (up + v, down) if v >= 0 else (up, down + v)
        body.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 14}" text-anchor="middle">{label}</text>')
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#555"/>')
    if line:
        points = " ".join(f"{left + (i + 0.5) * slot:.1f},{y(v):.1f}" for i, v in enumerate(line[1]))
        body.append(f'<polyline points="{points}" fill="none" stroke="black" stroke-width="2"/>')
        body += [
            f'<circle cx="{left + (i + 0.5) * slot:.1f}" cy="{y(v):.1f}" r="3"><title>{line[0]} {labels[i]}: '
            f"{v:,.1f}</title></circle>"
            for i, v in enumerate(line[1])
        ]
    keys = [*names, *([line[0]] if line else [])]
    for k, name in enumerate(keys):
        color = colors[k % len(colors)] if k < len(names) else "black"
        x = left + k * 120
        body.append(
            f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{color}"/>'
            f'<text x="{x + 14}" y="{height - 5}">{html.escape(name)}</text>'
        )
    return _svg(width, height, title, body)


def bar_chart(values: Mapping[str, float], title: str, width: int = 380, height: int | None = None) -> str:
    """Horizontal bars (green gains, red losses) with their values, as an SVG string."""
    left, right, top, row = 110, 56, 24, 22
    height = height or top + row * len(values) + 24
    numbers = [float(v) for v in values.values()]
    lo, hi = min(0.0, *numbers), max(0.0, *numbers)
    span = (hi - lo) or 1.0
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + (v - lo) / span * plot_w

    body = []
    for i, (name, v) in enumerate(zip(values, numbers, strict=True)):
        y0 = top + i * row + 3
        x0, x1 = sorted((x(0), x(v)))
        color = "#59a14f" if v >= 0 else "#e15759"
        body.append(
            f'<text x="{left - 6}" y="{y0 + 12}" text-anchor="end">{html.escape(name)}</text>'
            f'<rect x="{x0:.1f}" y="{y0}" width="{max(0.5, x1 - x0):.1f}" height="{row - 6}" fill="{color}"/>'
            f'<text x="{max(x0, x1) + 4:.1f}" y="{y0 + 12}">{v:,.1f}</text>'
        )
    body.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top}" y2="{top + row * len(values)}" stroke="#555"/>')
    body.append(f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle">GBP m, present value</text>')
    return _svg(width, height, title, body)


def html_table(frame, caption: str, css_class: str = "tp-table") -> str:
    """A small pandas frame as an HTML table, numbers to 0.1."""
    return frame.to_html(classes=css_class, float_format=format_money, border=0).replace(
        "<table", f"<table title='{html.escape(caption)}'", 1
    )


# ---------------------------------------------------------------- the app


class SliderApp:
    """The slider page: a scenario picker, controls by lever, outputs that follow every move.

    scenario: the scenario to start from; params_dir: the parameter folder
    (default: `default_params_dir()`); the save button writes there.
    """

    def __init__(self, scenario: str = "standard", params_dir: Path | str | None = None) -> None:
        self.params_dir = Path(params_dir) if params_dir else default_params_dir()
        self.places: Places = load_places(self.params_dir)
        self.base: Resolved = resolve(scenario, self.params_dir)
        self.specs = control_specs(self.base, self.places.ids)
        self.controls: dict[str, w.ValueWidget] = {c.path: _make_control(c) for c in self.specs}
        self.start: dict[str, Any] = {}
        self.last_update_ms = math.nan
        self.last_good: dict[str, Any] | None = None
        self._holding = False
        self.scenario_picker = w.Dropdown(
            options=scenario_names(self.params_dir), value=self.base.name if self.base.name in
            scenario_names(self.params_dir) else None, description="Scenario",
        )  # fmt: skip
        self.reset_button = w.Button(description="Reset to scenario")
        self.status = w.HTML(layout=w.Layout(min_height="1.5em"))
        self.status.add_class("tp-status")
        self.headline = w.HTML()
        self.headline.add_class("tp-headline-box")
        self.charts = w.HTML()
        self.tables = w.HTML()
        self.save_name = w.Text(placeholder="new scenario name", description="Save as")
        self.save_button = w.Button(description="Save as scenario")
        self.save_message = w.HTML()
        self.save_message.add_class("tp-save-message")
        for path, control in self.controls.items():
            control.add_class("tp-control")
            control.add_class(css_name(path))
            control.observe(self._moved, names="value")
        self.scenario_picker.observe(self._picked, names="value")
        self.reset_button.on_click(lambda _: self.load(self.base.file))
        self.save_button.on_click(lambda _: self.save(self.save_name.value))
        self.widget = self._layout()
        self.load(scenario)

    # -- state

    def load(self, scenario: str) -> None:
        """Start from a scenario: resolve it once, set every control to its values, recompute."""
        try:
            base = resolve(scenario, self.params_dir)
        except InputError as error:
            self._show_error(error)
            return
        self.base = base
        self._holding = True
        try:
            for spec in self.specs:
                value = scenario_value(base, spec)
                control = self.controls[spec.path]
                if spec.kind != "places":
                    control.min, control.max = min(spec.low, value), max(spec.high, value)
                control.value = value
                self.start[spec.path] = control.value
            if base.name in self.scenario_picker.options:
                self.scenario_picker.value = base.name
        finally:
            self._holding = False
        self.update()

    def overrides(self) -> dict[str, Any]:
        """{dotted path: value} of the controls moved away from the scenario's values."""
        out: dict[str, Any] = {}
        for spec in self.specs:
            value = self.controls[spec.path].value
            if value == self.start.get(spec.path):
                continue
            if spec.kind == "places":
                out[spec.path] = list(value)
            elif spec.kind == "integer":
                out[spec.path] = int(value)
            else:
                out[spec.path] = clean_number(value, spec.step)
        return out

    def update(self) -> bool:
        """Re-validate and recompute the central case, then redraw; False (message shown) if rejected."""
        started = time.perf_counter()
        try:
            resolved = override(self.base, self.overrides(), file="sliders")
            simulation = run_central(resolved, self.places)
        except InputError as error:
            self._show_error(error)
            return False
        years = list(resolved.years)
        self.last_good = {
            "resolved": resolved,
            "headlines": headline_dict(simulation, years, self.places),
            "by_lever_agency": lever_agency_npv(simulation),
            "offer": offer_by_year(simulation, years),
        }
        self._render()
        self.last_update_ms = 1000 * (time.perf_counter() - started)
        changed = len(self.overrides())
        self.status.value = (
            f'<span class="tp-ok">scenario {html.escape(self.base.name)}, {changed} value(s) changed; '
            f"updated in {self.last_update_ms:.0f} ms</span>"
        )
        return True

    def save(self, name: str) -> Path | None:
        """Write the current settings as a scenario YAML under params/scenarios/ (never overwriting)."""
        from .scenario_io import save_scenario

        try:
            path = save_scenario(self.params_dir, name.strip(), self.base.name, self.overrides())
        except InputError as error:
            self.save_message.value = f'<pre class="tp-error">{html.escape(error.render())}</pre>'
            return None
        self.save_message.value = (
            f'<span class="tp-ok">wrote {html.escape(str(path))}; run it with '
            f"<code>tpmodel run {html.escape(name.strip())} --out outputs/{html.escape(name.strip())}</code></span>"
        )
        self.scenario_picker.unobserve(self._picked, names="value")
        self.scenario_picker.options = scenario_names(self.params_dir)
        self.scenario_picker.value = self.base.name
        self.scenario_picker.observe(self._picked, names="value")
        return path

    def set_values(self, values: Mapping[str, Any]) -> bool:
        """Move several controls at once ({control path: value}) and update once; returns `update()`."""
        self._holding = True
        try:
            for path, value in values.items():
                self.controls[path].value = value
        finally:
            self._holding = False
        return self.update()

    # -- events

    def _moved(self, change: dict[str, Any]) -> None:
        if not self._holding:
            self.update()

    def _picked(self, change: dict[str, Any]) -> None:
        if change["new"] and change["new"] != self.base.name:
            self.load(change["new"])

    def _show_error(self, error: InputError) -> None:
        kept = " The results below are the last valid ones." if self.last_good else ""
        self.status.value = (
            f'<div class="tp-error" style="color:#b00020"><b>These settings are not allowed.</b>{kept}'
            f'<pre style="white-space:pre-wrap">{html.escape(error.render())}</pre></div>'
        )

    # -- drawing

    def _render(self) -> None:
        good = self.last_good
        assert good is not None
        h = good["headlines"]
        bcr = "n/a" if h["bcr"] is None else f"{h['bcr']:.2f}"
        payback = "none in horizon" if h["payback_year"] is None else str(h["payback_year"])
        self.headline.value = (
            '<div class="tp-headline" style="font-size:15px">'
            f'NPV <b><span class="tp-npv">{format_money(h["npv"])}</span></b> GBP m &nbsp; '
            f'BCR <b><span class="tp-bcr">{bcr}</span></b> &nbsp; '
            f'payback year <b><span class="tp-payback">{payback}</span></b>'
            " <small>(real 2010-11 prices, discounted to 2010-11, central case)</small></div>"
        )
        years = [str(y) for y in h["net_by_year"]]
        offer = good["offer"]
        if len(offer):
            offer_svg = column_chart(
                [str(y) for y in offer["year"]],
                {"retained": list(offer["retained"]), "exchequer": list(offer["exchequer"])},
                "Single offer: retained vs exchequer [GBP m]",
            )
        else:
            offer_svg = _svg(380, 60, "Single offer: no place selected", [])
        self.charts.value = (
            '<div class="tp-charts" style="display:flex;flex-wrap:wrap;gap:8px">'
            + column_chart(years, {"net": list(h["net_by_year"].values())}, "Net by year [GBP m]",
                           line=("cumulative", list(h["cumulative_net_by_year"].values())))
            + bar_chart(h["npv_by_lever"], "npv by lever")
            + bar_chart(h["npv_by_agency"], "npv by agency (who benefits)")
            + offer_svg
            + "</div>"
        )  # fmt: skip
        offer_table = ""
        if len(offer):
            totals = offer.set_index("year")[["total_cashable", "retained", "exchequer"]]
            totals.loc["total"] = totals.sum()
            offer_table = "<h4>Single offer [GBP m a year]</h4>" + html_table(totals, "single offer")
        self.tables.value = (
            TABLE_STYLE
            + "<h4>npv by lever and agency [GBP m]: who pays, who benefits (pooling: the wrong pocket)</h4>"
            + html_table(good["by_lever_agency"], "npv by lever and agency")
            + offer_table
        )

    def _layout(self) -> w.Widget:
        tabs = []
        for group in LEVER_GROUPS:
            tabs.append(w.VBox([self.controls[c.path] for c in self.specs if c.group == group]))
        tab = w.Tab(children=tabs, titles=list(LEVER_GROUPS))
        tab.add_class("tp-tabs")
        top = w.HBox([self.scenario_picker, self.reset_button])
        save = w.HBox([self.save_name, self.save_button])
        left = w.VBox([top, tab, self.status, save, self.save_message], layout=w.Layout(width="660px"))
        right = w.VBox([self.headline, self.charts, self.tables], layout=w.Layout(flex="1"))
        return w.VBox([w.HTML(PAGE_STYLE), w.HBox([left, right], layout=w.Layout(flex_flow="row wrap"))])


def css_name(path: str) -> str:
    """A control's CSS class: 'shared_services.max_rate' -> 'tp-shared_services--max_rate'."""
    return "tp-" + path.replace(".", "--")


def _make_control(spec: ControlSpec) -> w.ValueWidget:
    common = {
        "description": spec.label,
        "tooltip": spec.description,
        "style": {"description_width": "230px"},
        "layout": w.Layout(width="620px"),
    }
    if spec.kind == "places":
        return w.SelectMultiple(options=list(spec.options), rows=7, **common)
    slider: Callable[..., w.ValueWidget] = w.IntSlider if spec.kind == "integer" else w.FloatSlider
    return slider(
        min=spec.low, max=spec.high, step=spec.step, readout_format=spec.readout, continuous_update=False, **common
    )
