"""Images an article shows must be files in the newsroom's `static/`: a page loads nothing else."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from urllib.parse import unquote

from tilmash.reading import read_regular
from tilmash.sources.model import Article, SourceError

_REMOTE_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def image_problems(article: Article, root: Path) -> list[SourceError]:
    """An error for each image of `article` that is remote, outside `root/static/` or missing."""
    static: Path | None = None  # resolved at the first image: most articles have none
    problems = []
    for block in article.blocks:
        for placeholder in block.placeholders:
            src = dict(placeholder.attrs).get("src")
            if placeholder.tag != "img" or src is None:
                continue
            static = static or (root / "static").resolve()
            if _REMOTE_RE.match(src):
                message = (
                    f"image {src} is not in static/ (pages load nothing from the network): copy it there"
                )
            else:
                target = (root / unquote(src.split("#")[0].split("?")[0]).lstrip("/")).resolve()
                if not target.is_relative_to(static):
                    message = f"image {src} lies outside static/"
                elif not target.is_file():
                    message = f"image {src} not found"
                else:
                    continue
            problems.append(SourceError(article.source_path, _line(article, block.line, src), message))
    return problems


def _line(article: Article, line: int, src: str) -> int:
    """Where the image is written. An HTML page's blocks carry lines of the Markdown it was
    converted to, so `sources/x.html:10` pointed at no `<img>` (the page's was on line 15): the
    page itself is searched for the address (only when there is a problem to report)."""
    if article.source_path.suffix not in (".html", ".htm"):
        return line
    try:
        text = read_regular(article.source_path).decode("utf-8", "replace")
    except OSError:
        return line
    for written in dict.fromkeys((src, unquote(src), escape(src), escape(unquote(src)))):
        if (at := text.find(f'"{written}"')) >= 0 or (at := text.find(written)) >= 0:
            return text.count("\n", 0, at) + 1
    return line
