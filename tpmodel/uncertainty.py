"""Monte Carlo over uncertain parameters (spec section 7).

Every uncertain leaf (a number given as a distribution) draws from its own
generator, seeded from (seed, a stable hash of its dotted path), so the same
scenario, draws and seed give identical numbers on any machine, whatever the
chunk size, and adding a parameter does not reshuffle the others. Draws are
made once for the whole run; the engine then runs over them in chunks so
memory stays bounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from .core.axes import AGENCIES, LEVERS, FloatArray
from .core.engine import simulate
from .core.sampling import sample
from .data import Places
from .model import broadcast_draws, central_leaf, engine_inputs, world_of
from .params import Resolved, is_distribution

CHUNK_DRAWS = 2000
PERCENTILES = (5, 10, 50, 90, 95)


def leaf_seed(seed: int, path: str) -> np.random.SeedSequence:
    """Seed sequence of one leaf: the run seed and a stable hash of the leaf's dotted path."""
    digest = int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "little")
    return np.random.SeedSequence([int(seed) & 0xFFFFFFFFFFFFFFFF, digest])


def uncertain_leaves(resolved: Resolved) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(leaf path, distribution, is_integer) for every distribution in the resolved values."""
    from .params import leaves

    for path, spec in resolved.specs.items():
        if not spec.numeric:
            continue
        for leaf_path, value in leaves(path, resolved.values[path]):
            if is_distribution(value):
                yield leaf_path, value, spec.type == "integer"


def draw_samples(resolved: Resolved, draws: int, seed: int) -> dict[str, FloatArray]:
    """Samples of every uncertain leaf: (draws,) each, integer leaves rounded."""
    samples: dict[str, FloatArray] = {}
    for path, dist, integer in uncertain_leaves(resolved):
        values = sample(dist, draws, np.random.default_rng(leaf_seed(seed, path)))
        samples[path] = np.rint(values) if integer else values
    return samples


def _sampled_leaf(samples: dict[str, FloatArray], start: int, stop: int):
    def leaf(path: str, value: Any, integer: bool) -> FloatArray:
        if path in samples:
            return samples[path][start:stop]
        return central_leaf(path, value, integer)

    return leaf


def _chunks(draws: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, draws, size):
        yield start, min(draws, start + size)


def monte_carlo(
    resolved: Resolved,
    places: Places,
    draws: int,
    seed: int,
    chunk: int = CHUNK_DRAWS,
    progress: bool = False,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Run `draws` Monte Carlo draws; return the summary (spec 7) and a per-draw headline table."""
    samples = draw_samples(resolved, draws, seed)
    world = world_of(resolved, places)
    years = list(resolved.years)
    columns: dict[str, list[FloatArray]] = {}
    offer_met: list[np.ndarray] = []
    bar = _progress(draws, progress)
    for start, stop in _chunks(draws, chunk):
        inputs = engine_inputs(resolved, places, _sampled_leaf(samples, start, stop))
        sim = simulate(world, broadcast_draws(inputs, stop - start))
        h = sim.headlines
        parts = {"npv": h.npv, "bcr": h.bcr, "payback_year": h.payback_year}
        parts |= {f"npv_{lever}": h.npv_by_lever[:, i] for i, lever in enumerate(LEVERS)}
        parts |= {f"npv_{agency}": h.npv_by_agency[:, i] for i, agency in enumerate(AGENCIES)}
        parts |= {f"net_{year}": h.net_by_year[:, i] for i, year in enumerate(years)}
        parts |= {f"cumulative_net_{year}": h.cumulative_net_by_year[:, i] for i, year in enumerate(years)}
        for key, values in parts.items():
            columns.setdefault(key, []).append(np.asarray(values, dtype=float))
        offer_met.append(sim.single_offer.target_met)
        if bar is not None:
            bar.update(stop - start)
    if bar is not None:
        bar.close()
    table = pd.DataFrame({key: np.concatenate(parts) for key, parts in columns.items()})
    table.insert(0, "draw", np.arange(1, draws + 1))
    met = np.concatenate(offer_met, axis=0)
    applies = simulate(world, engine_inputs(resolved, places)).single_offer.applies[0]
    return summarise(table, met, applies, places, years), table


def statistics(values: FloatArray) -> dict[str, float | None]:
    """mean, p5, p10, p50, p90, p95 of the finite values (None when there are none)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return {"mean": None, **{f"p{q}": None for q in PERCENTILES}}
    stats = {"mean": float(finite.mean())}
    stats |= {f"p{q}": float(v) for q, v in zip(PERCENTILES, np.percentile(finite, PERCENTILES), strict=True)}
    return stats


def summarise(
    table: pd.DataFrame, met: np.ndarray, applies: np.ndarray, places: Places, years: list[int]
) -> dict[str, Any]:
    """The Monte Carlo summary of spec 7 from per-draw headlines."""
    npv = table["npv"].to_numpy()
    summary: dict[str, Any] = {
        "draws": int(len(table)),
        "probability_npv_positive": float((npv > 0).mean()),
        "share_of_draws_with_payback": float(np.isfinite(table["payback_year"].to_numpy()).mean()),
    }
    for column in table.columns.drop("draw"):
        summary[column] = statistics(table[column].to_numpy())
    probability: dict[str, dict[str, float]] = {}
    for i, place in enumerate(places.ids):
        in_force = [t for t in range(len(years)) if applies[i, t]]
        if in_force:
            probability[place] = {str(years[t]): float(met[:, i, t].mean()) for t in in_force}
    summary["probability_target_met"] = probability
    return summary


def _progress(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="draws", unit="draw", leave=False)
