"""Byte strings a run parks on disk instead of in memory, each read back by its place.

A run of 10,000 articles would otherwise hold every parsed body, pickled unit and listing
edition until its end. The file is anonymous (gone when closed or when the process exits)
and opened by the first `append`: an edit run often parks nothing.
"""

from __future__ import annotations

import os
import tempfile
from typing import BinaryIO


class Spill:
    """An append-only temporary file; `read` uses pread, so forked workers read it too."""

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        self._end = 0  # the file's size: where the next `append` goes

    def append(self, data: bytes) -> tuple[int, int]:
        """(offset, length) of `data`, written through to the file before this returns (a worker
        forked next reads it with pread): unbuffered, at the end the spill keeps track of."""
        if self._file is None:
            self._file = tempfile.TemporaryFile(buffering=0)
        offset, fd, view = self._end, self._file.fileno(), memoryview(data)
        while view:
            done = os.pwrite(fd, view, self._end)
            self._end += done
            view = view[done:]
        return offset, len(data)

    def read(self, offset: int, length: int) -> bytes:
        if self._file is None:
            raise KeyError(offset)
        return os.pread(self._file.fileno(), length, offset)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._end = 0
