"""Monte Carlo over uncertain parameters (spec section 7).

Sampling. Every uncertain leaf (a number given as a distribution) draws from
its own generator, seeded from (seed, SHA-256 of its dotted path), so the same
scenario, draws and seed give identical numbers on any machine, and adding a
parameter does not reshuffle the others. Integer leaves are rounded.
Correlations declared in the scenario (`correlations: [{between: [PATH, PATH],
rank: r}]`) re-order those draws by the Iman-Conover method
(`core.correlation`), which keeps every parameter's own draws.

Engine. All draws are made first, for the whole run; the engine then runs
them in chunks of `CHUNK_DRAWS` (memory stays bounded) through
`core.engine.simulate_outcome`, where a parameter that is not uncertain keeps
a draw axis of length 1. Chunks can run in worker processes. Neither the
chunk size nor the number of workers changes any number: each draw's
arithmetic is the same whichever chunk it is in (tested).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.axes import AGENCIES, LEVERS, FloatArray
from ..core.correlation import EIGENVALUE_TOLERANCE, iman_conover, normal_correlation, smallest_eigenvalue
from ..core.engine import Headlines, Outcome, simulate_outcome
from ..core.sampling import sample
from ..data import Places
from ..engine_inputs import central_leaf, engine_inputs, round_half_up, world_of
from ..errors import InputError, Problem, fail
from ..execution import iter_tasks
from ..model import check_finite
from ..params import Resolved, is_distribution, leaves

#: The message of an analysis on draws given a scenario with nothing uncertain.
NO_UNCERTAIN = "no uncertain parameter: give at least one parameter a distribution"

if TYPE_CHECKING:
    import pandas as pd

CHUNK_DRAWS = 1000
PERCENTILES = (5, 10, 50, 90, 95)
#: Parameters outside the engine (the horizon cannot be uncertain; presentation is not part of the model).
NOT_SAMPLED = ("horizon.", "presentation.")


@dataclass(frozen=True)
class Uncertain:
    """One uncertain leaf: its dotted path, its distribution, and whether its draws are rounded."""

    path: str
    dist: Mapping[str, Any]
    integer: bool


def uncertain_leaves(resolved: Resolved) -> list[Uncertain]:
    """Every distribution the engine may use, in parameter order: the values for all places, then the
    single offer's freedoms, then each place's own values (spec 8: each a leaf of its own)."""
    found = []
    for path, spec in resolved.specs.items():
        if not spec.numeric or path.startswith(NOT_SAMPLED):
            continue
        for leaf_path, value in leaves(path, resolved.values[path]):
            if is_distribution(value):
                found.append(Uncertain(leaf_path, value, spec.type == "integer"))
    settings = [resolved.freedom_settings, *resolved.place_settings.values()]
    for by_path in settings:
        for path, layer in by_path.items():
            integer = resolved.specs[path].type == "integer"
            for setting in layer:
                for leaf_path, value in leaves(setting.leaf_id, setting.value):
                    if is_distribution(value):
                        found.append(Uncertain(leaf_path, value, integer))
    return list({leaf.path: leaf for leaf in found}.values())


def leaf_seed(seed: int, path: str) -> np.random.SeedSequence:
    """Seed sequence of one leaf: the run seed and a stable hash of the leaf's dotted path."""
    digest = int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "little")
    return np.random.SeedSequence([int(seed) & 0xFFFFFFFFFFFFFFFF, digest])


# ---------------------------------------------------------------- correlations


def correlation_matrix(resolved: Resolved, uncertain: Sequence[Uncertain]) -> tuple[list[str], FloatArray]:
    """The scenario's `correlations` as (paths, rank correlation matrix); ([], empty) when none.

    Raises `InputError` listing every problem: a malformed entry, a path that is
    not an uncertain parameter, a rank outside [-1, 1], a pair declared twice, or
    ranks that no set of variables can have together (the matrix is not
    positive semi-definite).
    """
    file = resolved.file
    known = {leaf.path for leaf in uncertain}
    problems: list[Problem] = []
    pairs: dict[tuple[str, str], float] = {}
    for i, entry in enumerate(resolved.correlations):
        where = f"correlations[{i}]"
        if not isinstance(entry, Mapping) or set(entry) != {"between", "rank"}:
            problems.append(Problem(file, where, "expected {between: [PATH, PATH], rank: r}"))
            continue
        between, rank = entry["between"], entry["rank"]
        if not (isinstance(between, list | tuple) and len(between) == 2 and all(isinstance(p, str) for p in between)):
            problems.append(Problem(file, f"{where}.between", f"{between!r} is not a list of two parameter paths"))
            continue
        bad = [_not_uncertain(path, resolved, known) for path in between]
        problems += [Problem(file, f"{where}.between", message) for message in bad if message]
        if between[0] == between[1]:
            problems.append(Problem(file, f"{where}.between", f"'{between[0]}' is paired with itself"))
        if isinstance(rank, bool) or not isinstance(rank, int | float) or not -1 <= rank <= 1:
            problems.append(Problem(file, f"{where}.rank", f"{rank!r} is not a rank correlation from -1 to 1"))
        if any(bad) or between[0] == between[1] or f"{where}.rank" in {p.path for p in problems}:
            continue
        key = tuple(sorted(between))
        if key in pairs:
            problems.append(Problem(file, where, f"the pair {key[0]}, {key[1]} is declared twice"))
        pairs[key] = float(rank)  # type: ignore[index]
    if problems:
        raise InputError(problems)
    if not pairs:
        return [], np.zeros((0, 0))
    order = [leaf.path for leaf in uncertain if any(leaf.path in key for key in pairs)]
    matrix = np.eye(len(order))
    for (a, b), rank in pairs.items():
        i, j = order.index(a), order.index(b)
        matrix[i, j] = matrix[j, i] = rank
    lowest = min(smallest_eigenvalue(matrix), smallest_eigenvalue(normal_correlation(matrix)))
    if lowest < -EIGENVALUE_TOLERANCE:
        raise InputError([Problem(file, "correlations", (
            f"impossible correlation matrix: the ranks declared between {', '.join(order)} cannot hold together "
            f"(the matrix is not positive semi-definite; smallest eigenvalue {lowest:.3g}); weaken some of them"
        ))])  # fmt: skip
    return order, matrix


def check_correlations(resolved: Resolved) -> None:
    """Check the scenario's `correlations` block (`correlation_matrix`), whether or not draws are made: a
    mistake there is refused even by a central run."""
    correlation_matrix(resolved, uncertain_leaves(resolved))


def _not_uncertain(path: str, resolved: Resolved, known: set[str]) -> str | None:
    if path in known:
        return None
    every_leaf = {leaf for p in resolved.specs for leaf, _ in leaves(p, resolved.values[p])}
    if path in every_leaf:
        return f"'{path}' is not uncertain: give it a distribution to correlate it"
    close = difflib.get_close_matches(path, sorted(known), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    choices = ", ".join(sorted(known)) or "none in this scenario"
    return f"no uncertain parameter '{path}'{hint}; uncertain parameters: {choices}"


def normal_scores(draws: int, columns: int, rng: np.random.Generator) -> FloatArray:
    """(draws, columns) van der Waerden scores Phi^-1(i / (draws + 1)), each column independently permuted."""
    from scipy.special import ndtri

    scores = ndtri(np.arange(1, draws + 1) / (draws + 1.0))
    return np.stack([rng.permutation(scores) for _ in range(columns)], axis=1)


def draw_samples(resolved: Resolved, draws: int, seed: int, only: set[str] | None = None) -> dict[str, FloatArray]:
    """Samples of every uncertain leaf (or of those in `only`, which holds every correlated one or none):
    (draws,) each, correlated as declared, integer leaves rounded."""
    uncertain = uncertain_leaves(resolved)
    paths, ranks = correlation_matrix(resolved, uncertain)
    uncertain = [leaf for leaf in uncertain if only is None or leaf.path in only]
    samples = {
        leaf.path: sample(leaf.dist, draws, np.random.default_rng(leaf_seed(seed, leaf.path))) for leaf in uncertain
    }
    if paths and draws > 2:
        rng = np.random.default_rng(leaf_seed(seed, "correlations:" + "|".join(paths)))
        reordered = iman_conover(
            np.stack([samples[p] for p in paths], axis=1), ranks, normal_scores(draws, len(paths), rng)
        )
        samples |= {path: reordered[:, j] for j, path in enumerate(paths)}
    integer = {leaf.path for leaf in uncertain if leaf.integer}
    return {path: round_half_up(values) if path in integer else values for path, values in samples.items()}


def streams(leaf: Uncertain, correlated: set[str]) -> bool:
    """True when a leaf's draws can be made a chunk at a time and be the numbers drawn all at once: every
    kind draws value by value from the leaf's own generator, except a normal truncated to bounds (whose
    out-of-bounds values are redrawn after the whole batch) and a leaf re-ordered by a declared
    correlation (across all draws)."""
    truncated = leaf.dist["dist"] == "normal" and ("low" in leaf.dist or "high" in leaf.dist)
    return not truncated and leaf.path not in correlated


def sample_chunks(resolved: Resolved, draws: int, seed: int, size: int) -> Iterator[dict[str, FloatArray]]:
    """The samples of `draw_samples`, chunk by chunk (`chunks(draws, size)`), with the same numbers; the
    leaves that `stream` are drawn one chunk at a time, so their memory is bounded by the chunk."""
    uncertain = uncertain_leaves(resolved)
    paths, _ = correlation_matrix(resolved, uncertain)
    correlated = set(paths) if draws > 2 else set()
    streamed = {leaf.path: leaf for leaf in uncertain if streams(leaf, correlated)}
    whole = draw_samples(resolved, draws, seed, only={leaf.path for leaf in uncertain} - set(streamed))
    generators = {path: np.random.default_rng(leaf_seed(seed, path)) for path in streamed}
    for start, stop in chunks(draws, size):
        out = {}
        for leaf in uncertain:
            if leaf.path in streamed:
                values = sample(leaf.dist, stop - start, generators[leaf.path])
                out[leaf.path] = round_half_up(values) if leaf.integer else values
            else:
                out[leaf.path] = whole[leaf.path][start:stop]
        yield out


# ---------------------------------------------------------------- the engine over draws


def evaluate(resolved: Resolved, places: Places, samples: Mapping[str, FloatArray], draws: int) -> Outcome:
    """Headlines and single offer of `draws` draws: each leaf in `samples` takes its (draws,) values,
    every other leaf its central value (not repeated per draw)."""

    def leaf(path: str, value: Any, integer: bool) -> FloatArray:
        return samples[path] if path in samples else central_leaf(path, value, integer)

    with np.errstate(all="ignore"):  # an overflow is reported by check_finite, as one message
        return simulate_outcome(world_of(resolved, places), engine_inputs(resolved, places, leaf), draws)


def headline_columns(headlines: Headlines, years: Sequence[int], places: Places) -> dict[str, FloatArray]:
    """Per-draw headline figures (spec 6) as named columns: npv, bcr, pv_receipts, payback_year,
    npv_<lever>, npv_<agency>, npv_place_<place>, net_<year>, cumulative_net_<year>,
    cashable_<year> [GBP m; bcr ratio]."""
    h = headlines
    columns = {"npv": h.npv, "bcr": h.bcr, "pv_receipts": h.pv_receipts, "payback_year": h.payback_year}
    columns |= {f"npv_{lever}": h.npv_by_lever[:, i] for i, lever in enumerate(LEVERS)}
    columns |= {f"npv_{agency}": h.npv_by_agency[:, i] for i, agency in enumerate(AGENCIES)}
    columns |= {f"npv_place_{place}": h.npv_by_place[:, i] for i, place in enumerate(places.ids)}
    columns |= {f"net_{year}": h.net_by_year[:, i] for i, year in enumerate(years)}
    columns |= {f"cumulative_net_{year}": h.cumulative_net_by_year[:, i] for i, year in enumerate(years)}
    columns |= {f"cashable_{year}": h.cashable_by_year[:, i] for i, year in enumerate(years)}
    return {key: np.asarray(values, dtype=float) for key, values in columns.items()}


def uncertain_samples(resolved: Resolved, draws: int, seed: int) -> dict[str, FloatArray]:
    """`draw_samples` of every uncertain leaf, or an `InputError` naming the scenario file when nothing is
    uncertain (an analysis on the draws needs at least one distribution)."""
    samples = draw_samples(resolved, draws, seed)
    if not samples:
        raise fail(resolved.file, "", NO_UNCERTAIN)
    return samples


def headline_of_samples(
    resolved: Resolved, places: Places, samples: Mapping[str, FloatArray], measure: str = "npv"
) -> FloatArray:
    """One per-draw headline column (`headline_columns`, e.g. npv [GBP m]) of `samples` (each leaf (n,)),
    run in the Monte Carlo's chunks, so each draw equals the same draw of `monte_carlo`."""
    n = len(next(iter(samples.values())))
    return np.concatenate([
        headline_columns(
            evaluate(resolved, places, {path: values[start:stop] for path, values in samples.items()}, stop - start)
            .headlines, list(resolved.years), places,
        )[measure]
        for start, stop in chunks(n, CHUNK_DRAWS)
    ])  # fmt: skip


def chunk_task(task: tuple[Resolved, Places, dict[str, FloatArray], int]) -> tuple[dict[str, FloatArray], np.ndarray]:
    """One chunk of draws (picklable, for worker processes): (headline columns, target met (draw, place, year))."""
    resolved, places, samples, draws = task
    outcome = evaluate(resolved, places, samples, draws)
    return headline_columns(outcome.headlines, list(resolved.years), places), np.array(outcome.single_offer.target_met)


def chunks(draws: int, size: int) -> Iterator[tuple[int, int]]:
    """(start, stop) of consecutive chunks of at most `size` draws."""
    for start in range(0, draws, max(1, size)):
        yield start, min(draws, start + size)


def monte_carlo(
    resolved: Resolved,
    places: Places,
    draws: int,
    seed: int,
    chunk: int = CHUNK_DRAWS,
    progress: bool = False,
    workers: int = 1,
    per_draw: bool = True,
) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """Run `draws` Monte Carlo draws; return the summary (spec 7) and a per-draw headline table (None
    unless `per_draw`).

    The table has one row per draw (draw = 1 .. draws; draw 0 is the central
    case, in the run's headlines) and the columns of `headline_columns`.
    workers > 1 runs chunks in that many processes (same numbers).

    Memory: the draws are made and run a chunk at a time (`sample_chunks`; with workers, a few chunks
    ahead of the one being collected), and whether each single-offer target is met is counted as the
    chunks come. The exact percentiles of the summary need every draw's headline figures: with
    `per_draw` they go into the table's (draws, column) array; without, into `DrawColumns`, a temporary
    file read back one column at a time, so memory holds a few chunks and one column (8 bytes a draw)
    rather than every column (about 0.5 KB a draw). Same numbers either way.
    """
    bounds = list(chunks(draws, chunk))
    samples = sample_chunks(resolved, draws, seed, chunk)
    tasks = ((resolved, places, part, stop - start) for part, (start, stop) in zip(samples, bounds, strict=True))
    weights = [stop - start for start, stop in bounds]
    store: DrawColumns | None = None
    met = np.zeros((0, 0), dtype=np.int64)
    parts = iter_tasks(chunk_task, tasks, workers=workers, progress=progress, unit="draw", weights=weights)
    try:
        for (start, _), (columns, target_met) in zip(bounds, parts, strict=True):
            check_finite(resolved, columns["npv"], "a Monte Carlo draw", first_draw=start + 1)
            if store is None:
                met = np.zeros(target_met.shape[1:], dtype=np.int64)
                in_memory = np.empty((draws, len(columns))) if per_draw else None
                store = DrawColumns(list(columns), draws, in_memory)
            store.put(start, columns)
            met += target_met.sum(axis=0)
        assert store is not None  # draws >= 1: at least one chunk
        applies = evaluate(resolved, places, {}, 1).single_offer.applies[0]
        summary = summarise(store, met / draws, applies, places, list(resolved.years))
    finally:
        if store is not None:
            store.close()
    if store.table is None:
        return summary, None
    import pandas as pd

    table = pd.DataFrame(store.table, columns=store.names, copy=False)
    table.insert(0, "draw", np.arange(1, draws + 1))
    return summary, table


#: Bytes of one stored figure (float64).
BYTES_PER_VALUE = 8


class DrawColumns(Mapping[str, FloatArray]):
    """Every draw's headline figures, one (draws,) column per name [GBP m; bcr ratio], filled chunk by
    chunk (`put`) and read back a column at a time (as a mapping).

    Held in `table` (a (draws, names) array) when one is given, else in an unnamed temporary file
    (removed by the system when it is closed, or when the process ends, even killed), column after
    column, so that reading a column costs 8 bytes a draw of memory whatever the number of columns.
    A disk too full for the file is an `InputError` naming --draws."""

    def __init__(self, names: list[str], draws: int, table: FloatArray | None = None) -> None:
        self.names, self.draws, self.table = names, draws, table
        self.file: Any = None
        if table is None:
            self.file = tempfile.TemporaryFile(prefix="tpmodel-draws-")  # noqa: SIM115 (closed by `close`)

    def put(self, start: int, columns: Mapping[str, FloatArray]) -> None:
        """Store draws start .. start + n of every column (each (n,))."""
        for j, name in enumerate(self.names):
            values = np.ascontiguousarray(columns[name], dtype=float)
            if self.table is not None:
                self.table[start : start + len(values), j] = values
            else:
                self._write(values.tobytes(), (j * self.draws + start) * BYTES_PER_VALUE)

    def __getitem__(self, name: str) -> FloatArray:
        j = self.names.index(name)
        if self.table is not None:
            return self.table[:, j]
        size, offset = self.draws * BYTES_PER_VALUE, j * self.draws * BYTES_PER_VALUE
        data = bytearray(size)
        view, done = memoryview(data), 0
        while done < size:  # a read may return less than asked
            done += os.preadv(self.file.fileno(), [view[done:]], offset + done)
        return np.frombuffer(data, dtype=float)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def _write(self, data: bytes, offset: int) -> None:
        view, done = memoryview(data), 0
        try:
            while done < len(data):
                done += os.pwrite(self.file.fileno(), view[done:], offset + done)
        except OSError as error:
            needed = self.draws * len(self.names) * BYTES_PER_VALUE / 2**20
            raise fail("--draws", str(self.draws), (
                f"cannot hold the draws' figures in a temporary file in {tempfile.gettempdir()} "
                f"({error.strerror or error}; it needs {needed:,.0f} MiB): "
                "free some space there, set TMPDIR to a folder with room, or ask for fewer draws"
            )) from None  # fmt: skip

    def close(self) -> None:
        """Remove the temporary file, if any."""
        if self.file is not None:
            self.file.close()


# ---------------------------------------------------------------- summary


def statistics(values: FloatArray) -> dict[str, float | None]:
    """mean, p5, p10, p50, p90, p95 of the finite values (None when there are none)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return {"mean": None, **{f"p{q}": None for q in PERCENTILES}}
    stats = {"mean": float(finite.mean())}
    stats |= {f"p{q}": float(v) for q, v in zip(PERCENTILES, np.percentile(finite, PERCENTILES), strict=True)}
    return stats


def summarise(
    columns: Mapping[str, FloatArray], met: np.ndarray, applies: np.ndarray, places: Places, years: list[int]
) -> dict[str, Any]:
    """The Monte Carlo summary of spec 7 from per-draw headline columns: statistics of every column,
    P(npv > 0), the share of draws that pay back, and P(target met) by single-offer place and year
    (`met`: the share of draws meeting it, (place, year))."""
    npv = columns["npv"]
    summary: dict[str, Any] = {
        "draws": len(npv),
        "probability_npv_positive": float((npv > 0).mean()),
        "share_of_draws_with_payback": float(np.isfinite(columns["payback_year"]).mean()),
    }
    for column, values in columns.items():
        summary[column] = statistics(values)
    probability: dict[str, dict[str, float]] = {}
    for i, place in enumerate(places.ids):
        in_force = [t for t in range(len(years)) if applies[i, t]]
        if in_force:
            probability[place] = {str(years[t]): float(met[i, t]) for t in in_force}
    summary["probability_target_met"] = probability
    return summary


def summary_columns(monte_carlo: Mapping[str, Any] | None) -> dict[str, float | None]:
    """A Monte Carlo summary flattened to one row: probability_npv_positive, share_of_draws_with_payback,
    <column>_<statistic> for every headline column and probability_target_met_<place>_<year> (empty without
    draws)."""
    if not monte_carlo:
        return {}
    row: dict[str, float | None] = {
        "probability_npv_positive": monte_carlo["probability_npv_positive"],
        "share_of_draws_with_payback": monte_carlo["share_of_draws_with_payback"],
    }
    for key, stats in monte_carlo.items():
        if isinstance(stats, Mapping) and "mean" in stats:
            row |= {f"{key}_{name}": value for name, value in stats.items()}
    for place, by_year in monte_carlo.get("probability_target_met", {}).items():
        row |= {f"probability_target_met_{place}_{year}": value for year, value in by_year.items()}
    return row
