"""Pickles kept in `.tilmash/` between runs, led by their CRC-32.

A stray write (a disk error, an editor) can leave a pickle that still loads; its checksum
catches that, and the run computes again what the file held instead of publishing it.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from pathlib import Path
from typing import Any

from tilmash.atomic import write_atomic

_CHECK = struct.Struct("<I")


def write_checked(path: Path, tag: object, value: object) -> None:
    """Save `value` under `tag` (a format version, say), atomically."""
    body = pickle.dumps((tag, value), protocol=pickle.HIGHEST_PROTOCOL)
    write_atomic(path, _CHECK.pack(zlib.crc32(body)) + body)


def read_checked(path: Path, tag: object) -> Any:
    """What `write_checked` saved under `tag`; None when missing, damaged or saved under another."""
    try:
        data = path.read_bytes()
        (check,) = _CHECK.unpack_from(data)
        body = memoryview(data)[_CHECK.size :]
        if zlib.crc32(body) != check:
            return None
        saved_tag, value = pickle.loads(body)
    except Exception:  # missing, truncated, damaged, not a pickle of ours
        return None
    return value if saved_tag == tag else None
