"""Benchmark: sweeps and comparisons of `standard` (issue 4, spec 11).

    python bench/bench_sweep.py                 # prints the figures below

- a 1,000-point sweep (10 x 10 x 10 grid), central case, in this process and
  on 2 worker processes (goal < 60 s);
- 10,000 points on 1 and on 2 workers (issue 11: 2 workers at least 1.7x
  faster than 1), for a grid of engine numbers (the points run as draws of one
  engine call) and for a grid with a choice in it (each point applied with
  override, validated once per value, not per point), and 100 points with a
  Monte Carlo of 1,000 draws each; 1 and 2 workers run in turn (7 times each,
  twice with draws) and the best and the median of each are compared. Beside them, what this
  machine allows: two independent busy processes against one (the ceiling
  of any speed-up from 2 workers while other work shares the cores);
- the same 1,000 points run one by one through the loader (tpmodel.run per point), for comparison;
- `tpmodel compare --out DIR --draws 10000` as a command (every scenario, all files written).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"
VARY = ["shared_services.max_rate=0.1:0.3:10", "procurement.compliance=0.2:0.8:10", "pooling.return_rate=1:3:10"]
#: 10,000 points: engine numbers only (25 x 20 x 20), and with a choice (50 x 100 x 2).
NUMBERS = ["shared_services.max_rate=0.1:0.3:25", "procurement.compliance=0.2:0.8:20", "pooling.return_rate=1:3:20"]
WITH_CHOICE = ["shared_services.max_rate=0.1:0.3:50", "procurement.compliance=0.2:0.8:100",
               "procurement.consortium=place,all"]  # fmt: skip
#: 100 points, each with its own Monte Carlo.
WITH_DRAWS = ["shared_services.max_rate=0.1:0.3:10", "procurement.compliance=0.2:0.8:10"]
#: Runs of each sweep, 1 and 2 workers in turn; the best and the medians are printed.
REPEAT = 7
BUSY = "s = 0\nfor i in range(20_000_000):\n    s += i"


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    import tpmodel
    from tpmodel.analyses.sweep import grid, parse_vary

    one = timed(lambda: tpmodel.sweep("standard", VARY, params_dir=PARAMS))
    two = timed(lambda: tpmodel.sweep("standard", VARY, params_dir=PARAMS, workers=2))
    points = grid([parse_vary(v) for v in VARY])
    by_loader = timed(lambda: [tpmodel.run("standard", overrides=p, params_dir=PARAMS) for p in points])
    print(f"1,000-point sweep, central case, 1 process:   {one:6.2f} s  (goal < 60 s)")
    print(f"1,000-point sweep, central case, 2 workers:   {two:6.2f} s")
    print(f"the same 1,000 points through the loader one by one: {by_loader:6.2f} s")
    one = timed(lambda: subprocess.run([sys.executable, "-c", BUSY], check=True))
    both = timed(lambda: [p.wait() for p in [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(2)]])
    print(f"this machine now: two independent busy processes take {both / one:4.2f}x one "
          f"(ceiling of a 2-worker speed-up: {2 * one / both:4.2f}x)")  # fmt: skip
    cases = (("10,000 points, engine numbers", NUMBERS, 0), ("10,000 points, with a choice", WITH_CHOICE, 0),
             ("100 points x 1,000 draws", WITH_DRAWS, 1000))  # fmt: skip
    for label, vary, draws in cases:
        runs: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(REPEAT if draws == 0 else 2):  # 1 and 2 workers in turn, so both meet the same load
            for workers in (1, 2):
                runs[workers].append(timed(lambda w=workers, v=vary, d=draws: tpmodel.sweep(
                    "standard", v, params_dir=PARAMS, workers=w, draws=d)))  # fmt: skip
        best = {workers: min(times) for workers, times in runs.items()}
        middle = statistics.median(runs[1]) / statistics.median(runs[2])
        print(f"{label:<30} 1 process {best[1]:6.2f} s, 2 workers {best[2]:6.2f} s: "
              f"{best[1] / best[2]:4.2f}x, medians {middle:4.2f}x (goal >= 1.7x)")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "tpmodel.cli", "compare", "--out", f"{folder}/comparison", "--draws", "10000",
                   "--quiet", "--params", str(PARAMS)]  # fmt: skip
        seconds = timed(lambda: subprocess.run(command, check=True))
    print(f"tpmodel compare --draws 10000 (10 scenarios, all files): {seconds:6.2f} s")


if __name__ == "__main__":
    main()
