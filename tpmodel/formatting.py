"""Formatting for people, in one place: year names, number formats, rounding for display and the short
texts that summarise a run, a comparison, a sweep and a sensitivity.

The command line, the widgets, the notebooks (through `tpmodel.report`), the workbook and the charts
use these; files for machines (CSV, JSON) keep full precision and never pass through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .labels import financial_year as financial_year  # re-exported: the year names live in tpmodel.labels
from .labels import label

if TYPE_CHECKING:
    import pandas as pd

    from .analyses.compare import Comparison
    from .analyses.discovery import DiscoveryResult
    from .analyses.sensitivity import SensitivityResult
    from .analyses.shapley import ShapleyResult
    from .analyses.sweep import SweepResult
    from .model import RunResult

#: GBP m: tables and printed figures are rounded to 0.1 GBP m.
DISPLAY_DECIMALS = 1
#: Width of the name column of lever and place lines in the run summary ("Collaborative procurement").
LEVER_WIDTH = 28
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


def format_summary(result: RunResult, shapley: ShapleyResult | None = None) -> str:
    """A short readable summary of a run's headline figures; with `shapley`, each lever's Shapley value
    of npv beside its npv, and the interaction of the levers."""
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
    ]
    if shapley is None:
        lines.append("  npv by lever:")
        lines += [
            f"    {label('lever', lever):<{LEVER_WIDTH}}{value:12,.1f}" for lever, value in h["npv_by_lever"].items()
        ]
    else:
        lines += format_lever_credit(h["npv_by_lever"], shapley)
    own = result.resolved.places_with_own_values()
    if own:
        lines.append("  places with their own values:")
        lines += [f"    {label('place', place):<{LEVER_WIDTH}}{', '.join(paths)}" for place, paths in own.items()]
    return "\n".join(lines)


def _shown(value: float) -> float:
    """A figure rounded to 0.1 for display, with -0.0 shown as 0.0 (rounding residue of a sum)."""
    return round(value, DISPLAY_DECIMALS) + 0.0


def format_lever_credit(npv_by_lever: Mapping[str, float], shapley: ShapleyResult) -> list[str]:
    """Lines of npv by lever with each lever's Shapley value of npv beside it, and the interaction
    (all levers less the sum of each lever alone) [GBP m]."""
    credit = shapley.values("npv")
    lines = [f"  {'npv by lever:':<{LEVER_WIDTH + 2}}{'in the run':>12}{'Shapley':>10}"]
    lines += [f"    {label('lever', lever):<{LEVER_WIDTH}}{value:12,.1f}{credit[lever]:10,.1f}"
              for lever, value in npv_by_lever.items()]  # fmt: skip
    lines.append(f"    {'interaction':<{LEVER_WIDTH}}{'':12}{_shown(shapley.interaction('npv')):10,.1f}"
                 "   (all levers less the sum of each alone)")  # fmt: skip
    return lines


def format_shapley(result: ShapleyResult) -> str:
    """Each measure's Shapley values of the levers beside each lever alone and added last, the total and
    the interaction, one block per measure [GBP m]."""
    lines = [f"Shapley values of the levers of {result.scenario} (over all 32 on/off combinations):"]
    for measure in result.measures:
        lines.append(f"  {measure} [GBP m]{'alone':>{19 - len(measure)}}{'Shapley':>10}{'last':>10}")
        alone, credit, last = (result.values(measure, column) for column in ("alone", "shapley", "last"))
        lines += [f"    {lever:<16}{alone[lever]:10,.1f}{credit[lever]:10,.1f}{last[lever]:10,.1f}" for lever in credit]
        lines.append(f"    {'all less none':<16}{'':10}{result.total(measure):10,.1f}")
        lines.append(f"    {'interaction':<16}{'':10}{_shown(result.interaction(measure)):10,.1f}")
    return "\n".join(lines)


def format_comparison(comparison: Comparison) -> str:
    """One line per scenario: npv (central case) and, with draws, the expected npv (mean of the draws)
    beside it, then the p5-p95 range and P(npv > 0) [GBP m]."""
    width = max(len(name) for name in comparison.names)
    header = f"{'scenario':<{width}}  {'npv [GBP m]':>12}"
    if comparison.draws > 0:
        header += f"  {'expected':>10}  {'p5':>10}  {'p95':>10}  {'P(npv > 0)':>10}"
    lines = [header]
    for result in comparison.runs:
        line = f"{result.name:<{width}}  {result.headlines['npv']:12,.1f}"
        if result.monte_carlo:
            npv = result.monte_carlo["npv"]
            chance = result.monte_carlo["probability_npv_positive"]
            line += f"  {npv['mean']:10,.1f}  {npv['p5']:10,.1f}  {npv['p95']:10,.1f}  {chance:10.3f}"
        lines.append(line)
    if comparison.draws > 0:
        lines.append(f"npv: central case; expected: mean of {comparison.draws:,} draws (seed {comparison.seed})")
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
    if result.method == "rank":
        return format_rank_sensitivity(result, top)
    lines += [f"  {rank:2}. {parameter}" for rank, parameter in enumerate(result.table["parameter"][:top], start=1)]
    return "\n".join(lines)


def format_rank_sensitivity(result: SensitivityResult, top: int = 10) -> str:
    """The rank method: what was computed, on how many draws, the R^2 of the rank regression, then the `top`
    parameters by |SRRC| with their SRRC, PRCC and rank correlation."""
    table = result.table.head(top)
    width = max(len("parameter"), *(len(p) for p in table["parameter"]))
    lines = [
        f"rank of {result.name}: standardized rank regression (SRRC) and partial rank correlation (PRCC) of npv",
        f"  on {result.samples:,} Monte Carlo draws (seed {result.seed}), the scenario's declared correlations "
        f"kept; R\u00b2 of the rank regression {result.table.attrs['r2']:.2f}",
        f"  {'':4}{'parameter':<{width}}  {'SRRC':>6}  {'PRCC':>6}  {'rank corr':>9}",
    ]
    lines += [
        f"  {rank:2}. {row.parameter:<{width}}  {row.srrc:6.2f}  {row.prcc:6.2f}  {row.spearman:9.2f}"
        for rank, row in enumerate(table.itertuples(), start=1)
    ]
    return "\n".join(lines)


def format_discovery(result: DiscoveryResult) -> str:
    """The finding of a scenario discovery in words, then the box, one restricted parameter a line, with
    its coverage, density and mass [shares]."""
    lines = [f"scenario discovery in {result.name} ({result.draws:,} draws, seed {result.seed}):",
             f"  {result.statement}"]  # fmt: skip
    if result.found and len(result.box):
        lines.append(f"  box: coverage {result.coverage:.0%}, density {result.density:.0%}, mass {result.mass:.0%}")
        for row in result.box.itertuples():
            low = "" if row.lower != row.lower else f"{row.lower:.3g}"
            high = "" if row.upper != row.upper else f"{row.upper:.3g}"
            lines.append(f"    {row.parameter:<40} {low:>9} .. {high:<9} [{row.unit}; draws {row.draws_min:.3g} .. "
                         f"{row.draws_max:.3g}]")  # fmt: skip
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
