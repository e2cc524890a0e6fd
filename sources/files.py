"""Reading a newsroom's files without trusting what kind of file a name holds."""

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
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a pipe opens without a writer
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read() if limit is None else handle.read(limit + 1)


def is_utf8(data: bytes) -> bool:
    """Valid UTF-8: a file declaring another charset over such bytes would be read as mojibake."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
