"""Crash-safe writes: a file or the whole site is either the old one or the new one.

A leaf module (it imports only the standard library, `tilmash.linux` and `tilmash.reading`), so every stage
(`tilmash.sources`, `.i18n`, `.translate`, `.render`) may write through it.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TypeVar

from tilmash.linux import libc_function
from tilmash.reading import read_regular

AnyPath = TypeVar("AnyPath", str, Path)  # a path as text or as a Path, given back as it came
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Temp files and staging directories carry their writer's PID: a run cleaning up after a
# crash removes only those whose writer is gone, never a save in progress.
_OWNED_TEMP = re.compile(r"\.(\d+)\.[^.]*\.tmp$")
_OWNED_STAGING = re.compile(r"\.(?:new|old)-(\d+)-")


def _temp_file(path: str | Path, new: bool = False) -> tuple[int, str]:
    """A temp file beside `path` with the mode `path` has (a new file: what the umask allows;
    `new`: `path` is known not to exist, not looked up). Its directory is made when missing.

    mkstemp creates files 0600; renamed over a shared catalog as they are, they would lock
    the newsroom's other users out.
    """
    directory, name = os.path.split(path)  # as text: a cold run writes a POT per article
    prefix = os.path.join(directory, f".{name}.{os.getpid()}.")
    mode = None
    if not new:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            pass
    created = 0o600 if mode is not None else 0o666  # a new file: what the umask allows, set by open
    try:
        fd, temp = _exclusive(prefix, created)
    except FileNotFoundError:  # asked only then: a directory per file would be a syscall per file
        os.makedirs(directory, exist_ok=True)
        fd, temp = _exclusive(prefix, created)
    if mode is not None:
        os.fchmod(fd, mode)
    return fd, temp


_TEMP_NUMBERS = itertools.count()
_EXCLUSIVE = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)


def _exclusive(prefix: str, mode: int = 0o600) -> tuple[int, str]:
    """A new file `PREFIX<n>.tmp` (`mode` less the umask), created as mkstemp does (O_EXCL, no
    symlink followed). Numbered, not named at random: the PID in the prefix already sets a
    process's names apart, and drawing mkstemp's random names cost as much as writing the file."""
    for _ in range(10000):
        temp = f"{prefix}{next(_TEMP_NUMBERS)}.tmp"
        try:
            return os.open(temp, _EXCLUSIVE, mode), temp
        except FileExistsError:  # left by an earlier process with this PID
            continue
    raise FileExistsError(f"{prefix}*.tmp: no free temporary file name")


def _write_all(fd: int, data: bytes) -> None:
    """All of `data` to `fd`, which is closed: a file object would only add a buffer's copy."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _orphaned(name: str, pattern: re.Pattern[str]) -> bool:
    """True when no live process owns this leftover (names without a PID predate the scheme)."""
    match = pattern.search(name)
    return match is None or not _alive(int(match.group(1)))


def remove_tree(directory: Path) -> None:
    """rmtree that also removes read-only directories (a site published with mode 0555)."""

    def writable_and_retry(function, path, _error):  # noqa: ANN001, ANN202 - shutil's signature
        parent = os.path.dirname(path)
        try:
            os.chmod(parent, stat.S_IMODE(os.stat(parent).st_mode) | stat.S_IWUSR | stat.S_IXUSR)
            if os.path.isdir(path) and not os.path.islink(path):
                os.chmod(path, stat.S_IMODE(os.stat(path).st_mode) | stat.S_IWUSR | stat.S_IXUSR)
            function(path)
        except OSError:
            pass

    shutil.rmtree(directory, onerror=writable_and_retry)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Temp file in the same directory, fsync, rename over `path`, fsync the directory.

    `data` may come in pieces, written as they come: a large file is never whole in memory.
    A symlink is written through (`link_target`).
    """
    path = link_target(path)
    fd, temp = _temp_file(path)  # makes the directory when it is missing
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
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


def stat_text(stat: os.stat_result, exact: bool = True) -> str:
    """`size\0mtime`; `exact` adds the inode and ctime: a file rewritten with its size and mtime
    (a copy keeping times) still differs, as no tool sets a ctime back."""
    if exact:
        return f"{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\0{stat.st_ctime_ns}"
    return f"{stat.st_size}\0{stat.st_mtime_ns}"


# A staged write: its temp file, the file it replaces, and a digest of what that file must still
# hold (None: it must not exist). Plain strings: a cold run stages a template per article.
Staged = tuple[str, str, bytes | None]


def _content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


class AtomicWriter:
    """Many crash-safe writes: stage temp files, one syncfs, then rename each into place.

    A crash before `commit` leaves only dot-temp files (removed by the next run); during
    the renames, every file is either its old or its new version.
    """

    def __init__(self) -> None:
        self._staged: list[Staged] = []
        self.skipped: list[Path] = []  # files someone else changed since they were read
        # each file renamed into place (its path as a string) → its `stat_text` right then: a
        # cold run writes four catalogs per article, and a Path and a stat_result cost ten times this
        self.written: dict[str, str] = {}

    def write(self, path: str | Path, data: bytes, expected: bytes | None) -> None:
        """Stage `data` for `path` (through a symlink: `link_target`), which must still hold
        `expected` (None: not exist) at commit. Only a digest of `expected` is kept: a cold run
        rewriting every catalog would otherwise hold all their old bytes until it commits."""
        name = os.fspath(path)  # as text: a cold run writes a POT per article
        fd, temp = _temp_file(link_target(name), new=expected is None)  # a file found later is not replaced
        try:
            _write_all(fd, data)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self._staged.append((temp, name, None if expected is None else _content_digest(expected)))

    def hand_over(self) -> list[Staged]:
        """The writes staged so far, for another writer to `adopt` (a forked worker's, say)."""
        staged, self._staged = self._staged, []
        return staged

    def adopt(self, staged: Iterable[Staged]) -> None:
        """Commit (or discard) writes another writer staged as if they were this writer's own."""
        self._staged.extend(staged)

    def commit(self) -> int:
        """Rename every staged file whose target is unchanged; the others go to `skipped`."""
        if not self._staged:
            return 0
        folders = {os.path.dirname(temp) for temp, _, _ in self._staged}
        for folder in {os.stat(folder).st_dev: folder for folder in folders}.values():
            sync_filesystem(Path(folder))  # each filesystem a temp file is on (a linked catalog's too)
        written = 0
        for temp, name, expected in self._staged:
            target: str | Path = name
            if expected is None and _absent(name):  # a new file (most of a cold run's): nor a link
                current = None
            else:
                final = Path(name)
                current = _current_digest(final)
                target = link_target(final)
            # a link pointed elsewhere since `write` counts as changed: the temp file is beside the old target
            if current != expected or os.path.dirname(temp) != os.path.dirname(target):
                Path(temp).unlink(missing_ok=True)
                self.skipped.append(Path(name))
                continue
            os.replace(temp, target)
            self.written[name] = stat_text(os.stat(name))
            written += 1
        for directory in {os.path.dirname(temp) for temp, _, _ in self._staged}:  # the files' own folders
            _fsync_dir(Path(directory))
        self._staged = []
        return written

    def discard(self) -> None:
        """Remove every staged temp file: the run is ending without committing (a failure)."""
        for temp, _, _ in self._staged:
            Path(temp).unlink(missing_ok=True)
        self._staged = []


def _absent(path: str) -> bool:
    """Nothing at `path`, not even a symlink: one lstat answers both of `commit`'s questions."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one step (Linux renameat2); False where unsupported."""
    renameat2 = libc_function("renameat2")
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0


def link_target(path: AnyPath) -> AnyPath:
    """`path`, or where it points when it is a symlink. A file is written, and a site staged
    and swapped in, there: a renamed temp file would replace the link itself, so a catalog
    linked from a shared translations folder, or public/ → /var/www/news, would stop
    showing what is written."""
    if not os.path.islink(path):
        return path
    target = os.path.realpath(path)
    return target if isinstance(path, str) else Path(target)


def remove_leftovers(root: Path, site: Path) -> int:
    """Delete what an interrupted run left: staging copies of the site and unfinished temp files.

    Only files whose writer is no longer alive: the review page may be saving right now.
    """
    site = link_target(site)
    removed = 0
    for leftover in site.parent.glob(f".{site.name}.*-*"):
        if (
            leftover.is_dir()
            and leftover.name.startswith((f".{site.name}.new-", f".{site.name}.old-"))
            and _orphaned(leftover.name, _OWNED_STAGING)
        ):
            remove_tree(leftover)
            removed += 1
    links: list[str] = []
    for directory in (root / "i18n", root / "sources", root / ".tilmash"):
        for temp in _temp_files(os.fspath(directory), links):
            if _orphaned(os.path.basename(temp), _OWNED_TEMP):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
                removed += 1
    return removed + _remove_linked_temp_files(links)


def _temp_files(directory: str, links: list[str]) -> Iterator[str]:
    """Paths of the `.*.tmp` files below `directory` (os.scandir: the run's every start walks
    the newsroom's thousands of catalogs, which `Path.rglob` took three times as long for);
    the symlinks met go to `links`."""
    try:
        entries = list(os.scandir(directory))
    except OSError:  # missing, or not a directory
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _temp_files(entry.path, links)
                continue
            if entry.is_symlink():
                links.append(entry.path)
        except OSError:
            continue
        name = entry.name
        if name[0] == "." and name.endswith(".tmp") and len(name) > 4:  # as the glob `.*.tmp` matches
            yield entry.path


def _remove_linked_temp_files(links: list[str]) -> int:
    """Remove the temp files an interrupted run left beside the targets of linked files (a
    catalog in a shared translations folder: `AtomicWriter.write`). Only ours: named after a
    linked file, with the PID of a process no longer alive; other tools may share the folder."""
    linked: dict[str, set[str]] = {}
    for link in links:
        target = os.path.realpath(link)
        linked.setdefault(os.path.dirname(target), set()).add(os.path.basename(target))
    removed = 0
    for folder, names in linked.items():
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for name in entries:
            owner = _OWNED_TEMP.search(name)
            if owner and name[:1] == "." and name[1 : owner.start()] in names and not _alive(int(owner[1])):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))
                removed += 1
    return removed


def _made(path: str) -> None:
    """The directory of `path`, made when missing."""
    os.makedirs(os.path.dirname(path), exist_ok=True)


def _created(path: str) -> int:
    """A descriptor of `path`, created or emptied for writing (its directory made when missing)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
    try:
        return os.open(path, flags, 0o666)
    except FileNotFoundError:
        _made(path)
        return os.open(path, flags, 0o666)


def _current_digest(path: Path) -> bytes | None:
    """The digest of the file at `path` now; None when there is none. Anything but a regular
    file (a pipe, a device: never waited on nor read) has a digest no write expects, so the
    write is deferred rather than renamed over it."""
    try:
        return _content_digest(read_regular(path))
    except FileNotFoundError:
        return None
    except OSError:
        return b"not a regular file"


def _unchanged(current: Path, relative: str, data: bytes) -> bool:
    existing = current / relative
    try:
        return existing.stat().st_size == len(data) and existing.read_bytes() == data
    except OSError:
        return False


def _published_files(current: Path) -> list[str]:
    if not current.is_dir():
        return []
    return sorted(p.relative_to(current).as_posix() for p in current.rglob("*") if p.is_file())


class SiteStage:
    """The next site, streamed file by file into a sibling of `target`, then swapped in whole.

    `put` can be called from forked workers: each file goes straight to disk, so a run
    holds one page at a time, not the whole site. Unchanged files are hard-linked from the
    current site (their mtimes stay). A dry run only compares. `publish` swaps the new
    directory in (Linux renameat2 exchange: readers see the old or the new site), or
    discards it when nothing changed.
    """

    def __init__(self, target: Path, dry_run: bool = False) -> None:
        target = link_target(target)
        self.target = target
        self._published = target.exists()  # no site yet (a first run): nothing to compare with
        self.staging: Path | None = None
        if not dry_run:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent)
            )
        self._target, self._staging = os.fspath(target), os.fspath(self.staging or "")  # for `keep`

    def put(self, relative: str, data: bytes | Iterable[bytes]) -> bool:
        """Stage one file; True when it differs from the published one. `data` may come in
        pieces (the sitemap of a large site), written and compared as they come."""
        if not isinstance(data, bytes):
            return self._put_pieces(relative, data)
        changed = not self._published or not _unchanged(self.target, relative, data)
        if self.staging is not None:
            destination = os.path.join(self.staging, relative)
            if changed:
                _write_all(_created(destination), data)
            else:
                _made(destination)
                os.link(self.target / relative, destination)
        return changed

    def _put_pieces(self, relative: str, pieces: Iterable[bytes]) -> bool:
        """`put` of data in pieces, with its shortcuts: nothing to compare with on a first run,
        the directory made only when missing."""
        published = f"{self._target}/{relative}"
        with contextlib.ExitStack() as files:
            old: BinaryIO | None = None
            if self._published:
                try:
                    old = files.enter_context(open(published, "rb"))  # closed by the stack
                except OSError:
                    pass
            same = old is not None
            destination = f"{self._staging}/{relative}" if self.staging is not None else None
            new: BinaryIO | None = None
            if destination is not None:
                new = files.enter_context(open(_created(destination), "wb"))
            for piece in pieces:
                if new is not None:
                    new.write(piece)
                same = same and old is not None and old.read(len(piece)) == piece
            same = same and old is not None and old.read(1) == b""
        if same and destination is not None:  # unchanged: the published file, its mtime kept
            os.unlink(destination)
            os.link(published, destination)
        return not same

    def keep(self, relative: str) -> bool:
        """Stage the published file as it is, unread; False when there is none to keep.

        One link call per file in the common case (plain strings: an edit run keeps thousands)."""
        published = f"{self._target}/{relative}"
        if self.staging is None:
            return os.path.isfile(published)
        destination = f"{self._staging}/{relative}"
        try:
            os.link(published, destination)
        except FileExistsError:  # staged already (an article whose page has this path): render
            return False
        except OSError:  # no such file (or a directory), or the staged directory is not made yet
            if not os.path.isfile(published):
                return False
            _made(destination)
            try:
                os.link(published, destination)
            except FileExistsError:
                return False
        return True

    def stale(self, produced: Collection[str]) -> list[str]:
        """Published files the new site no longer has."""
        wanted = produced if isinstance(produced, set | frozenset) else set(produced)
        return [path for path in _published_files(self.target) if path not in wanted]

    def publish(self, produced: Collection[str], changed: list[str]) -> list[str]:
        """Swap the staged site in; returns the paths (re)written, none when nothing changed."""
        if self.staging is None:
            raise RuntimeError("a dry run publishes nothing")
        staging, target = self.staging, self.target
        try:
            if not changed and target.is_dir() and not self.stale(produced):
                remove_tree(staging)
                return []
            os.chmod(staging, 0o755)
            sync_filesystem(staging)
            if target.is_dir() and _exchange(staging, target):
                _fsync_dir(target.parent)
                remove_tree(staging)  # the old site now; it may have been made read-only
            else:
                if target.exists():
                    old = Path(
                        tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent)
                    )
                    try:
                        os.replace(target, old / "site")
                    except BaseException:
                        old.rmdir()  # the site could not be moved aside: it stays as it was
                        raise
                    try:
                        os.replace(staging, target)
                    except BaseException:
                        os.replace(old / "site", target)  # put the old site back
                        old.rmdir()
                        raise
                    remove_tree(old)
                else:
                    os.replace(staging, target)
                _fsync_dir(target.parent)
        except BaseException:
            self.discard()
            raise
        return changed

    def discard(self) -> None:
        if self.staging is not None and self.staging.exists():
            remove_tree(self.staging)
