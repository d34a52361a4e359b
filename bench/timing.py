"""Timing helper shared by the benchmarks (run them as `python bench/bench_<name>.py`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best(function: Callable[[], Any], repeat: int = 5) -> float:
    """The shortest of `repeat` wall-clock times of `function()` [s]: the least disturbed by other load."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)
