"""`tpmodel sensitivity SCENARIO --out DIR [--method sobol|tornado]`: what drives the npv (spec section 11)."""

from __future__ import annotations

import argparse

from ..analyses.sensitivity import DEFAULT_SAMPLES
from ..folders import sensitivity
from ..formatting import format_sensitivity
from ..model import DEFAULT_SEED
from ..results import check_out_dir
from .common import add_common, add_scenario_arguments, params_dir, positive, say, show_progress

EXAMPLES = """examples:
  tpmodel sensitivity standard --out outputs/tornado
  tpmodel sensitivity standard --out outputs/sobol --method sobol --samples 1024 --seed 7

tornado: npv at the low and the high of every uncertain parameter, the
others central, sorted by swing (sensitivity.csv, tornado.png/.svg).
sobol: first- and total-order Sobol indices of npv from Saltelli samples of
every uncertain parameter (sensitivity.csv, sobol.png/.svg).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sensitivity",
        help="which uncertain parameters drive the npv (tornado or Sobol)",
        description="Rank the uncertain parameters of SCENARIO by their effect on npv and write "
        "sensitivity.csv, a chart and summary.json into DIR.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_scenario_arguments(parser)
    parser.add_argument("--method", default="tornado", metavar="METHOD", help="tornado (default) or sobol")
    parser.add_argument("--samples", type=positive, default=DEFAULT_SAMPLES, metavar="N",
                        help=f"Sobol base sample N, a power of 2 (default {DEFAULT_SAMPLES})")  # fmt: skip
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, metavar="S", help=f"random seed (default {DEFAULT_SEED})"
    )
    add_common(parser, draws=False)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    check_out_dir(args.out, args.overwrite)
    result = sensitivity(args.scenario, method=args.method, samples=args.samples, seed=args.seed,
                         params_dir=params_dir(args), sets=args.sets, out=args.out, overwrite=args.overwrite,
                         progress=show_progress(args))  # fmt: skip
    say(args, format_sensitivity(result))
    say(args, f"wrote {args.out}/sensitivity.csv, {result.method}.png, {result.method}.svg, summary.json")
    return 0
