"""Which translations are published: the newsroom's publish policy applied to a catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from tilmash.i18n import is_reviewed
from tilmash.render.settings import PublishPolicy
from tilmash.sources import Article


@dataclass(frozen=True, slots=True)
class LocalizedArticle:
    """An article as it is published in one locale; `texts` maps unit id → text to show."""

    article: Article
    locale: str
    texts: dict[str, str]
    untranslated_units: frozenset[str] = field(default_factory=frozenset)
    machine_units: frozenset[str] = field(default_factory=frozenset)

    @property
    def machine_translated(self) -> bool:
        return bool(self.machine_units)

    def text(self, unit_id: str) -> str:
        return self.texts.get(unit_id) or self.article.block(unit_id).text


def source_edition(article: Article, locale: str) -> LocalizedArticle:
    return LocalizedArticle(article, locale, {b.id: b.text for b in article.blocks})


def localize(
    article: Article,
    locale: str,
    catalog: Catalog | None,
    policy: PublishPolicy,
    withheld: frozenset[str] = frozenset(),
) -> LocalizedArticle | None:
    """The article in `locale`, or None when the policy does not allow publishing it yet.

    `withheld` units failed the publish gate: they count as not translated.
    """
    if catalog is None:
        return None
    reviewed: dict[str, str] = {}
    machine: dict[str, str] = {}
    units = [b for b in article.blocks if b.translatable]
    for block in units:
        message = catalog.get(block.text, context=block.id)
        if message is None or not message.string or block.id in withheld:
            continue
        (reviewed if is_reviewed(message) else machine)[block.id] = str(message.string)
    share = 100 * len(reviewed) / len(units) if units else 100
    if policy.mode == "reviewed" and len(reviewed) < len(units):
        return None
    if policy.mode == "threshold" and share < policy.threshold:
        return None
    texts = dict(reviewed)
    if policy.mode == "machine":
        texts = machine | reviewed
    missing = frozenset(b.id for b in units if b.id not in texts)
    if policy.mode == "machine" and "title" in missing:
        return None
    return LocalizedArticle(
        article,
        locale,
        texts,
        untranslated_units=missing,
        machine_units=frozenset(machine) & frozenset(texts) - frozenset(reviewed),
    )
