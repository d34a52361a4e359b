"""Collaborative procurement (spec section 4.2)."""

from __future__ import annotations

import numpy as np

from .axes import AGENCY, PLACE, FloatArray, IntArray, per_draw
from .flows import Flow, on_arrays
from .ramp import ramp


def discount(
    buying_volume: FloatArray,
    base_discount: FloatArray,
    volume_elasticity: FloatArray,
    reference_volume: FloatArray,
    max_discount: FloatArray,
) -> FloatArray:
    """Price discount won by a buying volume (spec 4.2).

        d = clip(d0 + e * ln(W / V0), 0, max_discount); 0 where W = 0

    buying_volume: (draw, place, year) W [GBP m a year]; the rest (draw,).
    Returns (draw, place, year) d [share].
    """
    positive = buying_volume > 0
    log_ratio = np.log(np.where(positive, buying_volume, 1.0) / reference_volume[:, None, None])
    raw = base_discount[:, None, None] + volume_elasticity[:, None, None] * log_ratio
    clipped = np.minimum(np.maximum(raw, 0.0), max_discount[:, None, None])
    return np.where(positive, clipped, 0.0)


def procurement_flows(
    years: IntArray,
    procurement_spend: Flow,
    participation: FloatArray,
    compliance: FloatArray,
    base_discount: FloatArray,
    volume_elasticity: FloatArray,
    reference_volume: FloatArray,
    max_discount: FloatArray,
    consortium: str,
    fee_share: FloatArray,
    setup_cost: FloatArray,
    start_year: FloatArray,
    ramp_years: FloatArray,
) -> tuple[Flow, Flow]:
    """Collaborative procurement (spec 4.2) on category procurement.

        P[p,a,t] = q[a] * S[p,a,procurement,t]
        V[p,t]   = sum_a P[p,a,t];   W = V (consortium place) or sum_p V (all)
        G[p,a,t] = ramp(t) * k * d[p,t] * P[p,a,t]
        C[p,a,t] = fee_share * G[p,a,t] + (t == start_year) * setup_cost * P[p,a,t] / V[p,t]

    procurement_spend: (draw, place, agency, year) [GBP m a year];
    participation: (draw, agency) q; consortium: "place" or "all";
    setup_cost (draw,) [GBP m per place]; the rest (draw,).
    Returns (gross, cost), each (draw, place, agency, year) [GBP m, real].
    """
    in_scope = procurement_spend.times(participation[:, None, :, None])
    place_volume = in_scope.total(AGENCY)[:, :, 0, :]
    if consortium == "all":
        buying_volume = np.broadcast_to(place_volume.sum(axis=PLACE, keepdims=True), place_volume.shape)
    else:
        buying_volume = place_volume
    rate = discount(buying_volume, base_discount, volume_elasticity, reference_volume, max_discount)
    ramp_share = ramp(years, start_year, ramp_years)
    gross = in_scope.times((ramp_share * compliance[:, None])[:, None, None, :], rate[:, :, None, :])
    volume = place_volume[:, :, None, :]
    # 1 / V where V > 0; V is floored at the smallest normal float so 1 / V cannot overflow
    per_volume = np.where(volume > 0, 1.0 / np.maximum(volume, np.finfo(np.float64).tiny), 0.0)
    setup_year = (years[None, :] == start_year[:, None])[:, None, None, :]
    setup = in_scope.times(setup_year * per_draw(setup_cost), per_volume)
    return gross, gross.times(per_draw(fee_share)) + setup


#: `procurement_flows` on full arrays (spend as a (draw, place, agency, year) array), as the tests use it.
procurement = on_arrays(procurement_flows)
