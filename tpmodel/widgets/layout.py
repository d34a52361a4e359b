"""The slider page: `SliderApp` lays out the scenario picker, the controls by lever and the outputs,
and recomputes the central case on every move.

The page reflows: the controls sit left of the results on a wide screen and above them below
`NARROW_PX` (a 1024 px laptop, a 768 px tablet); charts shrink to the width they have and the tables are
sized to fit a tablet. Every name shown comes from `labels`.
"""

from __future__ import annotations

import html
import math
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from ..charts import RECEIPTS, receipts_by_year
from ..data import Places, load_places
from ..errors import InputError
from ..model import headline_dict, parameters_sha256, run_central
from ..params import Resolved, default_params_dir, override, resolve, scenario_names
from ..report import lever_agency_npv, offer_by_year
from ..version import __version__
from . import labels
from .charts import bar_chart, column_chart, html_table, stacked_bar_chart, svg
from .controls import (
    LEVER_GROUPS,
    ControlSpec,
    ValueEntry,
    control_specs,
    css_name,
    make_control,
    scenario_value,
    year_options,
)
from .numbers import clean_number

#: Below this page width the controls go above the results.
NARROW_PX = 1200
#: Longest name of a saved scenario [characters] (it becomes a file name).
MAX_SCENARIO_NAME = 64
SCENARIO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

PAGE_STYLE = f"""<style>
.tp-page {{ width: 100%; box-sizing: border-box; }}
.tp-main {{ display: flex !important; flex-flow: row wrap !important; gap: 12px 24px; align-items: flex-start;
  width: 100%; }}
.tp-controls-pane {{ flex: 0 1 520px !important; min-width: 0 !important; max-width: 100%; }}
.tp-results-pane {{ flex: 1 1 560px !important; min-width: 0 !important; max-width: 100%; }}
@media (max-width: {NARROW_PX - 1}px) {{
  .tp-controls-pane, .tp-results-pane {{ flex: 1 1 100% !important; }}
  .tp-controls-pane {{ max-width: 760px; }}
}}
.tp-tabs .lm-TabBar-content {{ flex-wrap: wrap; }}
.tp-tabs .lm-TabBar-tab {{ flex: 0 0 auto !important; max-width: none !important; min-width: 0 !important;
  padding: 0 9px !important; }}
.tp-row {{ width: 100%; align-items: center; gap: 4px; }}
.tp-row .tp-name {{ flex: 0 0 46%; min-width: 0; }}
.tp-row .tp-name .widget-html-content {{ white-space: normal; line-height: 1.25; font-size: 13px; }}
.tp-heading .widget-html-content {{ font-weight: bold; font-size: 13px; margin-top: 6px; white-space: normal; }}
.tp-picker, .tp-save {{ flex-wrap: wrap; gap: 4px; }}
.tp-status .widget-html-content, .tp-save-message .widget-html-content {{ white-space: normal; }}
.tp-headline-box .widget-html-content, .tp-charts .widget-html-content, .tp-tables .widget-html-content,
.tp-footer .widget-html-content {{ white-space: normal; max-width: 100%; }}
.tp-charts-grid {{ display: flex; flex-wrap: wrap; gap: 8px; }}
.tp-charts-grid svg {{ max-width: 100%; height: auto; }}
.tp-tables .widget-html-content {{ line-height: 1.4; }}
.tp-tables p {{ margin: 4px 0 8px; }}
.tp-table {{ border-collapse: collapse; font-size: 12px; line-height: 1.3; }}
.tp-table td, .tp-table th {{ text-align: right; padding: 2px 6px; }}
.tp-table thead th {{ border-bottom: 1px solid #999; vertical-align: bottom; white-space: normal;
  max-width: 7em; }}
.tp-table tbody th {{ text-align: left; white-space: normal; max-width: 14em; }}
.tp-big {{ font-size: 18px; }}
.tp-error {{ color: #b00020; }}
.tp-offer-terms dt {{ font-weight: bold; display: inline; }}
.tp-offer-terms dd {{ display: inline; margin: 0; }}
.tp-offer-terms div {{ margin: 2px 0; }}
.tp-footer {{ color: #666; font-size: 12px; }}
</style>"""


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
        self.by_path: dict[str, ControlSpec] = {c.path: c for c in self.specs}
        names = dict(zip(self.places.ids, self.places.names, strict=True))
        self.controls: dict[str, w.ValueWidget] = {c.path: make_control(c, names) for c in self.specs}
        self.entries: dict[str, ValueEntry] = {
            c.path: ValueEntry(c, self.controls[c.path], self._refused)
            for c in self.specs
            if c.kind in ("float", "integer")
        }
        self.start: dict[str, Any] = {}
        self.last_update_ms = math.nan
        self.last_good: dict[str, Any] | None = None
        self._holding = False
        self.pending: str | None = None  # a scenario picked while settings were moved, awaiting an answer
        self.scenario_picker = w.Dropdown(description="Scenario", layout=w.Layout(width="auto"))
        self._set_picker_options()
        self.reset_button = w.Button(description="Reset to scenario")
        self.confirm_text = w.HTML()
        self.confirm_load = w.Button(description="Load it", button_style="warning")
        self.confirm_keep = w.Button(description="Keep my settings")
        self.confirm = w.VBox([self.confirm_text, w.HBox([self.confirm_load, self.confirm_keep])])
        self.confirm.add_class("tp-confirm")
        self.confirm.layout.display = "none"
        self.status = w.HTML(layout=w.Layout(min_height="1.5em"))
        self.status.add_class("tp-status")
        self.headline = w.HTML()
        self.headline.add_class("tp-headline-box")
        self.charts = w.HTML()
        self.charts.add_class("tp-charts")
        self.tables = w.HTML()
        self.tables.add_class("tp-tables")
        self.footer = w.HTML()
        self.footer.add_class("tp-footer")
        self.save_name = w.Text(placeholder="name for the new scenario", layout=w.Layout(width="auto"))
        self.save_button = w.Button(description="Save as scenario")
        self.save_message = w.HTML()
        self.save_message.add_class("tp-save-message")
        for control in self.controls.values():
            control.observe(self._moved, names="value")
        self.scenario_picker.observe(self._picked, names="value")
        self.reset_button.on_click(lambda _: self.load(self.base.file))
        self.confirm_load.on_click(lambda _: self._answer(load=True))
        self.confirm_keep.on_click(lambda _: self._answer(load=False))
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
        self.pending = None
        self.confirm.layout.display = "none"
        self._holding = True
        try:
            for spec in self.specs:
                value = scenario_value(base, spec)
                control = self.controls[spec.path]
                if spec.kind == "year":
                    low, high = min(round(spec.low), value), max(round(spec.high), value)
                    if (control.options[0][1], control.options[-1][1]) != (low, high):
                        control.options = year_options(low, high)
                elif spec.kind != "places":
                    control.min, control.max = min(spec.low, value), max(spec.high, value)
                control.value = value
                self.start[spec.path] = control.value
            self._select(base.name)
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
            elif spec.kind in ("integer", "year"):
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
        headlines = headline_dict(simulation, years, self.places)
        self.last_good = {
            "resolved": resolved,
            "headlines": headlines,
            "by_lever_agency": lever_agency_npv(simulation),
            "by_year": by_year_table(headlines, receipts_by_year(simulation)),
            "offer": offer_by_year(simulation, years),
        }
        self._render()
        self.last_update_ms = 1000 * (time.perf_counter() - started)
        changed = len(self.overrides())
        moved = "no setting changed" if not changed else f"{changed} setting{'s' if changed != 1 else ''} changed"
        self.status.value = (
            f'<span class="tp-ok">{html.escape(labels.scenario_label(self.base.name))} scenario, {moved}.</span>'
        )
        return True

    def save(self, name: str) -> Path | None:
        """Write the current settings as a scenario YAML under params/scenarios/ (never overwriting).

        A name with anything but letters, digits, _ and - (a control character, a space, a slash) or
        longer than MAX_SCENARIO_NAME is refused with a message, as are names already taken."""
        from ..scenario_io import save_scenario

        name = name.strip(" ")  # spaces around a typed name are dropped; anything else is refused
        if len(name) > MAX_SCENARIO_NAME or not SCENARIO_NAME.fullmatch(name):
            why = f"is too long ({len(name)} characters)" if len(name) > MAX_SCENARIO_NAME else "is not a scenario name"
            shown = html.escape(repr(name[:MAX_SCENARIO_NAME] + ("..." if len(name) > MAX_SCENARIO_NAME else "")))
            self.save_message.value = (
                f'<span class="tp-error">Not saved: {shown} {why}. A name has letters, digits, _ and - only '
                f"(no spaces or control characters), starts with a letter or digit and has at most "
                f"{MAX_SCENARIO_NAME} characters.</span>"
            )
            return None
        try:
            path = save_scenario(self.params_dir, name, self.base.name, self.overrides())
        except InputError as error:
            reasons = "; ".join(problem.message for problem in error.problems)
            self.save_message.value = f'<span class="tp-error">Not saved: {html.escape(reasons)}.</span>'
            return None
        self.save_message.value = (
            f'<span class="tp-ok">Saved as the scenario {html.escape(labels.scenario_label(name))}; '
            "it is now in the scenario list.</span>"
        )
        self._holding = True
        try:
            self._set_picker_options()
            self._select(self.base.name)
        finally:
            self._holding = False
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
        """A scenario picked: loaded at once, or, with settings moved, only once the person says so."""
        new = change["new"]
        if self._holding or not new or new == self.base.name:
            return
        moved = len(self.overrides())
        if not moved:
            self.load(new)
            return
        self.pending = new
        self.confirm_text.value = (
            f"<b>You have changed {moved} setting{'s' if moved != 1 else ''} of the "
            f"{html.escape(labels.scenario_label(self.base.name))} scenario.</b> Load the "
            f"{html.escape(labels.scenario_label(new))} scenario and lose them?"
        )
        self.confirm_load.description = f"Load {labels.scenario_label(new)}"
        self.confirm.layout.display = "flex"
        self._holding = True
        try:
            self._select(self.base.name)  # the picker shows the scenario in use until the answer
        finally:
            self._holding = False

    def _answer(self, load: bool) -> None:
        pending, self.pending = self.pending, None
        self.confirm.layout.display = "none"
        if load and pending:
            self.load(pending)

    def _refused(self, message: str) -> None:
        """A typed value refused (outside its slider's range, or not a number)."""
        self.status.value = (
            f'<div class="tp-error"><b>{html.escape(message)}</b><br>The results shown have not changed.</div>'
        )

    def _show_error(self, error: InputError) -> None:
        kept = (
            " The NPV, charts and tables on this page still show the last allowed settings." if self.last_good else ""
        )
        lines = "".join(f"<li>{html.escape(self._problem_text(p.path, p.message))}</li>" for p in error.problems)
        self.status.value = (
            f'<div class="tp-error"><b>These settings are not allowed, so the results have not changed.</b>{kept}'
            f'<ul style="margin:4px 0;padding-left:18px">{lines}</ul></div>'
        )

    def _problem_text(self, path: str, message: str) -> str:
        """A validation problem for people: the control's name in place of the parameter path."""
        spec = self.by_path.get(path)
        if spec is None:  # a parameter without a control, or one agency of one: its name for people
            parameter = next((c.parameter for c in self.specs if path.startswith(c.parameter)), path)
            agency = path[len(parameter) + 1 :] if path != parameter else None
            name = labels.full_label(parameter, agency or None)
        else:
            name = spec.label
        return f"{name}: {message}"

    # -- drawing

    def _set_picker_options(self) -> None:
        self.scenario_picker.options = [(labels.scenario_label(n), n) for n in scenario_names(self.params_dir)]

    def _select(self, name: str) -> None:
        values = [value for _, value in self.scenario_picker.options]
        self.scenario_picker.value = name if name in values else None

    def _render(self) -> None:
        good = self.last_good
        assert good is not None
        h = good["headlines"]
        resolved: Resolved = good["resolved"]
        years = [int(y) for y in h["net_by_year"]]
        bcr = "n/a (no cost)" if h["bcr"] is None else f"{h['bcr']:.2f}"
        payback = "none in the appraisal" if h["payback_year"] is None else labels.financial_year(h["payback_year"])
        rate = labels.format_value(float(resolved.values["appraisal.discount_rate"]), "share", 0.001)
        self.headline.value = (
            '<div class="tp-headline">'
            f'<div class="tp-big">NPV <b>£<span class="tp-npv">{labels.format_money(h["npv"])}</span>m</b></div>'
            f'<div>of which capital receipts <b>£<span class="tp-pv-receipts">'
            f"{labels.format_money(h['pv_receipts'])}</span>m</b> (one-off, present value)</div>"
            f'<div>Benefit-cost ratio <b><span class="tp-bcr">{bcr}</span></b> &nbsp; '
            f'Payback year <b><span class="tp-payback">{payback}</span></b> (undiscounted; capital receipts left out)'
            "</div>"
            f"<div><small>{labels.financial_year(years[0])} to {labels.financial_year(years[-1])}; £m at 2010-11 "
            f"prices, discounted to 2010-11 at {rate} a year; central case (every uncertain value at its "
            "central value)</small></div></div>"
        )
        self.charts.value = (
            '<div class="tp-charts-grid">'
            + "".join(page_charts(good["by_year"], good["by_lever_agency"], good["offer"]))
            + "</div>"
        )
        self.tables.value = "".join(page_tables(good["by_year"], good["by_lever_agency"], good["offer"]))
        digest = parameters_sha256(resolved)
        self.footer.value = (
            f'<span class="tp-version">tpmodel {html.escape(__version__)}</span> &middot; '
            f'<span title="SHA-256 of every parameter value, as recorded with each run">parameter set '
            f'<span class="tp-hash">{digest[:12]}</span></span>'
        )

    def _row(self, spec: ControlSpec) -> w.Widget:
        """One control with its name beside it (and its value box, for a slider)."""
        name = w.HTML(f'<span title="{html.escape(spec.description)}">{html.escape(spec.short)}</span>')
        name.add_class("tp-name")
        parts = [name, self.controls[spec.path]]
        if spec.path in self.entries:
            parts.append(self.entries[spec.path].box)
        row: w.Widget = w.HBox(parts) if spec.kind != "places" else w.VBox(parts)
        row.add_class("tp-row")
        row.add_class("tp-control")
        row.add_class(css_name(spec.path))
        if not spec.heading:
            return row
        heading = w.HTML(html.escape(spec.heading))
        heading.add_class("tp-heading")
        return w.VBox([heading, row], layout=w.Layout(width="100%"))

    def _layout(self) -> w.Widget:
        tabs = [w.VBox([self._row(c) for c in self.specs if c.group == group]) for group in LEVER_GROUPS]
        tab = w.Tab(children=tabs, titles=list(LEVER_GROUPS))
        tab.add_class("tp-tabs")
        top = w.HBox([self.scenario_picker, self.reset_button])
        top.add_class("tp-picker")
        save = w.HBox([self.save_name, self.save_button])
        save.add_class("tp-save")
        left = w.VBox([top, self.confirm, tab, self.status, save, self.save_message])
        left.add_class("tp-controls-pane")
        right = w.VBox([self.headline, self.charts, self.tables, self.footer])
        right.add_class("tp-results-pane")
        main = w.Box([left, right])
        main.add_class("tp-main")
        page = w.VBox([w.HTML(PAGE_STYLE), main], layout=w.Layout(width="100%"))
        page.add_class("tp-page")
        return page


# ---------------------------------------------------------------- what the page shows, from a run

RECURRING = "recurring net"
RECEIPTS_NET = "capital receipts"
CUMULATIVE_REVENUE = "cumulative, receipts excluded"


def by_year_table(headlines: Mapping[str, Any], receipts: Any) -> pd.DataFrame:
    """By year (index: years as ints) [GBP m, undiscounted]: recurring net (net less capital receipts),
    capital receipts, net, cumulative net, cumulative net with receipts excluded (the payback basis), cashable."""
    years = [int(y) for y in headlines["net_by_year"]]
    net = pd.Series(headlines["net_by_year"].values(), index=years, dtype=float)
    receipts = pd.Series(receipts, index=years, dtype=float)
    return pd.DataFrame({
        RECURRING: net - receipts,
        RECEIPTS_NET: receipts,
        "net": net,
        "cumulative net": pd.Series(headlines["cumulative_net_by_year"].values(), index=years, dtype=float),
        CUMULATIVE_REVENUE: (net - receipts).cumsum(),
        "cashable": pd.Series(headlines["cashable_by_year"].values(), index=years, dtype=float),
    }).rename_axis("year")  # fmt: skip


def page_charts(by_year: pd.DataFrame, by_lever_agency: pd.DataFrame, offer: pd.DataFrame) -> list[str]:
    """The page's four SVG charts: net by year (recurring and receipts stacked apart, the cumulative
    net with receipts excluded as a line), npv by lever and by agency (receipts apart), single offer."""
    name = labels.column_label
    years = [labels.financial_year(y) for y in by_year.index]
    net = column_chart(
        years, {name(RECURRING): list(by_year[RECURRING]), name(RECEIPTS_NET): list(by_year[RECEIPTS_NET])},
        "Net savings by year, £m (undiscounted)", line=(name(CUMULATIVE_REVENUE), list(by_year[CUMULATIVE_REVENUE])),
        colors=("#2b7bb9", "#b07aa1"), width=560,
    )  # fmt: skip
    table = by_lever_agency.drop(index="total")
    receipt_rows = [r for r in table.index if r.endswith(": capital receipts")]
    apart = {r.removesuffix(": capital receipts") for r in receipt_rows}
    levers = {
        labels.display_name(r) + (" (recurring)" if r in apart else ""): float(v) for r, v in table.sum(axis=1).items()
    }
    agencies = {
        labels.display_name(a): [float(table.loc[table.index.difference(receipt_rows), a].sum()),
                                 float(table.loc[receipt_rows, a].sum())]
        for a in table.columns
    }  # fmt: skip
    charts = [
        net,
        bar_chart(levers, "NPV by lever, £m (capital receipts apart)", width=420),
        stacked_bar_chart(agencies, ("Recurring", RECEIPTS), "NPV by agency, £m: who benefits", width=420),
    ]
    if len(offer):
        shortfall = [max(0.0, t - c) for t, c in zip(offer["target"], offer["total_cashable"], strict=True)]
        charts.append(column_chart(
            [labels.financial_year(y) for y in offer["year"]],
            {"Retained": list(offer["retained"]), "Exchequer": list(offer["exchequer"]), "Shortfall": shortfall},
            "Single offer: retained, Exchequer, shortfall, £m", line=("Target", list(offer["target"])),
            colors=("#2b7bb9", "#f28e2b", "#cccccc"), width=560,
        ))  # fmt: skip
    else:
        charts.append(svg(380, 60, "Single offer: no place makes the offer", []))
    return charts


def page_tables(by_year: pd.DataFrame, by_lever_agency: pd.DataFrame, offer: pd.DataFrame) -> list[str]:
    """The page's tables with display names: who benefits (lever x agency, receipts a row of their own),
    by year, and the single offer with what each of its figures means."""
    who = by_lever_agency.copy()
    who["total"] = who.sum(axis=1)
    who = who.rename(index=labels.display_name, columns=labels.display_name).rename_axis(None)
    years = by_year.rename(index=labels.financial_year, columns=labels.column_label).rename_axis(None)
    out = [
        "<h4>Who benefits: NPV by lever and agency, £m</h4>",
        "<p>Each agency's share of the savings less its costs, in present value. Pooling's savings can fall to "
        "agencies other than those that pay for prevention (the wrong pocket); capital receipts are one-off "
        "and shown apart from the recurring savings.</p>",
        html_table(who, "Who benefits: NPV by lever and agency, £m", "tp-table tp-who"),
        "<h4>By year, £m (undiscounted)</h4>",
        html_table(years, "By year, £m (undiscounted)", "tp-table tp-by-year"),
    ]
    if not len(offer):
        return [*out, "<h4>Single offer</h4><p>No place makes the offer: choose places in the Single offer tab.</p>"]
    totals = offer.set_index("year")[["total_cashable", "target", "retained", "exchequer", "shortfall"]]
    totals = totals.rename(index=labels.financial_year, columns=labels.column_label)
    totals.loc["Total"] = totals.sum()
    terms = "".join(
        f"<div><dt>{html.escape(term)}:</dt> <dd>{html.escape(meaning)}</dd></div>"
        for term, meaning in labels.OFFER_TERMS.items()
    )
    return [
        *out,
        "<h4>Single offer, £m a year (the places making the offer)</h4>",
        html_table(totals.rename_axis(None), "Single offer, £m a year", "tp-table tp-offer"),
        f'<dl class="tp-offer-terms">{terms}</dl>',
    ]
