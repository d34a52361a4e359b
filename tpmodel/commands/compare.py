"""`tpmodel compare [SCENARIO ...] --out DIR`: scenarios side by side (spec section 11)."""

from __future__ import annotations

import argparse

from ..folders import compare
from ..formatting import format_comparison
from ..results import check_out_dir
from .common import add_common, params_dir, positive, say, show_progress

EXAMPLES = """examples:
  tpmodel compare --out outputs/comparison --draws 10000
  tpmodel compare standard cautious ambitious --out outputs/three --draws 1000 --seed 7
  tpmodel compare standard params/scenarios/single_offer.yaml --out outputs/offer --overwrite

DIR gets a run folder per scenario (results.csv, baseline.csv, summary.json,
draws.csv with --draws), comparison.csv, comparison.xlsx (with an Assurance
sheet), charts/*.png|svg, summary.json and assurance.md (assumptions log, data
log, verification record; docs/assurance.md). Money in GBP m at 2010-11 prices.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="run several scenarios and compare them (CSV, workbook, charts)",
        description="Run each SCENARIO (every scenario under params/scenarios/ when none is given), "
        "with a Monte Carlo of --draws draws, and write their run folders, comparison.csv, "
        "comparison.xlsx and charts into DIR.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="scenario names or YAML files (default: all)")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="PATH=VALUE",
                        help="override a parameter in every scenario (repeatable)")  # fmt: skip
    parser.add_argument("--workers", type=positive, default=None, metavar="K",
                        help="processes running scenarios (default: one per CPU; same numbers)")  # fmt: skip
    add_common(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    check_out_dir(args.out, args.overwrite)
    comparison = compare(args.scenarios, draws=args.draws, seed=args.seed, params_dir=params_dir(args),
                         sets=args.sets, out=args.out, overwrite=args.overwrite, progress=show_progress(args),
                         workers=args.workers)  # fmt: skip
    say(args, format_comparison(comparison))
    say(
        args,
        f"wrote {args.out}/: comparison.csv, comparison.xlsx, charts/, summary.json, assurance.md and one "
        "folder per scenario",
    )
    return 0
