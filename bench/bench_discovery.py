"""Benchmark: scenario discovery on 10,000 draws (issue 12 item 4; goal < 5 s).

    python bench/bench_discovery.py

Times `tpmodel.analyses.discovery.discover` (loader, 10,000 Monte Carlo draws, PRIM peeling, pasting and
pruning) for `standard` with npv < 1500 and `pooling_only` with npv < 0, best of 3 after a warm-up,
and PRIM alone on 10,000 synthetic draws of 75 parameters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from timing import best

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"
GOAL_SECONDS = 5.0


def main() -> None:
    from tpmodel.analyses.discovery import discover, prim

    discover("standard", 1000, "npv<1500", params_dir=PARAMS)  # warm up
    for scenario, where in (("standard", "npv<1500"), ("pooling_only", "npv<0")):
        seconds = best(lambda s=scenario, w=where: discover(s, 10_000, w, params_dir=PARAMS))
        verdict = "ok" if seconds < GOAL_SECONDS else "TOO SLOW"
        print(f"discover({scenario!r}, 10,000 draws, {where!r}): {seconds:.2f} s (goal < {GOAL_SECONDS:.0f} s: "
              f"{verdict})")  # fmt: skip
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(10_000, 75))
    y = ((x[:, 0] > 0.6) & (x[:, 3] < 0.3)) ^ (rng.uniform(size=10_000) < 0.1)
    print(f"prim alone, 10,000 draws x 75 parameters: {best(lambda: prim(x, y)):.2f} s")


if __name__ == "__main__":
    main()
