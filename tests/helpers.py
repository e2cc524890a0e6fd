"""Small helpers shared by test modules."""

from __future__ import annotations

import shutil
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


def file_tree(directory: Path) -> dict[str, bytes]:
    """Relative path → bytes of every file below `directory`: two sites compare byte for byte."""
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


NEWSROOM_FILES = ("tilmash.toml", "sources", "i18n", "static", "glossary", "public")


def cold_copy(live: Path, cold: Path) -> Path:
    """The newsroom's files and published site, without what runs kept (.tilmash/): its next run
    starts cold."""
    cold.mkdir()
    for name in NEWSROOM_FILES:
        source = live / name
        if source.is_dir():
            shutil.copytree(source, cold / name)
        elif source.exists():
            shutil.copy2(source, cold / name)
    return cold
