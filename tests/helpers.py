"""Small helpers shared by test modules."""

from __future__ import annotations

import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog

from tilmash.i18n import article_template, parse_catalog, render_catalog, sync_catalog
from tilmash.sources import parse_article


def article(body: str, title: str = "A title", slug: str = "story"):
    raw = f"---\ntitle: {title}\ndate: 2026-03-01\n---\n{body}".encode()
    return parse_article(Path(f"sources/{slug}.md"), raw, slug)


def sync(body: str, existing: Catalog | None, locale: str = "ru") -> Catalog:
    """Sync the catalog of `body` and round-trip it through a real PO file."""
    template = article_template(article(body), "sources/story.md")
    catalog = sync_catalog(template, existing, locale)
    return parse_catalog(render_catalog(catalog), Path("story.po"), locale)


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
