"""The C library calls Python's `os` module lacks: syncfs, renameat2, prctl."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache


@cache
def libc_function(name: str) -> Callable[..., int] | None:
    """`name` from the running C library, or None where it has no such function (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    # CDLL(None) is the process itself, libc included: no `ldconfig` subprocess as find_library runs.
    return getattr(ctypes.CDLL(None, use_errno=True), name, None)
