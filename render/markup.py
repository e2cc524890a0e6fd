"""Rebuild a unit's HTML from (translated) text with placeholders — safely.

Text is only ever text: tags a translator or a model wrote are escaped, and the only
elements produced are the source's own placeholders with the source's own attributes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape as html_escape

from lxml import etree

from tilmash.sources import Block, Placeholder
from tilmash.sources.controls import strip_controls
from tilmash.sources.placeholders import PLACEHOLDER_RE, check_placeholders
from tilmash.sources.segment import SLOT_TAG

SLOT_RE = re.compile(rf'<{SLOT_TAG} id="([^"]+)"></{SLOT_TAG}>')


def resolve_asset(url: str, asset_root: str) -> str:
    """Image sources relative to the site root, as seen from the page being rendered."""
    if not url or url.startswith(("/", "#")) or ":" in url.split("/", 1)[0]:
        return url
    return asset_root + url


def _element(
    placeholder: Placeholder,
    alt_text: Callable[[str], str],
    asset_root: str,
    in_english: Callable[[str], bool],
) -> etree._Element:
    element = etree.Element(placeholder.tag)
    for name, value in placeholder.attrs:
        element.set(name, resolve_asset(value, asset_root) if name == "src" else value)
    if placeholder.tag == "img":
        element.set("alt", alt_text(placeholder.alt_unit) if placeholder.alt_unit else "")
        if placeholder.title_unit:
            element.set("title", alt_text(placeholder.title_unit))
        described_by = placeholder.alt_unit or placeholder.title_unit
        if described_by and in_english(described_by):
            element.set("lang", "en")  # its alt text (or title) is still the English one
        element.set("loading", "lazy")
    elif placeholder.content is not None:
        element.text = placeholder.content
    return element


def unit_html(
    block: Block,
    text: str,
    alt_text: Callable[[str], str],
    asset_root: str = "",
    in_english: Callable[[str], bool] = lambda unit_id: False,
) -> str:
    """HTML for `text` (the block's own or a translation); invalid markup falls back to text.

    `alt_text` gives the text of an image's alt unit; `in_english` says it is still English."""
    text = strip_controls(text)[0]  # removed on input already; a review preview may still hold some
    if not block.placeholders:  # most units: plain text, whatever tags a translation may hold
        return html_escape(text, quote=False)
    if check_placeholders(block.text, text):
        # Render the words without any markup rather than guess at broken structure.
        text = PLACEHOLDER_RE.sub("", text)
    known = {p.number: p for p in block.placeholders}
    root = etree.Element("span")
    stack = [root]
    last: list[etree._Element | None] = [None]  # each open element's last child (lxml's len() walks them)
    position = 0

    def add_text(fragment: str) -> None:
        if not fragment:
            return
        child = last[-1]
        if child is not None:
            child.tail = (child.tail or "") + fragment
        else:
            stack[-1].text = (stack[-1].text or "") + fragment

    for match in PLACEHOLDER_RE.finditer(text):
        add_text(text[position : match.start()])
        position = match.end()
        number = int(match.group(2))
        if match.group(1):
            stack.pop()
            last.pop()
        else:
            element = _element(known[number], alt_text, asset_root, in_english)
            stack[-1].append(element)
            last[-1] = element
            if known[number].paired:
                stack.append(element)
                last.append(None)
    add_text(text[position:])
    rendered = etree.tostring(root, encoding="unicode", method="html")
    return rendered[len("<span>") : -len("</span>")]


def fill_template(template: str, html_for_unit: Mapping[str, str]) -> str:
    """Put each unit's HTML into its `<tilmash-unit>` slot of an article body template."""
    return SLOT_RE.sub(lambda m: html_for_unit[m.group(1)], template)
