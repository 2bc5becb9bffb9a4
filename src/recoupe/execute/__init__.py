"""Where per-document work runs: in this process, or on a Dask cluster (`execute/cluster.py`).

One method, `Executor.map(task, items)`: `task(tools, item)` for every item,
results yielded in the order of the items as soon as each is ready, so one
writer consumes them while the next items are being computed. `tools` are the
models and resources of a run: the serial executor holds the ones it is given;
each Dask worker loads its own once, through a worker plugin, when it starts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from recoupe.pipeline import Tools
    from recoupe.settings import Settings

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    parallelism: int  # tasks it runs side by side

    def map(self, task: Callable[[Tools, T], R], items: Iterable[T]) -> Iterator[R]:
        """`task(tools, item)` for every item, yielded in the order of `items`.

        Items may be consumed ahead of the results, a bounded number at a time."""


class SerialExecutor:
    """Runs every task here, one after the other, with the tools of this process."""

    parallelism = 1

    def __init__(self, tools: Tools) -> None:
        self.tools = tools

    def map(self, task: Callable[[Tools, T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield task(self.tools, item)


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def open_executor(
    tools: Tools, settings: Settings, workers: int | None = None, scheduler: str | None = None
) -> AbstractContextManager[Executor]:
    """In this process for one worker; otherwise Dask, on the cluster at `scheduler` or on a
    `LocalCluster` of `workers` processes (default: one per core) started here and stopped on exit."""
    if scheduler is None and (workers or default_workers()) <= 1:
        return _serial(tools)
    from recoupe.execute.cluster import dask_executor

    return dask_executor(settings, workers or default_workers(), scheduler)


@contextmanager
def _serial(tools: Tools) -> Iterator[SerialExecutor]:
    yield SerialExecutor(tools)


__all__ = ["Executor", "SerialExecutor", "default_workers", "open_executor"]
