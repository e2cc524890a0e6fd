"""Wrap PO string literals the way GNU msgcat does, so tools and Tilmash never fight over layout.

Babel wraps differently from gettext (it moves the space to the next line and does not count
East Asian characters as two columns), so every catalog edited in Poedit or passed through
msgcat/msgmerge would churn on our next write. We let Babel write unwrapped entries and wrap
them here: page width 79 columns, breaks after spaces and between CJK characters, wide
characters counted twice, a long string starting with an empty `""` line.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

PAGE_WIDTH = 79
_KEYWORD_LINE = re.compile(r'^(#~ |#\| |#~ #\| )?(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')
_NO_BREAK_BEFORE = set("，。、：；？！）」』》〉】〕”’…·,.:;?!)]}%")
_NO_BREAK_AFTER = set("“‘（「『《〈【〔([{")
_OPENING = set("([{（「『《〈【〔")
_QUOTES = set("«»“”‘’\"'")


@lru_cache(maxsize=4096)
def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _atoms(escaped: str) -> list[str]:
    """Split an escaped literal into units that must not be torn apart (escape sequences)."""
    atoms: list[str] = []
    index = 0
    while index < len(escaped):
        step = 2 if escaped[index] == "\\" and index + 1 < len(escaped) else 1
        atoms.append(escaped[index : index + step])
        index += step
    return atoms


def _may_break_after(atoms: list[str], index: int) -> bool:
    """May a line end after atoms[index]?"""
    current = atoms[index]
    if index + 1 >= len(atoms):
        return True
    following = atoms[index + 1]
    if current == "\\n":
        return True
    if current == " ":
        if following == " ":
            return False
        before = next((a for a in reversed(atoms[:index]) if a != " "), "")[-1:]
        # UAX #14 LB14/LB15: no break after an opening bracket, nor between a quote and "(".
        return not (
            before in _NO_BREAK_AFTER
            or (before in _QUOTES and following in _OPENING)
            or (before == "—" and following == "—")  # LB17
        )
    if len(current) > 1 or len(following) > 1:
        return False
    if current in _NO_BREAK_AFTER or following in _NO_BREAK_BEFORE or following == " ":
        return False
    if current == "-":
        return following.isalpha()
    if current in "/.,:;" and following not in "/.,:;" and not following.isdigit():
        return following.isalpha() or (current == "/" and following not in _NO_BREAK_BEFORE)
    return _width(current) == 2 or _width(following) == 2


def _chunks(escaped: str, room: int) -> list[str]:
    atoms = _atoms(escaped)
    widths = [sum(_width(c) for c in atom) if len(atom) == 1 else len(atom) for atom in atoms]
    chunks: list[str] = []
    start = 0
    while start < len(atoms):
        used, last_break, index = 0, -1, start
        while index < len(atoms) and used + widths[index] <= room:
            used += widths[index]
            if _may_break_after(atoms, index):
                last_break = index
                if atoms[index] == "\\n":
                    break
            index += 1
        if index >= len(atoms):
            end = len(atoms) - 1
        elif last_break >= start:
            end = last_break
        else:  # nothing fits: overflow up to the next break opportunity, as gettext does
            end = next((i for i in range(start, len(atoms)) if _may_break_after(atoms, i)), len(atoms) - 1)
        chunks.append("".join(atoms[start : end + 1]))
        start = end + 1
    return chunks


def _line_width(line: str) -> int:
    if line.isascii():
        return len(line)
    return sum(_width(c) for c in line)


def _has_wide(text: str) -> bool:
    return not text.isascii() and any(_width(c) == 2 for c in text)


_SPACE_RUN = re.compile(r" +")
_HYPHEN_BREAK = re.compile(r"-(?=[^\W\d_])")
_PUNCT_BREAK = re.compile(r"[/.,:;](?=[^/.,:;\s\\])")


def _narrow_breaks(escaped: str) -> tuple[list[int], set[int]]:
    """Break positions (offsets after which a line may end) of a text without wide characters.

    Same rules as `_may_break_after`, found with regular expressions: in such text every
    character is one column, so offsets are widths and lines are packed by bisection.
    """
    breaks: set[int] = set()
    for run in _SPACE_RUN.finditer(escaped):
        end = run.end()
        if end >= len(escaped):
            continue
        before = escaped[run.start() - 1] if run.start() else ""
        following = escaped[end]
        if before in _NO_BREAK_AFTER or (before in _QUOTES and following in _OPENING) or (before == "—" and following == "—"):
            continue
        breaks.add(end)
    breaks.update(m.end() for m in _HYPHEN_BREAK.finditer(escaped))
    for match in _PUNCT_BREAK.finditer(escaped):
        current, following = match.group(), escaped[match.end()]
        if following.isdigit() or following in _NO_BREAK_BEFORE:
            continue
        if following.isalpha() or current == "/":
            breaks.add(match.end())
    forced: set[int] = set()
    if "\\" in escaped:
        index = 0
        escapes: set[int] = set()
        while index < len(escaped):
            if escaped[index] == "\\" and index + 1 < len(escaped):
                escapes.add(index + 1)
                if escaped[index + 1] == "n":
                    forced.add(index + 2)
                index += 2
            else:
                index += 1
        breaks = {b for b in breaks if b not in escapes and not (b > 0 and escaped[b - 1] == "\\")}
        breaks |= forced
    breaks.add(len(escaped))
    return sorted(breaks), forced


def _narrow_chunks(escaped: str, room: int) -> list[str]:
    breaks, forced = _narrow_breaks(escaped)
    chunks: list[str] = []
    start = 0
    while start < len(escaped):
        limit = start + room
        first = bisect.bisect_right(breaks, start)
        last = bisect.bisect_right(breaks, limit) - 1
        fitting = breaks[first : last + 1]
        newline = next((b for b in fitting if b in forced), None)
        if newline is not None:
            end = newline
        elif len(escaped) <= limit:
            end = len(escaped)
        elif fitting:
            end = fitting[-1]
        else:
            end = breaks[first]
        chunks.append(escaped[start:end])
        start = end
    return chunks


_CONTINUATION = re.compile(r'^(#~ |#\| |#~ #\| )?"(.*)"$')


def wrap_literal(prefix: str, keyword: str, escaped: str, width: int = PAGE_WIDTH) -> list[str]:
    """The lines msgcat writes for `keyword` with the (escaped) string `escaped`."""
    single = f'{prefix}{keyword} "{escaped}"'
    if _line_width(single) <= width and "\\n" not in escaped[:-2]:
        return [single]
    room = width - len(prefix) - 2
    chunks = _chunks(escaped, room) if _has_wide(escaped) else _narrow_chunks(escaped, room)
    return [f'{prefix}{keyword} ""'] + [f'{prefix}"{chunk}"' for chunk in chunks]


def wrap_po(text: str, width: int = PAGE_WIDTH) -> str:
    """Re-wrap every string literal of a PO text; comments and other lines are left alone."""
    source = text.split("\n")
    lines: list[str] = []
    index = 0
    while index < len(source):
        match = _KEYWORD_LINE.match(source[index])
        if not match:
            lines.append(source[index])
            index += 1
            continue
        prefix, keyword, escaped = match.group(1) or "", match.group(2), match.group(3)
        index += 1
        while index < len(source):
            continuation = _CONTINUATION.match(source[index])
            if not continuation or (continuation.group(1) or "") != prefix:
                break
            escaped += continuation.group(2)
            index += 1
        lines.extend(wrap_literal(prefix, keyword, escaped, width))
    return "\n".join(lines).rstrip("\n") + "\n"
