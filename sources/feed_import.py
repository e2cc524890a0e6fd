"""An English RSS 2.0 / Atom feed → Markdown source files, all or nothing, never guessing.

A feed is read strictly (well-formed XML, an encoding it states, no entity declarations)
before feedparser sees it: a broken, cut or mis-encoded feed is refused whole, so it can
never overwrite an article that was imported before.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import email.utils
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser
import yaml
from lxml import etree, html

from tilmash.sources.controls import CONTROL_RE
from tilmash.sources.frontmatter import FrontMatterError, split_front_matter
from tilmash.sources.html_source import clean_html, html_to_markdown
from tilmash.sources.loader import MAX_TAGS, RESERVED_SLUGS, SLUG_RE, SourceProblem, parse_article

FEED_ROOTS = {"rss", "feed", "RDF"}
# A character reference to a C0 control (`&#x8;`): not allowed in XML 1.0, yet common in feeds.
CONTROL_REF_RE = re.compile(
    r"&#(?:[xX]0*([0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])|0*([0-8]|1[1-9]|2[0-9]|3[01]|127));"
)
TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
DECLARATION_RE = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
# Where a summary's blocks meet, their words must not run together ("Head" + "Text").
BLOCK_TAGS = frozenset("p div li br h1 h2 h3 h4 h5 h6 td th tr blockquote pre figure figcaption hr".split())
MAX_SUMMARY_CHARS = 300
SHRINK_RATIO = 0.5  # a new body under half the imported one is suspicious …
SHRINK_MIN_CHARS = 200  # … when the imported one is longer than this
UNDATED_NOTE = "# the feed gives no date: dated by the first import of this entry\n"


class FeedError(Exception):
    """A feed refused whole; `line` and `column` point into the feed where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    def located(self, feed: str) -> str:
        where = "".join(f":{n}" for n in (self.line, self.column) if n)
        return f"{feed}{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Notice:
    """A problem with one entry (or the feed, line None): the entry is skipped or kept, the rest goes on."""

    line: int | None
    message: str

    def located(self, feed: str) -> str:
        return f"{feed}:{self.line}: {self.message}" if self.line else f"{feed}: {self.message}"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One Markdown source to write: `name` is the file name inside `sources/`."""

    name: str
    source_id: str
    text: str


@dataclass(slots=True)
class FeedPlan:
    """What importing a feed would write, and what it found wrong with single entries."""

    files: list[SourceFile] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # files left as they are although the entry changed
    errors: list[Notice] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    if slug in RESERVED_SLUGS:
        return f"{slug}-story"
    return slug if slug and SLUG_RE.match(slug) else "entry-" + hashlib.sha1(title.encode()).hexdigest()[:8]


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise FeedError(f"unknown character encoding {name!r}") from None


def decode_feed(data: bytes, content_type: str | None = None) -> str:
    """The feed's text, in the encoding its BOM, HTTP `Content-Type` or XML declaration states.

    Nothing is guessed: no statement means UTF-8 (the XML default), and bytes that are not
    valid in the stated encoding, or two statements that disagree, refuse the feed.
    """
    bom = next(((mark, name) for mark, name in BOMS if data.startswith(mark)), None)
    declared_match = DECLARATION_RE.match(data.removeprefix(bom[0]) if bom and bom[1] == "utf-8" else data)
    declared = _codec(declared_match.group(1).decode("ascii")) if declared_match else None
    charset_match = CHARSET_RE.search(content_type or "")
    sent = _codec(charset_match.group(1)) if charset_match else None
    if bom is not None:
        encoding, body = bom[1], data[len(bom[0]) :]
        if declared and not (declared == encoding or declared.startswith("utf-16") and "16" in encoding):
            raise FeedError(f"the feed starts with a {encoding} byte-order mark but declares {declared}", 1)
    else:
        encoding, body = sent or declared or "utf-8", data
        if sent and declared and sent != declared and not body.isascii():  # ASCII reads the same in both
            raise FeedError(f"the server says {sent} but the feed declares {declared}: refused", 1)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        if error.end == len(body) and "end of data" in error.reason:  # cut inside a character: the
            return body[: error.start].decode(encoding)  # XML parser reports where the feed ends
        stated = "" if sent or declared else ", and it states no encoding (XML's default is UTF-8)"
        raise FeedError(
            f"the bytes are not valid {encoding} (byte {error.start}){stated}: "
            "refused rather than guessed; declare the feed's real encoding",
            _line_of(body, error.start),
        ) from None
    if encoding not in ("utf-8", "ascii") and not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise FeedError(
                f"the feed says {encoding}, but its bytes are UTF-8: refused rather than guessed", 1
            )
    return text


def _without_controls(text: str, warnings: list[Notice]) -> str:
    """Control characters (raw, or as `&#x8;` references) removed, with a warning per line."""
    lines = [
        n
        for n, line in enumerate(text.split("\n"), 1)
        if CONTROL_RE.search(line) or CONTROL_REF_RE.search(line)
    ]
    for line in lines[:10]:
        warnings.append(Notice(line, "control characters removed (they cannot appear in a web page)"))
    return CONTROL_REF_RE.sub("", CONTROL_RE.sub("", text)) if lines else text


def parse_feed_xml(text: str) -> etree._Element:
    """The feed's root element, parsed strictly: bad XML, entity declarations or another root refuse it."""
    parser = etree.XMLParser(
        encoding="utf-8", resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        first_line = error.msg.splitlines()[0] if error.msg else "unreadable"
        message = re.sub(r"(, line \d+, column \d+|, line \d+)+$", "", first_line)
        raise FeedError(f"not well-formed XML: {message}", line or None, column or None) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise FeedError("the feed's DOCTYPE declares entities: refused (they can expand without bound)", 1)
    name = etree.QName(root).localname
    if name not in FEED_ROOTS:
        raise FeedError(f"not an RSS or Atom feed: the root element is <{name}>", root.sourceline)
    return root


def _single_line(value: object) -> str:
    return " ".join(CONTROL_RE.sub("", str(value)).split())


def _plain(fragment: str) -> str:
    """Text of an HTML fragment: no tags, entities decoded, on one line, a space between blocks."""
    if not fragment.strip():
        return ""
    tree = html.fromstring(f"<div>{clean_html(fragment)}</div>")
    for element in tree.iter(*BLOCK_TAGS):
        element.tail = " " + (element.tail or "")
    return _single_line(tree.text_content())


def _shortened(text: str, limit: int = MAX_SUMMARY_CHARS) -> str:
    """At most `limit` characters, cut after a whole word with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-–—") + "…"


def _text_field(entry: Any, key: str) -> str:
    """A title or summary as plain text, whatever markup the feed put in it."""
    detail = entry.get(f"{key}_detail") or {}
    value = str(entry.get(key, ""))
    if detail.get("type") == "text/plain":  # text, but tags in it are still not wanted in a title
        return _single_line(TAG_RE.sub("", value))
    return _plain(value)


def _moment(entry: Any, *keys: str) -> dt.datetime | None:
    """The entry's date with the UTC offset it was written with (feedparser keeps only UTC)."""
    for key in keys:
        parsed = dict.get(entry, f"{key}_parsed")  # dict.get: no fallback from one date to another
        if not parsed:
            continue
        utc = dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
        if utc.year <= 1970:  # the epoch is what a CMS writes for "no date"
            continue
        raw = str(dict.get(entry, key, "")).strip()
        for reader in (email.utils.parsedate_to_datetime, dt.datetime.fromisoformat):
            try:
                written = reader(raw.replace("Z", "+00:00") if reader is dt.datetime.fromisoformat else raw)
            except (TypeError, ValueError, IndexError):
                continue
            if written.tzinfo is not None and written == utc:
                return written
        return utc
    return None


def _absolute(url: str, base: str | None) -> str | None:
    """`url` resolved against the entry's page, or None when it is relative and there is no page, or
    empty (what feedparser leaves of a `javascript:` link)."""
    url = url.strip()
    if not url:
        return None
    if SCHEME_RE.match(url):
        return url
    if base:
        return urljoin(base, url)
    return "https:" + url if url.startswith("//") else None


def _web_urls_only(fragment: str, base: str | None) -> tuple[str, int]:
    """Links and images point to the entry's web site, and images become links to them.

    A page must load nothing from the network; and an address relative to the entry's page
    (`/uploads/x.jpg`) means nothing on ours: it would be a broken link, or an image taken for
    a file of `static/`. Without a page to resolve against, a link becomes its text and an
    image its alt text.
    """
    if "<img" not in fragment and "<a" not in fragment:
        return fragment, 0
    tree = html.fragment_fromstring(fragment, create_parent="div")
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if href is not None and _absolute(href, base) is None:
            anchor.drop_tag()
        elif href is not None:
            anchor.set("href", _absolute(href, base) or "")
    linked = 0  # images made links (the others, with nothing to resolve against, their alt text)
    for img in list(tree.iter("img")):
        src = _absolute(img.get("src", ""), base)
        text = img.get("alt") or ("image" if src else "")
        if src is None:
            img.getparent().replace(img, _text_node(text, img.tail))
            continue
        link = etree.Element("a", href=src)
        link.text, link.tail = text, img.tail
        img.getparent().replace(img, link)
        linked += 1
    inner = (tree.text or "") + "".join(html.tostring(child, encoding="unicode") for child in tree)
    return inner, linked


def _text_node(text: str, tail: str | None) -> Any:
    """An inline element that markdownify writes as its text."""
    span = etree.Element("span")
    span.text, span.tail = text, tail
    return span


def _body(entry: Any, base: str | None) -> tuple[str, int]:
    """The entry's content (or its summary when it has none) as Markdown; and the images made links."""
    contents = entry.get("content") or []
    detail = contents[0] if contents else entry.get("summary_detail") or {}
    value = str(contents[0].get("value", "") if contents else entry.get("summary", ""))
    if detail.get("type") == "text/plain":
        value = _paragraphs(value)
    value, dropped = _web_urls_only(clean_html(CONTROL_RE.sub("", value)), base)
    return html_to_markdown(value), dropped


def _paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, every character kept as text."""
    return "".join(f"<p>{escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", text) if p.strip())


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry as source material: front matter and Markdown body."""

    source_id: str
    meta: dict[str, Any]
    body: str
    updated: dt.datetime | None
    undated: bool
    remote_images: int


def read_entry(entry: Any, site: str | None = None) -> Entry | str:
    """The entry as front matter and Markdown, or why it cannot be imported.

    `site` is the feed's own link (or its URL), against which a relative entry link resolves.
    """
    title = _text_field(entry, "title")
    if not title:
        return "entry without a title: skipped"
    source_id = _single_line(entry.get("id") or entry.get("link") or title)
    published = _moment(entry, "published", "updated", "created")
    updated = _moment(entry, "updated")
    link = _absolute(_single_line(entry.get("link") or ""), site) if entry.get("link") else None
    body, remote = _body(entry, link or site)
    meta: dict[str, Any] = {"title": title, "date": published.isoformat() if published else None}
    if updated and published and updated != published:
        meta["updated"] = updated.isoformat()
    summary = _text_field(entry, "summary") if entry.get("content") else ""
    if summary:
        meta["summary"] = _shortened(summary)
    author = _single_line(entry.get("author", ""))
    if author:
        meta["author"] = author
    terms = dict.fromkeys(_single_line(t.get("term") or "") for t in entry.get("tags", []))
    tags = [t for t in terms if t][:MAX_TAGS]  # the loader refuses more
    if tags:
        meta["tags"] = tags
    meta["source_id"] = source_id
    if link or entry.get("link"):
        meta["source_url"] = link or _single_line(entry["link"])
    return Entry(source_id, meta, body, updated, published is None, remote)


def known_sources(files: Mapping[str, str]) -> dict[str, tuple[str, dict[str, Any], str]]:
    """`source_id` → (file name, front matter, body), for the Markdown sources given as name → text."""
    known: dict[str, tuple[str, dict[str, Any], str]] = {}
    for name, text in sorted(files.items()):
        try:
            meta, body, _ = split_front_matter(text)
        except FrontMatterError:
            continue
        if meta.get("source_id"):
            known.setdefault(_single_line(meta["source_id"]), (name, meta, body))
    return known


def known_source_ids(files: Mapping[str, str]) -> dict[str, str]:
    """`source_id` → file name, for the Markdown sources given as name → text."""
    return {source_id: found[0] for source_id, found in known_sources(files).items()}


def _as_moment(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _shrinks(old_meta: dict[str, Any], old_body: str, entry: Entry) -> str | None:
    """Why the entry's new body must not replace the imported one, or None when it may."""
    old, new = len(old_body.strip()), len(entry.body.strip())
    if not (new == 0 < old or old >= SHRINK_MIN_CHARS and new < old * SHRINK_RATIO):
        return None
    before = _as_moment(old_meta.get("updated") or old_meta.get("date"))
    if entry.updated and before and entry.updated > before:
        return None  # the feed really says the article changed
    return (
        f"the entry's text is now {new} characters, the imported article has {old}: "
        "kept unchanged, because the feed does not mark the entry as updated"
    )


def _render(meta: dict[str, Any], body: str, undated: bool) -> str:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{front}{UNDATED_NOTE if undated else ''}---\n{body}"


def plan_import(
    data: bytes,
    existing: Mapping[str, str],
    now: dt.datetime,
    content_type: str | None = None,
    url: str | None = None,
) -> FeedPlan:
    """Source files for the entries of the feed `data`; `existing` maps file names in sources/ to their text.

    `url` is where the feed was fetched from: relative addresses in it resolve against it.
    Raises FeedError, before anything is planned, when the feed cannot be read exactly.
    """
    plan = FeedPlan()
    text = _without_controls(decode_feed(data, content_type), plan.warnings)
    root = parse_feed_xml(text)
    utf8 = etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)
    parsed = feedparser.parse(
        utf8,
        response_headers={"content-type": "application/xml; charset=utf-8", "content-location": url or ""},
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    items = root.xpath("//*[local-name()='item' or local-name()='entry']")
    lines = [item.sourceline for item in items] if len(items) == len(parsed.entries) else []
    if not parsed.entries:
        plan.errors.append(Notice(None, "the feed has no entries"))
    site = _absolute(_single_line(parsed.feed.get("link") or ""), url) or url
    known = known_sources(existing)
    taken = {Path(name).stem for name in existing}  # stems: `x.html` takes the slug `x` too
    seen: dict[str, int | None] = {}
    for number, raw in enumerate(parsed.entries):
        line = lines[number] if lines else None
        entry = read_entry(raw, site)
        if isinstance(entry, str):
            plan.errors.append(Notice(line, entry))
            continue
        if entry.source_id in seen:
            first = seen[entry.source_id]
            plan.errors.append(
                Notice(
                    line,
                    f"entry {entry.meta['title']!r} has the same id ({entry.source_id}) as the entry "
                    f"{f'on line {first}' if first else 'before it'}: skipped",
                )
            )
            continue
        seen[entry.source_id] = line
        if entry.remote_images:
            plan.warnings.append(
                Notice(
                    line,
                    f"{entry.remote_images} image(s) made links to the entry's site "
                    "(pages load nothing from the network)",
                )
            )
        found = known.get(entry.source_id)
        if entry.undated:
            first_seen = found[1].get("date") if found else None
            entry.meta["date"] = str(first_seen) if first_seen else now.isoformat(timespec="seconds")
            plan.warnings.append(
                Notice(
                    line,
                    f"entry {entry.meta['title']!r} has no date: dated {entry.meta['date']} (first import)",
                )
            )
        if found is None:
            base = slugify(entry.meta["title"])
            stem, counter = base, 2
            while stem in taken:
                stem, counter = f"{base}-{counter}", counter + 1
            taken.add(stem)
            name = f"{stem}.md"
        else:
            name = found[0]
            why = _shrinks(found[1], found[2], entry)
            if why:
                plan.errors.append(Notice(line, f"{name}: {why}"))
                plan.kept.append(name)
                continue
        source = _render(entry.meta, entry.body, entry.undated)
        try:
            parse_article(Path(name), source.encode("utf-8"), Path(name).stem)
        except SourceProblem as problem:
            plan.errors.append(
                Notice(
                    line,
                    f"entry {entry.meta['title']!r} would make an unreadable source ({problem}): skipped",
                )
            )
            continue
        plan.files.append(SourceFile(name, entry.source_id, source))
    return plan
