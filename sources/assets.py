"""Images an article shows must be files in the newsroom's `static/`: a page loads nothing else."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

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
            problems.append(SourceError(article.source_path, block.line, message))
    return problems
