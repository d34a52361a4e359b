"""Benchmark: switching values of every numeric parameter of `standard` (issue 12 item 2, goal < 10 s).

    python bench/bench_switching.py             # prints the figures below

- `tpmodel.switching_values("standard")` in this process (loading included): every numeric leaf's ladder in
  one batch of engine calls, then the brentq searches in lock-step, one engine call per round;
- the engine runs (draws) it took, and for scale the same number of runs made one by one (an estimate from
  the time of 20 single central runs through the engine);
- `tpmodel sensitivity standard --method switching --out DIR` as a command (files and chart included);
- the tornado over every numeric parameter (`tpmodel.sensitivity("standard")`).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def main() -> None:
    import tpmodel
    from tpmodel.analyses.switching import switching_table
    from tpmodel.analyses.uncertainty import evaluate
    from tpmodel.model import load_run_inputs

    tpmodel.switching_values("standard", params_dir=PARAMS)  # imports (scipy, pandas) out of the timing
    seconds, table = timed(lambda: tpmodel.switching_values("standard", params_dir=PARAMS))
    resolved, places = load_run_inputs("standard", [], params_dir=PARAMS)
    runs = switching_table(resolved, places).attrs["model_runs"]
    one, _ = timed(lambda: [evaluate(resolved, places, {}, 1) for _ in range(20)])
    switches = int((table["status"] == "switches").sum())
    print(f"switching values of standard, {len(table)} leaves ({switches} switch): {seconds:6.2f} s  (goal < 10 s)")
    print(f"  engine runs: {runs}; one by one they would take about {runs * one / 20:6.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "tpmodel.cli", "sensitivity", "standard", "--method", "switching",
                   "--out", str(Path(folder) / "s"), "--params", str(PARAMS), "--quiet"]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli, _ = timed(lambda: subprocess.run(command, check=True))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(
        f"tpmodel sensitivity standard --method switching (a fresh process, files written): {cli:6.2f} s "
        f"(CPU {cpu:.2f} s; the difference is waiting for a shared machine)"
    )
    tornado, result = timed(lambda: tpmodel.sensitivity("standard", params_dir=PARAMS))
    varied = int(result.table["swing"].notna().sum())
    print(f"tornado over every numeric parameter ({varied} varied of {len(result.table)}): {tornado:6.2f} s")


if __name__ == "__main__":
    main()
