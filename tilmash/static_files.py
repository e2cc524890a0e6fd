"""The newsroom's `static/` files (images, downloads) in the published site.

A press office's `static/` may hold gigabytes of photos. Each file is copied as it is read,
in pieces, never held whole in memory; a file whose stat is the one the last run published
it with is kept unread (hard-linked from the published site, as `render.page_keys` keeps a
listing page). The pages depend only on which files exist (`layout_digest`), not on their
bytes: replacing a photo redoes no article.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from tilmash.atomic import SiteStage, stat_text
from tilmash.render.page_keys import PageKeys
from tilmash.state import RACY_NS

PIECE = 1 << 20  # bytes read at a time


def static_files(directory: Path, errors: list[str]) -> dict[str, Path]:
    """Site path → the newsroom's file, for every file below `directory` but hidden ones.

    A symlink is followed only when it stays inside the newsroom: one pointing at
    /etc/passwd must not publish it. Such links go to `errors`.
    """
    if not directory.is_dir():
        return {}
    newsroom = directory.resolve().parent
    files = {}
    for path in sorted(directory.rglob("*")):
        if path.name.startswith(".") or not path.is_file():
            continue
        if not path.resolve().is_relative_to(newsroom):
            errors.append(f"{path}: a symlink to {path.resolve()}, outside the newsroom: not published")
            continue
        files[f"static/{path.relative_to(directory).as_posix()}"] = path
    return files


def publish_static(
    files: Mapping[str, Path], site: SiteStage, keys: PageKeys | None, errors: list[str]
) -> list[tuple[str, bool]]:
    """Stage each file into `site`; (site path, changed) for each staged. With `keys`, a file
    whose stat is the one it was published with is kept unread. An unreadable file goes to
    `errors` and is left out; one that fails midway fails the run (nothing half copied is
    published)."""
    racy = time.time_ns() - RACY_NS  # a file written within the clock's tick may change unseen
    staged = []
    for path, source in files.items():
        try:
            if keys is not None:
                stat = os.stat(source)
                if stat.st_mtime_ns < racy and stat.st_ctime_ns < racy:
                    key = hashlib.blake2b(stat_text(stat).encode(), digest_size=16).digest()
                    if not keys.wanted(path, key):
                        staged.append((path, False))
                        continue
            handle = open(source, "rb")
        except OSError as error:
            errors.append(f"{source}: cannot be read: {error.strerror or error}")
            continue
        with handle:
            staged.append((path, site.put(path, _pieces(handle))))
    return staged


def _pieces(handle: BinaryIO) -> Iterator[bytes]:
    while piece := handle.read(PIECE):
        yield piece


def layout_digest(directory: Path) -> bytes:
    """Names, kinds and symlink targets of everything below `directory`, unread: all that
    article pages depend on of `static/` (whether an image they show is there: sources.assets)."""
    digest = hashlib.blake2b(digest_size=16)
    for folder, dirs, names in os.walk(directory):
        dirs.sort()
        for name in sorted(dirs + names):
            path = os.path.join(folder, name)
            kind = os.readlink(path) if os.path.islink(path) else ("/" if name in dirs else "")
            digest.update(f"{os.path.relpath(path, directory)}\0{kind}\n".encode())
    return digest.digest()
