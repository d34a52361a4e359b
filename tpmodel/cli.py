"""The `tpmodel` command line: argparse and exit codes (spec sections 10-11).

Exit status 0 on success, 2 on bad input (one clear message on standard
error naming the file, the parameter path and what is allowed; nothing
written), 1 on an unexpected failure.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .errors import InputError, printable
from .execution import reuse_freed_memory
from .version import __version__

#: Sub-commands, each a module of tpmodel.commands with `register(subparsers)`.
COMMANDS = ("run", "compare", "sweep", "sensitivity", "discover", "docs", "report", "app")

EPILOG = """examples:
  tpmodel compare --out outputs/comparison                  # every scenario: CSV, workbook, charts
  tpmodel compare --out outputs/comparison-mc --draws 10000 # with Monte Carlo ranges
  tpmodel run standard --out outputs/standard
  tpmodel run standard --out outputs/nhs --set shared_services.participation.nhs=0.9
  tpmodel sweep standard --vary appraisal.discount_rate=0.02:0.06:5 --out outputs/sweep
  tpmodel sensitivity standard --method tornado --out outputs/tornado
  tpmodel discover standard --where "npv<1500" --out outputs/discover   # where npv falls short (PRIM)
  tpmodel report standard --out outputs/report              # the scenario notebook, executed, + HTML
  tpmodel app                                               # the sliders page (Voila)
  tpmodel docs parameters

Each command's --help has more examples. Bad input exits with status 2 and one message.
"""


class Parser(argparse.ArgumentParser):
    """argparse, with a misused option reported in one line (not the usage, which --help shows)."""

    def error(self, message: str) -> NoReturn:
        """Print one line naming the command and the misused argument, and exit with status 2."""
        print(f"{self.prog}: error: {printable(message, 1000)} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def build_parser(commands: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    """The top-level parser with the sub-commands `commands` (by default every one)."""
    parser = Parser(
        prog="tpmodel",
        description="Savings from Total Place reforms (shared services, collaborative procurement, "
        "pooled budgets, estate, reporting, the single offer), place by place and agency by "
        "agency, 2010-11 to 2014-15. Money in GBP m at 2010-11 prices.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tpmodel {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in commands:
        importlib.import_module(f"tpmodel.commands.{name}").register(subparsers)
    return parser


def commands_needed(argv: Sequence[str]) -> Sequence[str]:
    """The sub-commands whose modules must be imported to parse `argv`: only the one named (so that
    `tpmodel run` does not import what compare, sweep or the app need: pandas, plotting, dask), or
    every one when none is named (top-level --help, --version, a typo)."""
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    return (named,) if named in COMMANDS else COMMANDS


#: Environment variables that set how many threads numpy's linear algebra libraries start.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_thread_for_linear_algebra() -> None:
    """Have numpy's BLAS start one thread (unless the user set otherwise), before numpy is imported.

    The model's arithmetic is element by element, with no large matrix products, so BLAS threads do no
    work here; starting one per core costs about 70 ms of CPU at every start, and in worker processes
    (--workers) they would compete with the workers for the cores. The environment passes to workers
    and to the app's kernels."""
    if "numpy" not in sys.modules:
        for name in BLAS_THREADS:
            os.environ.setdefault(name, "1")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    one_thread_for_linear_algebra()
    reuse_freed_memory()
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(commands_needed(argv))
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except InputError as error:
        print(f"tpmodel: error: {error.render()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tpmodel: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
