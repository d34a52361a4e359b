"""The single offer: a place keeps a share of what it saves (spec section 6)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .axes import BoolArray, FloatArray, IntArray


class SingleOffer(NamedTuple):
    """Single-offer flows, each (draw, place, year); zero (False for target_met)
    outside single-offer places and before the offer starts."""

    total_cashable: FloatArray  # [GBP m a year]
    target: FloatArray  # [GBP m a year]
    retained: FloatArray  # [GBP m a year]
    exchequer: FloatArray  # [GBP m a year]
    target_met: BoolArray
    applies: BoolArray  # where the offer is in force


def single_offer(
    years: IntArray,
    total_cashable: FloatArray,
    total_baseline: FloatArray,
    in_offer: BoolArray,
    start_year: FloatArray,
    target_rate: FloatArray,
    retained_share: FloatArray,
) -> SingleOffer:
    """Single-offer split of cashable savings (spec 6), for t >= start_year in offer places:

        target[p,t]     = target_rate * sum_{a,c} S[p,a,c,t]
        retained[p,t]   = retained_share * max(0, total_cashable[p,t])
        exchequer[p,t]  = total_cashable[p,t] - retained[p,t]
        target_met[p,t] = total_cashable[p,t] >= target[p,t]

    total_cashable: (draw, place, year) cashable summed over agencies and levers [GBP m];
    total_baseline: (draw, place, year) baseline spend summed over agencies and
    categories [GBP m]; in_offer: (place,) bool; start_year, target_rate,
    retained_share: (draw,).
    """
    applies = in_offer[None, :, None] & (years[None, None, :] >= start_year[:, None, None])
    target = target_rate[:, None, None] * total_baseline
    retained = retained_share[:, None, None] * np.maximum(0.0, total_cashable)
    exchequer = total_cashable - retained
    zero = np.zeros_like(total_cashable)
    return SingleOffer(
        total_cashable=np.where(applies, total_cashable, zero),
        target=np.where(applies, target, zero),
        retained=np.where(applies, retained, zero),
        exchequer=np.where(applies, exchequer, zero),
        target_met=applies & (total_cashable >= target),
        applies=applies,
    )
