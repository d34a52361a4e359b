"""Charts of comparisons, sweeps and sensitivity, each written as PNG and SVG (matplotlib, Agg).

Every chart takes tidy or wide pandas tables and a path stem; it writes
`<stem>.png` and `<stem>.svg` and returns the two paths. Money axes are
labelled in GBP m at 2010-11 prices; years are financial years (2010 = 2010-11).
Levers, agencies, places, scenarios and parameters carry their display names (`tpmodel.labels`); capital
receipts (one-off, spec 5.4) are shown apart from recurring savings wherever
the caller gives them (`receipts_by_agency`, `cumulative_revenue_net`,
`Comparison.single_offer` compute them from runs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .core.axes import AGENCIES
from .formatting import MONEY
from .labels import AGENCY_LABELS, LEVER_LABELS, financial_year, label, value_text

if TYPE_CHECKING:
    from .core.engine import Simulation
    from .model import RunResult

FORMATS = ("png", "svg")

#: The row of `tpmodel.report.lever_agency_npv` holding a lever's capital receipts ends with this.
RECEIPTS_SUFFIX = ": capital receipts"
RECEIPTS = "Capital receipts (one-off)"
#: Above this many scenarios the cumulative chart is drawn as small multiples, one panel a scenario.
ONE_PANEL_MAX = 4
BAND_LABEL = "Monte Carlo p5-p95"


def display_name(key: str) -> str:
    """A lever, agency or table row id for people (`tpmodel.labels`): 'shared_services' -> 'Shared services',
    'assets: capital receipts' -> 'Estate co-location: capital receipts (one-off)', 'nhs' -> 'NHS',
    'total' -> 'Total'."""
    if key.endswith(RECEIPTS_SUFFIX):
        return f"{display_name(key[: -len(RECEIPTS_SUFFIX)])}: capital receipts (one-off)"
    if key in LEVER_LABELS:
        return label("lever", key)
    if key in AGENCY_LABELS:
        return label("agency", key)
    return label("measure", key)


def _scenario(name: Any) -> str:
    return label("scenario", name)


# ---------------------------------------------------------------- receipts apart, from runs


def receipts_by_year(simulation: Simulation, draw: int = 0) -> np.ndarray:
    """Adjusted capital receipts summed over levers, places and agencies, by year, undiscounted [GBP m]."""
    return sum(a.adj_receipts[draw].sum(axis=(0, 1)) for a in simulation.appraised.values())


def receipts_by_agency(runs: Iterable[RunResult]) -> pd.DataFrame:
    """PV of adjusted capital receipts: one row per scenario, one column per agency [GBP m]; a row sums to
    the scenario's `pv_receipts`."""
    from .model import pv_receipts_by_agency

    rows = {run.name: pv_receipts_by_agency(run.simulation) for run in runs}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(AGENCIES)).rename_axis("scenario")


def cumulative_revenue_net(runs: Iterable[RunResult]) -> pd.DataFrame:
    """Cumulative net less cumulative adjusted receipts (the basis of the payback year), undiscounted:
    one row per scenario, one column per year [GBP m]."""
    rows = {}
    for run in runs:
        cumulative = np.array(list(run.headlines["cumulative_net_by_year"].values()), dtype=float)
        rows[run.name] = pd.Series(
            cumulative - np.cumsum(receipts_by_year(run.simulation)), index=run.headlines["cumulative_net_by_year"]
        )
    return pd.DataFrame(rows).T.rename_axis("scenario")


# ---------------------------------------------------------------- drawing


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def save(figure: Any, stem: Path) -> list[Path]:
    """Write the figure as <stem>.png (150 dpi) and <stem>.svg, without time stamps; return the paths."""
    import matplotlib

    paths = []
    with matplotlib.rc_context({"svg.hashsalt": "tpmodel", "svg.fonttype": "none"}):
        for kind in FORMATS:
            path = stem.with_suffix(f".{kind}")
            metadata = {"Date": None} if kind == "svg" else {"Software": None}
            figure.savefig(path, dpi=150, metadata=metadata)
            paths.append(path)
    return paths


def _height(rows: int) -> float:
    return max(3.0, 0.45 * rows + 1.5)


def stacked_bars(
    table: pd.DataFrame,
    stem: Path,
    title: str,
    xlabel: str = f"NPV [{MONEY}]",
    hatched: Sequence[str] = (),
    not_in_total: Sequence[str] = (),
    total_label: str = "Total",
    marker: tuple[str, Sequence[float]] | None = None,
) -> list[Path]:
    """Horizontal bars, one per row of `table` (in its order, first at the top), its columns stacked
    (positive parts to the right of 0, negative to the left) with a diamond at the row total and the total
    written beside the bar. Columns in `hatched` are drawn hatched (a one-off part, apart from the recurring
    ones); columns in `not_in_total` are left out of the diamond; `marker` (label, one value per row) adds
    a vertical tick per row."""
    figure = _figure(10.0, _height(len(table)))
    axes = figure.subplots()
    rows = np.arange(len(table))
    right = np.zeros(len(table))
    left = np.zeros(len(table))
    colours = _colours(len(table.columns))
    for colour, column in zip(colours, table.columns, strict=True):
        colour = "#dddddd" if column in not_in_total else colour  # the shortfall is a gap, not a part
        values = table[column].to_numpy(dtype=float)
        positive = np.where(values > 0, values, 0.0)
        negative = np.where(values < 0, values, 0.0)
        style = {"hatch": "//", "edgecolor": "black", "linewidth": 0.5} if column in hatched else {}
        axes.barh(rows, positive, left=right, color=colour, label=str(column), **style)
        axes.barh(rows, negative, left=left, color=colour, **style)
        right += positive
        left += negative
    total = table.drop(columns=list(not_in_total)).sum(axis=1).to_numpy(dtype=float)
    axes.scatter(total, rows, marker="D", color="black", zorder=3, label=total_label)
    for row, value, end in zip(rows, total, np.maximum(right, total), strict=True):
        axes.annotate(f"{value:,.0f}", (end, row), xytext=(8, 0), textcoords="offset points", va="center",
                      fontsize="small")  # fmt: skip
    if marker is not None:
        axes.scatter(marker[1], rows, marker="|", s=400, linewidths=2, color="#d62728", zorder=4, label=marker[0])
    axes.axvline(0.0, color="grey", linewidth=0.8)
    axes.use_sticky_edges = False
    axes.margins(x=0.08)
    axes.set_yticks(rows, [str(i) for i in table.index])
    axes.invert_yaxis()
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return save(figure, stem)


def _colours(n: int) -> list[Any]:
    from matplotlib import colormaps

    palette = colormaps["tab10" if n <= 10 else "tab20"]
    return [palette(i % palette.N) for i in range(n)]


def lever_table(by_lever: pd.DataFrame, receipts: Mapping[str, float] | pd.Series | None = None) -> pd.DataFrame:
    """What `npv_by_lever_chart` draws: scenarios and levers by display name; with `receipts` (PV of capital
    receipts by scenario, i.e. each run's `pv_receipts`), the assets lever split into its recurring part and
    its capital receipts, so that a row still sums to the scenario's npv [GBP m]."""
    table = by_lever.astype(float)
    names = {lever: display_name(lever) for lever in table.columns}
    if receipts is not None:
        pv = pd.Series(receipts, dtype=float).reindex(table.index).fillna(0.0)
        table["assets"] = table["assets"] - pv
        table.insert(list(table.columns).index("assets") + 1, RECEIPTS, pv)
        names["assets"] = f"{label('lever', 'assets')} (recurring)"
    return table.rename(columns=names, index=_scenario)


def agency_table(by_agency: pd.DataFrame, receipts: pd.DataFrame | None = None) -> pd.DataFrame:
    """What `npv_by_agency_chart` draws: scenarios and agencies by display name; with `receipts`
    (`receipts_by_agency`), each agency's recurring part and, apart, one column of capital receipts of all
    agencies [GBP m]."""
    table = by_agency.astype(float)
    if receipts is not None:
        part = receipts.reindex(index=table.index, columns=table.columns).fillna(0.0)
        table = table - part
        table[f"{RECEIPTS}, all agencies"] = part.sum(axis=1)
    return table.rename(columns={a: display_name(a) for a in AGENCIES}, index=_scenario)


def npv_by_lever_chart(
    by_lever: pd.DataFrame, stem: Path, receipts: Mapping[str, float] | pd.Series | None = None
) -> list[Path]:
    """NPV by lever per scenario: by_lever has one row per scenario, one column per lever [GBP m];
    with `receipts` (pv_receipts by scenario), the assets lever's capital receipts apart, hatched."""
    title = "NPV by lever" + (" (capital receipts apart, hatched)" if receipts is not None else "")
    return stacked_bars(lever_table(by_lever, receipts), stem, title, hatched=(RECEIPTS,), total_label="NPV")


def npv_by_agency_chart(by_agency: pd.DataFrame, stem: Path, receipts: pd.DataFrame | None = None) -> list[Path]:
    """NPV by agency per scenario, the "who benefits" view: one row per scenario, one column per agency;
    with `receipts` (`receipts_by_agency`), capital receipts apart, hatched."""
    table = agency_table(by_agency, receipts)
    title = "NPV by agency (who benefits)" + (": recurring, and capital receipts apart" if receipts is not None else "")
    return stacked_bars(table, stem, title, hatched=[c for c in table.columns if c.startswith(RECEIPTS)],
                        total_label="NPV")  # fmt: skip


def cumulative_net_chart(
    cumulative: pd.DataFrame,
    stem: Path,
    bands: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
    revenue: pd.DataFrame | None = None,
) -> list[Path]:
    """Cumulative net by year, one line per scenario (rows of `cumulative`, in their order; columns years)
    [GBP m], with the Monte Carlo p5-p95 band of each scenario in `bands` (scenario -> (p5 by year, p95 by
    year)) and, dashed, `revenue` (`cumulative_revenue_net`: capital receipts excluded, the payback basis).

    Up to `ONE_PANEL_MAX` scenarios share one panel; more are drawn as small multiples, one panel a
    scenario on shared axes, so that ten scenarios stay readable. The legend names the line styles and the
    band; the last year's value is written at the end of each solid line."""
    years = [int(y) for y in cumulative.columns]
    count = len(cumulative)
    single = count <= ONE_PANEL_MAX
    columns = 1 if single else min(count, 4)
    panels = 1 if single else count
    grid_rows = -(-panels // columns)
    figure = _figure(10.0 if single else 12.0, 5.5 if single else 2.6 * grid_rows + 1.0)
    grid = figure.subplots(grid_rows, columns, sharex=True, sharey=True, squeeze=False)
    colours = _colours(count) if single else ["#1f77b4"] * count
    for index, (colour, (scenario, values)) in enumerate(zip(colours, cumulative.iterrows(), strict=True)):
        axes = grid.flat[0 if single else index]
        line = values.to_numpy(dtype=float)
        name = _scenario(scenario)
        axes.plot(years, line, marker="o", markersize=3, color=colour, label=name if single else "Cumulative net")
        axes.annotate(f"{line[-1]:,.0f}", (years[-1], line[-1]), xytext=(4, 0), textcoords="offset points",
                      va="center", fontsize="small", color=colour)  # fmt: skip
        if bands and scenario in bands:
            low, high = bands[str(scenario)]
            axes.fill_between(years, low, high, color=colour, alpha=0.15, linewidth=0)
        if revenue is not None and scenario in revenue.index:
            dashed = revenue.loc[scenario, list(cumulative.columns)].to_numpy(dtype=float)
            axes.plot(years, dashed, linestyle="--", color=colour)
        axes.axhline(0.0, color="grey", linewidth=0.8)
        if not single:
            axes.set_title(name, fontsize="medium")
    for axes in list(grid.flat)[panels:]:
        axes.set_visible(False)
    step = 1 if single else 2
    for index, axes in enumerate(grid.flat[:panels]):
        axes.set_xticks(years[::step], [financial_year(y) for y in years][::step])
        bottom = index + columns >= panels  # no panel below: this one carries the year labels
        axes.tick_params(axis="x", labelrotation=0 if single else 45, labelsize="small", labelbottom=bottom)
        axes.margins(x=0.12)
    if single:
        axes.set_xlabel("Financial year")
    figure.supylabel(f"Cumulative net [{MONEY}]")
    figure.suptitle("Cumulative net by year" + (" (central case)" if bands else ""))
    _style_legend(figure, grid.flat[0], single, bool(bands), revenue is not None)
    return save(figure, stem)


def _style_legend(figure: Any, axes: Any, single: bool, band: bool, dashed: bool) -> None:
    """The cumulative chart's legend: the scenarios (one panel) or the line (small multiples), then what the
    dashed line and the shaded band mean."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels_ = axes.get_legend_handles_labels()
    if dashed:
        handles.append(Line2D([], [], color="black", linestyle="--"))
        labels_.append("Capital receipts excluded (payback basis)")
    if band:
        handles.append(Patch(color="grey", alpha=0.3, linewidth=0))
        labels_.append(BAND_LABEL)
    if single:
        axes.legend(handles, labels_, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    else:
        figure.legend(handles, labels_, loc="outside lower center", ncols=len(handles), fontsize="small",
                      frameon=False)  # fmt: skip


def npv_ranges_chart(table: pd.DataFrame, stem: Path) -> list[Path]:
    """Monte Carlo ranges of npv per scenario: table has scenario, npv (central case) and npv_p5, npv_p10,
    npv_p50, npv_p90, npv_p95 [GBP m]; thin line p5-p95, thick line p10-p90, dot p50, diamond central (its
    value written beside it)."""
    figure = _figure(10.0, _height(len(table)))
    axes = figure.subplots()
    rows = np.arange(len(table))
    axes.hlines(rows, table["npv_p5"], table["npv_p95"], color="#4c72b0", linewidth=1.5, label="p5-p95")
    axes.hlines(rows, table["npv_p10"], table["npv_p90"], color="#4c72b0", linewidth=6, alpha=0.6, label="p10-p90")
    axes.scatter(table["npv_p50"], rows, color="white", edgecolor="#4c72b0", zorder=3, label="Median (p50)")
    axes.scatter(table["npv"], rows, marker="D", color="black", zorder=4, label="Central case")
    for row, value, end in zip(rows, table["npv"], np.maximum(table["npv"], table["npv_p95"]), strict=True):
        axes.annotate(f"{value:,.0f}", (end, row), xytext=(6, 0), textcoords="offset points", va="center",
                      fontsize="small")  # fmt: skip
    axes.axvline(0.0, color="grey", linewidth=0.8)
    axes.margins(x=0.08)
    axes.set_yticks(rows, [_scenario(s) for s in table["scenario"]])
    axes.invert_yaxis()
    axes.set_xlabel(f"NPV [{MONEY}]")
    axes.set_title("NPV: central case and Monte Carlo ranges")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return save(figure, stem)


def offer_table(offer: pd.DataFrame) -> pd.DataFrame:
    """What `single_offer_chart` draws, one row per scenario and place (display names): retained, to the
    exchequer and, where `offer` has it (`Comparison.single_offer`), the shortfall against the target [GBP m
    over the offer years]."""
    columns = {key: label("measure", key) for key in ("retained", "exchequer", "shortfall")}
    rows = [f"{_scenario(s)}: {label('place', p)}" for s, p in zip(offer["scenario"], offer["place"], strict=True)]
    table = offer.set_index(pd.Index(rows))[[c for c in columns if c in offer.columns]]
    return table.rename(columns=columns).astype(float)


def single_offer_chart(offer: pd.DataFrame, stem: Path) -> list[Path]:
    """Single-offer split of cashable savings, retained by the place vs to the exchequer, summed over the
    offer years: offer has columns scenario, place, retained, exchequer and optionally shortfall and target
    (`Comparison.single_offer`) [GBP m]. The shortfall is drawn hatched after the cashable savings, outside their total;
    the target is a red tick."""
    table = offer_table(offer)
    shortfall = [c for c in table.columns if c == label("measure", "shortfall")]
    marker = ("Target", offer["target"].to_numpy(dtype=float)) if "target" in offer.columns else None
    title = "Single offer: cashable savings retained vs to the Exchequer" + (", and shortfall" if shortfall else "")
    return stacked_bars(table, stem, title, f"Cashable savings over the offer years [{MONEY}]", hatched=shortfall,
                        not_in_total=shortfall, total_label="Total cashable", marker=marker)  # fmt: skip


def tornado_chart(tornado: pd.DataFrame, central_npv: float, stem: Path) -> list[Path]:
    """Tornado: for each parameter (rows, largest swing first; by display name), npv at its low and high
    value, the others central; bars drawn from the central npv [GBP m]. Each bar's end carries the
    parameter's value there (from `low` and `high`, in the parameter's unit: shares as percentages).
    Parameters not varied (no low and high) are in the CSV, not the chart."""
    left_out = int(tornado["npv_low"].isna().sum())
    tornado = tornado[tornado["npv_low"].notna()]
    figure = _figure(11.0, _height(len(tornado)))
    axes = figure.subplots()
    rows = np.arange(len(tornado))
    low = tornado["npv_low"].to_numpy(dtype=float) - central_npv
    high = tornado["npv_high"].to_numpy(dtype=float) - central_npv
    low_bars = axes.barh(rows, low, left=central_npv, color="#d95f02", label="Parameter at its low value")
    high_bars = axes.barh(rows, high, left=central_npv, color="#1b9e77", label="Parameter at its high value")
    if {"low", "high"} <= set(tornado.columns):
        paths = list(tornado["parameter"])
        axes.bar_label(low_bars, [value_text(p, v) for p, v in zip(paths, tornado["low"], strict=True)],
                       padding=3, fontsize="small")  # fmt: skip
        axes.bar_label(high_bars, [value_text(p, v) for p, v in zip(paths, tornado["high"], strict=True)],
                       padding=3, fontsize="small")  # fmt: skip
    axes.axvline(central_npv, color="black", linewidth=0.8)
    axes.use_sticky_edges = False
    axes.margins(x=0.1)
    names = [label("parameter", p) for p in tornado["parameter"]]
    if "central" in tornado.columns:
        names = [f"{n} ({value_text(p, c)})" for n, p, c in zip(names, tornado["parameter"], tornado["central"],
                                                                   strict=True)]  # fmt: skip
    axes.set_yticks(rows, names)
    axes.invert_yaxis()
    note = "(each parameter's central value in brackets, its low and high value at its bars' ends;"
    note += "\nuncertain: across its distribution; fixed: across its plausible range)"
    axes.set_xlabel(f"NPV [{MONEY}]; central case {central_npv:,.1f}\n{note}")
    title = "Tornado: NPV with each parameter at its low and high value, the others central"
    left = f"\n{left_out} fixed parameters without a plausible range not varied" if left_out else ""
    figure.suptitle(title + left)  # over the figure: the long parameter names leave the axes narrow
    axes.legend(loc="lower right", fontsize="small")
    return save(figure, stem)


#: Colours of the evidence grades (tpmodel.params.EVIDENCE_GRADES), strong to assumption.
EVIDENCE_COLOURS = {"strong": "#1b9e77", "medium": "#7570b3", "weak": "#d95f02", "assumption": "#e7298a"}


def switching_chart(switching: pd.DataFrame, stem: Path, top: int = 30) -> list[Path]:
    """Switching values: for the `top` parameters whose npv switches sign within bounds, nearest first, the
    change from the central value that takes npv to 0 [% of the central value, log scale], coloured by
    evidence grade, labelled with the switching value; hatched where it lies outside the parameter's
    distribution or plausible range. Leaves whose central value is 0 (no percentage) are left out."""
    shown = switching[(switching["status"] == "switches") & switching["change_percent"].notna()].head(top)
    figure = _figure(10.0, _height(max(len(shown), 1)))
    axes = figure.subplots()
    rows = np.arange(len(shown))
    change = shown["change_percent"].abs().to_numpy(dtype=float)
    colours = [EVIDENCE_COLOURS.get(grade, "grey") for grade in shown["evidence"]]
    hatches = ["//" if inside is False else "" for inside in shown["inside_range"]]
    bars = axes.barh(rows, change, color=colours)
    for bar, hatch in zip(bars, hatches, strict=True):
        bar.set_hatch(hatch)
    for row, (value, direction) in enumerate(zip(shown["switching_value"], shown["direction"], strict=True)):
        axes.text(change[row], row, f" {value:.4g} ({direction})", va="center", fontsize="small")
    axes.set_yticks(rows, list(shown["parameter"]))
    axes.invert_yaxis()
    if len(shown):
        axes.set_xscale("log")
        axes.set_xlim(min(change.min() / 2, 1.0), change.max() * 20)  # room for the labels
    axes.set_xlabel("change from the central value that takes npv to 0 [% of the central value]")
    axes.set_title(f"switching values: npv = 0 (bcr = 1), nearest first\n"
                   f"npv at the central case {float(switching['npv_central'].iloc[0]):,.1f} [{MONEY}]")  # fmt: skip
    from matplotlib.patches import Patch

    handles = [Patch(color=colour, label=grade) for grade, colour in EVIDENCE_COLOURS.items()]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", label="outside its range"))
    axes.legend(handles=handles, title="evidence", loc="upper right", fontsize="small")
    return save(figure, stem)


def sobol_chart(indices: pd.DataFrame, stem: Path) -> list[Path]:
    """Sobol first-order (S1) and total-order (ST) indices of npv per parameter, with 95% confidence bars."""
    figure = _figure(10.0, _height(len(indices)))
    axes = figure.subplots()
    rows = np.arange(len(indices))
    axes.barh(rows - 0.2, indices["ST"], height=0.4, xerr=indices["ST_conf"], color="#7570b3", label="total order ST")
    axes.barh(rows + 0.2, indices["S1"], height=0.4, xerr=indices["S1_conf"], color="#e7298a", label="first order S1")
    axes.set_yticks(rows, [label("parameter", p) for p in indices["parameter"]])
    axes.invert_yaxis()
    axes.set_xlabel("Share of the variance of NPV [share, 0-1]")
    axes.set_title("Sobol indices of NPV (Saltelli sampling)")
    axes.legend(loc="lower right", fontsize="small")
    return save(figure, stem)


def rank_chart(table: pd.DataFrame, r2: float, draws: int, stem: Path, rows: int = 25) -> list[Path]:
    """Rank sensitivity on the Monte Carlo draws: SRRC (bars) and PRCC (dots) of npv for the `rows`
    parameters with the largest |SRRC| [coefficient, -1 to 1]."""
    top = table.head(rows)
    figure = _figure(10.0, _height(len(top)))
    axes = figure.subplots()
    index = np.arange(len(top))
    srrc = top["srrc"].to_numpy(dtype=float)
    axes.barh(index, srrc, color=np.where(srrc >= 0, "#1b9e77", "#d95f02"), label="SRRC (own effect, in ranks)")
    axes.plot(top["prcc"], index, "o", color="black", markersize=4, label="PRCC (partial rank correlation)")
    axes.axvline(0, color="grey", linewidth=0.8)
    axes.set_yticks(index, list(top["parameter"]))
    axes.invert_yaxis()
    axes.set_xlim(-1, 1)
    axes.set_xlabel(f"coefficient [-1 to 1]; rank regression R\u00b2 = {r2:.2f}")
    axes.set_title(f"rank sensitivity of npv, {draws:,} Monte Carlo draws (correlations kept)")
    axes.legend(loc="lower right", fontsize="small")
    return save(figure, stem)


def discovery_chart(trajectory: pd.DataFrame, box: pd.DataFrame, title: str, stem: Path) -> list[Path]:
    """Scenario discovery: left, the peeling trajectory (density against coverage [share], one point per
    box, the chosen one ringed); right, the final box: each restricted parameter's range over the draws
    (grey) and the box's limits on it (coloured), labelled in the parameter's unit."""
    figure = _figure(12.0, max(4.0, 0.6 * len(box) + 2.5))
    left, right = figure.subplots(1, 2, width_ratios=(1, 1.4))
    points = left.scatter(trajectory["coverage"], trajectory["density"], c=trajectory["dimensions"], cmap="viridis",
                          s=18, vmin=0, vmax=max(1, int(trajectory["dimensions"].max())))  # fmt: skip
    chosen = trajectory[trajectory["chosen"]]
    left.scatter(chosen["coverage"], chosen["density"], s=120, facecolors="none", edgecolors="red", label="chosen")
    left.set(xlabel="coverage [share of the draws where it holds]", ylabel="density [share of the box's draws]",
             xlim=(0, 1.02), ylim=(0, 1.02), title="peeling trajectory")  # fmt: skip
    ticks = range(int(trajectory["dimensions"].max()) + 1)
    figure.colorbar(points, ax=left, label="restricted parameters", ticks=list(ticks))
    left.legend(loc="lower left", fontsize="small")
    rows = np.arange(len(box))
    for i, row in enumerate(box.itertuples()):
        span = (row.draws_max - row.draws_min) or 1.0
        low = 0.0 if pd.isna(row.lower) else (row.lower - row.draws_min) / span
        high = 1.0 if pd.isna(row.upper) else (row.upper - row.draws_min) / span
        right.barh(i, 1.0, color="#dddddd")
        right.barh(i, high - low, left=low, color="#7570b3")
        right.text(0, i + 0.38, f"{row.draws_min:.3g}", ha="left", va="center", fontsize="small")
        right.text(1, i + 0.38, f"{row.draws_max:.3g} [{row.unit}]", ha="right", va="center", fontsize="small")
        for value, where in ((row.lower, low), (row.upper, high)):
            if not pd.isna(value):
                right.text(where, i, f"{value:.3g}", ha="center", va="center", color="white", fontsize="small",
                           fontweight="bold")  # fmt: skip
    right.set_yticks(rows, list(box["parameter"]))
    right.invert_yaxis()
    right.set(xlim=(0, 1), xticks=[], title="the box", xlabel="its limits (colour) in each range over the draws (grey)")
    figure.suptitle(title)
    return save(figure, stem)


def sweep_chart(table: pd.DataFrame, paths: Sequence[str], stem: Path, lines: int = 8) -> list[Path]:
    """npv against the first varied path, one line per value of the second (up to `lines` of them),
    every other varied path at its first value; with Monte Carlo columns, the p5-p95 band."""
    figure = _figure(10.0, 5.5)
    axes = figure.subplots()
    first, rest = paths[0], list(paths[1:])
    view = table
    for path in rest[1:]:
        view = view[view[path] == view[path].iloc[0]]
    groups = [(None, view)] if not rest else list(view.groupby(rest[0], sort=False))[:lines]
    numeric = pd.api.types.is_numeric_dtype(table[first])
    for colour, (key, group) in zip(_colours(len(groups)), groups, strict=True):
        x = group[first].to_numpy(dtype=float) if numeric else np.arange(len(group))
        name = "NPV" if key is None else f"{label('parameter', rest[0])} = {key}"
        axes.plot(x, group["npv"].to_numpy(dtype=float), marker="o", color=colour, label=name)
        if {"npv_p5", "npv_p95"} <= set(group.columns):
            axes.fill_between(x, group["npv_p5"], group["npv_p95"], color=colour, alpha=0.15, linewidth=0,
                              label=BAND_LABEL if group is groups[0][1] else None)  # fmt: skip
    if not numeric:
        axes.set_xticks(np.arange(len(groups[0][1])), [str(v) for v in groups[0][1][first]])
    axes.set_xlabel(label("parameter", first))
    axes.set_ylabel(f"NPV [{MONEY}]")
    fixed = ", ".join(f"{label('parameter', p)} = {view[p].iloc[0]}" for p in rest[1:])
    axes.set_title("Sweep: NPV" + (f" ({fixed})" if fixed else ""))
    axes.legend(fontsize="small")
    return save(figure, stem)
