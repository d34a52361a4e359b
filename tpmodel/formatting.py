"""Formatting for people, in one place: year names, number formats, rounding for display and the short
texts that summarise a run, a comparison, a sweep and a sensitivity.

The command line, the widgets, the notebooks (through `tpmodel.report`), the workbook and the charts
use these; files for machines (CSV, JSON) keep full precision and never pass through here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .labels import financial_year as financial_year  # re-exported: the year names live in tpmodel.labels

if TYPE_CHECKING:
    import pandas as pd

    from .analyses.compare import Comparison
    from .analyses.sensitivity import SensitivityResult
    from .analyses.sweep import SweepResult
    from .model import RunResult

#: GBP m: tables and printed figures are rounded to 0.1 GBP m.
DISPLAY_DECIMALS = 1
#: The unit of every money axis and column shown to people.
MONEY = "GBP m, 2010-11 prices"
#: The label of a year axis.
YEAR_AXIS = "financial year (2010 = 2010-11)"


def format_money(value: float) -> str:
    """GBP m to 0.1, with thousands separators: 1,234.5 (the widgets' npv, read back by the browser test)."""
    return f"{value:,.1f}"


def display_round(frame: pd.DataFrame, decimals: int = DISPLAY_DECIMALS) -> pd.DataFrame:
    """Numeric columns rounded for display, with -0.0 shown as 0.0 (a float's last digit must not move
    a stored notebook's output between machines)."""
    out = frame.copy()
    numeric = out.select_dtypes("number").columns.difference(out.select_dtypes("bool").columns)
    out[numeric] = out[numeric].round(decimals) + 0.0
    return out


def format_summary(result: RunResult) -> str:
    """A short readable summary of a run's headline figures."""
    h = result.headlines
    bcr = "n/a (no cost)" if h["bcr"] is None else f"{h['bcr']:.2f}"
    payback = financial_year(h["payback_year"]) if h["payback_year"] is not None else "none in horizon"
    years = result.years
    lines = [
        f"scenario {result.name}: {financial_year(years[0])} to {financial_year(years[-1])}, GBP m at 2010-11 prices",
        f"  npv           {h['npv']:12,.1f}   (central case)",
    ]
    if result.monte_carlo:
        npv = result.monte_carlo["npv"]
        lines += [
            f"  expected npv  {npv['mean']:12,.1f}   (mean of {result.draws:,} draws; "
            f"p5 {npv['p5']:,.1f}, p95 {npv['p95']:,.1f})",
            f"  P(npv > 0)    {result.monte_carlo['probability_npv_positive']:12.0%}",
        ]
    lines += [
        f"  bcr           {bcr:>12}",
        f"  pv receipts   {h['pv_receipts']:12,.1f}   (one-off capital, part of the npv)",
        f"  payback year  {payback!s:>12}   (undiscounted, receipts excluded)",
        "  npv by lever:",
        *(f"    {lever:<16}{value:12,.1f}" for lever, value in h["npv_by_lever"].items()),
    ]
    own = result.resolved.places_with_own_values()
    if own:
        lines.append("  places with their own values:")
        lines += [f"    {place:<16}{', '.join(paths)}" for place, paths in own.items()]
    return "\n".join(lines)


def format_comparison(comparison: Comparison) -> str:
    """One line per scenario: npv, and with draws its p5-p95 range and P(npv > 0)."""
    width = max(len(name) for name in comparison.names)
    lines = [f"{'scenario':<{width}}  {'npv [GBP m]':>12}"]
    for result in comparison.runs:
        line = f"{result.name:<{width}}  {result.headlines['npv']:12,.1f}"
        if result.monte_carlo:
            npv = result.monte_carlo["npv"]
            chance = result.monte_carlo["probability_npv_positive"]
            line += f"   p5 {npv['p5']:10,.1f}  p95 {npv['p95']:10,.1f}  P(npv > 0) {chance:.3f}"
        lines.append(line)
    return "\n".join(lines)


def format_sweep(result: SweepResult) -> str:
    """One line: how many points, and the range of npv over them."""
    npv = result.table["npv"]
    return f"sweep of {result.name}: {len(result.table)} points, npv from {npv.min():,.1f} to {npv.max():,.1f} GBP m"


def format_sensitivity(result: SensitivityResult, top: int = 10) -> str:
    """The method, then the `top` parameters driving npv, strongest first, one a line."""
    if result.method == "switching":
        return format_switching(result.table, result.name, top)
    lines = [f"{result.method} of {result.name}: parameters driving npv, strongest first:"]
    lines += [f"  {rank:2}. {parameter}" for rank, parameter in enumerate(result.table["parameter"][:top], start=1)]
    return "\n".join(lines)


def format_switching(table: pd.DataFrame, name: str, top: int = 10) -> str:
    """The `top` nearest switching values, one a line, then how many parameters switch, do not, or do not
    move the npv (`tpmodel.analyses.switching.switching_table`)."""
    lines = [f"switching values of {name}: npv = 0 (bcr = 1) when one parameter moves, nearest first:"]
    switches = table[table["status"] == "switches"]
    for rank, row in enumerate(switches.head(top).itertuples(), start=1):
        change = f"{row.change_percent:+,.0f}%" if row.change_percent == row.change_percent else "from 0"
        beyond = "" if row.probability_beyond != row.probability_beyond else f", P(beyond) {row.probability_beyond:.3f}"
        lines.append(f"  {rank:2}. {row.parameter} = {row.switching_value:.4g} ({change}; central {row.central:.4g}, "
                     f"evidence {row.evidence}{beyond})")  # fmt: skip
    counts = table["status"].value_counts()
    lines.append(f"  {counts.get('switches', 0)} switch within bounds, {counts.get('none within bounds', 0)} do not, "
                 f"{counts.get('no effect', 0)} do not move the npv")  # fmt: skip
    return "\n".join(lines)
