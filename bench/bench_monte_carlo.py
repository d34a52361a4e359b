"""Benchmark: Monte Carlo of `standard` (issue 4, spec 7).

    python bench/bench_monte_carlo.py           # prints the figures below

- 10,000 draws (goal < 1 s), in-process: the Monte Carlo alone and `tpmodel.run`
  with its loader; best of 5.
- the engine per draw against the central case run through the loader
  (`tpmodel.run("standard")`, YAML + CSV + engine; goal: ratio >= 5,000).
- 1,000 / 10,000 / 100,000 draws, each in a fresh process: time and peak
  resident memory (goal < 2 GiB at 100,000; time about linear in draws).
- 100,000 and 1,000,000 draws without the per-draw table (`per_draw=False`,
  issue 11): the draws are made and run a chunk at a time, and the summary's
  exact figures (59 headline columns, 0.47 KB a draw) wait in a temporary
  file read back a column at a time, so memory is bounded by the chunk; the
  growth is printed as MiB per 100,000 draws between the two (goal: about
  that of one column, 0.8 MiB, and of the correlated leaves drawn whole).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from timing import best

ROOT = Path(__file__).resolve().parent.parent
PARAMS = ROOT / "params"

CHILD = """
import json, re, sys, time
from pathlib import Path
from tpmodel.analyses.runs import run
draws = int(sys.argv[1])
start = time.perf_counter()
result = run("standard", draws=draws, seed=1, params_dir=sys.argv[2], per_draw=sys.argv[3] == "table")
elapsed = time.perf_counter() - start
# VmHWM: peak resident memory of this program (ru_maxrss would include the parent's pages before exec)
peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)) * 1024
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "npv_p50": result.monte_carlo["npv"]["p50"]}))
"""


def in_fresh_process(draws: int, per_draw: str = "table") -> dict:
    output = subprocess.run([sys.executable, "-c", CHILD, str(draws), str(PARAMS), per_draw], check=True,
                            capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(output)


def main() -> None:
    from tpmodel.analyses.runs import run
    from tpmodel.analyses.uncertainty import draw_samples, evaluate, monte_carlo
    from tpmodel.model import load_run_inputs

    resolved, places = load_run_inputs("standard", params_dir=PARAMS)
    monte_carlo(resolved, places, 1000, 1)  # warm up
    mc = best(lambda: monte_carlo(resolved, places, 10_000, 1), 5)
    whole = best(lambda: run("standard", draws=10_000, seed=1, params_dir=PARAMS), 5)
    samples = draw_samples(resolved, 10_000, 1)
    engine = best(lambda: evaluate(resolved, places, samples, 10_000), 5)
    loader = statistics.median([best(lambda: run("standard", params_dir=PARAMS), 1) for _ in range(30)])
    print(f"10,000 draws, Monte Carlo (sampling, engine, summary):   {mc:6.3f} s")
    print(f"10,000 draws, tpmodel.run('standard', draws=10000):       {whole:6.3f} s   (goal < 1 s)")
    print(f"engine per draw (10,000 in one call):                   {engine / 10_000 * 1e6:6.2f} us")
    print(f"central case through the loader (tpmodel.run):          {loader * 1e3:6.2f} ms")
    print(
        f"ratio, central case through the loader / engine per draw: {loader / (engine / 10_000):8,.0f}x (goal 5,000x)"
    )
    print("fresh process, tpmodel.run('standard', draws=N):")
    for draws in (1_000, 10_000, 100_000):
        figures = in_fresh_process(draws)
        print(f"  {draws:>7,} draws: {figures['seconds']:6.2f} s, {figures['seconds'] / draws * 1e6:5.1f} us a draw, "
              f"peak memory {figures['peak_bytes'] / 2**20:7.1f} MiB (goal < 2,048 MiB at 100,000)")  # fmt: skip
    print("fresh process, tpmodel.run('standard', draws=N, per_draw=False):")
    peaks = {}
    for draws in (100_000, 1_000_000):
        figures = in_fresh_process(draws, "summary")
        peaks[draws] = figures["peak_bytes"] / 2**20
        print(f"  {draws:>9,} draws: {figures['seconds']:6.2f} s, peak memory {peaks[draws]:7.1f} MiB")
    print(f"  growth: {(peaks[1_000_000] - peaks[100_000]) / 9:6.1f} MiB per 100,000 draws")


if __name__ == "__main__":
    main()
