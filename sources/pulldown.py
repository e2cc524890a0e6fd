"""markdown-it's tokens for a CommonMark body, parsed by pulldown-cmark (Rust, via pyromark).

Parsing the body is most of the cost of reading an article, and markdown-it-py parses ten
times slower than pulldown-cmark. Both follow the CommonMark spec, so for what both read
the same way this module turns pulldown-cmark's events into the tokens markdown-it makes
(`segment` then works on them) and writes the template markdown-it's renderer writes.
Where they may differ it gives up and returns None, and markdown-it parses the body:
raw HTML (Tilmash shows it as text, which pulldown-cmark cannot be told to do), tables,
tabs, and any text it cannot match to the source exactly (an image's alt text is its raw label).

The tokens are `Tok`s, not markdown-it's own: the same fields in a plain slotted class,
made in half the time, and markdown-it itself is imported only for what is rare in news
(code blocks, autolinks, URLs that may need escaping), not for every run.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

import pyromark

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

Event = tuple[Any, Any]  # (pyromark's event, its byte range {"start", "end"})
Attrs = dict[str, str | int | float]
Markdown = Callable[[], "MarkdownIt"]  # the configured markdown-it, made when first needed
_OPTIONS = pyromark.Options.ENABLE_TABLES  # a table is seen (and left to markdown-it), never misread
_NEWLINE = re.compile(rb"\n")
# URLs markdown-it's normalizeLink returns unchanged (nothing to percent-encode or punycode):
# most links and image sources. Others are normalized by markdown-it itself.
_PLAIN_URL = re.compile(r"(?:https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*)?[A-Za-z0-9._~/=&?#+-]*\Z")


class Tok:
    """The fields of markdown-it's `Token` that segmenting and rendering read."""

    __slots__ = (
        *("type", "tag", "nesting", "attrs", "map", "children"),
        *("content", "markup", "info", "block", "hidden"),
    )

    def __init__(
        self,
        type: str,  # noqa: A002 - markdown-it's name
        tag: str,
        nesting: int,
        attrs: Attrs | None = None,
        content: str = "",
        markup: str = "",
        block: bool = False,
        hidden: bool = False,
    ) -> None:
        self.type = type
        self.tag = tag
        self.nesting = nesting
        self.attrs = {} if attrs is None else attrs
        self.map: list[int] | None = None
        self.children: list[Tok] | None = None
        self.content = content
        self.markup = markup
        self.info = ""
        self.block = block
        self.hidden = hidden

    def __repr__(self) -> str:
        return f"Tok({self.type!r}, {self.tag!r}, {self.nesting}, content={self.content!r})"


def _pair(kind: str, tag: str, hidden: bool = False) -> tuple[Tok, Tok]:
    return (
        Tok(f"{kind}_open", tag, 1, block=True, hidden=hidden),
        Tok(f"{kind}_close", tag, -1, block=True, hidden=hidden),
    )


# Block tokens without attributes are made once and shared: the renderer only reads them,
# and `segment` changes nothing but the children of inline tokens (made per use).
_BLOCKS = {"Paragraph": _pair("paragraph", "p"), "Item": _pair("list_item", "li")}
_BLOCKS |= {"BlockQuote": _pair("blockquote", "blockquote"), "List": _pair("bullet_list", "ul")}
_LIST_ITEM = _BLOCKS["Item"][1]
_HIDDEN_PARAGRAPH = _pair("paragraph", "p", hidden=True)
_HEADINGS = {f"H{level}": _pair("heading", f"h{level}") for level in range(1, 7)}
_RULE = Tok("hr", "hr", 0, block=True, markup="---")
_INLINE = {"Emphasis": ("em", "em"), "Strong": ("strong", "strong"), "Link": ("link", "a")}
_INLINE_CLOSE = {name: Tok(f"{kind}_close", tag, -1) for name, (kind, tag) in _INLINE.items()}
_BREAKS = {"SoftBreak": Tok("softbreak", "br", 0), "HardBreak": Tok("hardbreak", "br", 0)}


class _Unsupported(Exception):
    """Something markdown-it may read differently: it parses the body instead."""


class _Builder:
    """markdown-it's block tokens, and the children of the inline token being filled."""

    def __init__(self, markdown: Markdown, data: bytes) -> None:
        self.markdown = markdown
        self.data = data
        self._newlines: list[int] | None = None  # offsets of the body's line ends, found when first asked
        self.tokens: list[Tok] = []
        self.children: list[Tok] | None = None  # the open inline token's
        self.closing: list[Tok] = []  # the close token of each open block
        self.hidden = False  # the open inline content is a tight list item's paragraph

    def line(self, offset: int) -> int:
        """The 0-based line of the body holding byte `offset`."""
        if self._newlines is None:
            self._newlines = [m.start() for m in _NEWLINE.finditer(self.data)]
        return bisect_left(self._newlines, offset)

    def block(self, pair: tuple[Tok, Tok], offset: int, inline: bool = False) -> None:
        if self.hidden:
            self.end_hidden()
        self.tokens.append(pair[0])
        self.closing.append(pair[1])
        if inline:
            self.children = []
            line = self.line(offset)
            token = Tok("inline", "", 0, block=True)
            token.map = [line, line + 1]
            token.children = self.children
            self.tokens.append(token)

    def close(self) -> None:
        if self.hidden:
            self.end_hidden()
        if not self.closing:
            raise _Unsupported("unbalanced events")
        self.children = None
        self.tokens.append(self.closing.pop())

    def inline(self, offset: int) -> list[Tok]:
        """The children to add to; inline content right in a list item is a hidden paragraph."""
        if self.children is None:
            self.block(_HIDDEN_PARAGRAPH, offset, inline=True)
            self.hidden = True
        assert self.children is not None
        return self.children

    def end_hidden(self) -> None:
        self.hidden = False
        self.close()

    def url(self, url: str) -> str:
        """The URL as markdown-it's normalizeLink writes it."""
        return url if _PLAIN_URL.match(url) else self.markdown().normalizeLink(url)


def _event(event: Any) -> tuple[str, Any]:
    if event.__class__ is str:
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


def _link(built: _Builder, link: dict[str, Any]) -> Tok:
    kind = link["link_type"]
    if kind in ("Autolink", "Email"):
        url = ("mailto:" if kind == "Email" else "") + link["dest_url"]
        token = Tok("link_open", "a", 1, {"href": built.markdown().normalizeLink(url)}, markup="autolink")
        token.info = "auto"
        return token
    attrs: Attrs = {"href": built.url(link["dest_url"])}
    if link["title"]:
        attrs["title"] = link["title"]
    return Tok("link_open", "a", 1, attrs)


def tokens(markdown: Markdown, body: str) -> list[Tok] | None:
    """The tokens `markdown().parse(body)` makes (only what `segment` and `render` use), or
    None when the body holds something this module leaves to markdown-it."""
    if "]:" in body:  # a link reference definition: the lines after it may not be read alike
        return None
    if "\t" in body:  # tabs stop at columns the parsers count alike only in simple cases
        return None  # (`> > - \ttab`: a list item's text for one, code for the other)
    data = body.encode("utf-8")
    try:
        events: list[Event] = list(pyromark.events_with_range(body, options=_OPTIONS))
        return _tokens(markdown, data, events)
    except _Unsupported:
        return None


def _tokens(markdown: Markdown, data: bytes, events: Sequence[Event]) -> list[Tok]:
    built = _Builder(markdown, data)
    position = 0
    count = len(events)
    while position < count:
        event, span = events[position]
        position += 1
        value: Any = None
        if event.__class__ is str:
            kind = event
        else:
            ((kind, value),) = event.items()
        if kind == "Text":
            children = built.inline(span["start"])
            if children and children[-1].type == "text":  # markdown-it joins adjacent text
                children[-1].content += value
            else:
                children.append(Tok("text", "", 0, None, value))
        elif kind == "End":
            if value.__class__ is str and value in _INLINE_CLOSE:
                if built.children is None:
                    raise _Unsupported("inline end outside inline content")
                built.children.append(_INLINE_CLOSE[value])
            else:
                built.close()
        elif kind == "Start":
            position = _start(built, value, span["start"], events, position)
        elif kind == "Code":
            # Across lines, the parsers keep different parts of the next line's indent.
            if b"\n" in data[span["start"] : span["end"]]:
                raise _Unsupported("code span across lines")
            built.inline(span["start"]).append(Tok("code_inline", "code", 0, None, value, "`"))
        elif kind in _BREAKS:
            built.inline(span["start"]).append(_BREAKS[kind])
        elif kind == "Rule":
            if built.hidden:
                built.end_hidden()
            built.tokens.append(_RULE)
        else:  # Html, InlineHtml and whatever else markdown-it reads its own way
            raise _Unsupported(kind)
    if built.closing or built.hidden:
        raise _Unsupported("unbalanced events")
    return built.tokens


def _start(built: _Builder, tag: Any, offset: int, events: Sequence[Event], position: int) -> int:
    """Open what `tag` starts; returns the position of the next event to read."""
    name, value = _event(tag)
    if name in _BLOCKS and value is None:
        built.block(_BLOCKS[name], offset, inline=name == "Paragraph")
    elif name in ("Emphasis", "Strong"):
        kind, html = _INLINE[name]
        built.inline(offset).append(Tok(f"{kind}_open", html, 1))
    elif name == "Link":
        link = _link(built, value)
        built.inline(offset).append(link)
        if link.markup == "autolink":  # its text is markdown-it's rendering of the URL
            url = value["dest_url"]
            shown = built.markdown().normalizeLinkText(url)
            built.inline(offset).append(Tok("text", "", 0, None, shown))
            while _event(events[position][0]) != ("End", "Link"):
                position += 1
            built.inline(offset).append(_INLINE_CLOSE["Link"])
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
        attrs: Attrs = {"src": built.url(value["dest_url"]), "alt": ""}
        if value["title"]:
            attrs["title"] = value["title"]
        label = _label(built.data, offset, inner)
        image = Tok("image", "img", 0, attrs, label)
        image.children = []
        built.inline(offset).append(image)
    elif name == "Heading":
        built.block(_HEADINGS[value["level"]], offset, inline=True)
    elif name == "List":  # an ordered one: a bullet list has no value
        start: Attrs = {"start": value} if value != 1 else {}
        built.block(
            (
                Tok("ordered_list_open", "ol", 1, start, block=True),
                Tok("ordered_list_close", "ol", -1, block=True),
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
            built.tokens.append(Tok("code_block", "code", 0, None, "".join(text), block=True))
        else:
            info = value["Fenced"]
            if "\\" in info or "&" in info:  # markdown-it unescapes it once more when rendering
                raise _Unsupported("fence info")
            fence = Tok("fence", "code", 0, None, "".join(text), block=True)
            fence.info = info
            built.tokens.append(fence)
    else:
        raise _Unsupported(name)
    return position


def render(markdown: Markdown, tokens: Sequence[Tok]) -> str:
    """What markdown-it's renderer writes for `segment`'s block tokens (every inline token's
    children are a slot or nothing). Code is rendered by markdown-it's own rules."""
    out: list[str] = []
    previous_hidden = False
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            if token.children:
                out.append("".join(child.content for child in token.children))
        elif kind == "code_block" or kind == "fence":
            out.append(_code(markdown, token))
        elif not token.hidden:
            nesting = token.nesting
            if nesting == -1:
                out.append(f"</{token.tag}>\n")
            else:
                html = "\n<" if previous_hidden else "<"
                html += token.tag + "".join(
                    f' {key}="{_escape(str(value))}"' for key, value in token.attrs.items()
                )
                if nesting == 1 and index < last:
                    following = tokens[index + 1]
                    joined = (
                        following.type == "inline"
                        or following.hidden
                        or (following.nesting == -1 and following.tag == token.tag)
                    )
                    html += ">" if joined else ">\n"
                else:
                    html += ">\n"
                out.append(html)
        previous_hidden = token.hidden
    return "".join(out)


def _escape(text: str) -> str:
    """markdown-it's escapeHtml."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _code(markdown: Markdown, token: Tok) -> str:
    """A code block or fence, by markdown-it's rule for it."""
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token

    md = markdown()
    copy = Token(token.type, token.tag, 0, content=token.content, info=token.info, block=True)
    return cast(RendererHTML, md.renderer).rules[token.type]([copy], 0, md.options, {})
