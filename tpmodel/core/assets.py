"""Assets and co-location, "Total Capital" (spec section 4.4)."""

from __future__ import annotations

import numpy as np

from .axes import FloatArray, IntArray
from .shared_services import partnership_flows


def assets(
    years: IntArray,
    estate: FloatArray,
    base_estate: FloatArray,
    participation: FloatArray,
    max_rate: FloatArray,
    scale_k: FloatArray,
    start_year: FloatArray,
    ramp_years: FloatArray,
    cost_multiple: FloatArray,
    implementation_years: FloatArray,
    receipts_multiple: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Estate co-location (spec 4.4): the shared-services equations on category estate,
    plus one-off capital receipts counted as gross saving in the year the ramp reaches 1:

        receipts[p,a,t] = receipts_multiple * A0[p,a]   if t == start_year + ramp_years - 1

    estate: (draw, place, agency, year) S of estate [GBP m a year];
    base_estate: (place, agency) S0 [GBP m]; participation (draw, agency); rest (draw,).
    Returns (gross, cost), each (draw, place, agency, year) [GBP m, real].
    """
    flows = partnership_flows(
        years, estate, base_estate, participation, max_rate, scale_k,
        start_year, ramp_years, cost_multiple, implementation_years,
    )  # fmt: skip
    full_year = years[None, :] == (start_year + ramp_years - 1.0)[:, None]
    receipts = np.where(
        full_year[:, None, None, :], (receipts_multiple[:, None, None] * flows.steady_state)[..., None], 0.0
    )
    return flows.gross + receipts, flows.cost
