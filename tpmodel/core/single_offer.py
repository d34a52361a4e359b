"""The single offer: a place keeps a share of what it saves (spec section 7)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .axes import BoolArray, FloatArray, IntArray
from .inputs import SingleOfferTerms


class SingleOffer(NamedTuple):
    """Single-offer flows, each (draw, place, year) [GBP m a year]; zero (False for target_met)
    outside single-offer places and outside the years of the deal."""

    total_cashable: FloatArray
    target: FloatArray
    retained: FloatArray
    exchequer: FloatArray
    shortfall: FloatArray
    target_met: BoolArray
    applies: BoolArray  # where the offer is in force


def single_offer(
    years: IntArray, total_cashable: FloatArray, total_baseline: FloatArray, terms: SingleOfferTerms
) -> SingleOffer:
    """Single-offer split of cashable savings (spec 7), for single-offer places and
    start_year <= t <= min(end_year, last_year):

        target[p,t]     = target_rate * sum_{a,c} S[p,a,c,t]
        retained[p,t]   = retained_share * total_cashable[p,t]
        exchequer[p,t]  = total_cashable[p,t] - retained[p,t]
        shortfall[p,t]  = max(0, target[p,t] - total_cashable[p,t])
        target_met[p,t] = total_cashable[p,t] >= target[p,t]

    The place and the Exchequer share gains and losses alike.
    total_cashable: (draw, place, year) cashable summed over agencies and levers
    [GBP m]; total_baseline: (draw, place, year) baseline spend summed over
    agencies and categories [GBP m].
    """
    start, end = terms.start_year[:, :, 0], terms.end_year[:, :, 0]  # (draw, 1, 1)
    applies = terms.in_offer[None, :, None] & (years >= start) & (years <= end)
    target = terms.target_rate[:, :, 0] * total_baseline
    retained = terms.retained_share[:, :, 0] * total_cashable
    zero = np.zeros(np.broadcast_shapes(applies.shape, total_cashable.shape, target.shape))

    def where_applies(values: FloatArray) -> FloatArray:
        return np.where(applies, values, zero) + 0.0

    return SingleOffer(
        total_cashable=where_applies(total_cashable),
        target=where_applies(target),
        retained=where_applies(retained),
        exchequer=where_applies(total_cashable - retained),
        shortfall=where_applies(np.maximum(0.0, target - total_cashable)),
        target_met=np.broadcast_to(applies & (total_cashable >= target), zero.shape),
        applies=np.broadcast_to(applies, zero.shape),
    )
