"""`tpmodel compare` (spec 11): the folder, comparison.csv, the workbook read back, charts, bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import tpmodel
from tpmodel.cli import main
from tpmodel.folders import compare
from tpmodel.labels import label
from tpmodel.params import scenario_names

from .conftest import PARAMS


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("compare") / "comparison"
    comparison = compare(["standard", "cautious", "single_offer"], draws=300, seed=3, out=out, workers=2)
    return out, comparison


def test_folder_has_a_run_per_scenario_and_the_comparison_files(written):
    out, _ = written
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "assurance.md", "cautious", "charts", "comparison.csv", "comparison.xlsx", "single_offer", "standard",
        "summary.json",
    ])  # fmt: skip
    for name in ("standard", "cautious", "single_offer"):
        assert sorted(p.name for p in (out / name).iterdir()) == [
            "baseline.csv", "draws.csv", "results.csv", "summary.json",
        ]  # fmt: skip
    run_summary = json.loads((out / "standard" / "summary.json").read_text())
    assert run_summary["headlines"]["npv"] == tpmodel.run("standard").headlines["npv"]


def test_comparison_csv_has_headlines_and_monte_carlo_summary(written):
    out, comparison = written
    table = pd.read_csv(out / "comparison.csv")
    assert list(table["scenario"]) == ["standard", "cautious", "single_offer"]
    assert list(table.columns[:6]) == ["scenario", "description", "npv", "bcr", "pv_receipts", "payback_year"]
    for column in ("npv_shared_services", "npv_council", "npv_place_kent", "net_2010", "cumulative_net_2014",
                   "npv_mean", "npv_p5", "npv_p10", "npv_p50", "npv_p90", "npv_p95", "bcr_p50",
                   "probability_npv_positive", "probability_target_met_kent_2012"):  # fmt: skip
        assert column in table.columns, column
    for result, (_, row) in zip(comparison.runs, table.iterrows(), strict=True):
        assert row["npv"] == result.headlines["npv"]
        assert row["npv_p95"] == result.monte_carlo["npv"]["p95"]
    assert math.isnan(table.loc[0, "probability_target_met_kent_2012"])  # standard has no single offer
    assert table.loc[2, "npv_p5"] < table.loc[2, "npv"] < table.loc[2, "npv_p95"]


def test_charts_png_and_svg(written):
    out, _ = written
    stems = ["npv_by_lever", "cumulative_net_by_year", "npv_by_agency", "npv_ranges", "single_offer_split"]
    assert sorted(p.name for p in (out / "charts").iterdir()) == sorted(
        f"{s}.{k}" for s in stems for k in ("png", "svg")
    )
    for stem in stems:
        assert (out / "charts" / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        svg = (out / "charts" / f"{stem}.svg").read_text()
        assert "<svg" in svg and "GBP m, 2010-11 prices" in svg


def test_chart_tables_show_capital_receipts_apart(written):
    """The tables the compare charts draw: receipts equal each run's pv_receipts and rows still sum to npv;
    the cumulative net with receipts excluded gives the payback year; the single offer has its shortfall."""
    from tpmodel.charts import (
        RECEIPTS,
        agency_table,
        cumulative_revenue_net,
        lever_table,
        offer_table,
        receipts_by_agency,
    )
    from tpmodel.report import lever_agency_npv

    _, comparison = written
    runs = {r.name: r for r in comparison.runs}
    by_agency = receipts_by_agency(comparison.runs)
    pv = by_agency.sum(axis=1)
    for name, run in runs.items():
        assert pv[name] == pytest.approx(run.headlines["pv_receipts"], rel=1e-12)
        who = lever_agency_npv(run.simulation)  # the who-benefits table's receipts row, agency by agency
        assert list(by_agency.loc[name]) == pytest.approx(list(who.loc["assets: capital receipts"]), rel=1e-12)
    assert pv["standard"] > 0
    levers = lever_table(comparison.by_lever, pv)
    assert list(levers.columns) == ["Shared services", "Collaborative procurement", "Pooled budgets",
                                    "Estate co-location (recurring)", RECEIPTS, "Lighter reporting"]  # fmt: skip
    agencies = agency_table(comparison.by_agency, by_agency)
    for name, run in runs.items():
        name = label("scenario", name)  # the charts' tables show scenarios by display name
        assert levers.loc[name, RECEIPTS] == pytest.approx(run.headlines["pv_receipts"], rel=1e-12)
        assert levers.loc[name].sum() == pytest.approx(run.headlines["npv"], rel=1e-12)
        assert agencies.loc[name].sum() == pytest.approx(run.headlines["npv"], rel=1e-12)
        assert agencies.loc[name, f"{RECEIPTS}, all agencies"] == pytest.approx(run.headlines["pv_receipts"])
    assert "Council" in agencies.columns and "NHS" in agencies.columns and "Single offer" in agencies.index
    revenue = cumulative_revenue_net(comparison.runs)
    for name, run in runs.items():
        line = revenue.loc[name]
        staying = [y for y in line.index if (line.loc[y:] >= 0).all()]
        assert run.headlines["payback_year"] == (int(staying[0]) if staying else None)
    offer = comparison.single_offer
    summary = runs["single_offer"].single_offer_summary()
    assert list(offer["place"]) == list(summary)
    for _, row in offer.iterrows():
        shortfall = sum(year["shortfall"] for year in summary[row["place"]].values())
        assert row["shortfall"] == pytest.approx(shortfall, rel=1e-12)
    assert list(offer_table(offer).columns) == [
        "Retained by the place", "To the Exchequer", "Shortfall against the target",
    ]  # fmt: skip


def test_charts_with_receipts_apart_keep_their_file_names(written, tmp_path):
    from tpmodel.charts import (
        cumulative_net_chart,
        cumulative_revenue_net,
        npv_by_agency_chart,
        npv_by_lever_chart,
        receipts_by_agency,
        single_offer_chart,
    )

    _, comparison = written
    by_agency = receipts_by_agency(comparison.runs)
    paths = npv_by_lever_chart(comparison.by_lever, tmp_path / "npv_by_lever", receipts=by_agency.sum(axis=1))
    paths += npv_by_agency_chart(comparison.by_agency, tmp_path / "npv_by_agency", receipts=by_agency)
    cumulative = (
        comparison.net_by_year.query("measure == 'cumulative net'").set_index("scenario").drop(columns="measure")
    )
    paths += cumulative_net_chart(
        cumulative, tmp_path / "cumulative_net_by_year", revenue=cumulative_revenue_net(comparison.runs)
    )
    paths += single_offer_chart(comparison.single_offer, tmp_path / "single_offer_split")
    stems = ["npv_by_lever", "npv_by_agency", "cumulative_net_by_year", "single_offer_split"]
    assert [p.name for p in paths] == [f"{s}.{k}" for s in stems for k in ("png", "svg")]
    texts = {p.stem: p.read_text() for p in paths if p.suffix == ".svg"}
    assert "Capital receipts (one-off)" in texts["npv_by_lever"]
    assert "Estate co-location (recurring)" in texts["npv_by_lever"]
    assert "Capital receipts (one-off), all agencies" in texts["npv_by_agency"] and "Council" in texts["npv_by_agency"]
    assert (
        "Capital receipts excluded" in texts["cumulative_net_by_year"] and "2019-20" in texts["cumulative_net_by_year"]
    )
    assert "Shortfall against the target" in texts["single_offer_split"] and "target" in texts["single_offer_split"]


def test_summary_records_provenance(written):
    out, _ = written
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenarios"] == ["standard", "cautious", "single_offer"]
    provenance = summary["provenance"]
    assert provenance["tpmodel_version"] == tpmodel.__version__
    assert provenance["seed"] == 3 and provenance["draws"] == 300 and provenance["run_time"]
    assert provenance["parameters"]["cautious"]["shared_services"]["start_year"] == 2012
    assert "charts/npv_by_lever.png" in summary["charts"]


def test_no_scenario_compares_every_scenario_and_workers_do_not_change_numbers(tmp_path):
    one = compare(workers=1)
    names = [tpmodel.run(n).name for n in scenario_names(PARAMS)]
    assert one.names[:4] == ["baseline", "cautious", "standard", "ambitious"]  # rising ambition, then the rest
    assert sorted(one.names) == sorted(names) and one.names[4:] == [n for n in names if n not in one.names[:4]]
    assert one.table.equals(compare(workers=2).table)
    assert len(one.single_offer) == 3  # the single_offer scenario's three places
    by_lever = one.by_lever
    single = [f"{lever}_only" for lever in by_lever.columns]
    assert sum(by_lever.loc[name, lever] for name, lever in zip(single, by_lever.columns, strict=True)) == (
        pytest.approx(by_lever.loc["standard"].sum(), rel=1e-12)
    )  # levers do not interact


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    scenario = tmp_path / "formula.yaml"
    scenario.write_text("name: '=HYPERLINK(\"http://x\")'\nextends: standard\ndescription: '+1+1'\nset: {}\n")
    out = tmp_path / "out"
    compare(["standard", str(scenario)], out=out, workers=1)
    csv_text = (out / "comparison.csv").read_text()
    assert "'=HYPERLINK" in csv_text and ",'+1+1," in csv_text
    assert (out / "HYPERLINK_http_x").is_dir()
    sheet = load_workbook(out / "comparison.xlsx")["Comparison"]
    rows = [list(row) for row in sheet.iter_rows() if row[0].value == '\'=HYPERLINK("http://x")']
    assert len(rows) == 1 and rows[0][0].data_type == "s"
    assert rows[0][-1].value == "'+1+1" and rows[0][-1].data_type == "s"  # the description, last


def test_command_line(tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["compare", "standard", "baseline", "--out", str(out), "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert "standard" in captured.out and "baseline" in captured.out and captured.err == ""  # no bar off a terminal
    assert (out / "comparison.xlsx").is_file()
    assert pd.read_csv(out / "comparison.csv")["scenario"].tolist() == ["standard", "baseline"]


def test_existing_folder_is_kept_without_overwrite(tmp_path, capsys):
    out = tmp_path / "cli"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert main(["compare", "standard", "--out", str(out)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert main(["compare", "standard", "--out", str(out), "--overwrite", "--quiet"]) == 0
    assert not (out / "keep.txt").exists() and (out / "comparison.csv").is_file()


def test_bad_scenarios_are_all_reported_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "bad"
    assert main(["compare", "standard", "no_such_scenario", "params/scenarios/missing.yaml", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no scenario 'no_such_scenario'" in err and "missing.yaml: scenario file not found" in err
    assert not out.exists()
    assert not list(tmp_path.glob(".bad*"))


def test_workbook_headers_and_cells_are_never_formulas(tmp_path):
    from tpmodel.workbook import write_workbook

    table = pd.DataFrame({"place": ["@SUM(A1)", "kent"], "=cmd": [1.5, float("nan")], "npv": [2.0, 3.0]})
    write_workbook(tmp_path / "x.xlsx", {"sheet": (table, "GBP m")})
    sheet = load_workbook(tmp_path / "x.xlsx")["sheet"]
    assert [c.value for c in sheet[1]] == ["place", "'=cmd [GBP m]", "npv [GBP m]"]
    assert sheet.cell(2, 1).value == "'@SUM(A1)" and sheet.cell(2, 2).value == 1.5 and sheet.cell(3, 2).value is None
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
