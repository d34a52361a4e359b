"""Benchmark: sweeps and comparisons of `standard` (issue 4, spec 11).

    python bench/bench_sweep.py                 # prints the figures below

- a 1,000-point sweep (10 x 10 x 10 grid), central case, in this process and
  on 2 worker processes (goal < 60 s);
- the same 1,000 points run one by one through the loader (tpmodel.run per point), for comparison;
- `tpmodel compare --out DIR --draws 10000` as a command (every scenario, all files written).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"
VARY = ["shared_services.max_rate=0.1:0.3:10", "procurement.compliance=0.2:0.8:10", "pooling.return_rate=1:3:10"]


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
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "tpmodel.cli", "compare", "--out", f"{folder}/comparison", "--draws", "10000",
                   "--quiet", "--params", str(PARAMS)]  # fmt: skip
        seconds = timed(lambda: subprocess.run(command, check=True))
    print(f"tpmodel compare --draws 10000 (10 scenarios, all files): {seconds:6.2f} s")


if __name__ == "__main__":
    main()
