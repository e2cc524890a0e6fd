"""Wrap PO strings with the line breaker GNU gettext itself uses, so the layout is msgcat's to the byte.

msgcat (write-po.c) cuts each string after every `\\n`, escapes it, forbids breaks inside
escape sequences, inside format directives and before a final `\\n`, and asks libunistring's
`u8_width_linebreaks` (UAX #14 with East Asian widths) where lines may end. Reimplementing
UAX #14 in Python differs from libunistring in corner cases (en dashes, `:` and `/` before
letters, CJK next to Latin); calling the same function gives the same answer. Where the
library is missing (not a GNU system), `wrap_po_string` returns None and the caller falls
back to the pure-Python approximation in `powrap`.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache, partial

PAGE_WIDTH = 79
_UNDEFINED, _PROHIBITED, _POSSIBLE = 0, 1, 2
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}
_UTF8 = b"UTF-8"
_POSSIBLE_BYTE = bytes([_POSSIBLE])


def _library_names() -> Iterator[str]:
    """The usual names first: `find_library` runs `ldconfig -p` in a subprocess (3-10 ms a run)."""
    yield from ("libunistring.so.2", "libunistring.so.5", "libunistring.dylib")
    import ctypes.util  # imports subprocess: only when the usual names are missing

    found = ctypes.util.find_library("unistring")
    if found:
        yield found


@cache
def _linebreaks() -> Callable[..., int] | None:
    """libunistring's u8_width_linebreaks (the `_v2` gettext 0.21 links to, when present)."""
    for name in _library_names():
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        function = getattr(library, "u8_width_linebreaks_v2", None) or getattr(
            library, "u8_width_linebreaks", None
        )
        if function is not None:
            function.restype = ctypes.c_int
            function.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int]
            function.argtypes += [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
            return function
    return None


def available() -> bool:
    return _linebreaks() is not None


_CONTINUATION = bytes(_PROHIBITED if 0x80 <= b < 0xC0 else _UNDEFINED for b in range(256))
_ESCAPE_TABLE = str.maketrans({char: "\\" + code for char, code in _ESCAPES.items()})
_ESCAPED_PAIR = re.compile(rb"\\.")
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def _escaped(text: str) -> bytes:
    return (text.translate(_ESCAPE_TABLE) if _NEEDS_ESCAPE.search(text) else text).encode("utf-8")


def _overrides(data: bytes, text: str) -> bytes:
    """A break override per byte of `data` (`text` escaped), as write-po.c builds them: no
    break inside a UTF-8 character or an escape sequence, nor before a final `\\n`."""
    overrides = bytearray(data.translate(_CONTINUATION))
    if b"\\" in data:
        for match in _ESCAPED_PAIR.finditer(data):
            overrides[match.start() + 1] = _PROHIBITED
    if text.endswith("\n"):
        overrides[-2] = _PROHIBITED  # no break right before the final "\n"
    return bytes(overrides)


def _portion_with_directives(
    text: str, start: int, directives: Sequence[tuple[int, int]]
) -> tuple[bytes, bytes]:
    inside = {i for begin, end in directives for i in range(begin + 1, end)}
    out = bytearray()
    overrides = bytearray()
    for offset, char in enumerate(text):
        escape = _ESCAPES.get(char)
        encoded = ("\\" + escape).encode() if escape else char.encode("utf-8")
        out += encoded
        overrides.append(_PROHIBITED if start + offset in inside else _UNDEFINED)
        overrides += bytes([_PROHIBITED]) * (len(encoded) - 1)
    if text.endswith("\n"):
        overrides[-2] = _PROHIBITED
    return bytes(out), bytes(overrides)


# Plain text: ASCII letters, digits, spaces, a unit's paired placeholders (`<1>`, `</1>`: the
# library reads `<` and `>` as letters, and breaks neither before the `/` nor after it, before a
# digit), and full stops and commas not right before a letter, digit or placeholder. The
# library breaks it only after a run of spaces, before a letter, digit or placeholder. Where
# UAX #14 releases and libunistring's tables disagree (`a.b` breaks here, LB29 says not; `x.5`,
# ` .5` and `1.5`: LB25 and Unicode 15.1's LB15c), text is left to the library; so is any
# other `<`, `>` or `/` (a self-closing `<1/>` may break after its `/`).
_PLAIN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,"
_PLACEHOLDER_BYTES = b"</>"
_PAIRED_PLACEHOLDER = re.compile(rb"</?[0-9]+>")


def _plain(data: bytes) -> bool:
    """Plain text, not opening with a space (the library never breaks after leading spaces).
    Checked on the bytes: a regular expression over the characters costs as much as the library
    (one is asked only about the `<`, `>` and `/` of text that has any)."""
    other = data.translate(None, _PLAIN_BYTES)
    if other and (
        other.translate(None, _PLACEHOLDER_BYTES)
        or _PAIRED_PLACEHOLDER.sub(b"", data).translate(None, _PLAIN_BYTES)
    ):
        return False
    return data[:1] != b" " and not _disputed(data)


def _disputed(data: bytes) -> bool:
    """A full stop or comma right before a letter, digit or placeholder (`[.,][0-9A-Za-z<]`): found
    with a few `find`s, as prose has few of them (a regular expression scans every byte, at 3×
    the cost)."""
    for mark in b".,":
        at = data.find(mark)
        while at >= 0:
            after = data[at + 1 : at + 2]
            if after.isalnum() or after == b"<":
                return True
            at = data.find(mark, at + 1)
    return False


def _plain_cuts(text: str, room: int, column: int) -> list[int]:
    """`_cuts` of plain text (`_plain`), without the library: u8_width_linebreaks is a greedy fill
    that ends a line at its last break opportunity within `room` columns, or, when there is
    none, at the first one after."""
    end = len(text)
    cut = [0]
    start = 0
    while column + end - start > room:
        # The last break opportunity in (start, start + room - column]: after a space, before
        # anything but a space, full stop or comma (found here, not by a call: ~3 per paragraph).
        space = text.rfind(" ", start, start + room - column)
        while space >= 0 and text[space + 1] in " .,":
            space = text.rfind(" ", start, space)
        at = space + 1 if space >= 0 else _first_opportunity(text, start)
        if at < 0:
            break
        cut.append(at)
        start, column = at, 0
    cut.append(end)
    return cut


def _first_opportunity(text: str, start: int) -> int:
    """The first break opportunity of plain text after `start`; -1 when there is none."""
    space = text.find(" ", start)
    while space >= 0 and (space + 1 == len(text) or text[space + 1] in " .,"):
        space = text.find(" ", space + 1)
    return space + 1 if space >= 0 else -1


def _cuts(
    linebreaks: Callable[..., int], data: bytes, overrides: bytes | None, text: str, room: int, column: int
) -> list[int]:
    """0, the offsets where libunistring breaks `data` (`text` escaped) starting at `column`,
    and len(data); `overrides` None: made here, when needed.

    No character is wider than its UTF-8 bytes, so data that fits in its bytes cannot be
    broken: the library is asked only about longer data.
    """
    if not data or column + len(data) <= room:
        return [0, len(data)]
    # A buffer of at least 1 KiB: one of exactly len(data) bytes made each call twice as slow
    # (measured, glibc), and `string_at` copies only the marks asked for.
    breaks = ctypes.create_string_buffer(max(len(data), 1024))
    overrides = _overrides(data, text) if overrides is None else overrides
    linebreaks(data, len(data), room, column, 0, overrides, _UTF8, breaks)
    marks = ctypes.string_at(breaks, len(data))
    cut = [0]
    at = marks.find(_POSSIBLE_BYTE)
    while at >= 0:
        cut.append(at)
        at = marks.find(_POSSIBLE_BYTE, at + 1)
    cut.append(len(data))
    return cut


def _keyword_alone(keyword: str, room: int, cut: list[int], cuts_from: Callable[[int], list[int]]) -> bool:
    """Whether msgcat writes `keyword ""` on a line of its own: the first portion, broken at `cut`
    from column 0, does not fit after the keyword. The fill is greedy: text that needs a break
    from column 0 needs one further right too, so `cuts_from` the keyword's end is asked only
    when it might fit there."""
    after_keyword = len(keyword) + 1
    return after_keyword > room or len(cut) > 2 or len(cuts_from(after_keyword)) > 2


def wrap_po_string(
    prefix: str, keyword: str, value: str, directives: Sequence[tuple[int, int]] = (), width: int = PAGE_WIDTH
) -> list[str] | None:
    """The lines msgcat writes for `keyword` with the (unescaped) `value`; None without libunistring.

    `directives` are the (start, end) character spans of format directives in `value`
    (python-format entries), which gettext never breaks inside.
    """
    linebreaks = _linebreaks()
    if linebreaks is None:
        return None
    room = width - 2 - len(prefix)
    if not directives and value.isascii() and _plain(value.encode("ascii")):
        # Most paragraphs: one portion, nothing escaped, broken where the library would break it.
        cut = _plain_cuts(value, room, 0)
        if len(cut) > 2 or (  # broken: the keyword has its line (`_keyword_alone`, asked only if not)
            value and _keyword_alone(keyword, room, cut, lambda column: _plain_cuts(value, room, column))
        ):
            return [f'{prefix}{keyword} ""'] + [
                f'{prefix}"{value[a:b]}"' for a, b in zip(cut, cut[1:], strict=False)
            ]
        return [f'{prefix}{keyword} "{value}"']
    pieces = value.split("\n")
    portions = [piece + "\n" for piece in pieces[:-1]] + (
        [pieces[-1]] if pieces[-1] or len(pieces) == 1 else []
    )
    lines: list[str] = []
    first = True
    start = 0
    for number, text in enumerate(portions):
        more = number + 1 < len(portions)
        if directives:
            data, overrides = _portion_with_directives(text, start, directives)
        else:
            data, overrides = _escaped(text), None
        start += len(text)
        cut = _cuts(linebreaks, data, overrides, text, room, 0)  # from a continuation line's first column
        if (
            first
            and data
            and (
                more
                or _keyword_alone(keyword, room, cut, partial(_cuts, linebreaks, data, overrides, text, room))
            )
        ):
            lines.append(f'{prefix}{keyword} ""')
            first = False
        head = f"{prefix}{keyword} " if first else prefix
        first = False
        chunks = [data[a:b].decode("utf-8") for a, b in zip(cut, cut[1:], strict=False)]
        lines.append(f'{head}"{chunks[0]}"')
        lines += [f'{prefix}"{chunk}"' for chunk in chunks[1:]]
    return lines
