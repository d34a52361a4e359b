"""Sliders for the levers' main parameters, built from the parameter metadata (ipywidgets).

    from tpmodel.widgets import SliderApp
    app = SliderApp("standard")
    app.widget          # display it in JupyterLab or Voila

Every control comes from a `ControlSpec` that `control_specs` derives from
`params/defaults.yaml` (label from the path, unit, bounds, description); no
slider is written out by hand. A move re-validates the scenario with
`params.override` (no file read) and re-runs the central case (a few ms);
headline, tables and charts (inline SVG, cheap to redraw) update at once. A
combination the validation rejects shows its message beside the sliders and
the last good results stay on screen. Years are shown as financial years
('2019-20'); capital receipts (one-off) are shown apart from the recurring
savings in the headline, the charts and the who-benefits table.

Modules: `controls` (controls from the metadata), `layout` (the page, `SliderApp`), `charts` (SVG
charts and HTML tables), `numbers` (round numbers); each is tested without a browser.
"""

from __future__ import annotations

from ..formatting import format_money
from .charts import bar_chart, column_chart, html_table, stacked_bar_chart
from .controls import LABELS, LEVER_GROUPS, ControlSpec, control_specs, css_name, scenario_value, slider_bounds
from .layout import SliderApp
from .numbers import clean_number, nice_ceiling, nice_step

__all__ = [
    "LABELS",
    "LEVER_GROUPS",
    "ControlSpec",
    "SliderApp",
    "bar_chart",
    "clean_number",
    "column_chart",
    "control_specs",
    "css_name",
    "format_money",
    "html_table",
    "nice_ceiling",
    "nice_step",
    "scenario_value",
    "slider_bounds",
    "stacked_bar_chart",
]
