"""Serialize a Babel catalog exactly as GNU msgcat lays a PO file out.

Babel's `write_po` wraps strings its own way, wraps comments at 76 columns, and drops the
flags of obsolete entries (a fuzzy machine translation would come back as "reviewed"
after its paragraph was removed and restored). Reading stays Babel's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from babel.messages.catalog import Catalog, Message

from tilmash.i18n.powrap import PAGE_WIDTH, wrap_literal

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r'[\\"\n\t\r]')


def _literal(prefix: str, keyword: str, text: str) -> list[str]:
    escaped = text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text  # most texts need none
    return wrap_literal(prefix, keyword, escaped, PAGE_WIDTH)


def _locations(message: Message) -> Iterator[str]:
    references = []
    for filename, line in message.locations:
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


def _entry(message: Message, obsolete: bool = False) -> list[str]:
    prefix = "#~ " if obsolete else ""
    lines = [f"# {c}".rstrip() for c in message.user_comments]
    lines += [f"#. {c}" for c in message.auto_comments]
    if not obsolete:
        lines += _locations(message)
    if message.flags:
        lines.append("#, " + ", ".join(sorted(message.flags)))
    if message.previous_id and not obsolete:
        previous_context = getattr(message, "previous_context", None)
        if previous_context is not None:
            lines += _literal("#| ", "msgctxt", previous_context)
        lines += _literal("#| ", "msgid", message.previous_id[0])
        if len(message.previous_id) > 1:
            lines += _literal("#| ", "msgid_plural", message.previous_id[1])
    if message.context is not None:
        lines += _literal(prefix, "msgctxt", message.context)
    if isinstance(message.id, (list, tuple)):
        lines += _literal(prefix, "msgid", message.id[0])
        lines += _literal(prefix, "msgid_plural", message.id[1])
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for index, string in enumerate(strings):
            lines += _literal(prefix, f"msgstr[{index}]", string or "")
    else:
        lines += _literal(prefix, "msgid", message.id)
        lines += _literal(prefix, "msgstr", str(message.string or ""))
    return lines


def _header(catalog: Catalog) -> Message:
    """Babel's header less its `Generated-By: Babel`, plus the fields other tools wrote."""
    header = next(iter(catalog))
    fields = [(name, value) for name, value in catalog.mime_headers if name != "Generated-By"]
    fields += getattr(catalog, "extra_headers", [])
    header.string = "".join(f"{name}: {value}\n" for name, value in fields)
    return header


def render_catalog(catalog: Catalog) -> bytes:
    """The PO file: header, entries in catalog order, obsolete entries (`#~`) at the end."""
    messages = iter(catalog)
    next(messages)
    header = _header(catalog)
    blocks = [catalog.header_comment.splitlines() + _entry(header)]
    blocks += [_entry(message) for message in messages]
    blocks += [_entry(message, obsolete=True) for message in catalog.obsolete.values()]
    return ("\n\n".join("\n".join(block) for block in blocks) + "\n").encode("utf-8")
