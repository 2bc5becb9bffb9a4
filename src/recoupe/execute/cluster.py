"""The Dask executor: tasks on the workers of a cluster, results back to one writer in order.

A worker that dies takes its running tasks with it; the scheduler gives them to
another worker (up to `distributed.scheduler.allowed-failures` times), so the
writer still receives every result, in order: nothing is stored before the
writer has it, nothing is lost with a worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from distributed import Client, LocalCluster, WorkerPlugin, get_worker

if TYPE_CHECKING:
    from recoupe.pipeline import Tools
    from recoupe.settings import Settings

T = TypeVar("T")
R = TypeVar("R")

# Name of the worker plugin holding each worker's tools.
TOOLS_PLUGIN = "recoupe-tools"
# Tasks in flight per worker: one running, one queued, so no worker waits for the writer.
TASKS_PER_WORKER = 2


def load_tools(settings: Settings) -> Tools:
    from recoupe.api import load_tools

    return load_tools(settings)


class ToolsPlugin(WorkerPlugin):
    """Loads a worker's tools once, when the worker starts (or joins later); tasks read them here.

    `load` is `api.load_tools` (tests give a cheap stand-in); it is pickled to the workers."""

    def __init__(self, settings: Settings, load: Callable[[Settings], Any] = load_tools) -> None:
        self.settings = settings
        self.load = load
        self.tools: Any = None

    async def setup(self, worker: Any) -> None:
        # Off the worker's event loop: loading spaCy takes seconds, heartbeats go on meanwhile.
        self.tools = await asyncio.to_thread(self.load, self.settings)


class DaskExecutor:
    """Submits a bounded window of tasks and yields their results in submission order."""

    def __init__(self, client: Client, window: int, parallelism: int = 1) -> None:
        self.client = client
        self.window = window
        self.parallelism = parallelism

    def map(self, task: Callable[[Tools, T], R], items: Iterable[T]) -> Iterator[R]:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(self.client.submit(_run_on_worker, task, item, pure=False))
            if len(pending) >= self.window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _run_on_worker(task: Callable[[Tools, T], R], item: T) -> R:
    return task(get_worker().plugins[TOOLS_PLUGIN].tools, item)


def _quiet_dask() -> None:
    """Dask's own INFO lines (scheduler, nanny and worker start-up and shutdown) stay out of the
    user's terminal unless Recoupe itself logs at DEBUG (`--debug`); its warnings still show.

    Importing `distributed` sets its logger to INFO, after the CLI configured logging, so
    the level is set here, when a cluster is about to start."""
    debug = logging.getLogger("recoupe").isEnabledFor(logging.DEBUG)
    logging.getLogger("distributed").setLevel(logging.DEBUG if debug else logging.WARNING)


@contextmanager
def dask_executor(
    settings: Settings, workers: int, scheduler: str | None = None, load: Callable[[Settings], Any] = load_tools
) -> Iterator[DaskExecutor]:
    """On the cluster at `scheduler`, or on a `LocalCluster` of `workers` one-thread processes
    started here (on 127.0.0.1, no dashboard) and closed on exit; every worker's tools come from `load`."""
    _quiet_dask()
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            host="127.0.0.1", dashboard_address=None, silence_logs=logging.WARNING,
        )
    client = Client(cluster if cluster is not None else scheduler)
    try:
        client.register_plugin(ToolsPlugin(settings, load), name=TOOLS_PLUGIN)
        count = sum(client.nthreads().values()) if scheduler else workers
        yield DaskExecutor(client, window=TASKS_PER_WORKER * max(count, 1), parallelism=max(count, 1))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
