"""The charts people read: display names, value labels, a readable cumulative chart, bands in the legend,
the tornado's low and high values."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from tpmodel.charts import (
    BAND_LABEL,
    ONE_PANEL_MAX,
    cumulative_net_chart,
    npv_by_lever_chart,
    tornado_chart,
)
from tpmodel.core.axes import LEVERS

YEARS = [str(y) for y in range(2010, 2020)]


def svg_texts(path: Path) -> list[str]:
    """The text of an SVG chart (written with svg.fonttype none, so each label is a <text> element)."""
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text())]


def cumulative(names: list[str]) -> pd.DataFrame:
    rows = {name: np.cumsum(np.full(len(YEARS), 10.0 * (i + 1))) for i, name in enumerate(names)}
    return pd.DataFrame(rows, index=YEARS).T


def test_bars_carry_display_names_and_their_totals(tmp_path: Path) -> None:
    by_lever = pd.DataFrame([[950.0, 678.5, 20.9, 671.6, 10.9], [-100.0, 50.0, -30.0, -150.0, 4.0]],
                            index=["standard", "shared_services_only"], columns=list(LEVERS))  # fmt: skip
    _, svg = npv_by_lever_chart(by_lever, tmp_path / "levers")
    texts = svg_texts(svg)
    for name in ("Shared services", "Collaborative procurement", "Pooled budgets", "Estate co-location",
                 "Lighter reporting", "Standard", "Shared services only"):  # fmt: skip
        assert name in texts, name
    assert "2,332" in texts and "-226" in texts  # each bar's total written beside it
    assert "shared_services" not in " ".join(texts)


def test_cumulative_chart_keeps_the_given_order_and_names_the_band(tmp_path: Path) -> None:
    names = ["standard", "cautious", "ambitious"]
    table = cumulative(names)
    bands = {name: (list(row - 5), list(row + 5)) for name, row in table.iterrows()}
    _, svg = cumulative_net_chart(table, tmp_path / "few", bands, revenue=table - 1)
    texts = svg_texts(svg)
    assert [t for t in texts if t in ("Standard", "Cautious", "Ambitious")] == ["Standard", "Cautious", "Ambitious"]
    assert BAND_LABEL in texts and "Capital receipts excluded (payback basis)" in texts
    assert "2019-20" in texts


def test_ten_scenarios_are_small_multiples(tmp_path: Path) -> None:
    names = [f"scenario_{i}" for i in range(10)]
    assert len(names) > ONE_PANEL_MAX
    _, svg = cumulative_net_chart(cumulative(names), tmp_path / "many")
    texts = svg_texts(svg)
    assert [t for t in texts if t.startswith("Scenario ")] == [f"Scenario {i}" for i in range(10)]  # panel titles
    assert texts.count("Cumulative net") == 1  # one legend entry for the line, not one per scenario
    assert BAND_LABEL not in texts  # no draws, no band


def test_tornado_shows_each_parameters_low_central_and_high_value(tmp_path: Path) -> None:
    table = pd.DataFrame({
        "parameter": ["shared_services.max_rate", "shared_services.cost_rate"],
        "low": [0.1, 0.03], "central": [0.2, 0.11], "high": [0.3, 0.24],
        "npv_low": [1731.6, 2514.3], "npv_high": [2932.3, 2035.7],
    })  # fmt: skip
    _, svg = tornado_chart(table, 2332.0, tmp_path / "tornado")
    texts = svg_texts(svg)
    assert "Shared services: saving rate at scale (20%)" in texts
    assert "Shared services: one-off cost per £1 in scope (£0.11 per £1)" in texts
    assert {"10%", "30%", "£0.03 per £1", "£0.24 per £1"} <= set(texts)
