"""markdown-it's tokens for a CommonMark body, parsed by pulldown-cmark (Rust, via pyromark).

Parsing the body is most of the cost of reading an article, and markdown-it-py parses ten
times slower than pulldown-cmark. Both follow the CommonMark spec, so for what both read
the same way this module turns pulldown-cmark's events into the very tokens markdown-it
makes (`segment` then works on them and markdown-it's renderer writes the template).
Where they may differ it gives up and returns None, and markdown-it parses the body:
raw HTML (Tilmash shows it as text, which pulldown-cmark cannot be told to do), tables,
and any text it cannot match to the source exactly (an image's alt text is its raw label).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

import pyromark
from markdown_it import MarkdownIt
from markdown_it.token import Token

Event = tuple[Any, Any]  # (pyromark's event, its byte range {"start", "end"})
Attrs = dict[str, str | int | float]
_OPTIONS = pyromark.Options.ENABLE_TABLES  # a table is seen (and left to markdown-it), never misread
_NEWLINE = re.compile(rb"\n")


def _pair(kind: str, tag: str, hidden: bool = False) -> tuple[Token, Token]:
    return (
        Token(f"{kind}_open", tag, 1, block=True, hidden=hidden),
        Token(f"{kind}_close", tag, -1, block=True, hidden=hidden),
    )


# Block tokens without attributes are made once and shared: the renderer only reads them,
# and `segment` changes nothing but the children of inline tokens (made per use).
_BLOCKS = {"Paragraph": _pair("paragraph", "p"), "Item": _pair("list_item", "li")}
_BLOCKS |= {"BlockQuote": _pair("blockquote", "blockquote"), "List": _pair("bullet_list", "ul")}
_LIST_ITEM = _BLOCKS["Item"][1]
_HIDDEN_PARAGRAPH = _pair("paragraph", "p", hidden=True)
_HEADINGS = {f"H{level}": _pair("heading", f"h{level}") for level in range(1, 7)}
_RULE = Token("hr", "hr", 0, block=True, markup="---")
_INLINE = {"Emphasis": ("em", "em"), "Strong": ("strong", "strong"), "Link": ("link", "a")}


class _Unsupported(Exception):
    """Something markdown-it may read differently: it parses the body instead."""


class _Builder:
    """markdown-it's block tokens, and the children of the inline token being filled."""

    def __init__(self, md: MarkdownIt, data: bytes) -> None:
        self.md = md
        self.data = data
        self.newlines = [m.start() for m in _NEWLINE.finditer(data)]
        self.tokens: list[Token] = []
        self.children: list[Token] | None = None  # the open inline token's
        self.closing: list[Token] = []  # the close token of each open block
        self.hidden = False  # the open inline content is a tight list item's paragraph

    def block(self, pair: tuple[Token, Token], offset: int, inline: bool = False) -> None:
        if self.hidden:
            self.end_hidden()
        self.tokens.append(pair[0])
        self.closing.append(pair[1])
        if inline:
            self.children = []
            line = bisect_left(self.newlines, offset)
            self.tokens.append(
                Token("inline", "", 0, map=[line, line + 1], block=True, children=self.children)
            )

    def close(self) -> None:
        if self.hidden:
            self.end_hidden()
        if not self.closing:
            raise _Unsupported("unbalanced events")
        self.children = None
        self.tokens.append(self.closing.pop())

    def inline(self, offset: int) -> list[Token]:
        """The children to add to; inline content right in a list item is a hidden paragraph."""
        if self.children is None:
            self.block(_HIDDEN_PARAGRAPH, offset, inline=True)
            self.hidden = True
        assert self.children is not None
        return self.children

    def end_hidden(self) -> None:
        self.hidden = False
        self.close()


def _event(event: Any) -> tuple[str, Any]:
    if isinstance(event, str):
        return event, None
    ((kind, value),) = event.items()
    return kind, value


def _label(data: bytes, start: int, inner: list[Event]) -> str:
    """An image's label as written (markdown-it keeps it raw as the alt text), if its
    events cover it exactly."""
    if data[start : start + 2] != b"![":
        raise _Unsupported("image")
    if not inner:
        if data[start + 2 : start + 3] != b"]":
            raise _Unsupported("image label")
        return ""
    first, last = inner[0][1]["start"], max(span["end"] for _, span in inner)
    if first != start + 2 or data[last : last + 1] != b"]":
        raise _Unsupported("image label")
    return data[first:last].decode("utf-8")


def _link(md: MarkdownIt, link: dict[str, Any]) -> Token:
    kind = link["link_type"]
    if kind in ("Autolink", "Email"):
        url = ("mailto:" if kind == "Email" else "") + link["dest_url"]
        return Token(
            "link_open", "a", 1, attrs={"href": md.normalizeLink(url)}, markup="autolink", info="auto"
        )
    attrs: Attrs = {"href": md.normalizeLink(link["dest_url"])}
    if link["title"]:
        attrs["title"] = link["title"]
    return Token("link_open", "a", 1, attrs=attrs)


def tokens(md: MarkdownIt, body: str) -> list[Token] | None:
    """The tokens `md.parse(body)` makes (only what `segment` and the renderer use), or None
    when the body holds something this module leaves to markdown-it."""
    if "]:" in body:  # a link reference definition: the lines after it may not be read alike
        return None
    data = body.encode("utf-8")
    try:
        events: list[Event] = list(pyromark.events_with_range(body, options=_OPTIONS))
        return _tokens(md, data, events)
    except _Unsupported:
        return None


def _tokens(md: MarkdownIt, data: bytes, events: list[Event]) -> list[Token]:
    built = _Builder(md, data)
    position = 0
    while position < len(events):
        event, span = events[position]
        position += 1
        value: Any = None
        if isinstance(event, str):
            kind = event
        else:
            ((kind, value),) = event.items()
        if kind == "Text":
            children = built.inline(span["start"])
            if children and children[-1].type == "text":  # markdown-it joins adjacent text
                children[-1].content += value
            else:
                children.append(Token("text", "", 0, content=value))
        elif kind == "End":
            name = value if isinstance(value, str) else next(iter(value))
            if name in _INLINE:
                if built.children is None:
                    raise _Unsupported("inline end outside inline content")
                built.children.append(Token(f"{_INLINE[name][0]}_close", _INLINE[name][1], -1))
            else:
                built.close()
        elif kind == "Start":
            position = _start(built, value, span["start"], events, position)
        elif kind == "Code":
            # Across lines, the parsers keep different parts of the next line's indent.
            if b"\n" in data[span["start"] : span["end"]]:
                raise _Unsupported("code span across lines")
            built.inline(span["start"]).append(Token("code_inline", "code", 0, content=value, markup="`"))
        elif kind in ("SoftBreak", "HardBreak"):
            name = "softbreak" if kind == "SoftBreak" else "hardbreak"
            built.inline(span["start"]).append(Token(name, "br", 0))
        elif kind == "Rule":
            if built.hidden:
                built.end_hidden()
            built.tokens.append(_RULE)
        else:  # Html, InlineHtml and whatever else markdown-it reads its own way
            raise _Unsupported(kind)
    if built.closing or built.hidden:
        raise _Unsupported("unbalanced events")
    return built.tokens


def _start(built: _Builder, tag: Any, offset: int, events: list[Event], position: int) -> int:
    """Open what `tag` starts; returns the position of the next event to read."""
    name, value = _event(tag)
    if name in _BLOCKS and value is None:
        built.block(_BLOCKS[name], offset, inline=name == "Paragraph")
    elif name in ("Emphasis", "Strong"):
        kind, html = _INLINE[name]
        built.inline(offset).append(Token(f"{kind}_open", html, 1))
    elif name == "Link":
        link = _link(built.md, value)
        built.inline(offset).append(link)
        if link.markup == "autolink":  # its text is markdown-it's rendering of the URL
            url = value["dest_url"]
            built.inline(offset).append(Token("text", "", 0, content=built.md.normalizeLinkText(url)))
            while _event(events[position][0]) != ("End", "Link"):
                position += 1
            built.inline(offset).append(Token("link_close", "a", -1))
            position += 1
    elif name == "Image":
        depth, inner = 1, []
        while depth:
            event, span = events[position]
            position += 1
            kind, _ = _event(event)
            if kind == "Start" and _event(event["Start"])[0] == "Image":
                depth += 1
            elif kind == "End" and _event(event["End"])[0] == "Image":
                depth -= 1
            if depth:
                inner.append((event, span))
        attrs: Attrs = {"src": built.md.normalizeLink(value["dest_url"]), "alt": ""}
        if value["title"]:
            attrs["title"] = value["title"]
        label = _label(built.data, offset, inner)
        built.inline(offset).append(Token("image", "img", 0, attrs=attrs, content=label, children=[]))
    elif name == "Heading":
        built.block(_HEADINGS[value["level"]], offset, inline=True)
    elif name == "List":  # an ordered one: a bullet list has no value
        start: Attrs = {"start": value} if value != 1 else {}
        built.block(
            (
                Token("ordered_list_open", "ol", 1, attrs=start, block=True),
                Token("ordered_list_close", "ol", -1, block=True),
            ),
            offset,
        )
    elif name == "CodeBlock":
        if any(t is _LIST_ITEM for t in built.closing):  # may a blank line in it loosen the list? They differ
            raise _Unsupported("code block in a list item")
        if built.hidden:
            built.end_hidden()
        text = []
        while events[position][0] != {"End": "CodeBlock"}:
            kind, content = _event(events[position][0])
            if kind != "Text":
                raise _Unsupported(kind)
            text.append(content)
            position += 1
        position += 1
        if value == "Indented":
            built.tokens.append(Token("code_block", "code", 0, content="".join(text), block=True))
        else:
            info = value["Fenced"]
            if "\\" in info or "&" in info:  # markdown-it unescapes it once more when rendering
                raise _Unsupported("fence info")
            built.tokens.append(Token("fence", "code", 0, content="".join(text), info=info, block=True))
    else:
        raise _Unsupported(name)
    return position
