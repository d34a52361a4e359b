"""Options and helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import printable
from ..model import DEFAULT_SEED
from ..params import default_params_dir

#: Most Monte Carlo draws of one run (a million take about two minutes; with draws.csv 0.5 GB of memory,
#: with --no-draws-file that of one chunk).
MAX_DRAWS = 1_000_000
#: Seeds are whole numbers from 0 to MAX_SEED (what every generator used takes).
MAX_SEED = 2**32 - 1
#: Most worker processes.
MAX_WORKERS = 256


def add_common(parser: argparse.ArgumentParser, *, draws: bool = True, out: bool = True) -> None:
    """--params, --quiet and, where they apply, --out, --overwrite, --draws, --seed."""
    if out:
        parser.add_argument(
            "--out", required=True, type=Path, metavar="DIR", help="folder to write (must be new or empty)"
        )
        parser.add_argument("--overwrite", action="store_true", help="replace the contents of a non-empty --out")
    if draws:
        parser.add_argument(
            "--draws",
            type=whole(0, MAX_DRAWS),
            default=0,
            metavar="N",
            help=f"Monte Carlo draws, 0 to {MAX_DRAWS:,} (default 0: central case only)",
        )
        add_seed(parser)
    parser.add_argument("--params", type=Path, default=None, metavar="DIR", help="parameter folder (default: ./params)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars or summary")


def add_seed(parser: argparse.ArgumentParser) -> None:
    """--seed S, a whole number from 0 to MAX_SEED."""
    parser.add_argument("--seed", type=whole(0, MAX_SEED), default=DEFAULT_SEED, metavar="S",
                        help=f"random seed, 0 to {MAX_SEED:,} (default {DEFAULT_SEED})")  # fmt: skip


def whole(low: int, high: int) -> Callable[[str], int]:
    """argparse type: a whole number from `low` to `high`."""

    def parse(text: str) -> int:
        stripped = text.strip()
        if not stripped.lstrip("+-").isdigit() or len(stripped) > 30:
            raise argparse.ArgumentTypeError(f"{printable(text, 40)!r} is not a whole number from {low:,} to {high:,}")
        value = int(stripped)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value:,} is not a whole number from {low:,} to {high:,}")
        return value

    parse.__name__ = "whole number"
    return parse


def non_negative(text: str) -> int:
    """argparse type: a whole number >= 0 (at most 10**12)."""
    return whole(0, 10**12)(text)


def positive(text: str) -> int:
    """argparse type: a whole number >= 1 (at most MAX_WORKERS: used for --workers)."""
    return whole(1, MAX_WORKERS)(text)


def params_dir(args: argparse.Namespace) -> Path:
    """The parameter folder of a command."""
    return args.params or default_params_dir()


def show_progress(args: argparse.Namespace) -> bool:
    """Progress bars only on a terminal and without --quiet."""
    return not args.quiet and sys.stderr.isatty()


def say(args: argparse.Namespace, text: str) -> None:
    """Print to standard output unless --quiet."""
    if not args.quiet:
        print(text)


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """SCENARIO and repeatable --set PATH=VALUE, as `tpmodel run` takes them."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario name or YAML file")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a parameter, e.g. shared_services.max_rate=0.25 (repeatable)",
    )
