"""Collaborative procurement (spec section 5.2)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .axes import AGENCY, FloatArray, IntArray
from .inputs import Procurement
from .ramp import ramp


class ProcurementFlows(NamedTuple):
    """Flows of collaborative procurement, each (draw, place, agency, year) [GBP m a year, real]."""

    gross: FloatArray
    cost: FloatArray


def buying_partners(group: IntArray, consortium: str) -> FloatArray:
    """Which places buy together (spec 5.2): M[p, p'] = 1 where p' adds its volume to p's.

    group: (place,) group numbers (a place with no group has one of its own);
    consortium: "place" (each alone), "group" (the places of a group), "all".
    Returns (place, place) [0 or 1].
    """
    together: FloatArray
    if consortium == "all":
        together = np.ones((group.size, group.size))
    elif consortium == "group":
        together = (group[:, None] == group[None, :]).astype(np.float64)
    elif consortium == "place":
        together = np.eye(group.size)
    else:
        raise ValueError(f"unknown consortium {consortium!r}")
    return together


def price_discount(
    buying_volume: FloatArray,
    base_discount: FloatArray,
    volume_elasticity: FloatArray,
    reference_volume: FloatArray,
    max_discount: FloatArray,
) -> FloatArray:
    """Price discount won by a buying volume (spec 5.2).

        d[p,t] = clip(d0[p] + e[p] * ln(W[p,t] / V0), 0, max_discount[p]);  0 where W = 0

    buying_volume: (draw, place, 1, year) W [GBP m a year]; the parameters
    (draw, place, 1, 1), reference_volume V0 (draw, 1, 1, 1) [GBP m a year].
    Returns (draw, place, 1, year) d [share].
    """
    positive = buying_volume > 0
    log_ratio = np.log(np.where(positive, buying_volume, 1.0) / reference_volume)
    raw = base_discount + volume_elasticity * log_ratio
    rate: FloatArray = np.where(positive, np.minimum(np.maximum(raw, 0.0), max_discount), 0.0)
    return rate


def procurement(years: IntArray, spend: FloatArray, group: IntArray, lever: Procurement) -> ProcurementFlows:
    """Collaborative procurement (spec 5.2) on category procurement.

        P[p,a,t] = q[p,a] * S[p,a,t];    V[p,t] = sum_a P[p,a,t]
        W[p,t]   = sum of V[p',t] over the places p' that buy with p (consortium)
        G[p,a,t] = ramp_p(t) * k[p] * d[p,t] * P[p,a,t]
        C[p,a,t] = fee_share[p] * G[p,a,t] + (t == start_year[p]) * setup_cost[p] * P[p,a,t] / V[p,t]

    years: (year,); spend: (draw, place, agency, year) S of procurement
    [GBP m a year]; group: (place,) group numbers. The setup term is 0 where
    V = 0. In a group or `all` consortium each place buys at the discount its
    own parameters give on the shared volume.
    """
    in_scope = lever.participation * spend
    place_volume = in_scope.sum(axis=AGENCY, keepdims=True)
    buying_volume = np.einsum("pq,dqat->dpat", buying_partners(group, lever.consortium), place_volume, order="C")
    discount = price_discount(
        buying_volume, lever.base_discount, lever.volume_elasticity, lever.reference_volume, lever.max_discount
    )
    gross = ramp(years, lever.start_year, lever.ramp_years) * lever.compliance * discount * in_scope
    # share of the place's volume, P / V, where V > 0; V floored at the smallest normal float so 1 / V cannot overflow
    share = np.where(place_volume > 0, in_scope / np.maximum(place_volume, np.finfo(np.float64).tiny), 0.0)
    setup = (years == lever.start_year) * lever.setup_cost * share
    return ProcurementFlows(gross, lever.fee_share * gross + setup)
