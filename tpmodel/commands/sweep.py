"""`tpmodel sweep SCENARIO --vary PATH=START:STOP:N --out DIR`: a grid of parameter values (spec section 11)."""

from __future__ import annotations

import argparse

from ..analyses.sweep import MAX_POINTS
from ..folders import sweep
from ..formatting import format_sweep
from ..results import check_out_dir
from .common import add_common, add_scenario_arguments, params_dir, positive, say, show_progress

EXAMPLES = f"""examples:
  tpmodel sweep standard --vary shared_services.max_rate=0.1:0.3:11 --out outputs/sweep-rate
  tpmodel sweep standard --vary procurement.compliance=0.2:0.8:10 \\
      --vary procurement.consortium=place,all --out outputs/sweep-proc --workers 2
  tpmodel sweep standard --vary pooling.return_rate=1,2,3 --draws 1000 --out outputs/sweep-mc
  tpmodel sweep standard --vary appraisal.discount_rate=0.015,0.035 --via papermill --out outputs/sweep-nb
  tpmodel sweep standard --vary shared_services.max_rate=0.1:0.3:1000 --scheduler tcp://10.0.0.5:8786 \\
      --out outputs/sweep-dask

sweep.csv: one row per point of the full grid (the first --vary varies
slowest): the varied values, then the headline figures [GBP m] and, with
--draws, the Monte Carlo summary of each point (same seed at every point).
Grids over {MAX_POINTS:,} points need --yes. An interrupted sweep leaves
nothing behind; run it again.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sweep",
        help="run one scenario over a grid of parameter values",
        description="Run SCENARIO at every point of the grid of the --vary paths and write sweep.csv, "
        "a chart and summary.json into DIR.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_scenario_arguments(parser)
    parser.add_argument("--vary", action="append", required=True, metavar="PATH=START:STOP:N",
                        help="a parameter and its values, START:STOP:N or v1,v2,v3 (repeatable)")  # fmt: skip
    parser.add_argument("--workers", type=positive, default=1, metavar="K",
                        help="processes on this machine (default 1; same numbers)")  # fmt: skip
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="an existing dask.distributed scheduler, e.g. tcp://host:8786")  # fmt: skip
    parser.add_argument("--via", metavar="ENGINE", default=None,
                        help="papermill: run notebooks/scenario.ipynb per point (kept in DIR/notebooks/)")  # fmt: skip
    parser.add_argument("--yes", action="store_true", help=f"run a grid of more than {MAX_POINTS:,} points")
    add_common(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    check_out_dir(args.out, args.overwrite)
    result = sweep(args.scenario, args.vary, draws=args.draws, seed=args.seed, workers=args.workers,
                   scheduler=args.scheduler, via=args.via, out=args.out, overwrite=args.overwrite,
                   params_dir=params_dir(args), sets=args.sets, yes=args.yes, progress=show_progress(args))  # fmt: skip
    say(args, format_sweep(result))
    say(args, f"wrote {args.out}/sweep.csv, sweep.png, sweep.svg, summary.json")
    return 0
