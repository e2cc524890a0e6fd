"""`tilmash import`: bring the newsroom's English feed into sources/, atomically, without duplicates.

The feed is read and checked whole before the first file is written: a feed that cannot
be read exactly changes nothing.
"""

from __future__ import annotations

import datetime as dt
import http.client
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tilmash.atomic import write_atomic
from tilmash.sources.feed_import import FeedError, plan_import

MAX_FEED_BYTES = 50 * 1024 * 1024
FETCH_TIMEOUT = 60  # seconds for any one wait on the server
FETCH_DEADLINE = 120  # seconds for the whole feed


@dataclass(slots=True)
class ImportReport:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed in the feed, left as they are (see errors)
    errors: list[str] = field(default_factory=list)  # `FEED:LINE: message`, one per skipped entry
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kept = f", {len(self.kept)} kept" if self.kept else ""
        return (
            f"imported: {len(self.new)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged{kept}"
        )


def _read_before_deadline(response: http.client.HTTPResponse, deadline: float) -> bytes:
    """At most MAX_FEED_BYTES + 1 bytes of the answer, all by `deadline`: `FETCH_TIMEOUT` bounds
    each wait, so a server sending a byte every few seconds held the run, and the newsroom's
    lock, for as long as it liked."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_FEED_BYTES:
        if time.monotonic() > deadline:
            raise TimeoutError(f"still arriving after {FETCH_DEADLINE} s")
        chunk = response.read1(MAX_FEED_BYTES + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_feed(feed: str) -> tuple[bytes, str | None]:
    """The feed's bytes and, for a URL, the server's `Content-Type`."""
    if feed.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(feed, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 (scheme checked)
                data = _read_before_deadline(response, time.monotonic() + FETCH_DEADLINE)
                content_type = response.headers.get("Content-Type")
        except (OSError, ValueError, http.client.HTTPException) as error:  # URLError is an OSError
            # a server answering what is not HTTP (BadStatusLine) crashed the whole run
            reason = " ".join(str(getattr(error, "reason", None) or error).split()) or type(error).__name__
            raise FeedError(f"cannot be fetched: {reason[:200]}") from None
    else:
        path = Path(feed)
        if not path.exists():
            raise FeedError("no such file")
        if not path.is_file():
            raise FeedError("not a file")
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FEED_BYTES + 1)
        except OSError as error:
            raise FeedError(f"cannot be read: {error.strerror}") from None
        content_type = None
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"larger than {MAX_FEED_BYTES // (1024 * 1024)} MB: refused")
    return data, content_type


def import_feed(sources_dir: Path, feed: str, now: dt.datetime | None = None) -> ImportReport:
    """Write one Markdown source per feed entry; an entry seen before updates its own file.

    Raises FeedError, with nothing written, for a feed that cannot be read exactly.
    """
    data, content_type = read_feed(feed)
    existing = {}  # every file name of sources/ (a new entry must not take its slug); Markdown text
    if sources_dir.is_dir():
        for path in sorted(sources_dir.iterdir()):
            try:
                existing[path.name] = path.read_text(encoding="utf-8") if path.suffix == ".md" else ""
            except (UnicodeDecodeError, OSError):
                existing[path.name] = ""
    url = feed if feed.startswith(("http://", "https://")) else None
    plan = plan_import(data, existing, now or dt.datetime.now(dt.UTC), content_type, url)
    report = ImportReport(
        kept=plan.kept,
        errors=[notice.located(feed) for notice in plan.errors],
        warnings=[notice.located(feed) for notice in plan.warnings],
    )
    sources_dir.mkdir(parents=True, exist_ok=True)
    for planned in plan.files:
        before = existing.get(planned.name)
        if before == planned.text:
            report.unchanged.append(planned.name)
            continue
        write_atomic(sources_dir / planned.name, planned.text.encode("utf-8"))
        (report.new if before is None else report.updated).append(planned.name)
    return report
