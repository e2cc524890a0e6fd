"""Characters no HTML or XML page may hold: removed on input, so none ever reaches lxml.

C0 controls other than tab and line breaks, DEL, the non-characters U+FFFE/U+FFFF and lone
surrogates arrive from feeds (`&#x8;`), text pasted from Word or PDF, or a review form.
"""

from __future__ import annotations

import re

CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_ASCII_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _has_controls(text: str) -> bool:
    if text.isascii():  # most sources: their bytes without the controls, a fifth of the regex's time
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_CONTROLS)) != len(data)
    return CONTROL_RE.search(text) is not None


def strip_controls(text: str) -> tuple[str, list[int]]:
    """`text` without those characters, and the 1-based lines where some were removed."""
    if not _has_controls(text):  # the common case: one scan, no copy
        return text, []
    lines = [number for number, line in enumerate(text.split("\n"), 1) if CONTROL_RE.search(line)]
    return CONTROL_RE.sub("", text), lines


def control_warning(lines: list[int]) -> str:
    """The message for `strip_controls`' lines (the first is the one the error line names)."""
    more = ", ".join(map(str, lines[1:6])) + (" …" if len(lines) > 6 else "")
    return "control characters removed (they cannot appear in a web page)" + (
        f"; also on lines {more}" if more else ""
    )
