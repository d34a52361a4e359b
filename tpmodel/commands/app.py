"""`tpmodel app`: the sliders notebook served as a page with Voila."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from ..report import notebooks_dir
from .common import whole

EXAMPLES = """examples:
  tpmodel app                      # http://127.0.0.1:8866, opens a browser
  tpmodel app --port 9000 --no-browser
  tpmodel app --params my_params   # another parameter folder (save writes there)

The same as: voila notebooks/sliders.ipynb
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "app",
        help="serve the sliders as a web page (Voila)",
        description="Serve notebooks/sliders.ipynb as a page with Voila on this machine (127.0.0.1).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--port", type=whole(1, 65535), default=8866, help="port to listen on, 1 to 65535 (default 8866)"
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--params", default=None, metavar="DIR", help="parameter folder (default: ./params)")
    parser.set_defaults(handler=handle)


def voila_command(port: int, browser: bool) -> list[str]:
    """The Voila command line for the sliders page."""
    command = [sys.executable, "-m", "voila", str(notebooks_dir() / "sliders.ipynb"), f"--port={port}",
               "--Voila.ip=127.0.0.1", "--show_tracebacks=False"]  # fmt: skip
    return command if browser else [*command, "--no-browser"]


def handle(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if args.params:
        env["TPMODEL_PARAMS"] = os.path.abspath(args.params)
    print(f"serving the sliders on http://127.0.0.1:{args.port} (Ctrl+C to stop)")
    return subprocess.call(voila_command(args.port, not args.no_browser), env=env)
