"""Assets and co-location, "Total Capital" (spec section 4.4)."""

from __future__ import annotations

from .axes import FloatArray, IntArray, per_draw
from .flows import Flow, on_arrays
from .shared_services import partnership_flows


def assets_flows(
    years: IntArray,
    estate: Flow,
    base_estate: FloatArray,
    participation: FloatArray,
    max_rate: FloatArray,
    scale_k: FloatArray,
    start_year: FloatArray,
    ramp_years: FloatArray,
    cost_multiple: FloatArray,
    implementation_years: FloatArray,
    receipts_multiple: FloatArray,
) -> tuple[Flow, Flow]:
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
    receipts = flows.steady_state.times(per_draw(receipts_multiple) * full_year[:, None, None, :])
    return flows.gross + receipts, flows.cost


#: `assets_flows` on full arrays (spend as a (draw, place, agency, year) array), as the tests use it.
assets = on_arrays(assets_flows)
