"""Serialize a Babel catalog exactly as GNU msgcat lays a PO file out.

Babel's `write_po` wraps strings its own way, wraps comments at 76 columns, and drops the
flags of obsolete entries (a fuzzy machine translation would come back as "reviewed"
after its paragraph was removed and restored). Reading stays Babel's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from babel.messages.catalog import Catalog, Message

from tilmash.i18n.entries import header_comment, messages
from tilmash.i18n.gnuwrap import PAGE_WIDTH, wrap_po_string
from tilmash.i18n.pyformat import directive_spans

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r'[\\"\n\t\r]')


def literal_lines(prefix: str, keyword: str, text: str, python_format: bool = False) -> list[str]:
    """`keyword "text"` as msgcat lays it out (`prefix` is `#~ ` or `#| ` where needed)."""
    if text.find("\n", 0, len(text) - 1) < 0:  # one line, or one that ends the text
        if len(prefix) + len(keyword) + len(text) + 3 <= PAGE_WIDTH:  # escaping only lengthens it
            single = f'{prefix}{keyword} "{_escaped(text)}"'
            if len(single) <= PAGE_WIDTH and single.isascii() and single.isprintable():
                return [single]  # fits as it is: no line breaker needed
    elif not python_format:
        lines = _short_lines(prefix, keyword, text)  # a header: no escaping of the whole text
        if lines is not None:
            return lines
    directives = directive_spans(text) if python_format else ()
    exact = wrap_po_string(prefix, keyword, text, directives, PAGE_WIDTH)
    if exact is not None:
        return exact
    from tilmash.i18n.powrap import wrap_literal  # the approximation, without libunistring only

    return wrap_literal(prefix, keyword, _escaped(text), PAGE_WIDTH)


def _escaped(text: str) -> str:
    """`text` escaped for a PO literal; most texts need nothing, and str.translate is slow (18 µs
    for a 400-character header)."""
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _short_lines(prefix: str, keyword: str, text: str) -> list[str] | None:
    """A string of several lines (a header) whose lines each fit: msgcat writes `keyword ""`,
    then each line as it is. None when one needs the line breaker."""
    pieces = text.split("\n")
    lines = [f'{prefix}{keyword} ""']
    for number, piece in enumerate(pieces):
        last = number == len(pieces) - 1
        if last and not piece:
            break
        escaped = _escaped(piece)
        line = f'{prefix}"{escaped}"' if last else f'{prefix}"{escaped}\\n"'
        if len(line) > PAGE_WIDTH or not line.isascii() or not piece.isprintable():
            return None
        lines.append(line)
    return lines


def location_lines(locations: Iterable[tuple[str, int | None]]) -> Iterator[str]:
    """The `#:` lines of an entry's (file, line) locations, filled to the page width."""
    references = []
    for filename, line in locations:
        reference = f"{filename}:{line}" if line else filename
        if reference not in references:
            references.append(reference)
    current = "#:"
    for reference in references:
        if len(current) + 1 + len(reference) > PAGE_WIDTH and current != "#:":
            yield current
            current = "#:"
        current += " " + reference
    if current != "#:":
        yield current


# The order in which gettext (format_language[] in message.c) writes format flags.
FORMAT_LANGUAGES = (
    "c objc python python-brace java java-printf csharp javascript scheme lisp elisp librep ruby sh "
    "awk lua object-pascal smalltalk qt qt-plural kde kde-kuit boost tcl perl perl-brace php "
    "gcc-internal gfc-internal ycp"
).split()


def _flags(message: Message) -> list[str]:
    """Flags as msgcat writes them: fuzzy (only on a translated entry), formats in gettext's order,
    then the rest (range:, no-wrap) as they were."""
    string = message.string[0] if isinstance(message.string, (list, tuple)) else message.string
    flags = ["fuzzy"] if "fuzzy" in message.flags and string else []
    if any(f.endswith("-format") for f in message.flags):
        for language in FORMAT_LANGUAGES:
            flags += [f for f in (f"{language}-format", f"no-{language}-format") if f in message.flags]
    return flags + sorted(f for f in message.flags if f != "fuzzy" and not f.endswith("-format"))


def _entry(message: Message, obsolete: bool = False) -> list[str]:
    prefix = "#~ " if obsolete else ""
    lines = [f"# {c}".rstrip() for c in message.user_comments]
    lines += [f"#. {c}" for c in message.auto_comments]
    if not obsolete:
        lines += location_lines(message.locations)
    flags = _flags(message)
    if flags:
        lines.append("#, " + ", ".join(flags))
    pf = "python-format" in message.flags  # gettext never breaks inside its directives
    if message.previous_id and not obsolete:
        previous_context = getattr(message, "previous_context", None)
        if previous_context is not None:
            lines += literal_lines("#| ", "msgctxt", previous_context, pf)
        lines += literal_lines("#| ", "msgid", message.previous_id[0], pf)
        if len(message.previous_id) > 1:
            lines += literal_lines("#| ", "msgid_plural", message.previous_id[1], pf)
    if message.context is not None:
        lines += literal_lines(prefix, "msgctxt", message.context, pf)
    if isinstance(message.id, (list, tuple)):
        lines += literal_lines(prefix, "msgid", message.id[0], pf)
        lines += literal_lines(prefix, "msgid_plural", message.id[1], pf)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for index, string in enumerate(strings):
            lines += literal_lines(prefix, f"msgstr[{index}]", string or "", pf)
    else:
        lines += literal_lines(prefix, "msgid", message.id, pf)
        lines += literal_lines(prefix, "msgstr", str(message.string or ""), pf)
    return lines


# Header fields Tilmash itself maintains; every other field keeps the value and place the
# file gave it (X-Generator, X-Poedit-*, Language-Team, a tool's own Plural-Forms spelling).
_MAINTAINED = {"po-revision-date", "pot-creation-date", "project-id-version", "last-translator"}
# Fields a catalog needs: added when the file had none.
_REQUIRED = {"language", "content-type", "plural-forms", "mime-version", "content-transfer-encoding"}


# The file is written in UTF-8 whatever charset it was read in (a Windows-1251 catalog).
_UTF8 = "text/plain; charset=UTF-8"
_SAYS_UTF8 = re.compile(r"charset=utf-?8\s*$", re.IGNORECASE)


def _header(catalog: Catalog) -> Message:
    """The header entry: the file's own fields in their order, Tilmash's where it maintains them,
    and never `Generated-By: Babel` (Babel did not write this file)."""
    header = Message("", flags={"fuzzy"} if catalog.fuzzy else set())  # as Babel's iteration yields it
    current = [(name, value) for name, value in catalog.mime_headers if name != "Generated-By"]
    written = getattr(catalog, "header_fields", None)
    if written:
        ours = {name.lower(): value for name, value in current}
        fields = [
            (name, ours[name.lower()] if name.lower() in _MAINTAINED and name.lower() in ours else value)
            for name, value in written
            if not (name.lower() == "generated-by" and value.startswith("Babel"))
        ]
        present = {name.lower() for name, _ in written}
        fields += [(n, v) for n, v in current if n.lower() in _REQUIRED and n.lower() not in present]
    else:
        fields = current
    fields = [
        (n, _UTF8 if n.lower() == "content-type" and not _SAYS_UTF8.search(v) else v) for n, v in fields
    ]
    header.string = "".join(f"{name}: {value}\n" for name, value in fields)
    return header


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return any(strings)


def render_catalog(catalog: Catalog) -> bytes:
    """The PO file: header, entries in catalog order, obsolete entries (`#~`) at the end."""
    header = _header(catalog)
    blocks = [header_comment(catalog).splitlines() + _entry(header)]
    blocks += [_entry(message) for message in messages(catalog)]
    # msgcat drops an obsolete entry without a translation; so does Tilmash.
    blocks += [_entry(m, obsolete=True) for m in catalog.obsolete.values() if _translated(m)]
    return ("\n\n".join("\n".join(block) for block in blocks) + "\n").encode("utf-8")
