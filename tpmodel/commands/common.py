"""Options and helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model import DEFAULT_SEED
from ..params import default_params_dir


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
            type=non_negative,
            default=0,
            metavar="N",
            help="Monte Carlo draws (default 0: central case only)",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, metavar="S", help=f"random seed (default {DEFAULT_SEED})"
        )
    parser.add_argument("--params", type=Path, default=None, metavar="DIR", help="parameter folder (default: ./params)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars or summary")


def non_negative(text: str) -> int:
    """argparse type: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be >= 0")
    return value


def positive(text: str) -> int:
    """argparse type: a whole number >= 1."""
    value = non_negative(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be >= 1")
    return value


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
