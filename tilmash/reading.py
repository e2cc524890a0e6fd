"""Reading a newsroom's files without trusting what kind of file a name holds.

A leaf module (the standard library only): the writer (tilmash.atomic), the units and every
stage read through it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def read_regular(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most `limit` + 1 of them: enough to tell it is too large).

    A source or catalog linked to /dev/zero filled the memory, and a named pipe made the run
    (holding the newsroom's lock) wait forever for a writer: anything but a regular file is an
    OSError ("not a regular file"), found without waiting to read it.
    """
    descriptor = os.open(path, READ_FLAGS)
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):  # as a file object opened on it says
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return read_descriptor(descriptor, status.st_size, limit)
    finally:
        os.close(descriptor)


READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC  # a pipe opens without a writer


def read_descriptor(descriptor: int, size: int, limit: int | None = None) -> bytes:
    """The bytes of the regular file open as `descriptor`, `size` long by its stat (more if it
    grew since), at most `limit` + 1 of them. Read on the descriptor: a file object's set-up
    took as long as reading a story."""
    most = None if limit is None else limit + 1
    data = os.read(descriptor, size + 1 if most is None else min(size + 1, most))
    if len(data) == size or len(data) == most:  # all of it (one byte more would show it grew), or enough
        return data
    pieces, got = [data], len(data)  # rare: a file that grew, or shrank, since its stat
    while most is None or got < most:
        chunk = os.read(descriptor, 1 << 20 if most is None else min(1 << 20, most - got))
        if not chunk:
            break
        pieces.append(chunk)
        got += len(chunk)
    return b"".join(pieces)
