"""Benchmark: the central case of `standard` in-process, and the whole `tpmodel run` process.

    python bench/bench_engine.py            # prints median timings
Goal (issue 3): central case < 50 ms on a 2-core machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tpmodel.analyses.runs import run
from tpmodel.model import load_run_inputs, run_central

ROOT = Path(__file__).resolve().parent.parent


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    resolved, places = load_run_inputs("standard", params_dir=ROOT / "params")
    engine = timed(lambda: run_central(resolved, places), 200)
    loader = timed(lambda: run("standard", params_dir=ROOT / "params"), 30)
    tables = timed(lambda: run("standard", params_dir=ROOT / "params").results, 10)
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "tpmodel.cli", "run", "standard", "--quiet", "--params", str(ROOT / "params")]
        process = timed(lambda: subprocess.run([*command, "--out", tempfile.mkdtemp(dir=folder) + "/r"], check=True), 5)
    print(f"central case, engine only (arrays in, arrays out): {statistics.median(engine) * 1e3:8.2f} ms")
    print(f"central case through the loader (YAML + CSV + engine): {statistics.median(loader) * 1e3:8.2f} ms")
    print(f"  ... plus the tidy results table:                 {statistics.median(tables) * 1e3:8.2f} ms")
    print(f"whole `tpmodel run standard` process:               {statistics.median(process) * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
