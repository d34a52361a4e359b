"""Round numbers for sliders and axes: steps and ceilings of 1, 2, 5 x 10^k, values without float noise."""

from __future__ import annotations

import math


def nice_step(raw: float) -> float:
    """The largest of 1, 2, 5 x 10^k that is at most `raw`."""
    exponent = math.floor(math.log10(raw))
    for mantissa in (5, 2, 1):
        if mantissa * 10.0**exponent <= raw:
            return mantissa * 10.0**exponent
    return 10.0**exponent  # pragma: no cover - 1 x 10^k <= raw always holds


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k that is at least `value`."""
    exponent = math.floor(math.log10(value))
    for mantissa in (1, 2, 5, 10):
        if mantissa * 10.0**exponent >= value * (1 - 1e-12):
            return mantissa * 10.0**exponent
    return 10.0 ** (exponent + 1)  # pragma: no cover


def clean_number(value: float, step: float) -> float:
    """A slider value without float noise (0.35000000000000003 -> 0.35), to the slider's precision."""
    decimals = max(0, -math.floor(math.log10(step))) + 2
    return round(float(value), decimals)
