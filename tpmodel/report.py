"""Tables and charts of a run for the notebooks, and executing the notebooks with papermill.

The notebooks under `notebooks/` only call `tpmodel.run` and these functions,
so they hold no model logic. Displayed tables are rounded to 0.1 GBP m, so a
stored notebook does not move with the last digit of a float.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .analyses.discovery import MAX_DRAWS as DISCOVERY_MAX_DRAWS
from .analyses.discovery import MIN_DRAWS as DISCOVERY_MIN_DRAWS
from .analyses.discovery import discover_draws
from .analyses.draw_sensitivity import MIN_DRAWS as RANK_MIN_DRAWS
from .analyses.draw_sensitivity import draw_sensitivity
from .analyses.notebooks import check_notebook_run as check_notebook_run  # re-exported: tpmodel.report.*
from .analyses.notebooks import check_parameters as check_parameters
from .analyses.notebooks import execute_notebook as execute_notebook
from .analyses.notebooks import notebook_parameters as notebook_parameters
from .analyses.notebooks import notebooks_dir as notebooks_dir
from .analyses.sensitivity import SensitivityResult
from .analyses.shapley import lever_shapley
from .charts import display_name
from .core.axes import AGENCIES, LEVERS
from .core.engine import Simulation
from .formatting import DISPLAY_DECIMALS as DISPLAY_DECIMALS  # re-exported: tpmodel.report.*
from .formatting import display_round as display_round
from .formatting import format_discovery, format_rank_sensitivity, format_shapley, format_summary
from .labels import figure_label, financial_year, percent
from .labels import label as label  # re-exported: tpmodel.report.label
from .model import RunResult, pv_receipts_by_agency

NOTEBOOK_PARAMETERS = ("scenario", "draws", "seed", "out", "overrides", "params_dir")


# ---------------------------------------------------------------- tables


def headline_text(result: RunResult) -> str:
    """The headline figures as plain text (npv, bcr, payback year, npv by lever), rounded for nbval."""
    return format_summary(result)


def breakdown_tables(headlines: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """NPV by lever, by agency, by place and net by year as small tables with display names [GBP m],
    rounded."""

    def table(key: str, kind: str) -> pd.DataFrame:
        series = pd.Series(headlines[key], name="NPV [GBP m]")
        return display_round(series.rename(index=lambda code: label(kind, code)).to_frame())

    by_year = pd.DataFrame(
        {
            "Net [GBP m]": pd.Series(headlines["net_by_year"]),
            "Cumulative net [GBP m]": pd.Series(headlines["cumulative_net_by_year"]),
        }
    ).rename(index=financial_year)
    return {
        "NPV by lever": table("npv_by_lever", "lever"),
        "NPV by agency": table("npv_by_agency", "agency"),
        "NPV by place": table("npv_by_place", "place"),
        "Net by year (undiscounted)": display_round(by_year),
    }


@dataclass
class Table:
    """A table shown in a notebook: HTML from a pandas Styler, and as plain text the same rounded numbers
    (no object address, so a stored notebook does not change when re-run and nbval compares both)."""

    styler: Any
    text: str

    def _repr_html_(self) -> str:
        return str(self.styler.to_html())

    def __repr__(self) -> str:
        return self.text


def styled(
    frame: pd.DataFrame,
    name: str,
    caption: str | None = None,
    decimals: int = DISPLAY_DECIMALS,
    hide_index: bool = False,
    right: Sequence[str] = (),
) -> Table:
    """A table as people read it in a notebook or report (a pandas Styler's HTML): numbers with thousands
    separators to `decimals`, missing values blank, the caption above, the columns in `right` aligned right.
    `name` (letters, digits, _) makes its HTML ids stable, so a stored notebook does not change when re-run;
    give each table of a notebook its own; `hide_index` leaves the row labels out."""
    numeric = frame.select_dtypes("number").columns
    styler = frame.style.format(f"{{:,.{decimals}f}}", subset=numeric, na_rep="")
    styler = styler.set_uuid(name).set_table_styles([{"selector": "caption", "props": "font-weight: bold;"}])
    styler = styler.hide(axis="index") if hide_index else styler
    styler = styler.set_properties(subset=list(right), **{"text-align": "right"}) if right else styler
    text = display_round(frame, decimals).to_string(index=not hide_index)
    return Table(styler.set_caption(caption) if caption else styler, f"{caption}\n{text}" if caption else text)


def headline_table(result: RunResult) -> Table:
    """The headline figures by display name, with what each is (a styled table)."""
    h = result.headlines
    rows = [("NPV", f"{h['npv']:,.1f}", "GBP m, central case, discounted to 2010-11")]
    if result.monte_carlo:
        mc = result.monte_carlo
        rows += [
            ("Expected NPV", f"{mc['npv']['mean']:,.1f}",
             f"mean of {result.draws:,} draws; p5 {mc['npv']['p5']:,.1f}, p95 {mc['npv']['p95']:,.1f}"),
            ("P(NPV > 0)", percent(mc["probability_npv_positive"]), "share of the draws"),
        ]  # fmt: skip
    rows += [
        ("BCR", "none (no cost)" if h["bcr"] is None else f"{h['bcr']:.2f}", "benefits over costs, discounted"),
        ("PV of capital receipts", f"{h['pv_receipts']:,.1f}", "GBP m, one-off, part of the NPV"),
        (label("headline", "payback_year"),
         financial_year(h["payback_year"]) if h["payback_year"] is not None else "none in the appraisal",
         "capital receipts excluded"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["Figure", "Value", "What it is"]).set_index("Figure")
    years = f"{financial_year(result.years[0])} to {financial_year(result.years[-1])}"
    table = styled(frame.rename_axis(None), "headline", f"Headline figures, {years}", right=["Value"])
    table.styler = table.styler.set_properties(subset=["What it is"], **{"text-align": "left"})
    return table


def title(result: RunResult) -> Any:
    """The report's heading: the scenario's name and description (Markdown)."""
    from IPython.display import Markdown

    return Markdown(f"# {label('scenario', result.name)}\n\n{result.resolved.description}")


def message(text: str) -> Any:
    """A sentence for people where a table would be empty (Markdown, not a quoted string)."""
    from IPython.display import Markdown

    return Markdown(text)


def lever_agency_npv(simulation: Simulation, draw: int = 0) -> pd.DataFrame:
    """npv [GBP m] by lever (rows) and agency (columns): who pays and who benefits.

    Pooling's row shows the wrong-pocket split: the agencies that fund prevention
    carry its cost, the agencies whose demand falls receive its benefit. Capital
    receipts (one-off, spec 5.4) are a row of their own, apart from the assets
    lever's recurring savings and costs.
    """
    rows: dict[str, Any] = {}
    for lever in LEVERS:
        receipts = pv_receipts_by_agency(simulation, lever, draw)
        rows[lever] = simulation.appraised[lever].pv_net[draw].sum(axis=(0, 2)) - receipts
        if receipts.any():
            rows[f"{lever}: capital receipts"] = receipts
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(AGENCIES))
    frame.loc["total"] = frame.sum()
    return frame.rename_axis("lever")


def offer_by_year(simulation: Simulation, years: list[int], draw: int = 0) -> pd.DataFrame:
    """Single offer summed over its places by year [GBP m]: cashable, target, retained, exchequer.

    Empty when no place makes a single offer.
    """
    offer = simulation.outcome.single_offer
    applies = offer.applies[draw]
    in_force = applies.any(axis=0)
    columns = {
        name: np.where(applies, getattr(offer, name)[draw], 0.0).sum(axis=0)[in_force]
        for name in ("total_cashable", "target", "retained", "exchequer", "shortfall")
    }
    return pd.DataFrame({"year": np.array(years)[in_force], **columns})


def single_offer_table(result: RunResult) -> pd.DataFrame:
    """Single offer by place and year: cashable, target, retained, exchequer [GBP m], target met."""
    rows = [
        {"place": place, "year": int(year), **values}
        for place, by_year in result.single_offer_summary().items()
        for year, values in by_year.items()
    ]
    columns = ["place", "year", "total_cashable", "target", "retained", "exchequer", "shortfall", "target_met"]
    return display_round(pd.DataFrame(rows, columns=columns))


def monte_carlo_table(monte_carlo: Mapping[str, Any] | None) -> pd.DataFrame:
    """Monte Carlo ranges (mean, p5 ... p95) of every headline column, rounded; empty without draws."""
    if not monte_carlo:
        return pd.DataFrame()
    rows = {key: value for key, value in monte_carlo.items() if isinstance(value, dict) and "mean" in value}
    return display_round(pd.DataFrame.from_dict(rows, orient="index"), 2)


# ---------------------------------------------------------------- decision analysis (issue 12)


def lever_credit_text(result: RunResult) -> str:
    """Shapley values of the five levers of the run's central case (npv, cashable saving and, with a
    single offer, its shortfall), beside each lever alone and added last, and the interaction [GBP m]."""
    return format_shapley(lever_shapley(result.resolved, result.places))


def rank_sensitivity_text(result: RunResult, top: int = 10) -> str:
    """With draws, the rank sensitivity of npv (SRRC, PRCC) on the run's own Monte Carlo draws (same draws
    and seed, declared correlations kept), the `top` parameters; otherwise what it needs."""
    if result.draws < RANK_MIN_DRAWS:
        return f"rank sensitivity needs at least {RANK_MIN_DRAWS} draws (draws = {result.draws})"
    table, r2 = draw_sensitivity(result.resolved, result.places, result.draws, result.seed)
    table.attrs["r2"] = r2
    ranked = SensitivityResult(result.resolved, "rank", table, result.draws, result.seed, result.started)
    return format_rank_sensitivity(ranked, top)


def discovery_text(result: RunResult, where: str = "npv<0") -> str:
    """With draws, scenario discovery (PRIM) of `where` on the run's own Monte Carlo draws, in words;
    otherwise what it needs."""
    if not DISCOVERY_MIN_DRAWS <= result.draws <= DISCOVERY_MAX_DRAWS:
        wanted = f"{DISCOVERY_MIN_DRAWS:,} to {DISCOVERY_MAX_DRAWS:,}"
        return f"scenario discovery needs {wanted} draws (draws = {result.draws})"
    return format_discovery(discover_draws(result.resolved, result.places, result.draws, where, result.seed))


def who_benefits(simulation: Simulation) -> Table:
    """`lever_agency_npv` as people read it: levers and agencies by display name (a styled table)."""
    table = display_round(lever_agency_npv(simulation)).rename(index=display_name, columns=display_name)
    return styled(table.rename_axis(None), "who_benefits", "NPV by lever and agency [GBP m]")


def single_offer_view(result: RunResult) -> Any:
    """`single_offer_table` with places, years and measures by display name, or a sentence when no place
    makes the offer."""
    table = single_offer_table(result)
    if not len(table):
        return message("No place makes a single offer in this scenario.")
    table = table.assign(place=table["place"].map(lambda p: label("place", p)), year=table["year"].map(financial_year))
    table["target_met"] = table["target_met"].map({True: "yes", False: "no"})
    names = {"place": "Place", "year": "Year"} | {c: label("measure", c) for c in table.columns[2:]}
    return styled(table.rename(columns=names).set_index(["Place", "Year"]), "single_offer",
                  "Single offer by place and year [GBP m]")  # fmt: skip


def monte_carlo_view(
    monte_carlo: Mapping[str, Any] | None, name: str, rows: list[str] | None = None, caption: str | None = None
) -> Any:
    """`monte_carlo_table` by display name (the figures in `rows`, default all), or a sentence without draws."""
    table = monte_carlo_table(monte_carlo)
    if table.empty:
        return message("Central case only: no Monte Carlo draws.")
    table = table.loc[rows] if rows else table
    table = table.rename(index=figure_label, columns={"mean": "Mean"})
    return styled(table, name, caption or f"Monte Carlo ranges over {monte_carlo['draws']:,} draws", decimals=2)


def comparison_charts(comparison: Any) -> list[Any]:
    """The charts `tpmodel compare` writes (`folders.write_comparison_charts`), as images for a notebook."""
    import tempfile

    from IPython.display import Image

    from .folders import write_comparison_charts

    with tempfile.TemporaryDirectory() as folder:
        paths = write_comparison_charts(comparison, Path(folder))
        return [Image(data=path.read_bytes(), format="png") for path in paths if path.suffix == ".png"]


def switching_display(result: RunResult, top: int = 10) -> pd.DataFrame:
    """The `top` nearest switching values of a run's scenario (npv = 0 when one parameter moves,
    `tpmodel.analyses.switching`) and how many parameters switch, rounded for display: parameter, evidence,
    central, switching value (4 significant digits), change [% of central, whole], direction, probability
    beyond (3 decimals, uncertain parameters), inside its range."""
    from .analyses.switching import switching_table

    table = switching_table(result.resolved, result.places)
    shown = table[table["status"] == "switches"].head(top)
    out = pd.DataFrame({
        "parameter": shown["parameter"], "evidence": shown["evidence"],
        "central": [float(f"{v:.4g}") for v in shown["central"]],
        "switching value": [float(f"{v:.4g}") for v in shown["switching_value"]],
        "change [%]": shown["change_percent"].round(0) + 0.0, "direction": shown["direction"],
        "P(beyond)": shown["probability_beyond"].round(3) + 0.0, "inside its range": shown["inside_range"],
    })  # fmt: skip
    counts = table["status"].value_counts()
    out.attrs["counts"] = {status: int(counts.get(status, 0)) for status in ("switches", "none within bounds",
                                                                             "no effect")}  # fmt: skip
    return out.reset_index(drop=True)


def assumptions_display(result: RunResult, top: int = 10) -> pd.DataFrame:
    """The first `top` rows of a run's assumptions log (tpmodel/analyses/assurance.py: weakly evidenced
    parameters that drive the npv first): parameter, evidence, swing [GBP m, 0.1], rank, drives the answer."""
    from .analyses.assurance import assumptions_log

    log = assumptions_log(result).head(top)
    return display_round(log[["parameter", "evidence", "swing", "rank", "drives_answer"]].reset_index(drop=True))


# ---------------------------------------------------------------- charts (matplotlib)


def new_figure(width: float = 11.0, height: float = 7.0):
    """A matplotlib figure with the four panels `draw_charts` fills."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    figure.subplots(2, 2)
    return figure


def draw_charts(figure, headlines: Mapping[str, Any], offer: pd.DataFrame | None = None, title: str = "") -> None:
    """Fill a `new_figure`: net by year, npv by lever, npv by agency (who benefits), single offer.

    offer: `offer_by_year` rows (retained and exchequer by year), or None.
    """
    net, lever, agency, single = figure.axes
    for axes in figure.axes:
        axes.clear()
    years = list(headlines["net_by_year"])
    values = list(headlines["net_by_year"].values())
    net.bar(years, values, color=["tab:green" if v >= 0 else "tab:red" for v in values], label="net")
    net.plot(years, list(headlines["cumulative_net_by_year"].values()), color="black", marker="o", label="cumulative")
    net.axhline(0, color="grey", linewidth=0.8)
    net.set(title="Net by year (undiscounted)", ylabel="GBP m (2010-11 prices)")
    net.set_xticks(years, [financial_year(y)[2:] for y in years])
    net.legend(loc="upper left", fontsize="small")
    _barh(lever, {label("lever", k): v for k, v in headlines["npv_by_lever"].items()}, "NPV by lever")
    _barh(
        agency, {label("agency", k): v for k, v in headlines["npv_by_agency"].items()}, "NPV by agency (who benefits)"
    )
    single.set(title="Single offer: retained vs Exchequer")
    if offer is not None and len(offer):
        labels = [financial_year(y) for y in offer["year"]]
        single.bar(labels, offer["retained"], label="retained by the places", color="tab:blue")
        single.bar(labels, offer["exchequer"], bottom=offer["retained"], label="to the Exchequer", color="tab:orange")
        single.set(ylabel="GBP m")
        single.legend(loc="upper left", fontsize="small")
    else:
        single.text(0.5, 0.5, "No single-offer place", ha="center", va="center", transform=single.transAxes)
        single.set(xticks=[], yticks=[])
    if title:
        figure.suptitle(title)


def _barh(axes, values: Mapping[str, float], title: str) -> None:
    names = list(values)
    numbers = list(values.values())
    axes.barh(names, numbers, color=["tab:green" if v >= 0 else "tab:red" for v in numbers])
    axes.axvline(0, color="grey", linewidth=0.8)
    axes.invert_yaxis()
    axes.set(title=title, xlabel="NPV, GBP m")


# ---------------------------------------------------------------- executing notebooks


#: Added to the report's HTML: words are not broken across lines (JupyterLab's output CSS breaks them).
REPORT_CSS = """<style>
.jp-OutputArea-output pre, .jp-RenderedText pre, .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th,
.jp-RenderedMarkdown p { word-break: normal; overflow-wrap: normal; white-space: pre-wrap; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { white-space: nowrap; }
</style>
"""


def notebook_html(notebook: Path, output: Path, hide_code: bool = True, title: str | None = None) -> None:
    """Write an executed notebook as HTML (nbconvert), by default without the code cells, with `title` as
    the page title (default: the notebook's file name) and words never broken across lines."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=hide_code, exclude_input_prompt=True, exclude_output_prompt=True)
    node = nbformat.read(str(notebook), as_version=4)
    if title:
        node.metadata["title"] = title
    body, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": title or notebook.stem}})
    output.write_text(body.replace("</head>", REPORT_CSS + "</head>", 1), encoding="utf-8")


# ---------------------------------------------------------------- comparison and calibration


def comparison_table(results: list[RunResult], reference: str | None = None) -> pd.DataFrame:
    """One row per scenario: npv (central case) and, with draws, the expected npv (mean of the draws) and
    P(npv > 0) beside it; bcr, payback year, npv by lever [GBP m] and, with draws, npv p5 / p95; with
    `reference`, the npv difference from that scenario."""
    rows = {}
    for result in results:
        h = result.headlines
        row: dict[str, Any] = {"npv": h["npv"]}
        if result.monte_carlo:
            row["expected_npv"] = result.monte_carlo["npv"]["mean"]
            row["p_npv_positive"] = result.monte_carlo["probability_npv_positive"]
        row |= {"bcr": h["bcr"], "payback_year": h["payback_year"]}
        row |= {f"npv_{lever}": value for lever, value in h["npv_by_lever"].items()}
        if result.monte_carlo:
            row |= {"npv_p5": result.monte_carlo["npv"]["p5"], "npv_p95": result.monte_carlo["npv"]["p95"]}
        rows[result.name] = row
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("scenario")
    if reference is not None:
        table.insert(1, f"npv_minus_{reference}", table["npv"] - table.loc[reference, "npv"])
    return table


def comparison_view(results: list[RunResult], reference: str) -> Table:
    """`comparison_table` as people read it: display names, payback as a financial year, P(NPV > 0) as a
    percentage (a styled table)."""
    table = display_round(comparison_table(results, reference))
    table["payback_year"] = [financial_year(y) if pd.notna(y) else "none" for y in table["payback_year"]]
    if "p_npv_positive" in table:
        table["p_npv_positive"] = [percent(p) for p in comparison_table(results)["p_npv_positive"]]
    names = {"npv": "NPV [GBP m]", f"npv_minus_{reference}": f"NPV minus {label('scenario', reference)}",
             "bcr": "BCR", "payback_year": label("headline", "payback_year"), "npv_p5": "NPV, p5",
             "npv_p95": "NPV, p95", "p_npv_positive": "P(NPV > 0)"}  # fmt: skip
    names |= {f"npv_{lever}": f"NPV: {label('lever', lever)}" for lever in LEVERS}
    table = table.rename(columns=names, index=lambda n: label("scenario", n)).rename_axis(None)
    return styled(table, "comparison", "Headline figures by scenario [GBP m]")


def calibration_table(result: RunResult, targets: list[Mapping[str, Any]], england_population: float) -> pd.DataFrame:
    """The model's figure next to each published expectation, with the gap [GBP m a year].

    Model columns: gross savings (what announcements count), adjusted (after optimism
    bias and deadweight) and cashable net of costs; the gap and ratio use gross.

    Each target: id, label, published (central), low/high (optional), source, note, and
    `select`: {place, agency, lever, year} filters (a value or a list) of results.csv;
    `scale: england` grosses the pilot places up to England by population.
    """
    table = result.results
    scale_england = england_population / float(result.places.population.sum())
    rows = []
    for target in targets:
        chosen = np.ones(len(table), dtype=bool)
        for column, wanted in target["select"].items():
            wanted = wanted if isinstance(wanted, list) else [wanted]
            chosen &= table[column].isin(wanted).to_numpy()
        factor = scale_england if target.get("scale") == "england" else 1.0
        sums = table[chosen].groupby("measure")["value"].sum() * factor
        gross = float(sums.get("gross", 0.0))
        published = float(target["published"])
        rows.append(
            {
                "benchmark": target["label"],
                "published": published,
                "published_range": f"{target.get('low', published):,g} - {target.get('high', published):,g}",
                "model_gross": gross,
                "model_adjusted": float(sums.get("adj_gross", 0.0)),
                "model_cashable_net": float(sums.get("cashable", 0.0)),
                "gap_gross": gross - published,
                "model_over_published": gross / published if published else np.nan,
                "scaled_to_england": factor != 1.0,
            }
        )
    return pd.DataFrame(rows).set_index("benchmark")


def load_calibration_targets(path: Path | None = None) -> tuple[list[dict[str, Any]], float]:
    """The published expectations (notebooks/calibration_targets.yaml) and England's population."""
    from .params import read_yaml

    data = read_yaml(path or notebooks_dir() / "calibration_targets.yaml")
    return list(data["targets"]), float(data["england_population"])


# ---------------------------------------------------------------- storing the notebooks for nbval


def store_notebooks(paths: list[Path] | None = None, timeout: int = 600) -> list[Path]:
    """Re-execute notebooks in place (kernel python3, run from their folder) and store their outputs.

    This is how the numbers that `pytest --nbval` compares are updated when a
    change of number is intended: `python -m tpmodel.report store`. No timing
    metadata or widget state is stored, tables have stable HTML ids (`styled`)
    and widget views stable model ids (`stable_widget_ids`), so a re-run without
    a change of number leaves the files byte for byte as they were.
    """
    import nbformat
    from nbclient import NotebookClient

    paths = paths or sorted(notebooks_dir().glob("*.ipynb"))
    for path in paths:
        notebook = nbformat.read(str(path), as_version=4)
        client = NotebookClient(
            notebook,
            kernel_name="python3",
            timeout=timeout,
            record_timing=False,
            store_widget_state=False,
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
        notebook.metadata.pop("widgets", None)
        stable_widget_ids(notebook, path.name)
        nbformat.write(notebook, str(path))
    return paths


def stable_widget_ids(notebook: Any, name: str) -> None:
    """Replace each widget view's random model id by one made from the notebook's name and the output's
    place, so that storing an unchanged notebook again leaves its file as it was (no widget state is
    stored, so the ids refer to nothing)."""
    import uuid

    for c, cell in enumerate(notebook.cells):
        for o, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = uuid.uuid5(uuid.NAMESPACE_URL, f"tpmodel/{name}/{c}/{o}").hex


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def main(argv: list[str] | None = None) -> int:
    """`python -m tpmodel.report store [NOTEBOOK ...]`: re-execute and re-store the notebooks."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tpmodel.report", description=store_notebooks.__doc__)
    parser.add_argument("action", choices=["store"])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook under notebooks/")
    args = parser.parse_args(argv)
    for path in store_notebooks(args.notebooks or None):
        print(f"stored {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
