"""Monte Carlo (spec 7): reproducible whatever the chunks or workers, draw 0 = the central case,
integer parameters rounded, correlations, and the summary."""

from __future__ import annotations

import errno
import json
import os
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import tpmodel
from tpmodel.analyses.uncertainty import (
    DrawColumns,
    correlation_matrix,
    draw_samples,
    evaluate,
    monte_carlo,
    sample_chunks,
    summary_columns,
    uncertain_leaves,
)
from tpmodel.cli import main
from tpmodel.errors import InputError
from tpmodel.model import load_run_inputs, run_central


def scenario_file(tmp_path: Path, text: str, name: str = "test") -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def standard():
    return load_run_inputs("standard")


def test_same_seed_same_numbers_different_seed_different(standard):
    resolved, places = standard
    first = monte_carlo(resolved, places, 300, 11)[1]
    assert first.equals(monte_carlo(resolved, places, 300, 11)[1])
    assert not np.array_equal(first["npv"], monte_carlo(resolved, places, 300, 12)[1]["npv"])


def test_chunk_size_does_not_change_any_number(standard):
    resolved, places = standard
    whole = monte_carlo(resolved, places, 500, 3, chunk=500)
    for chunk in (1, 7, 128):
        summary, table = monte_carlo(resolved, places, 500, 3, chunk=chunk)
        assert table.equals(whole[1]), chunk
        assert summary == whole[0]


def test_worker_processes_do_not_change_any_number(standard):
    resolved, places = standard
    alone = monte_carlo(resolved, places, 400, 5, chunk=100)[1]
    assert monte_carlo(resolved, places, 400, 5, chunk=100, workers=2)[1].equals(alone)


def test_zero_draws_is_the_central_case():
    """run(draws=0) has no Monte Carlo and its headlines are the central case of a Monte Carlo run."""
    central = tpmodel.run("standard")
    assert central.monte_carlo is None and central.draw_table is None
    assert tpmodel.run("standard", draws=50, seed=1).headlines == central.headlines


def test_every_draw_at_the_central_values_gives_the_central_case(standard):
    """The Monte Carlo path (parameters varying by draw) and the central path agree exactly."""
    resolved, places = standard
    central = {leaf.path: leaf for leaf in uncertain_leaves(resolved)}
    from tpmodel.model import central_leaf

    samples = {path: np.repeat(central_leaf(path, leaf.dist, leaf.integer), 9) for path, leaf in central.items()}
    outcome = evaluate(resolved, places, samples, 9)
    expected = run_central(resolved, places).outcome.headlines
    assert np.all(outcome.headlines.npv == expected.npv[0])
    assert np.all(outcome.headlines.npv_by_place == expected.npv_by_place[0])
    assert np.all(outcome.headlines.cumulative_net_by_year == expected.cumulative_net_by_year[0])


def test_draws_vary_and_summary_matches_the_draws_table(standard):
    resolved, places = standard
    summary, table = monte_carlo(resolved, places, 2000, 9)
    npv = table["npv"].to_numpy()
    assert table["draw"].tolist() == list(range(1, 2001))
    assert npv.std() > 10  # uncertain parameters do move npv
    assert summary["npv"]["mean"] == pytest.approx(npv.mean(), rel=1e-12)
    assert summary["npv"]["p5"] == pytest.approx(np.percentile(npv, 5), rel=1e-12)
    assert summary["npv"]["p5"] < summary["npv"]["p50"] < summary["npv"]["p95"]
    assert summary["probability_npv_positive"] == pytest.approx((npv > 0).mean())
    lever_sum = table[
        [f"npv_{lever}" for lever in ("shared_services", "procurement", "pooling", "assets", "reporting")]
    ]
    assert np.allclose(lever_sum.sum(axis=1), npv, rtol=1e-12, atol=1e-9)
    places_sum = table[[c for c in table.columns if c.startswith("npv_place_")]].sum(axis=1)
    assert np.allclose(places_sum, npv, rtol=1e-12, atol=1e-9)
    row = summary_columns(summary)
    assert row["npv_p95"] == summary["npv"]["p95"] and "bcr_mean" in row


def test_probability_target_met_by_single_offer_place_and_year():
    target = "single_offer.target_rate={dist: uniform, low: 0.0, high: 0.02}"  # some draws meet it, some do not
    result = tpmodel.run("single_offer", draws=400, seed=2, sets=[target])
    met = result.monte_carlo["probability_target_met"]
    assert sorted(met) == ["kent", "manchester", "worcestershire"]
    assert sorted(met["kent"]) == ["2011", "2012", "2013", "2014"]
    assert all(0.0 <= p <= 1.0 for by_year in met.values() for p in by_year.values())
    assert len({p for by_year in met.values() for p in by_year.values()}) > 1
    assert tpmodel.run("standard", draws=50).monte_carlo["probability_target_met"] == {}


def test_each_parameter_draws_its_own_distribution(tmp_path):
    """The sampled parameter follows its distribution (mean of a uniform) and integers are rounded."""
    path = scenario_file(tmp_path, """
name: test
extends: standard
set:
  pooling.return_rate: {dist: uniform, low: 1.0, high: 3.0}
  shared_services.start_year: {dist: triangular, low: 2010, mode: 2011, high: 2014}
  pooling.lag_years: {dist: pert, low: 0, mode: 1, high: 3}
""")  # fmt: skip
    resolved, _ = load_run_inputs(path)
    samples = draw_samples(resolved, 20000, 4)
    assert samples["pooling.return_rate"].mean() == pytest.approx(2.0, abs=0.02)
    for integer in ("shared_services.start_year", "pooling.lag_years"):
        values = samples[integer]
        assert np.array_equal(values, np.rint(values)), integer
    assert set(np.unique(samples["shared_services.start_year"])) == {2010, 2011, 2012, 2013, 2014}
    assert samples["shared_services.start_year"].mean() == pytest.approx((2010 + 2011 + 2014) / 3, abs=0.05)


def test_adding_a_parameter_does_not_reshuffle_the_others(tmp_path):
    resolved, _ = load_run_inputs("standard")
    more, _ = load_run_inputs("standard", overrides={"pooling.drop_off": {"dist": "uniform", "low": 0, "high": 0.5}})
    a, b = draw_samples(resolved, 100, 8), draw_samples(more, 100, 8)
    assert set(b) - set(a) == {"pooling.drop_off"}
    assert all(np.array_equal(a[path], b[path]) for path in a)


CORRELATED = """
name: correlated
extends: standard
correlations:
  - {between: [shared_services.max_rate, shared_services.cost_rate], rank: 0.8}
  - {between: [assets.max_rate, assets.receipts_multiple], rank: -0.5}
"""


def test_declared_rank_correlations_are_achieved_and_marginals_kept(tmp_path):
    resolved, _ = load_run_inputs(scenario_file(tmp_path, CORRELATED))
    independent, _ = load_run_inputs("standard")
    samples = draw_samples(resolved, 5000, 21)
    alone = draw_samples(independent, 5000, 21)
    spearman = stats.spearmanr(samples["shared_services.max_rate"], samples["shared_services.cost_rate"]).statistic
    assert spearman == pytest.approx(0.8, abs=0.03)
    negative = stats.spearmanr(samples["assets.max_rate"], samples["assets.receipts_multiple"]).statistic
    assert negative == pytest.approx(-0.5, abs=0.03)
    other = stats.spearmanr(samples["shared_services.max_rate"], samples["assets.max_rate"]).statistic
    assert abs(other) < 0.05
    for path, values in samples.items():
        assert np.array_equal(np.sort(values), np.sort(alone[path])), path  # same draws, re-ordered
    assert np.array_equal(samples["pooling.return_rate"], alone["pooling.return_rate"])  # not correlated: untouched


EVERY_KIND = (
    CORRELATED
    + """set:
  pooling.return_rate: {dist: normal, mean: 1.5, sd: 0.8, low: 0.5, high: 3.0}
  pooling.duplication_rate: {dist: uniform, low: 0.0, high: 0.02}
  appraisal.shared_services.cost_optimism_bias: {dist: lognormal, median: 0.5, sigma: 0.4}
  pooling.lag_years: {dist: triangular, low: 0, mode: 1, high: 3}
"""
)


@pytest.mark.parametrize("size", [1, 333, 1000, 2500])
def test_draws_made_chunk_by_chunk_are_the_draws_made_at_once(tmp_path, size):
    """Monte Carlo makes its draws a chunk at a time (memory bounded by the chunk) with the same numbers
    as all at once: every kind of distribution, an integer leaf (lag_years), a truncated normal (drawn whole) and
    correlated leaves (re-ordered across all draws)."""
    resolved, _ = load_run_inputs(scenario_file(tmp_path, EVERY_KIND))
    kinds = {leaf.dist["dist"] for leaf in uncertain_leaves(resolved)}
    assert kinds == {"pert", "normal", "uniform", "lognormal", "triangular"} and resolved.correlations
    whole = draw_samples(resolved, 2500, 13)
    parts = list(sample_chunks(resolved, 2500, 13, size))
    assert len(parts) == -(-2500 // size)
    for path, values in whole.items():
        assert np.array_equal(np.concatenate([part[path] for part in parts]), values), path


def test_the_summary_does_not_need_the_per_draw_table(standard):
    resolved, places = standard
    summary, table = monte_carlo(resolved, places, 700, 4, chunk=300)
    alone, none = monte_carlo(resolved, places, 700, 4, chunk=300, per_draw=False)
    assert none is None and alone == summary and len(table) == 700


def test_the_summary_without_the_table_is_the_same_in_worker_processes(standard):
    resolved, places = standard
    alone = monte_carlo(resolved, places, 900, 6, chunk=200, per_draw=False)[0]
    assert monte_carlo(resolved, places, 900, 6, chunk=200, workers=2, per_draw=False)[0] == alone


def test_without_the_table_memory_does_not_grow_with_the_draws(standard):
    """Issue 11: held in memory, the draws' headline figures grow by 0.47 KB a draw (6,000 draws: 2.7 MiB);
    in the temporary file, reading one column at a time, memory is that of the chunk whatever the draws."""
    resolved, places = standard
    monte_carlo(resolved, places, 10, 1)  # imports and caches first

    def peak(draws: int, per_draw: bool) -> float:
        tracemalloc.start()
        try:
            monte_carlo(resolved, places, draws, 1, chunk=500, per_draw=per_draw)
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    assert peak(7000, True) - peak(1000, True) > 2.0  # the measure sees the table
    assert peak(7000, False) - peak(1000, False) < 0.5


def test_draw_columns_in_a_file_read_back_what_was_put_in_any_order():
    rng = np.random.default_rng(3)
    names, draws = ["npv", "bcr", "net_2012"], 2500
    columns = {name: rng.normal(size=draws) for name in names}
    columns["bcr"][7] = np.nan
    in_file, in_table = DrawColumns(names, draws), DrawColumns(names, draws, np.empty((draws, len(names))))
    for start in (2000, 0, 1000):  # chunks as workers might finish them
        for store in (in_file, in_table):
            store.put(start, {name: values[start : start + 1000] for name, values in columns.items()})
    assert list(in_file) == names and len(in_file) == 3
    for name in names:
        np.testing.assert_array_equal(in_file[name], columns[name])
        np.testing.assert_array_equal(in_table[name], columns[name])
    descriptor = in_file.file.fileno()
    in_file.close()
    with pytest.raises(OSError):
        os.fstat(descriptor)


def test_a_full_disk_for_the_draws_is_one_clear_message(standard, monkeypatch):
    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "pwrite", full)
    resolved, places = standard
    with pytest.raises(InputError) as raised:
        monte_carlo(resolved, places, 300, 1, chunk=100, per_draw=False)
    message = str(raised.value)
    assert "--draws" in message and "No space left on device" in message and "TMPDIR" in message


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ("- {between: [shared_services.max_rate, assets.max_rate], rank: 0.9}\n"
         "  - {between: [shared_services.max_rate, pooling.return_rate], rank: 0.9}\n"
         "  - {between: [assets.max_rate, pooling.return_rate], rank: -0.9}",
         "impossible correlation matrix"),
        ("- {between: [shared_services.max_rte, assets.max_rate], rank: 0.5}",
         "no uncertain parameter 'shared_services.max_rte' (did you mean 'shared_services.max_rate'?)"),
        ("- {between: [procurement.reference_volume, assets.max_rate], rank: 0.5}",
         "'procurement.reference_volume' is not uncertain"),
        ("- {between: [shared_services.max_rate, assets.max_rate], rank: 1.5}", "1.5 is not a rank correlation"),
        ("- {between: [assets.max_rate, assets.max_rate], rank: 0.5}", "paired with itself"),
        ("- {between: [assets.max_rate], rank: 0.5}", "is not a list of two parameter paths"),
    ],
    ids=["impossible", "unknown path", "not uncertain", "rank above 1", "self", "one path"],
)  # fmt: skip
def test_bad_correlations_are_one_clear_message(tmp_path, capsys, entries, expected):
    path = scenario_file(tmp_path, f"name: bad\nextends: standard\ncorrelations:\n  {entries}\n")
    resolved, _ = load_run_inputs(path)
    with pytest.raises(InputError) as error:
        correlation_matrix(resolved, uncertain_leaves(resolved))
    assert expected in error.value.render()
    assert path in error.value.render()
    out = tmp_path / "out"
    assert main(["run", path, "--out", str(out), "--draws", "10"]) == 2
    assert expected in capsys.readouterr().err
    assert not out.exists()


def test_run_folder_has_the_draws_and_the_summary(tmp_path):
    out = tmp_path / "mc"
    assert main(["run", "single_offer", "--out", str(out), "--draws", "200", "--seed", "4", "--quiet"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    mc = summary["monte_carlo"]
    assert mc["draws"] == 200 and set(mc["npv"]) == {"mean", "p5", "p10", "p50", "p90", "p95"}
    assert summary["provenance"]["seed"] == 4 and summary["provenance"]["draws"] == 200
    draws = (out / "draws.csv").read_text().splitlines()
    assert len(draws) == 201 and draws[0].startswith("draw,npv,bcr,pv_receipts,payback_year,npv_shared_services")


def test_no_draws_file_writes_the_same_summary_without_draws_csv(tmp_path):
    with_file, without = tmp_path / "with", tmp_path / "without"
    assert main(["run", "standard", "--out", str(with_file), "--draws", "300", "--quiet"]) == 0
    assert main(["run", "standard", "--out", str(without), "--draws", "300", "--no-draws-file", "--quiet"]) == 0
    assert not (without / "draws.csv").exists() and (with_file / "draws.csv").exists()
    summaries = [json.loads((out / "summary.json").read_text()) for out in (with_file, without)]
    assert summaries[0]["monte_carlo"] == summaries[1]["monte_carlo"]


def test_progress_bar_is_off_unless_asked_and_does_not_change_numbers(standard):
    from tpmodel.execution import progress_bar

    assert progress_bar(10, False, "draw") is None
    bar = progress_bar(10, True, "draw")
    assert bar is not None and bar.total == 10
    bar.close()
    resolved, places = standard
    quiet = monte_carlo(resolved, places, 300, 2, chunk=50)[1]
    assert monte_carlo(resolved, places, 300, 2, chunk=50, progress=True)[1].equals(quiet)


def test_the_command_line_shows_no_progress_bar_off_a_terminal(tmp_path, capsys, monkeypatch):
    """A run with draws that completes, its standard error not a terminal: nothing on standard error. The
    same arguments on a terminal would ask for a bar (so the first check is not empty by construction)."""
    import argparse

    from tpmodel.commands.common import show_progress

    assert main(["run", "standard", "--out", str(tmp_path / "mc"), "--draws", "300", "--seed", "2"]) == 0
    assert (tmp_path / "mc" / "draws.csv").is_file() and capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert show_progress(argparse.Namespace(quiet=False)) and not show_progress(argparse.Namespace(quiet=True))
