"""Charts of comparisons, sweeps and sensitivity, each written as PNG and SVG (matplotlib, Agg).

Every chart takes tidy or wide pandas tables and a path stem; it writes
`<stem>.png` and `<stem>.svg` and returns the two paths. Money axes are
labelled in GBP m at 2010-11 prices; years are financial years (2010 = 2010-11).
Levers and agencies carry their display names (`display_name`); capital
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
from .formatting import MONEY, YEAR_AXIS, financial_year

if TYPE_CHECKING:
    from .core.engine import Simulation
    from .model import RunResult

FORMATS = ("png", "svg")

#: Display names of the levers and agencies, for people (files for machines keep the ids).
LEVER_NAMES: dict[str, str] = {
    "shared_services": "Shared services", "procurement": "Procurement", "pooling": "Pooling", "assets": "Assets",
    "reporting": "Reporting",
}  # fmt: skip
AGENCY_NAMES: dict[str, str] = {
    "council": "Councils", "nhs": "NHS", "police": "Police", "fire": "Fire and rescue", "jobcentre": "Jobcentre Plus",
    "other": "Other public bodies",
}  # fmt: skip
#: The row of `tpmodel.report.lever_agency_npv` holding a lever's capital receipts ends with this.
RECEIPTS_SUFFIX = ": capital receipts"
RECEIPTS = "Capital receipts (one-off)"


def display_name(key: str) -> str:
    """A lever, agency or table row id for people: 'shared_services' -> 'Shared services',
    'assets: capital receipts' -> 'Assets: capital receipts (one-off)', 'nhs' -> 'NHS', 'total' -> 'Total'."""
    if key.endswith(RECEIPTS_SUFFIX):
        return f"{display_name(key[: -len(RECEIPTS_SUFFIX)])}: capital receipts (one-off)"
    names = LEVER_NAMES | AGENCY_NAMES | {"total": "Total"}
    return names.get(key, key.replace("_", " ").capitalize())


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
    xlabel: str = f"npv [{MONEY}]",
    hatched: Sequence[str] = (),
    not_in_total: Sequence[str] = (),
    total_label: str = "total",
    marker: tuple[str, Sequence[float]] | None = None,
) -> list[Path]:
    """Horizontal bars, one per row of `table`, its columns stacked (positive parts to the right of 0,
    negative to the left) with a diamond at the row total. Columns in `hatched` are drawn hatched (a
    one-off part, apart from the recurring ones); columns in `not_in_total` are left out of the diamond;
    `marker` (label, one value per row) adds a vertical tick per row."""
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
    total = table.drop(columns=list(not_in_total)).sum(axis=1)
    axes.scatter(total, rows, marker="D", color="black", zorder=3, label=total_label)
    if marker is not None:
        axes.scatter(marker[1], rows, marker="|", s=400, linewidths=2, color="#d62728", zorder=4, label=marker[0])
    axes.axvline(0.0, color="grey", linewidth=0.8)
    axes.use_sticky_edges = False
    axes.margins(x=0.03)
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
    """What `npv_by_lever_chart` draws: levers by display name; with `receipts` (PV of capital receipts by
    scenario, i.e. each run's `pv_receipts`), the assets lever split into its recurring part and its
    capital receipts, so that a row still sums to the scenario's npv [GBP m]."""
    table = by_lever.astype(float)
    names = {lever: display_name(lever) for lever in table.columns}
    if receipts is not None:
        pv = pd.Series(receipts, dtype=float).reindex(table.index).fillna(0.0)
        table["assets"] = table["assets"] - pv
        table.insert(list(table.columns).index("assets") + 1, RECEIPTS, pv)
        names["assets"] = "Assets (recurring)"
    return table.rename(columns=names)


def agency_table(by_agency: pd.DataFrame, receipts: pd.DataFrame | None = None) -> pd.DataFrame:
    """What `npv_by_agency_chart` draws: agencies by display name; with `receipts` (`receipts_by_agency`),
    each agency's recurring part and, apart, one column of capital receipts of all agencies [GBP m]."""
    table = by_agency.astype(float)
    if receipts is not None:
        part = receipts.reindex(index=table.index, columns=table.columns).fillna(0.0)
        table = table - part
        table[f"{RECEIPTS}, all agencies"] = part.sum(axis=1)
    return table.rename(columns={a: display_name(a) for a in AGENCIES})


def npv_by_lever_chart(
    by_lever: pd.DataFrame, stem: Path, receipts: Mapping[str, float] | pd.Series | None = None
) -> list[Path]:
    """npv by lever per scenario: by_lever has one row per scenario, one column per lever [GBP m];
    with `receipts` (pv_receipts by scenario), the assets lever's capital receipts apart, hatched."""
    title = "npv by lever" + (" (capital receipts apart, hatched)" if receipts is not None else "")
    return stacked_bars(lever_table(by_lever, receipts), stem, title, hatched=(RECEIPTS,))


def npv_by_agency_chart(by_agency: pd.DataFrame, stem: Path, receipts: pd.DataFrame | None = None) -> list[Path]:
    """npv by agency per scenario, the "who benefits" view: one row per scenario, one column per agency;
    with `receipts` (`receipts_by_agency`), capital receipts apart, hatched."""
    table = agency_table(by_agency, receipts)
    title = "npv by agency (who benefits)" + (": recurring, and capital receipts apart" if receipts is not None else "")
    return stacked_bars(table, stem, title, hatched=[c for c in table.columns if c.startswith(RECEIPTS)])


def cumulative_net_chart(
    cumulative: pd.DataFrame,
    stem: Path,
    bands: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
    revenue: pd.DataFrame | None = None,
) -> list[Path]:
    """Cumulative net by year, one line per scenario (rows of `cumulative`, columns years) [GBP m],
    with the Monte Carlo p5-p95 band of each scenario in `bands` (scenario -> (p5 by year, p95 by year))
    and, dashed, `revenue` (`cumulative_revenue_net`: capital receipts excluded, the payback basis)."""
    figure = _figure(10.0, 5.5)
    axes = figure.subplots()
    years = [int(y) for y in cumulative.columns]
    for colour, (scenario, values) in zip(_colours(len(cumulative)), cumulative.iterrows(), strict=True):
        axes.plot(years, values.to_numpy(dtype=float), marker="o", color=colour, label=str(scenario))
        if bands and scenario in bands:
            low, high = bands[str(scenario)]
            axes.fill_between(years, low, high, color=colour, alpha=0.15, linewidth=0)
        if revenue is not None and scenario in revenue.index:
            line = revenue.loc[scenario, list(cumulative.columns)].to_numpy(dtype=float)
            axes.plot(years, line, linestyle="--", color=colour, label=f"{scenario}, capital receipts excluded")
    axes.axhline(0.0, color="grey", linewidth=0.8)
    axes.set_xticks(years, [financial_year(y) for y in years])
    axes.set_xlabel(YEAR_AXIS)
    axes.set_ylabel(f"cumulative net [{MONEY}]")
    title = "cumulative net by year" + (" (central case; bands: Monte Carlo p5-p95)" if bands else "")
    axes.set_title(title)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return save(figure, stem)


def npv_ranges_chart(table: pd.DataFrame, stem: Path) -> list[Path]:
    """Monte Carlo ranges of npv per scenario: table has scenario, npv (central case) and npv_p5, npv_p10,
    npv_p50, npv_p90, npv_p95 [GBP m]; thin line p5-p95, thick line p10-p90, dot p50, diamond central."""
    figure = _figure(10.0, _height(len(table)))
    axes = figure.subplots()
    rows = np.arange(len(table))
    axes.hlines(rows, table["npv_p5"], table["npv_p95"], color="#4c72b0", linewidth=1.5, label="p5-p95")
    axes.hlines(rows, table["npv_p10"], table["npv_p90"], color="#4c72b0", linewidth=6, alpha=0.6, label="p10-p90")
    axes.scatter(table["npv_p50"], rows, color="white", edgecolor="#4c72b0", zorder=3, label="p50")
    axes.scatter(table["npv"], rows, marker="D", color="black", zorder=4, label="central case")
    axes.axvline(0.0, color="grey", linewidth=0.8)
    axes.set_yticks(rows, list(table["scenario"]))
    axes.invert_yaxis()
    axes.set_xlabel(f"npv [{MONEY}]")
    axes.set_title("npv: central case and Monte Carlo ranges")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return save(figure, stem)


def offer_table(offer: pd.DataFrame) -> pd.DataFrame:
    """What `single_offer_chart` draws, one row per scenario and place: retained, to the exchequer and,
    where `offer` has it (`Comparison.single_offer`), the shortfall against the target [GBP m over the offer years]."""
    columns = {
        "retained": "retained by the place",
        "exchequer": "to the exchequer",
        "shortfall": "shortfall against the target",
    }
    table = offer.set_index([offer["scenario"] + ": " + offer["place"]])[[c for c in columns if c in offer.columns]]
    table.index.name = None
    return table.rename(columns=columns).astype(float)


def single_offer_chart(offer: pd.DataFrame, stem: Path) -> list[Path]:
    """Single-offer split of cashable savings, retained by the place vs to the exchequer, summed over the
    offer years: offer has columns scenario, place, retained, exchequer and optionally shortfall and target
    (`Comparison.single_offer`) [GBP m]. The shortfall is drawn hatched after the cashable savings, outside their total;
    the target is a red tick."""
    table = offer_table(offer)
    shortfall = [c for c in table.columns if c.startswith("shortfall")]
    marker = ("target", offer["target"].to_numpy(dtype=float)) if "target" in offer.columns else None
    title = "single offer: cashable savings retained vs to the exchequer" + (", and shortfall" if shortfall else "")
    return stacked_bars(table, stem, title, f"cashable savings over the offer years [{MONEY}]", hatched=shortfall,
                        not_in_total=shortfall, total_label="total cashable", marker=marker)  # fmt: skip


def tornado_chart(tornado: pd.DataFrame, central_npv: float, stem: Path) -> list[Path]:
    """Tornado: for each parameter (rows, largest swing first), npv at its low and high value, the
    others central; bars drawn from the central npv [GBP m]."""
    left_out = int(tornado["npv_low"].isna().sum())
    tornado = tornado[tornado["npv_low"].notna()]  # parameters not varied are in the CSV, not the chart
    figure = _figure(10.0, _height(len(tornado)))
    axes = figure.subplots()
    rows = np.arange(len(tornado))
    low = tornado["npv_low"].to_numpy(dtype=float) - central_npv
    high = tornado["npv_high"].to_numpy(dtype=float) - central_npv
    axes.barh(rows, low, left=central_npv, color="#d95f02", label="parameter at its low")
    axes.barh(rows, high, left=central_npv, color="#1b9e77", label="parameter at its high")
    axes.axvline(central_npv, color="black", linewidth=0.8)
    axes.set_yticks(rows, list(tornado["parameter"]))
    axes.invert_yaxis()
    axes.set_xlabel(f"npv [{MONEY}]; central case {central_npv:,.1f}")
    title = "tornado: npv at each parameter's low and high, the others central\n"
    title += "(uncertain: across its distribution; fixed: across its plausible range)"
    axes.set_title(title + (f"\n{left_out} fixed parameters without a plausible range not varied" if left_out else ""))
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
    axes.set_yticks(rows, list(indices["parameter"]))
    axes.invert_yaxis()
    axes.set_xlabel("share of the variance of npv [share, 0-1]")
    axes.set_title("Sobol indices of npv (Saltelli sampling)")
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
        label = "npv" if key is None else f"{rest[0]} = {key}"
        axes.plot(x, group["npv"].to_numpy(dtype=float), marker="o", color=colour, label=label)
        if {"npv_p5", "npv_p95"} <= set(group.columns):
            axes.fill_between(x, group["npv_p5"], group["npv_p95"], color=colour, alpha=0.15, linewidth=0)
    if not numeric:
        axes.set_xticks(np.arange(len(groups[0][1])), [str(v) for v in groups[0][1][first]])
    axes.set_xlabel(first)
    axes.set_ylabel(f"npv [{MONEY}]")
    fixed = ", ".join(f"{p} = {view[p].iloc[0]}" for p in rest[1:])
    axes.set_title("sweep: npv" + (f" ({fixed})" if fixed else ""))
    axes.legend(fontsize="small")
    return save(figure, stem)
