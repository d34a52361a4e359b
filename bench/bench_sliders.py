"""Benchmark: one slider update of the sliders page (recompute + redraw), in the kernel.

    python bench/bench_sliders.py [--moves N]

A move sets a control's value, exactly as the browser does through the widget
comm; the app then re-validates (params.override), runs the central case, builds
the headline, the lever x agency table, the single-offer table and the SVG
charts, and sets the output widgets' values. Goal (issue 5): under 200 ms.
The browser's own drawing of the new HTML is not included (a few ms).
"""

from __future__ import annotations

import argparse
import statistics
import time

from tpmodel.widgets import SliderApp

#: (control path, two values to alternate between): a float, an agency entry, an integer, a list.
MOVES = [
    ("shared_services.max_rate", (0.25, 0.2)),
    ("procurement.participation.nhs", (0.6, 0.4)),
    ("appraisal.discount_rate", (0.05, 0.035)),
    ("pooling.start_year", (2012, 2011)),
    ("single_offer.places", (("kent", "manchester"), ())),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    app = SliderApp("standard")
    print(f"build the app (resolve, 54 controls, first update): {1000 * (time.perf_counter() - started):.0f} ms")
    totals: list[float] = []
    for i in range(args.moves):
        path, values = MOVES[i % len(MOVES)]
        start = time.perf_counter()
        app.controls[path].value = values[(i // len(MOVES)) % 2]
        totals.append(1000 * (time.perf_counter() - start))
        assert "tp-error" not in app.status.value, app.status.value
    totals.sort()
    p95 = totals[int(0.95 * (len(totals) - 1))]
    print(f"slider update (recompute + redraw), {len(totals)} moves: median {statistics.median(totals):.1f} ms, "
          f"p95 {p95:.1f} ms, max {totals[-1]:.1f} ms (goal < 200 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
