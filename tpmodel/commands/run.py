"""`tpmodel run SCENARIO --out DIR`: one scenario's results folder (spec sections 8, 10)."""

from __future__ import annotations

import argparse

from ..analyses.runs import run
from ..analyses.shapley import lever_shapley
from ..formatting import format_summary
from ..model import nominal_table
from ..results import check_out_dir, staged_dir, write_csv, write_run
from .common import add_common, add_scenario_arguments, params_dir, say, show_progress

EXAMPLES = """examples:
  tpmodel run standard --out outputs/standard
  tpmodel run params/scenarios/ambitious.yaml --out outputs/ambitious --overwrite
  tpmodel run standard --out outputs/mc --draws 10000 --seed 42
  tpmodel run standard --out outputs/mc-1m --draws 1000000 --no-draws-file   # summary only, memory bounded
  tpmodel run standard --out outputs/cash --nominal
  tpmodel run standard --out outputs/test --set appraisal.discount_rate=0.05 \\
      --set 'pooling.return_rate={dist: pert, low: 1, mode: 1.5, high: 3}'
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run one scenario and write results.csv, baseline.csv, summary.json",
        description="Run one scenario (a name under params/scenarios/ or a path to a YAML file) "
        "and write results.csv, baseline.csv and summary.json (and draws.csv with --draws) into DIR.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_scenario_arguments(parser)
    parser.add_argument(
        "--nominal",
        action="store_true",
        help="also write results_nominal.csv in cash terms (times the GDP deflator of each year)",
    )
    parser.add_argument(
        "--no-draws-file",
        action="store_true",
        help="with --draws: write no draws.csv, only the Monte Carlo summary in summary.json; memory then "
        "stays that of one chunk of draws however many are asked for",
    )
    add_common(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    check_out_dir(args.out, args.overwrite)
    result = run(args.scenario, draws=args.draws, seed=args.seed, sets=args.sets, params_dir=params_dir(args),
                 progress=show_progress(args), per_draw=not args.no_draws_file)  # fmt: skip
    nominal = nominal_table(result.results, result.resolved) if args.nominal else None
    with staged_dir(args.out, args.overwrite) as stage:
        write_run(result, stage)
        if nominal is not None:
            write_csv(nominal, stage / "results_nominal.csv")
        written = sorted(path.name for path in stage.iterdir())
    say(args, format_summary(result, lever_shapley(result.resolved, result.places)))
    say(args, f"wrote {args.out}/: {', '.join(written)}")
    return 0
