"""Sliders for the levers' main parameters, built from the parameter metadata (ipywidgets).

    from tpmodel.widgets import SliderApp
    app = SliderApp("standard")
    app.widget          # display it in JupyterLab or Voila

Every control comes from a `ControlSpec` that `control_specs` derives from
`params/defaults.yaml` (unit, bounds, description; names for people from
`labels`); no slider is written out by hand. A slider's value is shown beside
it as a person reads it (80%, 3.5%) and can be typed there; a value outside
the slider's range is refused with a message naming the control. A move re-validates the scenario with
`params.override` (no file read) and re-runs the central case (a few ms);
headline, tables and charts (inline SVG, cheap to redraw) update at once. A
combination the validation rejects shows its message beside the sliders and
the last good results stay on screen. Years are shown as financial years
('2019-20'); capital receipts (one-off) are shown apart from the recurring
savings in the headline, the charts and the who-benefits table.

Modules: `controls` (controls from the metadata), `layout` (the page, `SliderApp`), `charts` (SVG
charts and HTML tables), `labels` (every name shown), `numbers` (round numbers), each tested without a
browser; `server` (the page served by Voila on this machine only, `tpmodel app`).
"""

from __future__ import annotations

from ..formatting import format_money
from .charts import bar_chart, column_chart, html_table, stacked_bar_chart
from .controls import LEVER_GROUPS, ControlSpec, ValueEntry, control_specs, css_name, scenario_value, slider_bounds
from .layout import SliderApp
from .numbers import clean_number, nice_ceiling, nice_step

__all__ = [
    "LEVER_GROUPS",
    "ControlSpec",
    "SliderApp",
    "ValueEntry",
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
