"""An English RSS 2.0 / Atom feed → Markdown source files (new ones added, known ones updated)."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import feedparser
import yaml
from lxml import html
from tilmash.sources.frontmatter import FrontMatterError, split_front_matter
from tilmash.sources.html_source import clean_html, html_to_markdown
from tilmash.sources.loader import SLUG_RE


class FeedError(Exception):
    """A feed that could not be read at all."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One Markdown source to write: `name` is the file name inside `sources/`."""

    name: str
    source_id: str
    text: str


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return slug if slug and SLUG_RE.match(slug) else "entry-" + hashlib.sha1(title.encode()).hexdigest()[:8]


def _moment(entry: Any, *keys: str) -> dt.datetime | None:
    for key in keys:
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
    return None


def _plain(fragment: str) -> str:
    if not fragment.strip():
        return ""
    return " ".join(html.fromstring(f"<div>{clean_html(fragment)}</div>").text_content().split())


def entry_source(entry: Any) -> tuple[str, dict[str, Any], str] | None:
    """(source id, front matter, Markdown body) of one feed entry; None when it has no title."""
    title = " ".join(str(entry.get("title", "")).split())
    if not title:
        return None
    source_id = str(entry.get("id") or entry.get("link") or title)
    published = _moment(entry, "published", "updated", "created") or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    updated = _moment(entry, "updated")
    contents = entry.get("content") or []
    body_html = contents[0].get("value", "") if contents else entry.get("summary", "")
    meta: dict[str, Any] = {"title": title, "date": published.isoformat()}
    if updated and updated != published:
        meta["updated"] = updated.isoformat()
    summary = _plain(entry.get("summary", "")) if contents else ""
    if summary:
        meta["summary"] = summary[:300]
    if entry.get("author"):
        meta["author"] = str(entry["author"])
    tags = [str(t.get("term")) for t in entry.get("tags", []) if t.get("term")]
    if tags:
        meta["tags"] = tags
    meta["source_id"] = source_id
    if entry.get("link"):
        meta["source_url"] = str(entry["link"])
    return source_id, meta, html_to_markdown(body_html)


def known_source_ids(files: Mapping[str, str]) -> dict[str, str]:
    """`source_id` → file name, for the Markdown sources given as name → text."""
    known: dict[str, str] = {}
    for name, text in files.items():
        try:
            meta, _, _ = split_front_matter(text)
        except FrontMatterError:
            continue
        if meta.get("source_id"):
            known[str(meta["source_id"])] = name
    return known


def plan_import(feed: bytes | str, existing: Mapping[str, str]) -> list[SourceFile]:
    """Source files for every entry of `feed`; `existing` maps file names in sources/ to their text."""
    parsed = feedparser.parse(feed, sanitize_html=True, resolve_relative_uris=True)
    if parsed.get("bozo") and not parsed.entries:
        raise FeedError(f"not a readable RSS or Atom feed ({parsed.get('bozo_exception')})")
    known = known_source_ids(existing)
    taken = set(existing)
    planned: list[SourceFile] = []
    for entry in parsed.entries:
        converted = entry_source(entry)
        if converted is None:
            continue
        source_id, meta, body = converted
        name = known.get(source_id)
        if name is None:
            base = slugify(meta["title"])
            name, counter = f"{base}.md", 2
            while name in taken:
                name, counter = f"{base}-{counter}.md", counter + 1
            taken.add(name)
            known[source_id] = name
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        planned.append(SourceFile(name, source_id, f"---\n{front}---\n{body}"))
    return planned
