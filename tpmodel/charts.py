"""Charts of comparisons, sweeps and sensitivity, each written as PNG and SVG (matplotlib, Agg).

Every chart takes tidy or wide pandas tables and a path stem; it writes
`<stem>.png` and `<stem>.svg` and returns the two paths. Money axes are
labelled in GBP m at 2010-11 prices; years are financial years (2010 = 2010-11).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .formatting import MONEY, YEAR_AXIS

FORMATS = ("png", "svg")


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


def stacked_bars(table: pd.DataFrame, stem: Path, title: str, xlabel: str = f"npv [{MONEY}]") -> list[Path]:
    """Horizontal bars, one per row of `table`, its columns stacked (positive parts to the right of 0,
    negative to the left) with a diamond at the row total."""
    figure = _figure(10.0, _height(len(table)))
    axes = figure.subplots()
    rows = np.arange(len(table))
    right = np.zeros(len(table))
    left = np.zeros(len(table))
    colours = _colours(len(table.columns))
    for colour, column in zip(colours, table.columns, strict=True):
        values = table[column].to_numpy(dtype=float)
        positive = np.where(values > 0, values, 0.0)
        negative = np.where(values < 0, values, 0.0)
        axes.barh(rows, positive, left=right, color=colour, label=str(column))
        axes.barh(rows, negative, left=left, color=colour)
        right += positive
        left += negative
    axes.scatter(table.sum(axis=1), rows, marker="D", color="black", zorder=3, label="total")
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


def npv_by_lever_chart(by_lever: pd.DataFrame, stem: Path) -> list[Path]:
    """npv by lever per scenario: by_lever has one row per scenario, one column per lever [GBP m]."""
    return stacked_bars(by_lever, stem, "npv by lever")


def npv_by_agency_chart(by_agency: pd.DataFrame, stem: Path) -> list[Path]:
    """npv by agency per scenario, the "who benefits" view: one row per scenario, one column per agency."""
    return stacked_bars(by_agency, stem, "npv by agency (who benefits)")


def cumulative_net_chart(
    cumulative: pd.DataFrame, stem: Path, bands: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None
) -> list[Path]:
    """Cumulative net by year, one line per scenario (rows of `cumulative`, columns years) [GBP m],
    with the Monte Carlo p5-p95 band of each scenario in `bands` (scenario -> (p5 by year, p95 by year))."""
    figure = _figure(10.0, 5.5)
    axes = figure.subplots()
    years = [int(y) for y in cumulative.columns]
    for colour, (scenario, values) in zip(_colours(len(cumulative)), cumulative.iterrows(), strict=True):
        axes.plot(years, values.to_numpy(dtype=float), marker="o", color=colour, label=str(scenario))
        if bands and scenario in bands:
            low, high = bands[str(scenario)]
            axes.fill_between(years, low, high, color=colour, alpha=0.15, linewidth=0)
    axes.axhline(0.0, color="grey", linewidth=0.8)
    axes.set_xticks(years, [f"{y}-{str(y + 1)[-2:]}" for y in years])
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


def single_offer_chart(offer: pd.DataFrame, stem: Path) -> list[Path]:
    """Single-offer split of cashable savings, retained by the place vs to the exchequer, summed over the
    offer years: offer has columns scenario, place, retained, exchequer [GBP m]."""
    table = offer.set_index([offer["scenario"] + ": " + offer["place"]])[["retained", "exchequer"]]
    table.index.name = None
    return stacked_bars(table, stem, "single offer: cashable savings retained vs to the exchequer",
                        f"cashable savings over the offer years [{MONEY}]")  # fmt: skip


def tornado_chart(tornado: pd.DataFrame, central_npv: float, stem: Path) -> list[Path]:
    """Tornado: for each parameter (rows, largest swing first), npv at its low and high value, the
    others central; bars drawn from the central npv [GBP m]."""
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
    axes.set_title("tornado: npv at each uncertain parameter's low and high, the others central")
    axes.legend(loc="lower right", fontsize="small")
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
