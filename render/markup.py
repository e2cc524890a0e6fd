"""Rebuild a unit's HTML from (translated) text with placeholders — safely.

Text is only ever text: tags a translator or a model wrote are escaped, and the only
elements produced are the source's own placeholders with the source's own attributes.

The HTML is what lxml's HTML serializer writes for those elements. Most units hold only
text and inline tags with plain attributes, and are written here directly as lxml would
write them (a tree and its serialization cost 15 µs a unit); anything lxml writes its own
way (URLs it percent-encodes, quotes that change the attribute quoting, carriage returns,
tags other than the usual inline ones) is left to lxml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape as html_escape
from typing import TYPE_CHECKING, Protocol

from tilmash.sources import Block, Placeholder
from tilmash.sources.controls import strip_controls
from tilmash.sources.placeholders import PLACEHOLDER_RE, check_placeholders
from tilmash.sources.segment import SLOT_TAG

if TYPE_CHECKING:
    from lxml import etree

SLOT_RE = re.compile(rf'<{SLOT_TAG} id="([^"]+)"></{SLOT_TAG}>')
Attributes = list[tuple[str, str]]


def resolve_asset(url: str, asset_root: str) -> str:
    """Image sources relative to the site root, as seen from the page being rendered."""
    if not url or url.startswith(("/", "#")) or ":" in url.split("/", 1)[0]:
        return url
    return asset_root + url


def _attributes(
    placeholder: Placeholder,
    alt_text: Callable[[str], str],
    asset_root: str,
    in_english: Callable[[str], bool],
) -> Attributes:
    attributes = [
        (name, resolve_asset(value, asset_root) if name == "src" else value)
        for name, value in placeholder.attrs
    ]
    if placeholder.tag == "img":
        attributes.append(("alt", alt_text(placeholder.alt_unit) if placeholder.alt_unit else ""))
        if placeholder.title_unit:
            attributes.append(("title", alt_text(placeholder.title_unit)))
        described_by = placeholder.alt_unit or placeholder.title_unit
        if described_by and in_english(described_by):
            attributes.append(("lang", "en"))  # its alt text (or title) is still the English one
        attributes.append(("loading", "lazy"))
    return attributes


class _Writer(Protocol):
    def start(self, tag: str, attributes: Attributes, content: str | None) -> None: ...
    def end(self) -> None: ...
    def text(self, fragment: str) -> None: ...
    def html(self) -> str: ...


class _Unsafe(Exception):
    """Something lxml writes its own way: the unit is written by lxml."""


# libxml2 percent-encodes the URL attributes it knows (href, src, action, a's name) except for
# these characters, and quotes an attribute holding `"` with `'`.
_URL_ATTRIBUTES = {"href", "src", "action", "name"}
_LIBXML_VERBATIM_URL = re.compile(r"[A-Za-z0-9\-_.!~*()@/:=?;#%&,+]*\Z")
_PLAIN_TEXT = re.compile(r"[^\"\r]*\Z")
_TAGS = {"a", "em", "strong", "s", "code", "span", "b", "i", "u", "sub", "sup", "mark", "small"}
_EMPTY = {"br", "img"}  # written without an end tag
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class _Direct:
    """The HTML lxml writes for the elements, as strings."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.open: list[str] = []

    def start(self, tag: str, attributes: Attributes, content: str | None) -> None:
        if tag not in _TAGS and tag not in _EMPTY:
            raise _Unsafe(tag)
        if len({name for name, _ in attributes}) < len(attributes):
            raise _Unsafe("an attribute set twice")  # lxml keeps its first place, with the last value
        out = self.out
        out.append(f"<{tag}")
        for name, value in attributes:
            if not (_LIBXML_VERBATIM_URL if name in _URL_ATTRIBUTES else _PLAIN_TEXT).match(value):
                raise _Unsafe(name)
            out.append(f' {name}="{value.translate(_TEXT_ESCAPES)}"')
        out.append(">")
        if tag in _EMPTY:
            if content:
                raise _Unsafe(tag)
            self.open.append("")
            return
        if content:
            self.text(content)
        self.open.append(f"</{tag}>")

    def end(self) -> None:
        self.out.append(self.open.pop())

    def text(self, fragment: str) -> None:
        if "\r" in fragment:
            raise _Unsafe("carriage return")
        self.out.append(html_escape(fragment, quote=False))

    def html(self) -> str:
        while self.open:
            self.end()
        return "".join(self.out)


class _Tree:
    """The elements as an lxml tree, serialized by lxml."""

    def __init__(self) -> None:
        from lxml import etree

        self.etree = etree
        self.root = etree.Element("span")
        self.stack = [self.root]
        self.last: list[etree._Element | None] = [
            None
        ]  # each open element's last child (lxml's len() walks them)

    def start(self, tag: str, attributes: Attributes, content: str | None) -> None:
        element = self.etree.SubElement(self.stack[-1], tag)
        for name, value in attributes:
            element.set(name, value)
        if content is not None:
            element.text = content
        self.last[-1] = element
        self.stack.append(element)
        self.last.append(None)

    def end(self) -> None:
        self.stack.pop()
        self.last.pop()

    def text(self, fragment: str) -> None:
        child = self.last[-1]
        if child is not None:
            child.tail = (child.tail or "") + fragment
        else:
            self.stack[-1].text = (self.stack[-1].text or "") + fragment

    def html(self) -> str:
        rendered = self.etree.tostring(self.root, encoding="unicode", method="html")
        return rendered[len("<span>") : -len("</span>")]


def unit_html(
    block: Block,
    text: str,
    alt_text: Callable[[str], str],
    asset_root: str = "",
    in_english: Callable[[str], bool] = lambda unit_id: False,
) -> str:
    """HTML for `text` (the block's own or a translation); invalid markup falls back to text.

    `alt_text` gives the text of an image's alt unit; `in_english` says it is still English."""
    # The source's own text was cleaned when it was read, and its placeholders are sound.
    translated = text is not block.text and text != block.text
    if translated:  # control characters are removed on input already; a review preview may hold some
        text = strip_controls(text)[0]
    if not block.placeholders:  # most units: plain text, whatever tags a translation may hold
        return html_escape(text, quote=False)
    if translated and check_placeholders(block.text, text):
        # Render the words without any markup rather than guess at broken structure.
        text = PLACEHOLDER_RE.sub("", text)
    try:
        return _write(_Direct(), block, text, alt_text, asset_root, in_english)
    except _Unsafe:
        return _write(_Tree(), block, text, alt_text, asset_root, in_english)


def _write(
    writer: _Writer,
    block: Block,
    text: str,
    alt_text: Callable[[str], str],
    asset_root: str,
    in_english: Callable[[str], bool],
) -> str:
    """`text` with each placeholder made its element, through `writer`."""
    known = {p.number: p for p in block.placeholders}
    position = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > position:
            writer.text(text[position : match.start()])
        position = match.end()
        if match.group(1):
            writer.end()
        else:
            placeholder = known[int(match.group(2))]
            content = None if placeholder.tag == "img" else placeholder.content
            writer.start(placeholder.tag, _attributes(placeholder, alt_text, asset_root, in_english), content)
            if not placeholder.paired:
                writer.end()
    if position < len(text):
        writer.text(text[position:])
    return writer.html()


def fill_template(template: str, html_for_unit: Mapping[str, str]) -> str:
    """Put each unit's HTML into its `<tilmash-unit>` slot of an article body template."""
    return SLOT_RE.sub(lambda m: html_for_unit[m.group(1)], template)
