"""A CommonMark body's template and units, read from pulldown-cmark's events (Rust, via pyromark).

Parsing the body is most of the cost of reading an article, and markdown-it-py parses ten
times slower than pulldown-cmark. Both follow the CommonMark spec, so for what both read
the same way this module turns pulldown-cmark's events straight into what `segment` makes
of markdown-it's tokens: each unit's inline content (as the inline tokens markdown-it would
make, for `segment` to turn into a unit) and the HTML template markdown-it's renderer
writes around the units' slots. Where the parsers may differ it gives up and returns None,
and markdown-it parses the body: raw HTML (Tilmash shows it as text, which pulldown-cmark
cannot be told to do), tables, tabs, and any text it cannot match to the source exactly
(an image's alt text is its raw label).

markdown-it itself is imported only for what is rare in news (code blocks, autolinks, URLs
that may need escaping), not for every run.
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
Unit = Callable[[str, int, list["Tok"]], str]  # (kind, line, inline tokens) → the unit's slot, or ""
_OPTIONS = pyromark.Options.ENABLE_TABLES  # a table is seen (and left to markdown-it), never misread
_NEWLINE = re.compile(rb"\n")
# URLs markdown-it's normalizeLink returns unchanged (nothing to percent-encode or punycode):
# most links and image sources. Others are normalized by markdown-it itself.
_UNCHANGED_URL = re.compile(r"(?:https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*)?[A-Za-z0-9._~/=&?#+-]*\Z")


class Tok:
    """The fields of markdown-it's inline `Token` that `segment` reads."""

    __slots__ = ("type", "tag", "attrs", "content", "markup")

    def __init__(
        self, type: str, tag: str = "", attrs: Attrs | None = None, content: str = "", markup: str = ""
    ):  # noqa: A002 - markdown-it's name
        self.type = type
        self.tag = tag
        self.attrs = {} if attrs is None else attrs
        self.content = content
        self.markup = markup

    def __repr__(self) -> str:
        return f"Tok({self.type!r}, content={self.content!r})"


_INLINE = {"Emphasis": ("em", "em"), "Strong": ("strong", "strong"), "Link": ("link", "a")}
# Inline tokens without attributes or text are made once and shared: `segment` only reads them.
_INLINE_OPEN = {name: Tok(f"{kind}_open", tag) for name, (kind, tag) in _INLINE.items() if name != "Link"}
_INLINE_CLOSE = {name: Tok(f"{kind}_close", tag) for name, (kind, tag) in _INLINE.items()}
_BREAKS = {"SoftBreak": Tok("softbreak", "br"), "HardBreak": Tok("hardbreak", "br")}
# The block each Start opens: its tag, and the kind it gives its units (None: its parent's).
_BLOCKS = {"Paragraph": ("p", None), "Item": ("li", "list item"), "BlockQuote": ("blockquote", "quote")}
_BLOCKS["List"] = ("ul", None)


class _Unsupported(Exception):
    """Something markdown-it may read differently: it parses the body instead."""


class _Template:
    """The template markdown-it's renderer writes, as the blocks open and close.

    Its rules, for the tokens markdown-it makes of what is read here: an opening tag ends its
    line unless inline content (or a tight list item's hidden paragraph) or its own closing
    tag follows; a closing tag ends its line; an opening tag (or `<hr>`) right after a hidden
    paragraph starts a line of its own.
    """

    def __init__(self, markdown: Markdown, data: bytes, unit: Unit) -> None:
        self.markdown = markdown
        self.data = data
        self.unit = unit
        self._newlines: list[int] | None = None  # offsets of the body's line ends, found when first asked
        self.out: list[str] = []
        self.closing: list[str] = []  # the tag of each open block; "" for a hidden paragraph
        self.kinds = ["paragraph"]  # the kind each open block gives its units
        self.children: list[Tok] | None = None  # the open inline content's tokens
        self.line = 0  # the open inline content's line in the body
        self.hidden = False  # the open inline content is a tight list item's (hidden) paragraph
        self.pending = ""  # an opening tag whose line end waits on what follows
        self.after_hidden = False  # the last token was a hidden paragraph's end

    def _settle(self, joined: bool) -> None:
        """End the pending opening tag's line, unless what follows joins it."""
        if self.pending:
            if not joined:
                self.out.append("\n")
            self.pending = ""

    def _line(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in _NEWLINE.finditer(self.data)]
        return bisect_left(self._newlines, offset)

    def open(self, tag: str, kind: str | None, offset: int, inline: bool = False, attrs: str = "") -> None:
        if self.hidden:
            self.end_hidden()
        self._settle(False)
        self.out.append(f"\n<{tag}{attrs}>" if self.after_hidden else f"<{tag}{attrs}>")
        self.after_hidden = False
        self.pending = tag
        self.closing.append(tag)
        self.kinds.append(kind or self.kinds[-1])
        if inline:
            self._settle(True)
            self.children = []
            self.line = self._line(offset)

    def _end_inline(self) -> None:
        if self.children is not None:
            if self.children:
                self.out.append(self.unit(self.kinds[-1], self.line, self.children))
            self.children = None

    def close(self) -> None:
        if self.hidden:
            self.end_hidden()
        if not self.closing:
            raise _Unsupported("unbalanced events")
        self._end_inline()
        tag = self.closing.pop()
        self.kinds.pop()
        self._settle(self.pending == tag)  # `<li></li>`
        self.out.append(f"</{tag}>\n")
        self.after_hidden = False

    def inline(self, offset: int) -> list[Tok]:
        """The children to add to; inline content right in a list item is a hidden paragraph."""
        if self.children is None:
            self._settle(True)
            self.closing.append("")
            self.kinds.append(self.kinds[-1])
            self.hidden = True
            self.children = []
            self.line = self._line(offset)
        return self.children

    def end_hidden(self) -> None:
        self.hidden = False
        self._end_inline()
        self.closing.pop()
        self.kinds.pop()
        self.after_hidden = True

    def block(self, html: str, after_hidden: bool) -> None:
        """A block without content of its own; `after_hidden`: it starts a line after a hidden paragraph."""
        if self.hidden:
            self.end_hidden()
        self._settle(False)
        self.out.append("\n" + html if after_hidden and self.after_hidden else html)
        self.after_hidden = False

    def url(self, url: str) -> str:
        """The URL as markdown-it's normalizeLink writes it."""
        return url if _UNCHANGED_URL.match(url) else self.markdown().normalizeLink(url)


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


def _link(built: _Template, link: dict[str, Any]) -> Tok:
    kind = link["link_type"]
    if kind in ("Autolink", "Email"):
        url = ("mailto:" if kind == "Email" else "") + link["dest_url"]
        return Tok("link_open", "a", {"href": built.markdown().normalizeLink(url)}, markup="autolink")
    attrs: Attrs = {"href": built.url(link["dest_url"])}
    if link["title"]:
        attrs["title"] = link["title"]
    return Tok("link_open", "a", attrs)


def template(markdown: Markdown, body: str, unit: Unit) -> str | None:
    """The template markdown-it's renderer writes for `body` once `segment` has put each unit's
    slot (given by `unit`, in document order) in place of its inline content; None when the
    body holds something this module leaves to markdown-it (the units given are then void)."""
    if "]:" in body:  # a link reference definition: the lines after it may not be read alike
        return None
    if "\t" in body:  # tabs stop at columns the parsers count alike only in simple cases
        return None  # (`> > - \ttab`: a list item's text for one, code for the other)
    data = body.encode("utf-8")
    try:
        events: list[Event] = list(pyromark.events_with_range(body, options=_OPTIONS))
        return _template(_Template(markdown, data, unit), events)
    except _Unsupported:
        return None


def _template(built: _Template, events: Sequence[Event]) -> str:
    data = built.data
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
                children.append(Tok("text", "", None, value))
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
            built.inline(span["start"]).append(Tok("code_inline", "code", None, value, "`"))
        elif kind in _BREAKS:
            built.inline(span["start"]).append(_BREAKS[kind])
        elif kind == "Rule":
            built.block("<hr>\n", after_hidden=True)
        else:  # Html, InlineHtml and whatever else markdown-it reads its own way
            raise _Unsupported(kind)
    if built.closing or built.hidden:
        raise _Unsupported("unbalanced events")
    return "".join(built.out)


def _start(built: _Template, tag: Any, offset: int, events: Sequence[Event], position: int) -> int:
    """Open what `tag` starts; returns the position of the next event to read."""
    name, value = _event(tag)
    if name in _BLOCKS and value is None:
        html, kind = _BLOCKS[name]
        built.open(html, kind, offset, inline=name == "Paragraph")
    elif name in _INLINE_OPEN:
        built.inline(offset).append(_INLINE_OPEN[name])
    elif name == "Link":
        link = _link(built, value)
        built.inline(offset).append(link)
        if link.markup == "autolink":  # its text is markdown-it's rendering of the URL
            shown = built.markdown().normalizeLinkText(value["dest_url"])
            built.inline(offset).append(Tok("text", "", None, shown))
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
        built.inline(offset).append(Tok("image", "img", attrs, label))
    elif name == "Heading":
        built.open(f"h{value['level'][1]}", "heading", offset, inline=True)
    elif name == "List":  # an ordered one: a bullet list has no value
        built.open("ol", None, offset, attrs=f' start="{value}"' if value != 1 else "")
    elif name == "CodeBlock":
        if "li" in built.closing:  # may a blank line in it loosen the list? They differ
            raise _Unsupported("code block in a list item")
        text = []
        while events[position][0] != {"End": "CodeBlock"}:
            kind, content = _event(events[position][0])
            if kind != "Text":
                raise _Unsupported(kind)
            text.append(content)
            position += 1
        position += 1
        info = "" if value == "Indented" else value["Fenced"]
        if "\\" in info or "&" in info:  # markdown-it unescapes it once more when rendering
            raise _Unsupported("fence info")
        kind = "code_block" if value == "Indented" else "fence"
        built.block(_code(built.markdown, kind, "".join(text), info), after_hidden=False)
    else:
        raise _Unsupported(name)
    return position


def _code(markdown: Markdown, kind: str, content: str, info: str) -> str:
    """A code block or fence, by markdown-it's rule for it."""
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token

    md = markdown()
    token = Token(kind, "code", 0, content=content, info=info, block=True)
    return cast(RendererHTML, md.renderer).rules[kind]([token], 0, md.options, {})
