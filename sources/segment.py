"""CommonMark body → translation units with numbered placeholders, plus an HTML template.

The template is the body rendered by markdown-it with every unit's inline content replaced
by an empty `<tilmash-unit id="…">` slot; rendering fills the slots per locale. Link targets,
image sources and code never enter a unit's text: they live in its `Placeholder`s.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from tilmash.sources import pulldown
from tilmash.sources.model import Block, Placeholder
from tilmash.sources.placeholders import PLACEHOLDER_RE

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SLOT_TAG = "tilmash-unit"

# Which enclosing block decides the unit's kind, innermost first.
_KIND_BY_OPEN_TOKEN = {
    "heading_open": "heading",
    "th_open": "table cell",
    "td_open": "table cell",
    "list_item_open": "list item",
    "blockquote_open": "quote",
}
_PAIRED_INLINE = {"em_open": "em", "strong_open": "strong", "s_open": "s", "link_open": "a"}


@cache
def commonmark() -> MarkdownIt:
    """CommonMark with tables; raw HTML in sources is shown as text, never passed through.

    Built once per process (setting up the rule chains costs as much as parsing a story);
    parsing and rendering keep no state in the instance. Imported when first needed: most
    articles are read by pulldown-cmark alone.
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False}).enable("table")
    # Every link is parsed; `_inline_to_unit` drops unsafe ones to text. Replacing the method is
    # markdown-it-py's documented way to change link validation.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_url(url: str) -> bool:
    """A relative URL or one of the few schemes a reader may follow (no `javascript:`, `data:`, …);
    a web address with a host a browser can reach and no password in it."""
    scheme = _SCHEME_RE.match(url)
    if scheme is None:
        return True
    name = scheme.group(1).lower()
    return name in SAFE_SCHEMES and (name not in ("http", "https") or _web_address(url))


# What the URL standard forbids in a domain (the Nu HTML Checker refuses the page).
_IPV6_HOST = re.compile(r"\[[0-9A-Fa-f:.]+\](?::[0-9]*)?")
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|]")


def _web_address(url: str) -> bool:
    """`https://../`, `https://bar]baz.org` or `https://user:password@host/` make an invalid
    page (and the last shows a password to every reader): such a link stays text."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        host, _ = parts.hostname, parts.port
    except ValueError:  # an unbalanced [IPv6] address, a port beyond 65535
        return False
    if host is None or parts.username is not None or parts.password is not None:
        return False
    if parts.netloc.startswith("["):
        return _IPV6_HOST.fullmatch(parts.netloc) is not None
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    return all(label and not _FORBIDDEN_IN_HOST.search(label) for label in labels)


def _image_source(src: str) -> bool:
    """An image to show: a safe address, and an address at all (`![alt]()`, or an HTML page's
    `<img srcset=…>` with no src, made `<img src="">`, which the Nu HTML Checker refuses)."""
    return bool(src.strip()) and safe_url(src)


def unit_id(kind: str, text: str) -> str:
    """Content-derived id: a moved paragraph keeps its msgctxt, so nothing is lost."""
    digest = hashlib.sha1(f"{kind}\0{text}".encode()).hexdigest()[:10]
    return f"{kind.replace(' ', '-')}-{digest}"


class _Units:
    """Collects units in document order and gives repeated texts distinct ids."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._seen: dict[str, int] = {}

    def add(self, kind: str, text: str, line: int, placeholders: Sequence[Placeholder] = ()) -> str:
        base = unit_id(kind, text)
        count = self._seen.get(base, 0) + 1
        self._seen[base] = count
        ident = base if count == 1 else f"{base}-{count}"
        self.blocks.append(Block(ident, kind, text, line, tuple(placeholders)))
        return ident


def _inline_to_unit(
    children: Sequence[Token | pulldown.Tok], line: int, units: _Units
) -> tuple[str, list[Placeholder]]:
    """Flatten inline tokens to text with `<n>…</n>` / `<n/>` placeholders."""
    if len(children) == 1 and children[0].type == "text" and "<" not in children[0].content:
        return _one_spaced(children[0].content), []  # most units: text that holds no `<n>`
    parts: list[str] = []
    placeholders: list[Placeholder] = []
    open_numbers: list[int] = []
    skip_until_close = False
    for index, token in enumerate(children):
        if skip_until_close:
            skip_until_close = token.type != "link_close"
            continue
        number = len(placeholders) + 1
        if token.type == "text":
            _literal_text(token.content, parts, placeholders)
        elif token.type == "softbreak":
            parts.append(" ")
        elif token.type == "hardbreak":
            placeholders.append(Placeholder(number, "br", paired=False))
            parts.append(f"<{number}/>")
        elif token.type == "code_inline":
            placeholders.append(Placeholder(number, "code", content=token.content, paired=False))
            parts.append(f"<{number}/>")
        elif token.type == "link_open" and not safe_url(str(token.attrs.get("href", ""))):
            if token.markup == "autolink":
                _literal_text(_autolink_text(token, children[index + 1 :]), parts, placeholders)
                skip_until_close = True
            else:
                open_numbers.append(0)  # dropped to its text: its close adds nothing
        elif token.type == "link_open" and token.markup == "autolink":
            href = str(token.attrs.get("href", ""))
            placeholders.append(
                Placeholder(
                    number,
                    "a",
                    (("href", href),),
                    content=_autolink_text(token, children[index + 1 :]),
                    paired=False,
                )
            )
            parts.append(f"<{number}/>")
            skip_until_close = True
        elif token.type in _PAIRED_INLINE:
            attrs = tuple((k, str(v)) for k, v in token.attrs.items())
            placeholders.append(Placeholder(number, _PAIRED_INLINE[token.type], attrs))
            open_numbers.append(number)
            parts.append(f"<{number}>")
        elif token.type.endswith("_close") and open_numbers:
            closed = open_numbers.pop()
            if closed:
                parts.append(f"</{closed}>")
        elif token.type == "image" and not _image_source(str(token.attrs.get("src", ""))):
            _literal_text(token.content, parts, placeholders)
        elif token.type == "image":
            alt = token.content.strip()
            alt_unit = units.add("alt text", alt, line) if alt else None
            image_attrs = [("src", str(token.attrs.get("src", "")))]
            title = " ".join(str(token.attrs.get("title") or "").split())
            title_unit = units.add("image title", title, line) if title else None  # translated like alt
            placeholders.append(
                Placeholder(
                    number, "img", tuple(image_attrs), alt_unit=alt_unit, title_unit=title_unit, paired=False
                )
            )
            parts.append(f"<{number}/>")
    return _one_spaced("".join(parts)), placeholders


def _one_spaced(text: str) -> str:
    """`text` with each run of whitespace made one space, none at the ends: most units already
    are, which three scans in C tell in half the time of splitting and joining them."""
    if text.isascii() and text.isprintable() and "  " not in text and text[:1] != " " != text[-1:]:
        return text  # printable ASCII holds no whitespace but spaces
    return " ".join(text.split())


def _literal_text(text: str, parts: list[str], placeholders: list[Placeholder]) -> None:
    """Add English text; a literal `<7>` or `</2>` in it becomes a placeholder of its own.

    Otherwise it would be read as placeholder 7 everywhere later (checks, MT, rendering).
    """
    position = 0
    for match in PLACEHOLDER_RE.finditer(text):
        number = len(placeholders) + 1
        placeholders.append(Placeholder(number, "span", content=match.group(0), paired=False))
        parts += [text[position : match.start()], f"<{number}/>"]
        position = match.end()
    parts.append(text[position:])


def _autolink_text(link_open: Token | pulldown.Tok, following: Sequence[Token | pulldown.Tok]) -> str:
    """The visible text of an autolink: its text tokens up to the link's close."""
    shown = []
    for token in following:
        if token.type == "link_close":
            break
        if token.type == "text":
            shown.append(token.content)
    return "".join(shown)[:2048] or str(link_open.attrs.get("href", ""))


def _unit(units: _Units, kind: str, line: int, children: Sequence[Token | pulldown.Tok]) -> str:
    """The slot of the unit made of inline content `children` (added to `units`), or "" when it
    holds no text."""
    position = len(units.blocks)  # the unit goes before the alt texts of its images
    text, placeholders = _inline_to_unit(children, line, units)
    if not text:
        return ""
    ident = units.add(kind, text, line, placeholders)
    if len(units.blocks) > position + 1:
        units.blocks.insert(position, units.blocks.pop())
    return f'<{SLOT_TAG} id="{ident}"></{SLOT_TAG}>'


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _outline(template: str) -> str:
    """Body headings below the page's `<h1>` (the title), never skipping a level.

    Authors write `#` or `####` straight under the title (an imported page keeps its `<h4>`);
    the Nu HTML Checker rejects a skipped level. A heading goes at most one level deeper than
    the one before it and is never an `<h1>`; the outline's shape is otherwise kept.
    """
    if "<h" not in template:
        return template
    previous = level = 1

    def renumber(match: re.Match[str]) -> str:
        nonlocal previous, level
        if not match.group(1):  # headings do not nest: a closing tag closes the last one opened
            level = previous = max(2, min(int(match.group(2)), previous + 1))
        return f"<{match.group(1)}h{level}>"

    return _HEADING_TAG.sub(renumber, template)


def segment(body: str, first_line: int) -> tuple[list[Block], str]:
    """Split a CommonMark body into units; `first_line` is the body's line in the file."""
    units = _Units()
    template = pulldown.template(  # ten times faster; None where only markdown-it reads it right
        commonmark, body, lambda kind, line, children: _unit(units, kind, first_line + line, children)
    )
    if template is not None:
        return units.blocks, _outline(template)
    units = _Units()
    md = commonmark()
    tokens = md.parse(body)
    kinds = ["paragraph"]  # the kind each open block gives its units: its own, or its parent's
    for token in tokens:
        if token.nesting == 1:
            kinds.append(_KIND_BY_OPEN_TOKEN.get(token.type, kinds[-1]))
        elif token.nesting == -1 and len(kinds) > 1:
            kinds.pop()
        if token.type != "inline" or not token.children:
            continue
        slot = _unit(units, kinds[-1], first_line + (token.map[0] if token.map else 0), token.children)
        # Rendered as it is: markdown-it's rule for html_inline prints a token's `content`.
        token.children = [type(token)("html_inline", "", 0, content=slot)] if slot else []
    return units.blocks, _outline(md.renderer.render(tokens, md.options, {}))
