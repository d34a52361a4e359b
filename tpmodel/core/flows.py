"""Flows kept as sums of products of small factors (performance; the equations are unchanged).

A lever's gross saving is, cell by cell, a product of quantities that each
vary along only some axes: the ramp by (draw, year), the saving rate by
(draw, place), participation by (draw, agency), base-year spend by
(place, agency), the growth index by (draw, agency, year). A `Flow` keeps
those factors apart, so that the sums the headline figures need (over
agencies, over places) are taken before multiplying by the factors that do
not vary along the summed axis:

    sum_a  ramp[d,t] r[d,p] q[d,a] S0[p,a] g[d,a,t]  =  ramp[d,t] r[d,p] sum_a (q[d,a] S0[p,a] g[d,a,t])

and a quantity that does not vary by draw is computed once, not once per
draw. Every factor has the four axes (draw, place, agency, year) of
`core.axes`, each of its full length or of length 1 (broadcast).
`Flow.full()` gives the (draw, place, agency, year) array the equations
define. The order in which factors are multiplied depends only on how the
flow was built, never on the number of draws, so a draw gives the same
numbers whatever the chunk of draws it is computed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .axes import DRAW, YEAR, FloatArray, IntArray, per_draw

Term = tuple[FloatArray, ...]


def _product(factors: Term) -> FloatArray:
    """The factors multiplied left to right (the order is part of the flow, so results do not
    depend on the number of draws)."""
    out = factors[0]
    for factor in factors[1:]:
        out = out * factor
    return out


@dataclass(frozen=True)
class Flow:
    """A (draw, place, agency, year) flow held as a sum of products of broadcastable factors.

    terms: each term a tuple of factors with 4 axes (draw, place, agency, year),
    each axis of full length or 1. sizes: the full lengths of the place, agency
    and year axes.
    """

    terms: tuple[Term, ...]
    sizes: tuple[int, int, int]

    @classmethod
    def of(cls, array: FloatArray) -> Flow:
        """A flow of one full (draw, place, agency, year) array."""
        return cls(((array,),), tuple(array.shape[1:]))  # type: ignore[arg-type]

    def times(self, *factors: FloatArray) -> Flow:
        """The flow multiplied, cell by cell, by broadcastable (draw, place, agency, year) factors."""
        sizes = tuple(max(size, *(f.shape[axis] for f in factors)) for axis, size in enumerate(self.sizes, start=1))
        return Flow(tuple((*term, *factors) for term in self.terms), sizes)  # type: ignore[arg-type]

    def __add__(self, other: Flow) -> Flow:
        return Flow(self.terms + other.terms, self.sizes)

    def at_year(self, index: IntArray) -> Flow:
        """The flow in one year per draw: index (draw,) positions on the year axis; year axis of length 1."""
        where = per_draw(index).astype(np.int64)
        return Flow(
            tuple(
                tuple(np.take_along_axis(f, where, axis=YEAR) if f.shape[YEAR] > 1 else f for f in term)
                for term in self.terms
            ),
            (*self.sizes[:2], 1),
        )

    def full(self) -> FloatArray:
        """The flow cell by cell: (draw, place, agency, year), a new array."""
        total = sum(_product(term) for term in self.terms)
        return np.broadcast_to(total, (self.draws, *self.sizes)) + 0.0  # a new array; -0 reads 0

    @property
    def draws(self) -> int:
        """Length of the draw axis (1 when no factor varies by draw)."""
        return max(f.shape[DRAW] for term in self.terms for f in term)

    def total(self, axis: int) -> FloatArray:
        """The flow summed over one of the place, agency or year axes, which is kept with length 1.

        Only the factors that vary along `axis` are multiplied before summing;
        a term with no such factor counts each of the axis's cells.
        """
        size = float(self.sizes[axis - 1])
        result: FloatArray | float = 0.0
        for term in self.terms:
            varying = tuple(f for f in term if f.shape[axis] > 1)
            others = tuple(f for f in term if f.shape[axis] == 1)
            summed = _product(varying).sum(axis=axis, keepdims=True) if varying else np.full((1,) * 4, size)
            result = result + _product((summed, *others))
        shape = [self.draws, *self.sizes]
        shape[axis] = 1
        return np.broadcast_to(result, shape)


def on_arrays(flows_function: Callable[..., tuple[Flow, ...]]) -> Callable[..., tuple[FloatArray, ...]]:
    """A lever's `*_flows` function made to take its spend (second argument) as a full (draw, place,
    agency, year) array [GBP m a year] and return full arrays; the lever modules export both forms."""

    def lever(years: IntArray, spend: FloatArray, *parameters: Any) -> tuple[FloatArray, ...]:
        return tuple(flow.full() for flow in flows_function(years, Flow.of(spend), *parameters))

    lever.__name__ = flows_function.__name__.removesuffix("_flows")
    lever.__doc__ = f"`{flows_function.__name__}` on full arrays: returns (gross, cost) [GBP m, real]."
    return lever
