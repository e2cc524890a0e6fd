"""The body of each feed entry, kept from run to run with the digest of the edition it shows.

Every feed shows its newest articles in full: an edit to the newest one renders the feeds
again, and with them every other entry's body. A run takes those from the last run's when
the entry's edition is unchanged (`page_keys.digests`), so it neither reads their units nor
renders their bodies again (tilmash.articles takes their listing editions instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tilmash.checked import read_checked, write_checked
from tilmash.render.pages import article_body
from tilmash.render.policy import LocalizedArticle

Kept = dict[tuple[str, str], tuple[bytes, str]]  # (locale, slug) → (edition's digest, body HTML)


@dataclass(slots=True)
class FeedBodies:
    known: Kept = field(default_factory=dict)  # the last run's
    used: Kept = field(default_factory=dict)  # this run's feeds'

    @classmethod
    def load(cls, path: Path, key: str) -> FeedBodies:
        """The bodies a run with the same inputs (`key`: the units' run key) kept; none when
        missing, damaged or another's."""
        known = read_checked(path, key)
        return cls(known if isinstance(known, dict) else {})

    def has(self, locale: str, slug: str, digest: bytes | None) -> bool:
        found = self.known.get((locale, slug))
        return found is not None and found[0] == digest

    def body(self, edition: LocalizedArticle, digest: bytes | None, base_url: str) -> str:
        """The edition's body as the feeds show it (absolute image URLs under `base_url`): the
        kept one when `digest` is the one it was kept with. An edition without its body (a
        listing edition) is given only when it is (`has`)."""
        key = (edition.locale, edition.article.slug)
        html = self.known[key][1] if self.has(*key, digest) else article_body(edition, base_url)
        if digest is not None:
            self.used[key] = (digest, html)
        return html

    def save(self, path: Path, key: str, digests: Mapping[str, Mapping[str, bytes]]) -> None:
        """Keep the bodies the feeds show now: those of this run, and the last run's whose
        editions are unchanged (`digests`: locale → slug → its edition's); written only when
        that changes the file."""
        still = {
            (locale, slug): found
            for (locale, slug), found in self.known.items()
            if digests.get(locale, {}).get(slug) == found[0]
        }
        kept = still | self.used
        if kept != self.known:
            write_checked(path, key, kept)
