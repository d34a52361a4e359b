"""`tpmodel app`: the sliders notebook served as a page with Voila, on this machine only."""

from __future__ import annotations

import argparse
import os
import socket

from ..errors import fail
from .common import non_negative, whole

EXAMPLES = """examples:
  tpmodel app                      # http://127.0.0.1:8866, opens a browser
  tpmodel app --port 9000 --no-browser
  tpmodel app --params my_params   # another parameter folder (save writes there)

The page answers only to this machine (127.0.0.1 or localhost) and loads nothing from elsewhere.
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
    parser.add_argument(
        "--cull-after",
        type=non_negative,
        default=None,
        metavar="SECONDS",
        help="shut a page's computation down this long after its tab is closed (default 300)",
    )
    parser.set_defaults(handler=handle)


def free_port(port: int) -> int:
    """`port` if nothing listens on it on 127.0.0.1; an `InputError` otherwise, so that the address printed
    is the one the page is really on (Voila is told not to try others)."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as error:
            raise fail("--port", str(port), f"cannot listen there ({error.strerror}); choose another --port") from None
        return port


def handle(args: argparse.Namespace) -> int:
    from ..analyses.notebooks import notebooks_dir
    from ..widgets.server import CULL_AFTER, serve

    port = free_port(args.port)
    if args.params:
        os.environ["TPMODEL_PARAMS"] = os.path.abspath(args.params)
    print(f"serving the sliders on http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
    cull_after = CULL_AFTER if args.cull_after is None else args.cull_after
    serve(notebooks_dir() / "sliders.ipynb", port, not args.no_browser, cull_after)
    return 0
