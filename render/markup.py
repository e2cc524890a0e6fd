"""Rebuild a unit's HTML from (translated) text with placeholders — safely.

Text is only ever text: tags a translator or a model wrote are escaped, and the only
elements produced are the source's own placeholders with the source's own attributes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from lxml import etree, html

from sources import Block, Placeholder
from sources.model import PLACEHOLDER_RE
from sources.segment import SLOT_TAG

SLOT_RE = re.compile(rf'<{SLOT_TAG} id="([^"]+)"></{SLOT_TAG}>')


class MarkupProblem(Exception):
    """A translation whose placeholders do not fit the source."""


def check_placeholders(block: Block, text: str) -> list[str]:
    """Problems of `text` against the placeholders of `block` (empty when it fits)."""
    known = {p.number: p for p in block.placeholders}
    problems: list[str] = []
    seen: list[int] = []
    stack: list[int] = []
    for match in PLACEHOLDER_RE.finditer(text):
        closing, number, selfclosing = match.group(1), int(match.group(2)), match.group(3)
        placeholder = known.get(number)
        if placeholder is None:
            problems.append(f"unknown placeholder {match.group(0)}")
        elif bool(selfclosing) == placeholder.paired:
            problems.append(f"{match.group(0)} has the wrong form (source has {placeholder.describe().split()[0]})")
        elif closing:
            if not stack or stack[-1] != number:
                problems.append(f"{match.group(0)} closes a tag that is not open")
            else:
                stack.pop()
        else:
            seen.append(number)
            if placeholder.paired:
                stack.append(number)
    problems += [f"<{n}> is never closed" for n in stack]
    problems += [f"placeholder {p.describe().split()[0]} is missing" for p in block.placeholders if p.number not in seen]
    problems += [f"placeholder <{n}> appears twice" for n in set(seen) if seen.count(n) > 1]
    return problems


def resolve_asset(url: str, asset_root: str) -> str:
    """Image sources relative to the site root, as seen from the page being rendered."""
    if not url or url.startswith(("/", "#")) or ":" in url.split("/", 1)[0]:
        return url
    return asset_root + url


def _element(placeholder: Placeholder, alt_text: Callable[[str], str], asset_root: str) -> etree._Element:
    element = etree.Element(placeholder.tag)
    for name, value in placeholder.attrs:
        element.set(name, resolve_asset(value, asset_root) if name == "src" else value)
    if placeholder.tag == "img":
        element.set("alt", alt_text(placeholder.alt_unit) if placeholder.alt_unit else "")
        element.set("loading", "lazy")
    elif placeholder.content is not None:
        element.text = placeholder.content
    return element


def unit_html(block: Block, text: str, alt_text: Callable[[str], str], asset_root: str = "") -> str:
    """HTML for `text` (the block's own or a translation); invalid markup falls back to text."""
    if check_placeholders(block, text):
        # Render the words without any markup rather than guess at broken structure.
        text = PLACEHOLDER_RE.sub("", text) if block.placeholders else text
    known = {p.number: p for p in block.placeholders}
    root = etree.Element("span")
    stack = [root]
    position = 0

    def add_text(fragment: str) -> None:
        if not fragment:
            return
        current = stack[-1]
        if len(current):
            current[-1].tail = (current[-1].tail or "") + fragment
        else:
            current.text = (current.text or "") + fragment

    for match in PLACEHOLDER_RE.finditer(text):
        add_text(text[position : match.start()])
        position = match.end()
        number = int(match.group(2))
        if match.group(1):
            stack.pop()
        else:
            element = _element(known[number], alt_text, asset_root)
            stack[-1].append(element)
            if known[number].paired:
                stack.append(element)
    add_text(text[position:])
    rendered = etree.tostring(root, encoding="unicode", method="html")
    return rendered[len("<span>") : -len("</span>")]


def fill_template(template: str, html_for_unit: Mapping[str, str]) -> str:
    """Put each unit's HTML into its `<tilmash-unit>` slot of an article body template."""
    return SLOT_RE.sub(lambda m: html_for_unit[m.group(1)], template)


def is_well_formed_fragment(fragment: str) -> bool:
    """True when lxml parses `fragment` as HTML without dropping it."""
    try:
        html.fragments_fromstring(fragment)
    except (etree.ParserError, ValueError):
        return False
    return True
