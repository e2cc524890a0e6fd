"""Plain settings values rendering needs; kept free of heavy imports so `tilmash` starts fast."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from babel import Locale

PolicyMode = Literal["reviewed", "threshold", "machine"]


@cache
def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


@cache
def _parsed_locale(identifier: str) -> Locale:
    """Parsing a locale identifier is slow enough to show when done for every page."""
    from babel import Locale

    return Locale.parse(identifier)


@dataclass(frozen=True, slots=True)
class PublishPolicy:
    """`reviewed`: every unit reviewed; `threshold`: at least N% reviewed; `machine`: anything translated.

    `block_on` names the QA checks whose failure keeps a translation off the site (the
    publish gate); None means every error-level check.
    """

    mode: PolicyMode = "reviewed"
    threshold: int = 100
    block_on: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """What rendering needs from the newsroom's configuration."""

    title: str
    base_url: str  # ends with "/"
    source_locale: str
    locales: tuple[str, ...]  # every published locale, source first
    babel_locales: Mapping[str, str]  # site code → Babel identifier (zh → zh_Hans)
    titles: Mapping[str, str] | None = None  # localized site titles
    page_size: int = 10  # articles per index page
    feed_items: int = 100  # newest articles in each feed (Pelican's default too); the sitemap lists all
    timezone: str | None = None  # IANA name for dates on pages and feeds; None: each date's own offset

    def babel(self, locale: str) -> Locale:
        return _parsed_locale(self.babel_locales.get(locale, locale))

    def html_lang(self, locale: str) -> str:
        return self.babel_locales.get(locale, locale).replace("_", "-")

    def site_title(self, locale: str) -> str:
        return (self.titles or {}).get(locale, self.title)

    def url(self, path: str) -> str:
        return self.base_url + path

    def local(self, moment: dt.datetime) -> dt.datetime:
        """The same moment in the newsroom's `timezone` (unchanged when none is set)."""
        return moment.astimezone(_zone(self.timezone)) if self.timezone else moment

    def day(self, moment: dt.datetime) -> dt.date:
        """The day a story is dated on the page: in `timezone`, or in the offset it was written with.

        A date written without a time (read as midnight UTC) is that day in every time zone.
        """
        if moment.utcoffset() == dt.timedelta(0) and moment.time() == dt.time(0):
            return moment.date()
        return self.local(moment).date()
