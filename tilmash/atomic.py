"""Crash-safe writes: a file or the whole site is either the old one or the new one.

A leaf module (it imports only the standard library and `tilmash.linux`), so every stage
(`tilmash.sources`, `.i18n`, `.translate`, `.render`) may write through it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tilmash.linux import libc_function

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same directory, fsync, rename over `path`, fsync the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def sync_filesystem(path: Path) -> None:
    """Make every file written so far on `path`'s filesystem durable, in one syncfs call.

    One syncfs before a batch of renames gives the same guarantee as an fsync per file,
    at the price of one call instead of thousands.
    """
    syncfs = libc_function("syncfs")
    if syncfs is None:
        os.sync()
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


class AtomicWriter:
    """Many crash-safe writes: stage temp files, one syncfs, then rename each into place.

    A crash before `commit` leaves only dot-temp files (removed by the next run); during
    the renames, every file is either its old or its new version.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path, bytes | None]] = []
        self.skipped: list[Path] = []  # files someone else changed since they were read
        self.written: dict[Path, os.stat_result] = {}  # each file renamed into place, as it was then

    def write(self, path: Path, data: bytes, expected: bytes | None) -> None:
        """Stage `data` for `path`, which must still hold `expected` (None: not exist) at commit."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        self._staged.append((Path(temp), path, expected))

    def commit(self) -> int:
        """Rename every staged file whose target is unchanged; the others go to `skipped`."""
        if not self._staged:
            return 0
        sync_filesystem(self._staged[0][1].parent)
        written = 0
        for temp, final, expected in self._staged:
            current = final.read_bytes() if final.exists() else None
            if current != expected:
                temp.unlink(missing_ok=True)
                self.skipped.append(final)
                continue
            os.replace(temp, final)
            self.written[final] = os.stat(final)
            written += 1
        for directory in {final.parent for _, final, _ in self._staged}:
            _fsync_dir(directory)
        self._staged = []
        return written

    def discard(self) -> None:
        for temp, _, _ in self._staged:
            temp.unlink(missing_ok=True)
        self._staged = []


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one step (Linux renameat2); False where unsupported."""
    renameat2 = libc_function("renameat2")
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0


def remove_leftovers(root: Path, site: Path) -> int:
    """Delete what an interrupted run left: staging copies of the site and unfinished temp files."""
    removed = 0
    for leftover in site.parent.glob(f".{site.name}.*-*"):
        if leftover.is_dir() and (
            leftover.name.startswith(f".{site.name}.new-") or leftover.name.startswith(f".{site.name}.old-")
        ):
            shutil.rmtree(leftover, ignore_errors=True)
            removed += 1
    for directory in (root / "i18n", root / "sources", root / ".tilmash"):
        if directory.is_dir():
            for temp in directory.rglob(".*.tmp"):
                temp.unlink(missing_ok=True)
                removed += 1
    return removed


def _unchanged(current: Path, relative: str, data: bytes) -> bool:
    existing = current / relative
    try:
        return existing.stat().st_size == len(data) and existing.read_bytes() == data
    except OSError:
        return False


def site_changes(current: Path, files: Mapping[str, bytes]) -> tuple[list[str], list[str]]:
    """(paths whose content differs, stale paths no longer produced) against the published site."""
    changed = [rel for rel, data in files.items() if not _unchanged(current, rel, data)]
    stale = []
    if current.is_dir():
        produced = set(files)
        stale = sorted(
            str(p.relative_to(current))
            for p in current.rglob("*")
            if p.is_file() and str(p.relative_to(current)) not in produced
        )
    return changed, stale


def publish_tree(target: Path, files: Mapping[str, bytes]) -> list[str]:
    """Make `target` hold exactly `files`, swapping in a complete sibling directory.

    Unchanged files are hard-linked from the current site, so their mtimes stay; with
    nothing changed nothing is written at all. Returns the paths that were (re)written.
    """
    changed, stale = site_changes(target, files)
    if not changed and not stale and target.is_dir():
        return []
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        for relative, data in files.items():
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if relative in changed:
                destination.write_bytes(data)
            else:
                os.link(target / relative, destination)
        os.chmod(staging, 0o755)
        sync_filesystem(staging)
        if target.is_dir() and _exchange(staging, target):
            _fsync_dir(target.parent)
            shutil.rmtree(staging)
        else:
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
                os.replace(target, old / "site")
                os.replace(staging, target)
                shutil.rmtree(old)
            else:
                os.replace(staging, target)
            _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changed
