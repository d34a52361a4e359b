"""Benchmark: `tpmodel run standard` as a whole process, as a person waits for it (issue 11: < 0.25 s).

    python bench/bench_cli.py                   # prints the figures below

Runs `python -m tpmodel.cli run standard --out DIR` (three files written)
REPEAT times, each in a fresh process, and prints the median wall time and
the median CPU time (user + system) of the process. On a busy machine the
wall time waits for other work; the CPU time does not, so it is the figure to
compare across runs. Byte-compiled files are allowed (as in any install), so
one warm-up run comes first. Also prints the same for `python -c "import
numpy, yaml"` with one BLAS thread, as the command starts numpy: the floor
that any run of the model pays.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 15


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env or ENV, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
#: The floor as the command starts numpy: with one BLAS thread (tpmodel.cli.one_thread_for_linear_algebra).
FLOOR_ENV = ENV | {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def report(label: str, runs: list[tuple[float, float]]) -> None:
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    print(f"{label:<44} wall {wall * 1e3:6.0f} ms   cpu {cpu * 1e3:6.0f} ms   (median of {len(runs)})")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:

        def command(i: int) -> list[str]:
            return [sys.executable, "-m", "tpmodel.cli", "run", "standard", "--out", f"{folder}/run{i}"]

        timed(command(-1))  # warm-up: byte-compiles
        report("tpmodel run standard --out DIR (goal < 250 ms)", [timed(command(i)) for i in range(REPEAT)])
    report('python -c "import numpy, yaml" (the floor)', [
        timed([sys.executable, "-c", "import numpy, yaml"], FLOOR_ENV) for _ in range(REPEAT)
    ])  # fmt: skip
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
