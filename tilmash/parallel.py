"""Spread per-article work (parsing, templates, pages) over the machine's cores.

Workers are forked at the moment `fork_map` is called, so they inherit the function and
its inputs as they are (parsed articles, compiled Jinja templates): nothing is pickled on
the way in, only results come back. The calling process works through the first share
itself, so two cores mean one extra process, not two.

A worker dies with its parent (Linux `PR_SET_PDEATHSIG`): a run killed by cron's timeout
or SIGKILL leaves no orphan holding the newsroom's lock.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from tilmash.linux import libc_function

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

Item = TypeVar("Item")
Result = TypeVar("Result")
Mapper = Callable[
    [Callable[[Any], Any], Sequence[Any]], Iterable[Any]
]  # `map`, or fork_map with its jobs bound

MIN_SHARE = 64  # below this many items per process, forking costs more than it saves
_PR_SET_PDEATHSIG = 1


def available_cores() -> int:
    """Cores this process may run on (respects taskset/cgroup affinity)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _die_with_parent(parent: int) -> None:
    prctl = libc_function("prctl")
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker(
    function: Callable[[Any], Any], share: Sequence[Any], parent: int, reader: Connection, writer: Connection
) -> None:
    _die_with_parent(parent)
    reader.close()  # so that a dead parent means a broken pipe here, not a hang
    try:
        payload: tuple[str, Any] = ("ok", [function(item) for item in share])
    except BaseException:  # even SystemExit: the parent re-raises it with the worker's traceback
        payload = ("error", traceback.format_exc())
    writer.send(payload)
    writer.close()


class WorkerFailed(RuntimeError):
    """A worker raised or was killed; the message carries its traceback or exit code."""


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> list[Result]:
    """`[function(item) for item in items]` over up to `jobs` processes, results in order."""
    jobs = min(jobs, len(items) // MIN_SHARE)
    if jobs < 2:
        return [function(item) for item in items]
    import multiprocessing  # here: a run on one process never loads it

    if "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    bounds = [len(items) * k // jobs for k in range(jobs + 1)]
    workers: list[tuple[Any, Connection]] = []
    try:
        for k in range(1, jobs):
            reader, writer = context.Pipe(duplex=False)
            share = items[bounds[k] : bounds[k + 1]]
            process = context.Process(
                target=_worker, args=(function, share, os.getpid(), reader, writer), daemon=True
            )
            process.start()
            writer.close()
            workers.append((process, reader))
        results = [function(item) for item in items[bounds[0] : bounds[1]]]
        for process, reader in workers:
            try:
                status, payload = reader.recv()
            except EOFError:
                process.join()
                status, payload = "error", f"worker exited with code {process.exitcode}"
            if status != "ok":
                raise WorkerFailed(f"a parallel worker failed:\n{payload}")
            results.extend(payload)
        return results
    finally:
        for process, reader in workers:
            reader.close()
            if process.is_alive():
                process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
