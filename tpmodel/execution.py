"""Running tasks: in this process, in worker processes (fork, or forkserver) or on a dask scheduler, with progress bars.

Nothing here knows about the model: a task is any picklable value and a
function any picklable callable. Monte Carlo, sweeps, comparisons and
sensitivity all run their work through `map_tasks`.
"""

from __future__ import annotations

import collections
import contextlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .errors import fail

#: Seconds to wait for a dask scheduler before giving up.
CONNECT_TIMEOUT = 5


def map_tasks(
    function: Callable[[Any], Any],
    tasks: Sequence[Any],
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
    unit: str = "point",
    weights: Sequence[float] | None = None,
) -> list[Any]:
    """`function` over `tasks`, results in task order: in this process, in `workers` processes, or on the
    dask.distributed scheduler at `scheduler` (an unreachable scheduler is an `InputError`)."""
    return list(iter_tasks(function, tasks, workers, scheduler, progress, unit, weights))


def iter_tasks(
    function: Callable[[Any], Any],
    tasks: Iterable[Any],
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
    unit: str = "point",
    weights: Sequence[float] | None = None,
) -> Iterator[Any]:
    """`map_tasks` as results come. A task is taken from `tasks` (which may be an iterator, made as it
    goes) only when it is about to run: in this process when the one before is done, in worker processes
    at most `2 * workers` ahead of the result being yielded, so no more than that many tasks and results
    need be held. Dask takes a sequence of tasks."""
    method = start_method()  # before the progress bar, whose monitor is a thread
    total = sum(weights) if weights is not None else len(tasks)  # type: ignore[arg-type]
    bar = progress_bar(total, progress, unit)
    if scheduler:
        yield from ticking(_dask_map(function, list(tasks), scheduler), bar, weights)
        return
    count = len(tasks) if isinstance(tasks, Sequence) else workers
    if workers > 1 and count > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context(method)
        pool = ProcessPoolExecutor(max_workers=min(workers, count), mp_context=context, initializer=reuse_freed_memory)
        with pool, _main_not_rerun(function):  # workers start as tasks are submitted, all through
            yield from ticking(_in_order(pool, function, tasks, 2 * workers), bar, weights)
        return
    yield from ticking(map(function, tasks), bar, weights)


def _in_order(pool: Any, function: Callable[[Any], Any], tasks: Iterable[Any], ahead: int) -> Iterator[Any]:
    """Results of `function` over `tasks` on `pool` in task order, with at most `ahead` tasks submitted
    and not yet yielded; those not started are cancelled if the caller stops early (or a task fails)."""
    pending: collections.deque[Any] = collections.deque()
    try:
        for task in tasks:
            pending.append(pool.submit(function, task))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


#: glibc's mallopt parameters: the size from which an allocation gets pages of its own from the system
#: (M_MMAP_THRESHOLD), and how much free memory at the top of the heap is kept rather than returned
#: (M_TRIM_THRESHOLD).
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
#: Bytes: freed arrays up to this size are kept for the next one (`reuse_freed_memory`).
REUSED_BYTES = 256 * 2**20


def reuse_freed_memory() -> bool:
    """Have this process keep the memory numpy frees for its next arrays, rather than return it to the
    system and ask for it again; True if the C library took the setting (glibc), False elsewhere.

    By default glibc gives every large array pages of its own and returns them when the array is freed,
    so the next one pays a page fault for every 4 KB it touches. A sweep block or a Monte Carlo chunk
    makes and frees the same few-MB arrays hundreds of times: 1,000 points of `standard` take 84 ms a
    block by default and 55 ms so. The peak memory grows a little (100,000 draws of `run --draws
    --no-draws-file`: 147 MiB against 133 MiB); what is freed goes back to the system when the process
    ends. The command line and worker processes call this; a Python session that imports tpmodel is
    left as it is."""
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process runs on
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, REUSED_BYTES)) and bool(mallopt(M_TRIM_THRESHOLD, REUSED_BYTES))


def start_method() -> str:
    """How worker processes start: "fork" while this process runs no thread but its main one (a worker
    starts at once with everything imported, and nothing is re-run); "forkserver" otherwise, since
    forking a process that runs threads (a dask client, a kernel's comms, a progress bar's monitor) can
    deadlock the child on a lock another thread held at the fork."""
    import threading

    return "fork" if threading.active_count() == 1 else "forkserver"


@contextlib.contextmanager
def _main_not_rerun(function: Callable[[Any], Any]) -> Iterator[None]:
    """Start worker processes without re-running the caller's main script in them.

    A forkserver or spawned worker imports the parent's `__main__` (by path or module name) before
    its first task, so a plain script that calls `tpmodel.sweep(..., workers=2)` without an `if
    __name__ == "__main__":` guard would run again in every worker and fail. The workers run tpmodel
    functions only and need nothing from `__main__`, so while they start, `__main__` is shown to
    multiprocessing without its file and module name (restored at once after). A function defined in
    `__main__` itself keeps the usual behaviour."""
    main = sys.modules.get("__main__")
    if main is None or getattr(function, "__module__", None) == "__main__" or start_method() == "fork":
        yield
        return
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


#: A dask scheduler address: PROTOCOL://HOST:PORT.
ADDRESS = re.compile(r"^(tcp|tls|ws|wss|ucx)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})$")


def check_address(address: str) -> None:
    """Refuse a scheduler address that is not PROTOCOL://HOST:PORT (port 1 to 65535) before connecting."""
    found = ADDRESS.match(address)
    if not found or not 1 <= int(found.group(3)) <= 65535:
        raise fail("--scheduler", address, "not a scheduler address; give PROTOCOL://HOST:PORT, e.g. tcp://host:8786")


def connect(address: str) -> Any:
    """A dask.distributed Client of the scheduler at `address`; `InputError` within CONNECT_TIMEOUT s if unreachable."""
    from distributed import Client

    check_address(address)
    try:
        return Client(address, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        message = (
            f"cannot reach a dask scheduler there ({reason}); "
            "start one with `dask scheduler` and give its address, e.g. tcp://host:8786"
        )
        raise fail("--scheduler", address, message) from None


def _dask_map(function: Callable[[Any], Any], tasks: Sequence[Any], address: str) -> Iterator[Any]:
    client = connect(address)
    try:
        futures = client.map(function, tasks, pure=False)
        for future in futures:
            yield future.result()
    finally:
        client.close()


def progress_bar(total: float, enabled: bool, unit: str) -> Any:
    """A tqdm bar on standard error that appears only once the work has taken more than a second; None when off."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=unit, delay=1.0, leave=False, dynamic_ncols=True)


def ticking(items: Iterable[Any], bar: Any, weights: Sequence[float] | None = None) -> Iterator[Any]:
    """Yield `items`, advancing `bar` (if any) by each item's weight (1 by default), and close it at the end."""
    try:
        for i, item in enumerate(items):
            if bar is not None:
                bar.update(weights[i] if weights is not None else 1)
            yield item
    finally:
        if bar is not None:
            bar.close()
