"""Tables and charts of a run for the notebooks, and executing notebooks with papermill.

The notebooks under `notebooks/` only call these functions (and `tpmodel.run`),
so they hold no model logic. Tables are rounded to 0.1 GBP m for display, so
that a stored notebook does not move with the last digit of a float.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .model import RunResult

DISPLAY_DECIMALS = 1  # GBP m: tables and printed figures are rounded to 0.1 GBP m


def headline_text(result: RunResult) -> str:
    """The headline figures as plain text (npv, bcr, payback year, npv by lever), rounded for nbval."""
    from .commands.run import format_summary

    return format_summary(result)


def breakdown_tables(headlines: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """npv by lever, by agency, by place and net by year as small tables [GBP m], rounded."""

    def table(key: str, label: str) -> pd.DataFrame:
        series = pd.Series(headlines[key], name="npv [GBP m]").rename_axis(label)
        return series.round(DISPLAY_DECIMALS).to_frame()

    by_year = pd.DataFrame(
        {
            "net [GBP m]": pd.Series(headlines["net_by_year"]),
            "cumulative net [GBP m]": pd.Series(headlines["cumulative_net_by_year"]),
        }
    ).rename_axis("year")
    return {
        "npv by lever": table("npv_by_lever", "lever"),
        "npv by agency": table("npv_by_agency", "agency"),
        "npv by place": table("npv_by_place", "place"),
        "net by year": by_year.round(DISPLAY_DECIMALS),
    }


def single_offer_table(result: RunResult) -> pd.DataFrame:
    """Single offer by place and year: cashable, target, retained, exchequer [GBP m], target met."""
    rows = [
        {"place": place, "year": int(year), **values}
        for place, by_year in result.single_offer_summary().items()
        for year, values in by_year.items()
    ]
    columns = ["place", "year", "total_cashable", "target", "retained", "exchequer", "target_met"]
    return pd.DataFrame(rows, columns=columns).round(DISPLAY_DECIMALS)


def monte_carlo_table(monte_carlo: Mapping[str, Any] | None) -> pd.DataFrame:
    """Monte Carlo ranges (mean, p5 ... p95) of every headline column, rounded; empty without draws."""
    if not monte_carlo:
        return pd.DataFrame()
    rows = {key: value for key, value in monte_carlo.items() if isinstance(value, dict) and "mean" in value}
    return pd.DataFrame.from_dict(rows, orient="index").round(2)


# ---------------------------------------------------------------- charts


def new_figure(width: float = 11.0, height: float = 7.0):
    """A matplotlib figure with the four panels `draw_charts` fills."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    figure.subplots(2, 2)
    return figure


def draw_charts(figure, headlines: Mapping[str, Any], offer: pd.DataFrame | None = None, title: str = "") -> None:
    """Fill a `new_figure`: net by year, npv by lever, npv by agency (who benefits), single offer.

    offer: `single_offer_table` rows; the panel sums retained and exchequer over places by year.
    """
    net, lever, agency, single = figure.axes
    for axes in figure.axes:
        axes.clear()
    years = list(headlines["net_by_year"])
    values = list(headlines["net_by_year"].values())
    net.bar(years, values, color=["tab:green" if v >= 0 else "tab:red" for v in values], label="net")
    net.plot(years, list(headlines["cumulative_net_by_year"].values()), color="black", marker="o", label="cumulative")
    net.axhline(0, color="grey", linewidth=0.8)
    net.set(title="Net by year", ylabel="GBP m (2010-11 prices)")
    net.legend(loc="upper left", fontsize="small")
    _barh(lever, headlines["npv_by_lever"], "npv by lever")
    _barh(agency, headlines["npv_by_agency"], "npv by agency (who benefits)")
    single.set(title="Single offer: retained vs exchequer")
    if offer is not None and len(offer):
        by_year = offer.groupby("year")[["retained", "exchequer"]].sum()
        labels = [str(y) for y in by_year.index]
        single.bar(labels, by_year["retained"], label="retained by the place", color="tab:blue")
        single.bar(
            labels, by_year["exchequer"], bottom=by_year["retained"], label="to the exchequer", color="tab:orange"
        )
        single.set(ylabel="GBP m")
        single.legend(loc="upper left", fontsize="small")
    else:
        single.text(0.5, 0.5, "no single-offer place", ha="center", va="center", transform=single.transAxes)
        single.set(xticks=[], yticks=[])
    if title:
        figure.suptitle(title)


def _barh(axes, values: Mapping[str, float], title: str) -> None:
    names = list(values)
    numbers = list(values.values())
    axes.barh(names, numbers, color=["tab:green" if v >= 0 else "tab:red" for v in numbers])
    axes.axvline(0, color="grey", linewidth=0.8)
    axes.invert_yaxis()
    axes.set(title=title, xlabel="npv, GBP m")
