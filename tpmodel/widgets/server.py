"""The slider page served by Voila on this machine only (`tpmodel app`).

Three things Voila's own command does not do:

- it answers only requests addressed to this machine by name (`localhost`) or
  by a loopback address: Voila turns the Host header check of Jupyter off, so
  a web page elsewhere could reach the sliders through a name that resolves to
  127.0.0.1 (DNS rebinding). `LocalVoila` turns it back on (403 otherwise);
- the page loads nothing from outside the machine: the `tpmodel` template
  (tpmodel/widgets/jupyter/voila/templates/tpmodel) is Voila's lab template
  without its links to a CDN;
- a page's computation (its kernel) is shut down `cull_after` seconds after its
  tab was closed, so memory does not grow with every visit.

It serves on exactly the port asked for (no trying the next ones), so the
address printed is the one the page is on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from voila.app import Voila

#: Host names, besides loopback addresses, that the page answers to.
LOCAL_HOSTNAMES = ["localhost"]
#: Where the page's Voila template lives (a Jupyter data directory).
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"
TEMPLATE = "tpmodel"
#: Seconds after which a page's kernel with no open tab is shut down, and how often that is checked.
CULL_AFTER = 300
CULL_EVERY = 10


class LocalVoila(Voila):  # type: ignore[misc]
    """Voila that checks the Host header: only localhost names and loopback addresses are served."""

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
        settings["allow_remote_access"] = False  # Jupyter's check_host: 403 for any other Host
        settings["local_hostnames"] = list(LOCAL_HOSTNAMES)
        return settings


def voila_arguments(
    notebook: Path, port: int, browser: bool, cull_after: int = CULL_AFTER, cull_every: int = CULL_EVERY
) -> list[str]:
    """Voila's command-line arguments for the slider page on 127.0.0.1:`port`."""
    arguments = [
        str(notebook),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        f"--MappingKernelManager.cull_interval={min(cull_every, max(1, cull_after))}",
        "--MappingKernelManager.cull_connected=False",
    ]
    return arguments if browser else [*arguments, "--no-browser"]


def serve(notebook: Path, port: int, browser: bool, cull_after: int = CULL_AFTER, cull_every: int = CULL_EVERY) -> None:
    """Serve `notebook` as the slider page until interrupted (blocks)."""
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH")]))
    LocalVoila.launch_instance(argv=voila_arguments(notebook, port, browser, cull_after, cull_every))
