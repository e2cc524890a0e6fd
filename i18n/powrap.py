"""Wrap PO string literals the way GNU msgcat does, so tools and Tilmash never fight over layout.

Babel wraps differently from gettext (it moves the space to the next line and does not count
East Asian characters as two columns), so every catalog edited in Poedit or passed through
msgcat/msgmerge would churn on our next write. Page width 79 columns, breaks after spaces
and between CJK characters (UAX #14, as gettext's libunistring applies it), wide characters
counted twice, a long string starting with an empty `""` line.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

PAGE_WIDTH = 79
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


def _class(chars: set[str] | str) -> str:
    return "".join(re.escape(c) for c in sorted(chars))


# Where a line may end in text without wide characters (same rules as `_may_break_after`),
# as a zero-width test between two characters.
_BREAK_HERE = (
    r"(?:(?<= )(?=[^ ])"  # after spaces
    r"|(?<=-)(?=[^\W\d_])"  # after a hyphen before a letter
    r"|(?<=[.,:;])(?=[^\W\d_])"  # after numeric punctuation before a letter
    rf"|(?<=/)(?=[^\s\\/.,:;\d{_class(_NO_BREAK_BEFORE)}]))"  # after a slash
)
_NARROW_BREAK = re.compile(_BREAK_HERE)
# Spaces after which UAX #14 forbids a break (LB14, LB15, LB17), and a cheap test for
# whether a text can contain any.
_NO_BREAK_AFTER_SPACES = re.compile(
    rf"[{_class(_NO_BREAK_AFTER)}] +|[{_class(_QUOTES)}] +(?=[{_class(_OPENING)}])|— +(?=—)"
)
_MAY_FORBID_BREAKS = re.compile(rf"[{_class(_NO_BREAK_AFTER | _QUOTES | {'—'})}] +")
_ESCAPE = re.compile(r"\\.")


@lru_cache(maxsize=8)
def _line_pattern(room: int) -> re.Pattern[str]:
    """The longest prefix of at most `room` columns ending at a break, else up to the first break."""
    return re.compile(rf".{{1,{room}}}{_BREAK_HERE}|.+?{_BREAK_HERE}", re.DOTALL)


def _narrow_chunks(escaped: str, room: int) -> list[str]:
    """Lines of a text without wide characters, where every character is one column."""
    if _MAY_FORBID_BREAKS.search(escaped):
        return _listed_chunks(escaped, room)
    if "\\n" not in escaped:
        return _packed(escaped, room)
    # A line always ends after "\n": wrap the pieces between them one by one.
    ends = [m.end() for m in _ESCAPE.finditer(escaped) if m.group() == "\\n"]
    pieces = [
        escaped[start:end]
        for start, end in zip([0, *ends], [*ends, len(escaped)], strict=True)
        if end > start
    ]
    return [line for piece in pieces for line in _packed(piece, room)]


def _packed(escaped: str, room: int) -> list[str]:
    pattern = _line_pattern(room)
    lines: list[str] = []
    start = 0
    while len(escaped) - start > room and (line := pattern.match(escaped, start)):
        lines.append(line.group())
        start = line.end()
    if start < len(escaped):
        lines.append(escaped[start:])
    return lines


def _narrow_breaks(escaped: str) -> tuple[list[int], set[int]]:
    """Every break position of a narrow text, less the forbidden ones, plus forced `\\n` breaks."""
    breaks = [m.start() for m in _NARROW_BREAK.finditer(escaped)]
    banned = {m.end() for m in _NO_BREAK_AFTER_SPACES.finditer(escaped)}
    breaks = [b for b in breaks if b not in banned]
    forced = {m.end() for m in _ESCAPE.finditer(escaped) if m.group() == "\\n"}
    breaks = sorted(set(breaks) | forced | {len(escaped)})
    return breaks, forced


def _listed_chunks(escaped: str, room: int) -> list[str]:
    """Lines packed by bisecting the list of break positions (texts with forced or forbidden breaks)."""
    breaks, forced = _narrow_breaks(escaped)
    chunks: list[str] = []
    start = 0
    while start < len(escaped):
        limit = start + room
        first = bisect.bisect_right(breaks, start)
        last = bisect.bisect_right(breaks, limit) - 1
        fitting = breaks[first : last + 1]
        newline = next((b for b in fitting if b in forced), None) if forced else None
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


def wrap_literal(prefix: str, keyword: str, escaped: str, width: int = PAGE_WIDTH) -> list[str]:
    """The lines msgcat writes for `keyword` with the (escaped) string `escaped`."""
    single = f'{prefix}{keyword} "{escaped}"'
    if _line_width(single) <= width and "\\n" not in escaped[:-2]:
        return [single]
    room = width - len(prefix) - 2
    chunks = _chunks(escaped, room) if _has_wide(escaped) else _narrow_chunks(escaped, room)
    return [f'{prefix}{keyword} ""'] + [f'{prefix}"{chunk}"' for chunk in chunks]
