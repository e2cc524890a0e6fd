"""Which translations are published: the newsroom's publish policy applied to a catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message

from tilmash.i18n import is_reviewed
from tilmash.render.settings import PublishPolicy
from tilmash.sources import Article
from tilmash.sources.model import pickled_as_arguments, quick_init

MEMORY_PREFIX = "translation memory:"


@pickled_as_arguments  # the units index holds four per article
@quick_init
@dataclass(frozen=True, slots=True)
class LocalizedArticle:
    """An article as it is published in one locale; `texts` maps unit id → text to show.

    `updating`: published before, and kept online after its English changed while the
    changed units wait for review (they show in English, with a notice). `updated`: while
    a correction waits for review, when the catalog took it in (its revision date): the
    feed entry's `updated` moves with the correction.
    """

    article: Article
    locale: str
    texts: dict[str, str]
    untranslated_units: frozenset[str] = field(default_factory=frozenset)
    machine_units: frozenset[str] = field(default_factory=frozenset)
    updating: bool = False
    updated: dt.datetime | None = None
    names: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (tag|author, English) → reviewed
    source: bool = False  # the English edition itself

    @property
    def machine_translated(self) -> bool:
        return bool(self.machine_units)

    @property
    def modified(self) -> dt.datetime:
        """The feed entry's `updated`: the English's, or the translation's when that is later."""
        english = self.article.updated or self.article.date
        return max(english, self.updated) if self.updated else english

    def text(self, unit_id: str) -> str:
        return self.texts.get(unit_id) or self.article.block(unit_id).text

    def in_english(self, unit_id: str) -> bool:
        """Shown in English on a page of another language (to be marked `lang="en"`)."""
        return unit_id in self.untranslated_units

    def name(self, kind: str, english: str) -> str:
        """A tag or author name in this edition's language, English until it is translated."""
        return self.names.get((kind, english), english)

    def name_in_english(self, kind: str, english: str) -> bool:
        return not self.source and (kind, english) not in self.names


def source_edition(article: Article, locale: str) -> LocalizedArticle:
    return LocalizedArticle(article, locale, {b.id: b.text for b in article.blocks}, source=True)


LISTED = frozenset({"title", "summary"})  # the units index pages, tag pages and the sitemap show
_NONE: frozenset[str] = frozenset()


def listing_article(article: Article, warnings: tuple[str, ...] = ()) -> Article:
    """The article as listings see it: no body, only its title and summary units (and `warnings`).
    Made field by field: `dataclasses.replace` costs as much again, for every article."""
    return Article(
        slug=article.slug,
        title=article.title,
        summary=article.summary,
        date=article.date,
        author=article.author,
        tags=article.tags,
        source_path=article.source_path,
        blocks=tuple(b for b in article.blocks if b.id in LISTED),
        body_template="",
        updated=article.updated,
        warnings=warnings,
    )


def listing_edition(edition: LocalizedArticle, article: Article | None = None) -> LocalizedArticle:
    """The edition as index and tag pages use it, a fraction of its size: a run keeps one per
    article and locale, not the article's body and translation. `article`: its
    `listing_article`, shared by the article's editions."""
    machine = edition.machine_units
    return LocalizedArticle(
        article=article or listing_article(edition.article),
        locale=edition.locale,
        texts={k: v for k, v in edition.texts.items() if k in LISTED},
        untranslated_units=edition.untranslated_units & LISTED or _NONE,
        machine_units=(machine & LISTED) or frozenset(sorted(machine)[:1]) or _NONE,  # still "machine"
        updating=edition.updating,
        updated=edition.updated,
        names=edition.names,
        source=edition.source,
    )


def _translation_of_this_text(message: Message) -> bool:
    """Unreviewed text written for this very English: not an old translation of an edited
    sentence (`#| msgid`), nor a near match from memory, which may hold another number."""
    return not message.previous_id and not any(c.startswith(MEMORY_PREFIX) for c in message.auto_comments)


def _revision(catalog: Catalog) -> dt.datetime | None:
    """PO-Revision-Date, to the minute as the file holds it (the same before and after a write)."""
    revised = catalog.revision_date
    if not isinstance(revised, dt.datetime) or revised.tzinfo is None:
        return None
    return revised.replace(second=0, microsecond=0)


def localize(
    article: Article,
    locale: str,
    catalog: Catalog | None,
    policy: PublishPolicy,
    withheld: frozenset[str] = frozenset(),
    was_published: bool = False,
    names: Mapping[tuple[str, str], str] | None = None,
) -> LocalizedArticle | None:
    """The article in `locale`, or None when the policy does not allow publishing it yet.

    `withheld` units failed the publish gate: they count as not translated. An article
    that `was_published` stays published whatever the policy says, showing every unit
    that is not reviewed in English (never the old translation of a changed sentence).
    """
    if catalog is None:
        return None
    reviewed: dict[str, str] = {}
    machine: dict[str, str] = {}
    corrected = False  # a unit whose English changed since it was translated waits for review
    units = [b for b in article.blocks if b.translatable]
    for block in units:
        message = catalog.get(block.text, context=block.id)
        if message is None or not message.string or block.id in withheld:
            continue
        corrected = corrected or (bool(message.previous_id) and not is_reviewed(message))
        if is_reviewed(message):
            reviewed[block.id] = str(message.string)
        elif _translation_of_this_text(message):
            machine[block.id] = str(message.string)
    share = 100 * len(reviewed) / len(units) if units else 100
    texts = machine | reviewed if policy.mode == "machine" else dict(reviewed)
    missing = frozenset(b.id for b in units if b.id not in texts)
    allowed = (
        (policy.mode == "reviewed" and not missing)
        or (policy.mode == "threshold" and share >= policy.threshold)
        or (policy.mode == "machine" and "title" not in missing)
    )
    if not allowed and not was_published:
        return None
    return LocalizedArticle(
        article,
        locale,
        texts,
        untranslated_units=missing,
        machine_units=frozenset(machine) & frozenset(texts) - frozenset(reviewed),
        updating=not allowed,
        updated=_revision(catalog) if corrected or not allowed else None,
        names=names or {},
    )
