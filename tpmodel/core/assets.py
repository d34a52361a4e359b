"""Assets and co-location, "Total Capital" (spec section 5.4)."""

from __future__ import annotations

from typing import NamedTuple

from .axes import FloatArray, IntArray, year_window
from .inputs import Assets
from .shared_services import partnership


class AssetsFlows(NamedTuple):
    """Flows of estate co-location, each (draw, place, agency, year) [GBP m, real]."""

    gross: FloatArray  # recurring saving on estate running costs [GBP m a year]
    cost: FloatArray  # one-off implementation cost [GBP m]
    receipts: FloatArray  # one-off capital receipts from disposals [GBP m]


def assets(
    years: IntArray, estate: FloatArray, base_estate: FloatArray, organisations: FloatArray, lever: Assets
) -> AssetsFlows:
    """Estate co-location (spec 5.4): the shared-services equations on category estate,
    plus capital receipts spread evenly from the year the ramp first reaches 1:

        A0[p,a]  = r[p] * B[p,a,start_year]
        f[p]     = start_year + ramp_years - 1
        K[p,a,t] = receipts_multiple[p] * A0[p,a] / receipts_years   for f <= t < f + receipts_years

    estate: (draw, place, agency, year) S of estate [GBP m a year];
    base_estate: (place, agency) S0 [GBP m]; organisations: (place, agency) O.
    Receipts that would fall after the last model year are not counted.
    """
    flows = partnership(years, estate, base_estate, organisations, lever)
    full_year = lever.start_year + lever.ramp_years - 1.0
    spread = lever.receipts_multiple / lever.receipts_years * year_window(years, full_year, lever.receipts_years)
    return AssetsFlows(flows.gross, flows.cost, flows.steady_state * spread)
