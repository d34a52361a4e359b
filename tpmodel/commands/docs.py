"""`tpmodel docs parameters`: regenerate docs/parameters.md from params/defaults.yaml."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..files import write_text_file
from ..paramdocs import render_file
from .common import params_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "docs",
        help="regenerate generated documentation (docs/parameters.md)",
        description="Regenerate docs/parameters.md from params/defaults.yaml.",
        epilog="example:\n  tpmodel docs parameters --to docs/parameters.md",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("page", choices=["parameters"], help="the page to generate")
    parser.add_argument(
        "--to",
        type=Path,
        default=Path("docs/parameters.md"),
        metavar="FILE",
        help="where to write it (default docs/parameters.md); - for standard output",
    )
    parser.add_argument("--params", type=Path, default=None, metavar="DIR", help="parameter folder (default ./params)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    text = render_file(params_dir(args))
    if str(args.to) == "-":
        print(text, end="")
    else:
        write_text_file(text, args.to)
        print(f"wrote {args.to}")
    return 0
