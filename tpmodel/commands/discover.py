"""`tpmodel discover SCENARIO --draws N [--where "npv<0"] --out DIR`: where in the uncertain parameters a
headline fails (scenario discovery with PRIM)."""

from __future__ import annotations

import argparse

from ..analyses.discovery import DEFAULT_DRAWS, DEFAULT_WHERE, MAX_DRAWS, MIN_DRAWS
from ..folders import discover
from ..formatting import format_discovery
from ..results import check_out_dir
from .common import add_common, add_scenario_arguments, add_seed, non_negative, params_dir, positive, say

EXAMPLES = f"""examples:
  tpmodel discover standard --draws 10000 --where "npv<1500" --out outputs/discover
  tpmodel discover cautious --where "npv>0" --out outputs/discover-cautious
  tpmodel discover single_offer --where "bcr<3" --max-dims 2 --out outputs/discover-bcr

From the Monte Carlo draws (the same draws as tpmodel run SCENARIO --draws N
--seed S) PRIM finds a box of a few parameter ranges where the condition is
concentrated, and says it in words with its coverage (share of the draws
where the condition holds that fall in the box), density (share of the box's
draws where it holds) and mass (share of all draws in the box). DIR gets
trajectory.csv, box.csv, box.png/.svg and summary.json. A condition that holds
in no draw (or in every draw) is reported as such (exit 0). --draws from
{MIN_DRAWS:,} to {MAX_DRAWS:,} (default {DEFAULT_DRAWS:,}).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "discover",
        help="where in the uncertain parameters a headline fails (scenario discovery, PRIM)",
        description="Run a Monte Carlo of SCENARIO and find, with PRIM, the few parameter ranges in which "
        "the --where condition (default npv<0) is concentrated; write the box, the peeling trajectory, "
        "a chart and summary.json into DIR.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_scenario_arguments(parser)
    parser.add_argument("--where", default=DEFAULT_WHERE, metavar="CONDITION",
                        help=f"MEASURE<NUMBER (or <=, >, >=) of a per-draw headline, e.g. npv<0, bcr<1, "
                        f"npv_place_kent<50 (default {DEFAULT_WHERE})")  # fmt: skip
    parser.add_argument("--max-dims", type=positive, default=3, metavar="K",
                        help="restrict at most K parameters (default 3)")  # fmt: skip
    parser.add_argument("--min-coverage", type=share, default=0.5, metavar="C",
                        help="report a box holding at least this share of the draws where the condition "
                        "holds (default 0.5)")  # fmt: skip
    parser.add_argument("--draws", type=non_negative, default=DEFAULT_DRAWS, metavar="N",
                        help=f"Monte Carlo draws, {MIN_DRAWS:,} to {MAX_DRAWS:,} "
                        f"(default {DEFAULT_DRAWS:,})")  # fmt: skip
    add_seed(parser)
    add_common(parser, draws=False)
    parser.set_defaults(handler=handle)


def share(text: str) -> float:
    """argparse type: a number above 0 and at most 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{value:g} must be above 0 and at most 1")
    return value


def handle(args: argparse.Namespace) -> int:
    check_out_dir(args.out, args.overwrite)
    result = discover(args.scenario, draws=args.draws, where=args.where, seed=args.seed, sets=args.sets,
                      params_dir=params_dir(args), out=args.out, overwrite=args.overwrite, max_dims=args.max_dims,
                      min_coverage=args.min_coverage)  # fmt: skip
    say(args, format_discovery(result))
    written = "trajectory.csv, box.csv, box.png, box.svg, summary.json" if result.found else "summary.json"
    say(args, f"wrote {args.out}/: {written}")
    return 0
