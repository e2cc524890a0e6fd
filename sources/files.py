"""Decoding a file's bytes in the charset it declares, or refusing them with the line."""

from __future__ import annotations

import codecs
import re


def text_codec(label: str) -> str | None:
    """Python's codec for the charset a file declares; None when it knows none, or when the
    codec is no text encoding (`hex`, `base64`, `rot13` are codecs too, which decoding refuses)."""
    try:
        found = codecs.lookup(label)
    except LookupError:
        return None
    return found.name if getattr(found, "_is_text_encoding", True) else None


_NON_ASCII = re.compile(rb"[\x80-\xff]")


def utf8_declared_otherwise(data: bytes, codec: str) -> int | None:
    """The line of the first non-ASCII byte of `data` when it is UTF-8 but declared as `codec`
    (read as declared, it would publish mojibake); else None."""
    found = _NON_ASCII.search(data) if codec != "utf-8" else None
    if found is None or not is_utf8(data):
        return None
    return data.count(b"\n", 0, found.start()) + 1


def is_utf8(data: bytes) -> bool:
    """Valid UTF-8: a file declaring another charset over such bytes would be read as mojibake."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
