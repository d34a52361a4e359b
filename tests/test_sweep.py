"""`tpmodel sweep` (spec 11): the grid, sweep.csv, the same numbers whatever the engine or workers,
dask and papermill, and bad input (one message, exit 2, nothing written)."""

from __future__ import annotations

import importlib
import json
import time
from pathlib import Path

import pandas as pd
import pytest

import tpmodel
from tpmodel.analyses.sweep import BLOCK_POINTS, SAMPLED_BLOCK_POINTS, grid, parse_vary
from tpmodel.cli import main
from tpmodel.errors import InputError
from tpmodel.folders import sweep

RATE = "shared_services.max_rate"
sweep_module = importlib.import_module("tpmodel.analyses.sweep")
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "scenario.ipynb"


def test_parse_vary():
    assert parse_vary(f"{RATE}=0.1:0.3:3").values == pytest.approx((0.1, 0.2, 0.3))
    assert parse_vary(f"{RATE}=0.25:0.25:1").values == (0.25,)
    assert parse_vary(f"{RATE}=0.1:0.9:9").values[2] == 0.3  # not 0.30000000000000004
    assert parse_vary("procurement.consortium=place,all").values == ("place", "all")
    assert parse_vary("pooling.lag_years=0,1, 2").values == (0, 1, 2)
    for bad in (RATE, f"{RATE}=0:1:x", f"{RATE}=0:1:0", "=1,2"):
        with pytest.raises(InputError):
            parse_vary(bad)


def test_grid_is_the_full_product_first_axis_slowest():
    varied = [parse_vary("a=1,2"), parse_vary("b=x,y,z")]
    assert grid(varied) == [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 1, "b": "z"},
                          {"a": 2, "b": "x"}, {"a": 2, "b": "y"}, {"a": 2, "b": "z"}]  # fmt: skip


def test_sweep_table_is_the_varied_values_then_each_points_headlines():
    result = sweep("standard", [f"{RATE}=0.1:0.3:3", "procurement.consortium=place,all", "pooling.lag_years=0,2"])
    table = result.table
    assert len(table) == 12
    assert list(table.columns[:5]) == [RATE, "procurement.consortium", "pooling.lag_years", "npv", "bcr"]
    assert "npv_place_kent" in table.columns and "cumulative_net_2014" in table.columns
    for _, row in table.iterrows():  # each point is exactly the central case of the scenario with its values
        overrides = {RATE: row[RATE], "procurement.consortium": row["procurement.consortium"],
                     "pooling.lag_years": int(row["pooling.lag_years"])}  # fmt: skip
        headlines = tpmodel.run("standard", overrides=overrides).headlines
        assert row["npv"] == headlines["npv"]
        assert row["net_2013"] == headlines["net_by_year"]["2013"]
        assert row["npv_place_kent"] == headlines["npv_by_place"]["kent"]
    assert table["npv"].nunique() == 12


def test_workers_give_the_same_sweep_csv(tmp_path):
    vary = [f"{RATE}=0.05:0.35:{BLOCK_POINTS + 6}", "procurement.consortium=place,all"]
    sweep("standard", vary, out=tmp_path / "one")
    sweep("standard", vary, workers=2, out=tmp_path / "two")
    assert (tmp_path / "one" / "sweep.csv").read_bytes() == (tmp_path / "two" / "sweep.csv").read_bytes()
    assert len(pd.read_csv(tmp_path / "one" / "sweep.csv")) == 2 * (BLOCK_POINTS + 6)


def test_points_run_as_draws_of_one_engine_call_equal_each_central_case(tmp_path, monkeypatch):
    """Varied numbers of the engine (an uncertain one, an agency's entry, a whole number) run as draws of one
    engine call; each point is exactly the central case with its values, across two blocks and 2 workers."""
    vary = [f"{RATE}=0.1:0.3:{SAMPLED_BLOCK_POINTS // 4 + 1}", "pooling.participation.nhs=0.01,0.2",
            "assets.ramp_years=1,3"]  # fmt: skip
    calls = []
    real = sweep_module.sampled_block
    monkeypatch.setattr(sweep_module, "sampled_block", lambda task: calls.append(len(task[2])) or real(task))
    table = sweep("standard", vary).table
    assert calls == [SAMPLED_BLOCK_POINTS, 4]  # 1,004 points in two blocks, none through override
    for i in (0, 1, 2, 3, 517, len(table) - 1):
        row = table.iloc[i]
        overrides = {RATE: row[RATE], "pooling.participation.nhs": row["pooling.participation.nhs"],
                     "assets.ramp_years": int(row["assets.ramp_years"])}  # fmt: skip
        headlines = tpmodel.run("standard", overrides=overrides).headlines
        assert (row["npv"], row["bcr"], row["net_2013"]) == (
            headlines["npv"], headlines["bcr"], headlines["net_by_year"]["2013"])  # fmt: skip
        assert row["npv_place_kent"] == headlines["npv_by_place"]["kent"]
    monkeypatch.undo()
    sweep("standard", vary, out=tmp_path / "one")
    sweep("standard", vary, workers=2, out=tmp_path / "two")
    assert (tmp_path / "one" / "sweep.csv").read_bytes() == (tmp_path / "two" / "sweep.csv").read_bytes()


@pytest.mark.parametrize("thread", [False, True], ids=["forked workers", "forkserver workers"])
def test_a_plain_script_without_a_main_guard_can_use_workers(tmp_path, thread):
    """Worker processes do not re-run the caller's script (no `if __name__ == "__main__":` needed), whether
    they are forked or, because the script runs a thread of its own, started by a fork server."""
    import subprocess
    import sys

    script = tmp_path / "plain.py"
    script.write_text(
        "import threading, time, tpmodel\n"
        + ("threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n" if thread else "")
        + "from tpmodel.execution import start_method\n"
        "print('body', start_method())\n"
        f"result = tpmodel.sweep('standard', ['{RATE}=0.1:0.3:{2 * BLOCK_POINTS}', 'procurement.consortium=place,all'],"
        " workers=2)\n"
        "print(len(result.table))\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    assert done.returncode == 0, done.stderr
    method = "forkserver" if thread else "fork"
    assert done.stdout.split() == ["body", method, str(4 * BLOCK_POINTS)]  # the body ran once, in this process


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        (["pooling.benefit_share.council=0", "pooling.benefit_share.nhs=0"], "at least one agency"),
        (["single_offer.start_year=2011,2013", "single_offer.end_year=2012"], "single_offer.end_year: 2012 is below"),
    ],
)
def test_values_checked_together_are_checked_at_each_point(tmp_path, vary, message):
    """Each value is allowed alone; together (one parameter varied twice, or a bound naming the other) not."""
    scenario = tmp_path / "offer.yaml"
    scenario.write_text("name: offer\nextends: standard\nset:\n  single_offer.places: [kent]\n"
                        "  pooling.benefit_share: {council: 0.5, nhs: 0.5, police: 0, fire: 0, jobcentre: 0, other: 0}\n")  # fmt: skip
    with pytest.raises(InputError, match=message):
        sweep(str(scenario), vary, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_sweep_with_draws_runs_a_monte_carlo_per_point_with_the_same_seed(tmp_path):
    vary = ["pooling.return_rate=1.5,2.5"]
    table = sweep("standard", vary, draws=100, seed=5, out=tmp_path / "mc").table
    assert {"npv_mean", "npv_p5", "npv_p95", "probability_npv_positive"} <= set(table.columns)
    direct = tpmodel.run("standard", draws=100, seed=5, overrides={"pooling.return_rate": 2.5})
    assert table.loc[1, "npv_p5"] == direct.monte_carlo["npv"]["p5"]
    assert table.loc[1, "npv"] == direct.headlines["npv"]
    again = sweep("standard", vary, draws=100, seed=5, workers=2).table
    assert again.equals(table)


def test_folder_files_and_provenance(tmp_path):
    out = tmp_path / "sweep"
    code = main(["sweep", "standard", "--vary", f"{RATE}=0.1:0.3:5", "--out", str(out), "--seed", "9"])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "sweep.csv", "sweep.png", "sweep.svg"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["varied"] == {RATE: pytest.approx([0.1, 0.15, 0.2, 0.25, 0.3])}
    assert summary["points"] == 5 and summary["engine"] == "python"
    provenance = summary["provenance"]
    assert provenance["tpmodel_version"] == tpmodel.__version__ and provenance["seed"] == 9
    assert provenance["parameters"]["appraisal"]["discount_rate"] == 0.035 and provenance["run_time"]


@pytest.mark.parametrize(
    ("vary", "expected"),
    [
        ("shared_services.max_rte=0.1:0.3:3", "no parameter 'max_rte' in 'shared_services' (did you mean 'max_rate'?)"),
        (f"{RATE}=0.5:1.5:3", "above the maximum"),
        ("procurement.consortium=place,regional", "'regional' is not allowed"),
        (f"{RATE}=0.1:0.3", "expected PATH=START:STOP:N"),
    ],
    ids=["unknown path", "above bounds", "unknown choice", "malformed"],
)
def test_bad_vary_is_one_message_exit_2_nothing_written(tmp_path, capsys, vary, expected):
    out = tmp_path / "bad"
    assert main(["sweep", "standard", "--vary", vary, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("tpmodel: error") == 1
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_grid_over_100000_points_needs_yes(tmp_path, capsys):
    out = tmp_path / "big"
    vary = ["--vary", f"{RATE}=0.1:0.3:1000", "--vary", "procurement.compliance=0:1:101"]
    assert main(["sweep", "standard", *vary, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "101,000 points" in err and "--yes" in err
    assert not out.exists()


def test_unknown_engine_and_unreachable_scheduler(tmp_path, capsys):
    out = tmp_path / "x"
    assert main(["sweep", "standard", "--vary", f"{RATE}=0.1,0.2", "--via", "spark", "--out", str(out)]) == 2
    assert "unknown engine" in capsys.readouterr().err
    started = time.monotonic()
    code = main(
        ["sweep", "standard", "--vary", f"{RATE}=0.1,0.2", "--scheduler", "tcp://127.0.0.1:1", "--out", str(out)]
    )
    assert code == 2 and time.monotonic() - started < 20
    err = capsys.readouterr().err
    assert "tcp://127.0.0.1:1: cannot reach a dask scheduler" in err
    assert not out.exists()


def test_an_interrupted_sweep_leaves_nothing(tmp_path, monkeypatch):
    calls = []
    real = sweep_module.sampled_block  # one varied number: the points run as draws of one engine call

    def interrupted(task):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(sweep_module, "sampled_block", interrupted)
    out = tmp_path / "half"
    with pytest.raises(KeyboardInterrupt):
        sweep("standard", [f"{RATE}=0.1:0.3:{3 * SAMPLED_BLOCK_POINTS}"], out=out)
    assert len(calls) == 2
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a partial one


def test_a_combination_rejected_point_is_reported_and_nothing_written(tmp_path):
    """Each value is allowed on its own, but a first year of 2011 with procurement starting in 2010 is not."""
    scenario = tmp_path / "late.yaml"
    scenario.write_text("name: late\nextends: standard\nset:\n  procurement.start_year: 2011\n")
    out = tmp_path / "combo"
    vary = ["horizon.first_year=2010,2011", "procurement.start_year=2010,2011"]
    with pytest.raises(InputError, match=r"procurement.start_year: 2010 is below the minimum"):
        sweep(str(scenario), vary, out=out)
    assert not out.exists()


@pytest.mark.slow
def test_dask_scheduler_gives_the_same_sweep_csv(tmp_path):
    from distributed import LocalCluster

    vary = [f"{RATE}=0.05:0.35:{2 * BLOCK_POINTS + 3}"]
    sweep("standard", vary, out=tmp_path / "here")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code = main(["sweep", "standard", "--vary", vary[0], "--scheduler", cluster.scheduler_address,
                     "--out", str(tmp_path / "dask"), "--quiet"])  # fmt: skip
    assert code == 0
    assert (tmp_path / "here" / "sweep.csv").read_bytes() == (tmp_path / "dask" / "sweep.csv").read_bytes()
    assert json.loads((tmp_path / "dask" / "summary.json").read_text())["scheduler"] == cluster.scheduler_address


@pytest.mark.slow
@pytest.mark.skipif(not NOTEBOOK.is_file(), reason="notebooks/scenario.ipynb is not there")
def test_papermill_engine_gives_the_same_sweep_csv_and_keeps_the_notebooks(tmp_path):
    vary = ["appraisal.discount_rate=0.015,0.035"]
    sweep("standard", vary, draws=20, seed=3, out=tmp_path / "python")
    result = sweep("standard", vary, draws=20, seed=3, via="papermill", workers=2, out=tmp_path / "papermill")
    assert (tmp_path / "python" / "sweep.csv").read_bytes() == (tmp_path / "papermill" / "sweep.csv").read_bytes()
    names = sorted(p.name for p in (tmp_path / "papermill" / "notebooks").iterdir())
    assert names == ["point_000001.ipynb", "point_000002.ipynb"]
    assert result.notebooks == [tmp_path / "papermill" / "notebooks" / name for name in names]
    executed = json.loads((tmp_path / "papermill" / "notebooks" / names[0]).read_text())
    injected = [c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert "appraisal.discount_rate" in "".join(injected[0]["source"])
