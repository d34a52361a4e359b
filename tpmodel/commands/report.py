"""`tpmodel report SCENARIO --out DIR`: the scenario notebook executed with papermill, as .ipynb and HTML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..analyses.runs import run
from ..assurance_pack import write_assurance
from ..params import parse_cli_set
from ..report import execute_notebook, notebook_html, notebooks_dir
from ..results import check_out_dir, staged_dir
from .common import add_common, add_scenario_arguments, params_dir, say

EXAMPLES = """examples:
  tpmodel report standard --out outputs/report-standard
  tpmodel report ambitious --out outputs/report-ambitious --draws 1000 --seed 7
  tpmodel report standard --out outputs/report-dr5 --set appraisal.discount_rate=0.05 --overwrite

DIR gets scenario.ipynb (executed), scenario.html (the same without code),
run/ (results.csv, baseline.csv, summary.json, draws.csv with --draws) and
assurance.md (assumptions log, data log, verification record; docs/assurance.md).
"""

NOTEBOOK = "scenario.ipynb"
RUN_FOLDER = "run"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="execute the scenario notebook with papermill and write it as .ipynb and HTML",
        description="Execute notebooks/scenario.ipynb with papermill for one scenario (headline, tables, charts, "
        "Monte Carlo ranges with --draws) into DIR, and write it as HTML with nbconvert.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_scenario_arguments(parser)
    add_common(parser)
    parser.set_defaults(handler=handle)


def notebook_parameters(args: argparse.Namespace) -> dict:
    """The papermill parameters of a report: paths made absolute, since the notebook runs inside DIR."""
    scenario = args.scenario
    if scenario.endswith((".yaml", ".yml")) or "/" in scenario:
        scenario = str(Path(scenario).resolve())
    return {
        "scenario": scenario,
        "draws": args.draws,
        "seed": args.seed,
        "out": RUN_FOLDER,
        "overrides": dict(parse_cli_set(text) for text in args.sets),
        "params_dir": str(params_dir(args).resolve()),
    }


def report_title(scenario: str) -> str:
    """The report's page title: the scenario's display name (a file's stem for a scenario file)."""
    from ..labels import label

    return label("scenario", Path(scenario).stem if scenario.endswith((".yaml", ".yml")) else scenario)


def handle(args: argparse.Namespace) -> int:
    from papermill.exceptions import PapermillExecutionError

    check_out_dir(args.out, args.overwrite)
    result = run(args.scenario, sets=args.sets, params_dir=params_dir(args))  # every input checked, as by `tpmodel run`
    parameters = notebook_parameters(args)
    notebook = notebooks_dir() / NOTEBOOK
    try:
        with staged_dir(args.out, args.overwrite) as stage:
            execute_notebook(notebook, stage / NOTEBOOK, parameters, cwd=stage)
            notebook_html(stage / NOTEBOOK, stage / "scenario.html", title=report_title(args.scenario))
            write_assurance(stage, [result], [(args.scenario, args.sets)], params_dir(args))
    except PapermillExecutionError as error:
        print(f"tpmodel: error: the notebook failed: {error.ename}: {error.evalue}; nothing was written",
              file=sys.stderr)  # fmt: skip
        return 1
    say(args, f"wrote {args.out}/{NOTEBOOK}, scenario.html, assurance.md and {RUN_FOLDER}/ (results.csv, ...)")
    return 0
