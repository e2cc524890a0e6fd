"""A strict PO reader: what GNU `msgfmt --check` rejects is refused with its line, never guessed at.

Babel's parser accepts broken syntax and repairs it by losing data (`msgstr garbage "…"`
becomes "arbage …", a second msgstr disappears), and reads `#|` lines only through its
private methods. This reader follows the PO grammar gettext's own parser uses: every line
is a comment, a keyword with one string literal, or a continuation literal; an entry is
`msgctxt? msgid msgid_plural? (msgstr | msgstr[0..n-1])`; duplicates, malformed literals,
newline mismatches, plural counts that disagree with `Plural-Forms` and python-format
fields that differ between msgid and msgstr are errors, as `msgfmt --check` has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tilmash.i18n.pyformat import python_format_errors

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?(?=[\s\"]|$)\s*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPES.update({c: c for c in "\"\\'?"})
_NPLURALS = re.compile(r"nplurals\s*=\s*([^;\s]*)")
_PLURAL = re.compile(r"(?<![a-z])plural\s*=\s*([^;]*)")
PLURAL_EVAL_MAX = 1000  # msgfmt --check evaluates the expression for n = 0 … 1000
# A literal of plain characters and one-letter escapes (nearly every line): read with one match.
_SIMPLE_BODY = re.compile(r"(?:[^\"\\]|\\[ntrabfv\"\\'?])*")
_SIMPLE_ESCAPE = re.compile(r"\\(.)")


class PoSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(slots=True)
class PoEntry:
    """One entry as written: its fields, comments and the line of its msgid."""

    line: int = 0
    obsolete: bool = False
    user_comments: list[str] = field(default_factory=list)
    auto_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)  # msgctxt / msgid / msgid_plural of `#|`
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index -1 for a plain msgstr
    field_lines: dict[str, int] = field(default_factory=dict)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


def _literal(text: str, line: int, column: int) -> str:
    """The value of one C string literal that makes up the rest of a line."""
    text = text.rstrip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        body = text[1:-1]
        if "\\" not in body and '"' not in body:
            return body
        if _SIMPLE_BODY.fullmatch(body):
            return _SIMPLE_ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], body)
    if not text.startswith('"'):
        raise PoSyntaxError(line, f'syntax error at column {column}: a string must start with "')
    value: list[str] = []
    index = 1
    while index < len(text):
        char = text[index]
        if char == '"':
            if text[index + 1 :].strip():
                raise PoSyntaxError(
                    line, f"syntax error at column {column + index + 1}: text after the string"
                )
            return "".join(value)
        if char == "\\":
            if index + 1 >= len(text):
                break
            escape = text[index + 1]
            if escape in _ESCAPES:
                value.append(_ESCAPES[escape])
                index += 2
                continue
            octal = re.match(r"[0-7]{1,3}", text[index + 1 :])
            hexa = re.match(r"x([0-9a-fA-F]+)", text[index + 1 :])
            if octal:
                value.append(chr(int(octal.group(), 8)))
                index += 1 + len(octal.group())
                continue
            if hexa:
                value.append(chr(int(hexa.group(1), 16) & 0xFF))
                index += 1 + len(hexa.group())
                continue
            raise PoSyntaxError(line, f"invalid escape \\{escape} at column {column + index}")
        value.append(char)
        index += 1
    raise PoSyntaxError(line, 'end of line within a string (missing closing ")')


class _Reader:
    def __init__(self) -> None:
        self.entries: list[PoEntry] = []
        self.entry = PoEntry()
        self.last: tuple[str, int] | None = None  # the field continuation lines extend
        self.previous_last: str | None = None

    def finish(self, line: int) -> None:
        entry = self.entry
        if entry.msgid is None:
            if entry.msgctxt is not None or entry.msgstr:
                raise PoSyntaxError(
                    entry.field_lines.get("msgctxt", line), "syntax error: an entry needs a msgid"
                )
        elif not entry.msgstr:
            raise PoSyntaxError(entry.line, "missing msgstr section")
        else:
            self.entries.append(entry)
        self.entry = PoEntry()
        self.last = None
        self.previous_last = None

    def comment(self, text: str, number: int) -> None:
        if self.entry.msgid is not None and not self.entry.msgstr:
            raise PoSyntaxError(self.entry.line, "missing msgstr section")
        if self.entry.msgstr or self.entry.msgctxt is not None:
            self.finish(number)
        self.last = None
        kind = text[1:2]
        body = text[2:]
        if kind == ".":
            self.entry.auto_comments.append(body.strip())
        elif kind == ":":
            self.entry.references += body.split()
        elif kind == ",":
            self.entry.flags += [flag.strip() for flag in body.split(",") if flag.strip()]
        elif kind == "|":
            self.previous_field(body.strip(), number)
        elif kind == "~":
            return
        else:
            self.entry.user_comments.append(text[2:] if text[1:2] == " " else text[1:])

    def previous_field(self, body: str, number: int) -> None:
        match = _KEYWORD.match(body)
        if match and match.group(1) != "msgstr" and match.group(2) is None:
            self.previous_last = match.group(1)
            self.entry.previous[match.group(1)] = _literal(body[match.end() :], number, match.end() + 4)
        elif body.startswith('"') and self.previous_last:
            self.entry.previous[self.previous_last] += _literal(body, number, 4)
        else:
            word = body.split(maxsplit=1)[0] if body.split() else body
            raise PoSyntaxError(number, _unknown(word))

    def keyword(self, text: str, number: int, obsolete: bool) -> None:
        match = _KEYWORD.match(text)
        if not match:
            if text.startswith('"'):
                if self.last is None:
                    raise PoSyntaxError(number, "syntax error: a string outside any keyword")
                self.extend(_literal(text, number, 1))
                return
            word = re.split(r"[\s\"]", text, maxsplit=1)[0]
            raise PoSyntaxError(number, _unknown(word))
        keyword, index = match.group(1), match.group(2)
        value = _literal(text[match.end() :], number, match.end() + 1)
        entry = self.entry
        if keyword in ("msgctxt", "msgid") and (entry.msgstr or (keyword == "msgctxt" and entry.msgid)):
            self.finish(number)
            entry = self.entry
        if keyword == "msgctxt":
            if entry.msgctxt is not None:
                raise PoSyntaxError(number, "syntax error: a second msgctxt")
            entry.msgctxt = value
        elif keyword == "msgid":
            if entry.msgid is not None:
                raise PoSyntaxError(entry.line, "missing msgstr section")
            entry.msgid, entry.line = value, number
        elif keyword == "msgid_plural":
            if entry.msgid is None or entry.msgid_plural is not None or entry.msgstr:
                raise PoSyntaxError(number, "syntax error: msgid_plural out of place")
            entry.msgid_plural = value
        else:
            if entry.msgid is None:
                raise PoSyntaxError(number, "syntax error: msgstr without a msgid")
            if index is None:
                if entry.msgid_plural is not None:
                    raise PoSyntaxError(number, "syntax error: a plural entry needs msgstr[0], msgstr[1], …")
                if entry.msgstr:
                    raise PoSyntaxError(number, "syntax error: a second msgstr")
                entry.msgstr[-1] = value
            else:
                if entry.msgid_plural is None:
                    raise PoSyntaxError(entry.line, "missing msgid_plural section")
                if int(index) != len(entry.msgstr):
                    raise PoSyntaxError(number, "plural form has wrong index")
                entry.msgstr[int(index)] = value
        if entry.obsolete != obsolete and (entry.msgid is not None or entry.msgctxt is not None):
            entry.obsolete = obsolete
        entry.field_lines.setdefault(keyword, number)
        self.last = (keyword, -1 if index is None else int(index))

    def extend(self, value: str) -> None:
        assert self.last is not None
        keyword, index = self.last
        entry = self.entry
        if keyword == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif keyword == "msgid":
            entry.msgid = (entry.msgid or "") + value
        elif keyword == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        else:
            entry.msgstr[index] += value


_CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


def _unknown(word: str) -> str:
    """What is wrong where a keyword was expected, in words a translator can act on: a
    byte-order mark and a conflict marker are otherwise an invisible or puzzling "keyword"."""
    if word.startswith("\ufeff"):
        return "the file starts with a byte-order mark (U+FEFF), which msgfmt refuses: save it without BOM"
    if word.startswith(_CONFLICT_MARKERS):
        return f"a merge-conflict marker ({word[:7]}) is left in: resolve the conflict, keeping one version"
    return f'keyword "{word}" unknown'


def read_entries(text: str, check_format: bool = True) -> list[PoEntry]:
    """The entries of a PO text (header first when there is one); PoSyntaxError on bad syntax."""
    reader = _Reader()
    lines = text.split("\n")
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r").strip()
        if not line:
            continue
        if line.startswith("#~"):
            rest = line[2:]
            if rest.startswith("|"):
                reader.comment("#" + rest, number)
                continue
            rest = rest.strip()
            if not rest:
                continue
            reader.keyword(rest, number, obsolete=True)
            continue
        if line.startswith("#"):
            reader.comment(line, number)
            continue
        reader.keyword(line, number, obsolete=False)
    reader.finish(len(lines))
    _validate(reader.entries, check_format)
    return reader.entries


def _validate(entries: list[PoEntry], check_format: bool = True) -> None:
    """What `msgfmt --check` verifies beyond the grammar."""
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete), None)
    if header is None:
        raise PoSyntaxError(1, 'the PO header (msgid "") is missing')
    nplurals, has_expression = _plural_forms(header)
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        assert entry.msgid is not None
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise PoSyntaxError(entry.line, f"duplicate message definition (first on line {seen[key]})")
        seen[key] = entry.line
        if entry.obsolete or entry is header:
            continue
        if entry.msgid_plural is not None:
            if nplurals is None:
                raise PoSyntaxError(entry.line, "plural translations, but no Plural-Forms in the header")
            if not has_expression:
                raise PoSyntaxError(
                    header.line, "plural translations, but Plural-Forms has no plural=EXPRESSION"
                )
            if any(entry.msgstr.values()) and len(entry.msgstr) != nplurals:
                raise PoSyntaxError(
                    entry.line, f"{len(entry.msgstr)} plural forms, but the header says nplurals = {nplurals}"
                )
        if entry.fuzzy:
            continue
        for index, string in entry.msgstr.items():
            source = entry.msgid if index <= 0 else (entry.msgid_plural or entry.msgid)
            if not string or not source:
                continue
            for where, test in (("begin", str.startswith), ("end", str.endswith)):
                if test(source, "\n") != test(string, "\n"):
                    raise PoSyntaxError(entry.line, f"msgid and msgstr do not both {where} with \\n")
            if "c-format" in entry.flags and _c_directives(source) != _c_directives(string):
                if "$" not in string:
                    raise PoSyntaxError(entry.line, "c-format: format specifications differ from the English")
            if "python-format" in entry.flags and check_format:
                problem = python_format_errors(source, string)
                if problem:
                    raise PoSyntaxError(entry.line, f"python-format: {problem}")


_C_DIRECTIVE = re.compile(
    r"%(?:%|[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d*))?(?:hh|h|ll|l|L|q|j|z|t)?([diouxXeEfFgGaAcspn]))"
)
_C_TYPES = {**dict.fromkeys("diouxXc", "integer"), **dict.fromkeys("eEfFgGaA", "float")}


def _c_directives(text: str) -> list[str]:
    """The argument types of a C format string, in order (a rough reading, enough for --check)."""
    return [_C_TYPES.get(m.group(1), m.group(1)) for m in _C_DIRECTIVE.finditer(text) if m.group(1)]


def _plural_forms(header: PoEntry) -> tuple[int | None, bool]:
    """`nplurals` of the header's Plural-Forms (None without one), and whether it has a plural
    expression; an expression msgfmt would refuse is refused here too."""
    text = header.msgstr.get(-1, "")
    for line in text.split("\n"):
        if line.lower().startswith("plural-forms:"):
            match = _NPLURALS.search(line)
            if not match or not match.group(1).isdigit() or int(match.group(1)) < 1:
                raise PoSyntaxError(header.line, "invalid nplurals value in Plural-Forms")
            nplurals = int(match.group(1))
            expression = _PLURAL.search(line)
            if expression is not None:
                problem = plural_expression_problem(expression.group(1).strip(), nplurals)
                if problem:
                    raise PoSyntaxError(header.line, f"{problem} (Plural-Forms)")
            return nplurals, expression is not None
    return None, False


@lru_cache(maxsize=32)
def plural_expression_problem(expression: str, nplurals: int) -> str | None:
    """Why gettext cannot use `expression` with `nplurals` forms (as `msgfmt --check` says), or None.

    A broken one (an unbalanced parenthesis) would stop every page of the locale from being
    rendered; one that can answer `nplurals` or more picks a form the entry does not have."""
    import gettext  # on use: only a catalog with Plural-Forms needs it

    try:
        plural = gettext.c2py(expression)
    except (ValueError, RecursionError):
        return f"invalid plural expression {expression!r}"
    try:
        beyond = next((n for n in range(PLURAL_EVAL_MAX + 1) if not 0 <= plural(n) < nplurals), None)
    except ZeroDivisionError:
        return f"the plural expression {expression!r} can divide by zero"
    if beyond is not None:
        return (
            f"nplurals = {nplurals}, but the plural expression gives form {plural(beyond)} for n = {beyond}"
        )
    return None
