"""`tpmodel sensitivity SCENARIO --out DIR [--method tornado|sobol|switching]`: what drives the npv (spec 11)."""

from __future__ import annotations

import argparse

from ..analyses.draw_sensitivity import DEFAULT_DRAWS
from ..analyses.sensitivity import DEFAULT_SAMPLES, MAX_SAMPLES
from ..folders import sensitivity
from ..formatting import format_sensitivity
from ..results import check_out_dir
from .common import MAX_DRAWS, add_common, add_scenario_arguments, add_seed, params_dir, say, show_progress, whole

EXAMPLES = """examples:
  tpmodel sensitivity standard --out outputs/tornado
  tpmodel sensitivity standard --out outputs/sobol --method sobol --samples 1024 --seed 7
  tpmodel sensitivity standard --out outputs/rank --method rank --samples 10000
  tpmodel sensitivity standard --out outputs/switching --method switching

tornado: npv at the low and the high of every numeric parameter (an
uncertain one across its distribution, a fixed one across its plausible
range; fixed ones without a range listed as not varied), the others central,
sorted by swing (sensitivity.csv, tornado.png/.svg).
sobol: first- and total-order Sobol indices of npv from Saltelli samples of
every uncertain parameter (sensitivity.csv, sobol.png/.svg).
rank: rank correlation, SRRC and PRCC of npv on the Monte Carlo draws
(--samples draws, default 10000), declared correlations kept (rank.png/.svg).
switching: the value of every numeric parameter at which npv = 0 (bcr = 1),
or none within its bounds, nearest first (sensitivity.csv, switching.png/.svg).
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
    parser.add_argument("--method", default="tornado", metavar="METHOD",
                        help="tornado (default), sobol, rank or switching")  # fmt: skip
    parser.add_argument("--samples", type=whole(1, MAX_DRAWS), default=None, metavar="N",
                        help=f"Sobol base sample N, a power of 2 to {MAX_SAMPLES:,} (default {DEFAULT_SAMPLES}); "
                        f"rank: Monte Carlo draws, to {MAX_DRAWS:,} (default {DEFAULT_DRAWS})")  # fmt: skip
    add_seed(parser)
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
