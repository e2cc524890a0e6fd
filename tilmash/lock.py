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


def flock_holder(fd: int) -> int | None:
    """The PID holding an flock on `fd`'s file, from the kernel's /proc/locks (None if unknown)."""
    info = os.fstat(fd)
    inode = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for line in locks:
                fields = line.split()  # "1: FLOCK ADVISORY WRITE 4242 fe:00:1548374 0 EOF"
                if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == inode:
                    return int(fields[4])
    except (OSError, ValueError):
        pass
    return None


@contextmanager
def newsroom_lock(state_dir: Path, wait: bool = False) -> Iterator[None]:
    """Hold `state_dir/lock` for the duration; a lock left by a killed run is simply free again."""
    state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(state_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            written = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            pid = flock_holder(fd)
            if pid is not None and not written.startswith(f"pid {pid} "):
                written = f"pid {pid}"  # the holder has not written its line yet, or the file is stale
            raise LockBusy(
                f"another tilmash run is in progress ({written or 'pid unknown'}); "
                "try again later or use --wait"
            ) from None
        line = f"pid {os.getpid()} since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC\n".encode()
        os.pwrite(fd, line, 0)  # written before truncating: a reader never finds the file empty
        os.ftruncate(fd, len(line))
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
