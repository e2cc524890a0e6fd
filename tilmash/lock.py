"""One run at a time per newsroom: an flock that the kernel releases when its holder dies."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockBusy(Exception):
    """Another run holds the newsroom's lock."""


@contextmanager
def newsroom_lock(state_dir: Path, wait: bool = False) -> Iterator[None]:
    """Hold `state_dir/lock` for the duration; a lock left by a killed run is simply free again."""
    state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(state_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            raise LockBusy(
                f"another tilmash run is in progress ({holder}); try again later or use --wait"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(
            fd, f"pid {os.getpid()} since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC\n".encode(), 0
        )
        yield
    finally:
        os.close(fd)


@contextmanager
def catalog_write_lock(state_dir: Path) -> Iterator[None]:
    """A short lock around reading-and-writing catalogs: the review page and a run's commit take it."""
    state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(state_dir / "catalogs.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
