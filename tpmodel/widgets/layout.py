"""The slider page: `SliderApp` lays out the scenario picker, the controls by lever and the outputs,
and recomputes the central case on every move."""

from __future__ import annotations

import html
import math
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from ..charts import RECEIPTS, display_name, receipts_by_year
from ..data import Places, load_places
from ..errors import InputError
from ..formatting import financial_year, format_money
from ..model import headline_dict, run_central
from ..params import Resolved, default_params_dir, override, resolve, scenario_names
from ..report import lever_agency_npv, offer_by_year
from .charts import bar_chart, column_chart, html_table, stacked_bar_chart, svg
from .controls import LEVER_GROUPS, control_specs, css_name, make_control, scenario_value, year_options
from .numbers import clean_number

PAGE_STYLE = (  # tab titles at their natural width, so "Shared services" is not cut short
    "<style>.tp-tabs .lm-TabBar-tab {flex: 0 0 auto !important; max-width: none !important;"
    " min-width: 0 !important; padding: 0 9px !important}</style>"
)
TABLE_STYLE = (
    "<style>.tp-table td, .tp-table th {text-align: right; padding: 2px 10px}"
    " .tp-table thead th {border-bottom: 1px solid #999}</style>"
)


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
        self.controls: dict[str, w.ValueWidget] = {c.path: make_control(c) for c in self.specs}
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
        self.tables.add_class("tp-tables")
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
                if spec.kind == "year":
                    low, high = min(round(spec.low), value), max(round(spec.high), value)
                    if (control.options[0][1], control.options[-1][1]) != (low, high):
                        control.options = year_options(low, high)
                elif spec.kind != "places":
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
        self.status.value = (
            f'<span class="tp-ok">scenario {html.escape(self.base.name)}, {changed} value(s) changed; '
            f"updated in {self.last_update_ms:.0f} ms</span>"
        )
        return True

    def save(self, name: str) -> Path | None:
        """Write the current settings as a scenario YAML under params/scenarios/ (never overwriting)."""
        from ..scenario_io import save_scenario

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
        payback = "none in horizon" if h["payback_year"] is None else financial_year(h["payback_year"])
        self.headline.value = (
            '<div class="tp-headline" style="font-size:15px">'
            f'NPV <b><span class="tp-npv">{format_money(h["npv"])}</span></b> GBP m, '
            f'of which capital receipts <b><span class="tp-pv-receipts">{format_money(h["pv_receipts"])}</span></b>'
            " (one-off, present value) &nbsp; "
            f'BCR <b><span class="tp-bcr">{bcr}</span></b> &nbsp; '
            f'payback <b><span class="tp-payback">{payback}</span></b> <small>(undiscounted, receipts excluded)</small>'
            f"<br><small>{financial_year(int(next(iter(h['net_by_year']))))} to "
            f"{financial_year(int(list(h['net_by_year'])[-1]))}; real 2010-11 prices, discounted to 2010-11; "
            "central case</small></div>"
        )
        self.charts.value = (
            '<div class="tp-charts" style="display:flex;flex-wrap:wrap;gap:8px">'
            + "".join(page_charts(good["by_year"], good["by_lever_agency"], good["offer"]))
            + "</div>"
        )
        self.tables.value = TABLE_STYLE + "".join(page_tables(good["by_year"], good["by_lever_agency"], good["offer"]))

    def _layout(self) -> w.Widget:
        tabs = []
        for group in LEVER_GROUPS:
            tabs.append(w.VBox([self.controls[c.path] for c in self.specs if c.group == group]))
        tab = w.Tab(children=tabs, titles=list(LEVER_GROUPS))
        tab.add_class("tp-tabs")
        top = w.HBox([self.scenario_picker, self.reset_button])
        save = w.HBox([self.save_name, self.save_button])
        left = w.VBox([top, tab, self.status, save, self.save_message], layout=w.Layout(width="720px"))
        right = w.VBox([self.headline, self.charts, self.tables], layout=w.Layout(flex="1"))
        return w.VBox([w.HTML(PAGE_STYLE), w.HBox([left, right], layout=w.Layout(flex_flow="row wrap"))])


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
    years = [financial_year(y) for y in by_year.index]
    net = column_chart(
        years, {RECURRING: list(by_year[RECURRING]), RECEIPTS_NET: list(by_year[RECEIPTS_NET])},
        "Net by year [GBP m, undiscounted]", line=(CUMULATIVE_REVENUE, list(by_year[CUMULATIVE_REVENUE])),
        colors=("#2b7bb9", "#b07aa1"), width=560,
    )  # fmt: skip
    table = by_lever_agency.drop(index="total")
    receipt_rows = [r for r in table.index if r.endswith(": capital receipts")]
    apart = {r.removesuffix(": capital receipts") for r in receipt_rows}
    levers = {display_name(r) + (" (recurring)" if r in apart else ""): float(v) for r, v in table.sum(axis=1).items()}
    agencies = {
        display_name(a): [float(table.loc[table.index.difference(receipt_rows), a].sum()),
                          float(table.loc[receipt_rows, a].sum())]
        for a in table.columns
    }  # fmt: skip
    charts = [
        net,
        bar_chart(levers, "npv by lever (capital receipts apart)", width=420),
        stacked_bar_chart(agencies, ("recurring", RECEIPTS), "npv by agency (who benefits)", width=420),
    ]
    if len(offer):
        shortfall = [max(0.0, t - c) for t, c in zip(offer["target"], offer["total_cashable"], strict=True)]
        charts.append(column_chart(
            [financial_year(y) for y in offer["year"]],
            {"retained": list(offer["retained"]), "exchequer": list(offer["exchequer"]), "shortfall": shortfall},
            "Single offer: retained, exchequer, shortfall [GBP m]", line=("target", list(offer["target"])),
            colors=("#2b7bb9", "#f28e2b", "#cccccc"), width=560,
        ))  # fmt: skip
    else:
        charts.append(svg(380, 60, "Single offer: no place selected", []))
    return charts


def page_tables(by_year: pd.DataFrame, by_lever_agency: pd.DataFrame, offer: pd.DataFrame) -> list[str]:
    """The page's tables with display names: who benefits (lever x agency, receipts a row of their own),
    by year, and the single offer."""
    who = by_lever_agency.copy()
    who["total"] = who.sum(axis=1)
    who = who.rename(index=display_name, columns=display_name).rename_axis(None)
    years = by_year.rename(index=financial_year).rename_axis(None)
    out = [
        "<h4>npv by lever and agency [GBP m]: who pays, who benefits (pooling: the wrong pocket; "
        "capital receipts one-off, apart from the recurring savings)</h4>",
        html_table(who, "npv by lever and agency"),
        "<h4>By year [GBP m, undiscounted]</h4>",
        html_table(years, "by year"),
    ]
    if len(offer):
        totals = offer.set_index("year")[["total_cashable", "target", "retained", "exchequer", "shortfall"]]
        totals = totals.rename(index=financial_year, columns=lambda c: c.replace("_", " "))
        totals.loc["total"] = totals.sum()
        out += ["<h4>Single offer [GBP m a year]</h4>", html_table(totals.rename_axis(None), "single offer")]
    return out
