"""The listing editions of a run's articles, kept on disk: memory holds only what orders and
groups them (date, slug, tags) and where each is.

Index, tag and sitemap files list every published article in every locale; holding each
article's four listing editions took ~2.5 KiB per article, the largest part of what a run's
memory grew by. An article processed by the run has its editions appended to a temporary
file, one pickle per locale (a page reads only its locale's), when the run parsed many
editions (pipeline.HELD_EDITIONS; `held` otherwise: pickled once, for the units index,
instead of read back for every page showing them); an article kept from the last run has
them in its record of the units index (tilmash.units), which a run reads again only for a
page whose key changed. Either way an edition is pickled without its article
(`pickled_edition`): that is its listing article, the same in every locale, pickled once
beside them (or the record's).
"""

from __future__ import annotations

import datetime as dt
import pickle
import struct
from collections.abc import Mapping
from dataclasses import dataclass, fields
from operator import attrgetter

from tilmash.render.policy import LocalizedArticle
from tilmash.sources import Article
from tilmash.spill import Spill
from tilmash.units import Kept, UnitStore

_LENGTH = struct.Struct("<I")
_BUT_ARTICLE = attrgetter(*[f.name for f in fields(LocalizedArticle)][1:])  # its fields after `article`


def pickled_edition(edition: LocalizedArticle) -> bytes:
    """A listing edition pickled without its article: plain values only, pickled in C (a twelfth
    of the time of the whole edition, whose article pickles field by field)."""
    return pickle.dumps(_BUT_ARTICLE(edition), protocol=pickle.HIGHEST_PROTOCOL)


def unpickled_edition(article: Article, data: bytes) -> LocalizedArticle:
    """The listing edition `pickled_edition` made `data` of, `article` its listing article."""
    return LocalizedArticle(article, *pickle.loads(data))


@dataclass(frozen=True, slots=True)
class Listed:
    """An article as listings order and group it; its editions wait in `Listings`.

    `article` is the entry itself: index and tag pages sort and group it by
    `entry.article.date`, `.slug` and `.tags`, as they do an edition."""

    slug: str
    date: dt.datetime
    tags: tuple[str, ...]
    locales: tuple[str, ...]  # where it is published, in the order its editions are stored
    offset: int  # in the listings file; 0 for a held or kept article (its editions: `kept.entry`)
    length: int
    kept: Kept | None = None

    @property
    def article(self) -> Listed:
        return self


class Listings:
    """Every listed article by locale and slug, its editions read back one at a time."""

    def __init__(self, units: UnitStore, held: bool = False) -> None:
        self.units = units
        # `held`: the processed articles' editions by slug, in memory (the run parsed few editions)
        self._held: dict[str, dict[str, LocalizedArticle]] | None = {} if held else None
        self.by_locale: dict[str, dict[str, Listed]] = {}  # locale → slug → entry (published there)
        self._spill = Spill()  # the processed articles' editions
        self._shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per set of tags or locales

    def _interned(self, values: tuple[str, ...]) -> tuple[str, ...]:
        return self._shared.setdefault(values, values)

    def _enter(self, entry: Listed) -> Listed:
        for locale in entry.locales:
            self.by_locale.setdefault(locale, {})[entry.slug] = entry
        return entry

    def add(self, listing: Mapping[str, LocalizedArticle]) -> Listed:
        """An article's listing editions (locale → edition, where published), appended to the file."""
        article = next(iter(listing.values())).article
        offset = length = 0
        if self._held is not None:
            self._held[article.slug] = dict(listing)
        else:  # the listing article, then each locale's edition without it
            pieces = []
            for data in (
                pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL),
                *map(pickled_edition, listing.values()),
            ):
                pieces += [_LENGTH.pack(len(data)), data]
            offset, length = self._spill.append(b"".join(pieces))
        return self._enter(
            Listed(
                article.slug,
                article.date,
                self._interned(article.tags),
                self._interned(tuple(listing)),
                offset,
                length,
            )
        )

    def add_kept(self, kept: Kept) -> Listed:
        """An article kept from the last run: its editions stay in its units index record."""
        article = kept.article
        return self._enter(
            Listed(
                article.slug,
                article.date,
                self._interned(article.tags),
                self._interned(kept.locales),
                0,
                0,
                kept,
            )
        )

    def _spilled(self, entry: Listed) -> tuple[bytes, dict[str, bytes]]:
        """The pickled listing article of an entry the run processed, and locale → its
        `pickled_edition`, as `add` stored them."""
        block = self._spill.read(entry.offset, entry.length)
        pieces, at = [], 0
        while at < len(block):
            (length,) = _LENGTH.unpack_from(block, at)
            at += _LENGTH.size + length
            pieces.append(block[at - length : at])
        return pieces[0], dict(zip(entry.locales, pieces[1:], strict=True))

    def edition(self, locale: str, entry: Listed) -> LocalizedArticle:
        """The listing edition of `entry` in `locale`."""
        if entry.kept is not None:
            return unpickled_edition(entry.kept.article, self.units.listing(entry.kept)[locale])
        if self._held is not None:
            return self._held[entry.slug][locale]
        article, stored = self._spilled(entry)
        return unpickled_edition(pickle.loads(article), stored[locale])

    def pickled_editions(self, entry: Listed) -> dict[str, bytes]:
        """Locale → its `pickled_edition`, as a units index record holds it."""
        assert entry.kept is None  # a kept entry's editions are in its record already
        if self._held is not None:
            return {code: pickled_edition(edition) for code, edition in self._held[entry.slug].items()}
        return self._spilled(entry)[1]

    def close(self) -> None:
        self._spill.close()
