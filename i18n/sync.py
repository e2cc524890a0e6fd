"""Merge a template into a locale's catalog the way msgmerge does, losing nothing reviewed.

Rules: an entry with the same msgctxt+msgid keeps its translation and state; an edited unit
takes the closest old translation of the same kind as fuzzy with the previous msgctxt and
msgid (`#|`), and that old entry is not kept a second time as obsolete; a translated entry
no unit takes is kept as obsolete (`#~`), so a restored paragraph comes back as it was. A
reviewed translation carried to an edited unit is marked with its digest
(`#. reviewed for the previous English: …`): when the edit is reverted and nobody changed
the translation meanwhile, it is reviewed again, where msgmerge would leave it fuzzy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog, Message

from tilmash.i18n.entries import (
    REVIEWED_BEFORE_PREFIX,
    header_comment,
    is_reviewed,
    is_translated,
    message_id,
    messages,
    provenance,
    reviewed_before,
)
from tilmash.i18n.similarity import FUZZY_SYNC_CUTOFF, closest

HEADER_COMMENT = """\
# {language} translation of "{domain}", kept in sync with its English source by Tilmash.
# Translate msgstr lines; leave msgctxt and msgid alone. Keep <1>…</1> and <2/> tags.
# Removing the "fuzzy" flag marks an entry as reviewed: only reviewed text is published."""


def new_catalog(
    locale: str, domain: str, like: Catalog | None = None, created: dt.datetime | str | None = None
) -> Catalog:
    """An empty catalog for `locale`, with the header of `like` when there is one.

    A catalog without `like` is dated `created` (its template's date, as msginit does);
    only when that is None too does Babel take the wall clock.
    """
    catalog = Catalog(
        locale=locale,
        domain=domain,
        project=like.project if like else "Tilmash newsroom",
        charset="utf-8",
        fuzzy=False,
        language_team=like.language_team if like else f"{Locale.parse(locale).english_name} translators",
        creation_date=like.creation_date if like else created,
    )
    catalog.header_comment = (
        header_comment(like)
        if like
        else HEADER_COMMENT.format(language=Locale.parse(locale).english_name, domain=domain)
    )
    if like is not None:
        catalog.revision_date = like.revision_date
        catalog.last_translator = like.last_translator
        catalog.header_fields = list(getattr(like, "header_fields", []))  # type: ignore[attr-defined]  # ours
        if like._num_plurals is not None:  # the file's Plural-Forms, which its entries follow (and
            # which is written back): Django's Russian has 4 forms, Babel's 3
            catalog._num_plurals, catalog._plural_expr = like._num_plurals, like._plural_expr
    else:
        catalog.revision_date = catalog.creation_date
        catalog.last_translator = "Tilmash"
    return catalog


_CONTEXT = re.compile(r"(.+?)-[0-9a-f]{10}(?:-\d+)?")  # kind-digest, then -2, -3 for repeated texts


def _kind(message: Message) -> str:
    """The unit's kind from its msgctxt (`list-item-3f2a…-2` → `list-item`; `title` is itself)."""
    context = message.context or ""
    match = _CONTEXT.fullmatch(context)
    return match.group(1) if match else context.rsplit("-", 1)[0]


def _copy_translation(entry: Message, old: Message, *, fuzzy: bool, previous: Message | None) -> None:
    """Give `entry` the translation of `old`: as it is for the same unit (`previous` None),
    fuzzy with `previous`'s msgctxt and msgid (`#|`) for an edited one."""
    entry.string = old.string
    entry.user_comments = list(old.user_comments)
    entry.auto_comments = list(entry.auto_comments) + provenance(old.auto_comments)
    if fuzzy:
        entry.flags.add("fuzzy")
        entry.previous_id = (
            [message_id(previous)] if previous is not None else (list(old.previous_id) if old.fuzzy else [])
        )
        # msgmerge --previous writes `#| msgctxt` too: the old unit's context.
        context = previous.context if previous is not None else getattr(old, "previous_context", None)
        entry.previous_context = context  # type: ignore[attr-defined]  # ours: Babel has no such field
        if previous is None:
            entry.auto_comments += _reviewed_marks(old)
        elif is_reviewed(old):
            entry.auto_comments.append(reviewed_before(old))
    # Format flags come from the template (as msgmerge takes them from the POT), never from
    # Babel's guess on the old entry: "25% of" is prose, not a python-format string.
    entry.flags.update(flag for flag in old.flags if flag != "fuzzy" and not flag.endswith("-format"))


def _reviewed_marks(message: Message) -> list[str]:
    return [c for c in message.auto_comments if c.startswith(REVIEWED_BEFORE_PREFIX)]


def _approved_for_previous(message: Message) -> tuple[str | None, str] | None:
    """The (msgctxt, msgid) a fuzzy entry's unchanged translation was approved for, if any."""
    if not (message.fuzzy and message.previous_id and is_translated(message)):
        return None
    if reviewed_before(message) not in message.auto_comments:
        return None  # never reviewed, or the translation changed since
    return getattr(message, "previous_context", None), message.previous_id[0]


def _msgid(message: Message) -> str | tuple[str, ...]:
    """A msgid as a dictionary key: the (singular, plural) pair of a plural entry."""
    return message.id if isinstance(message.id, str) else tuple(message.id)


def memory_key(message: Message) -> tuple[str, str | tuple[str, ...]]:
    """How a reviewed translation is reused: the same English in a unit of the same kind.

    A heading's translation is not silently reused for a list item or table cell (their
    grammar differs); theme strings have no kind.
    """
    return _kind(message), _msgid(message)


def reviewed_pairs(catalogs: Iterable[Catalog]) -> dict[tuple[str, Any], str]:
    """Reviewed translations over `catalogs` by `memory_key` (the first one wins): the locale's
    memory, reused as it is by sync and searched for near matches by translation memory."""
    pairs: dict[tuple[str, Any], str] = {}
    for catalog in catalogs:
        for message in messages(catalog):
            if isinstance(message.id, str) and message.id and is_reviewed(message):
                pairs.setdefault(memory_key(message), str(message.string))
    return pairs


def _replaceable(message: Message) -> bool:
    """No translation yet, or unreviewed output of MT or memory for this very text: nobody's
    work is lost when an identical reviewed unit (an approved twin) takes its place."""
    if not is_translated(message):
        return True
    return message.fuzzy and not message.previous_id and bool(provenance(message.auto_comments))


def _plural_forms(entry: Message, count: int) -> None:
    """A plural entry has exactly one msgstr[i] per plural form of the locale (msgfmt --check)."""
    if isinstance(entry.id, (list, tuple)):
        forms = list(entry.string) if isinstance(entry.string, (list, tuple)) else [entry.string or ""]
        entry.string = tuple((forms + [""] * count)[:count])


def _old_entries(existing: Catalog | None) -> dict[tuple[str | None, Any], Message]:
    """(msgctxt, msgid) → entry of `existing`, its obsolete entries included."""
    old: dict[tuple[str | None, Any], Message] = {}
    if existing is not None:
        for message in list(existing.obsolete.values()) + [m for m in messages(existing) if m.id]:
            old[(message.context, _msgid(message))] = message
    return old


def memory_wanted(template: Catalog, existing: Catalog | None) -> set[tuple[str, Any]]:
    """The memory keys `sync_catalog` may take a translation for: units with no entry of their
    own, or one that memory may replace. A memory holding none of them changes nothing, so a
    run can sync most catalogs without ever holding the locale's memory."""
    old = _old_entries(existing)
    wanted = set()
    for unit in messages(template):
        previous = old.get((unit.context, _msgid(unit))) if unit.id else None
        if unit.id and (previous is None or _replaceable(previous)):
            wanted.add(memory_key(unit))
    return wanted


def memory_replaceable(catalog: Catalog) -> set[tuple[str, Any]]:
    """The memory keys of a synced catalog's machine or memory output: a reviewed twin found
    later anywhere in the locale takes its place (`memory_wanted` of the catalog's next sync)."""
    return {memory_key(m) for m in messages(catalog) if m.id and is_translated(m) and _replaceable(m)}


def sync_catalog(
    template: Catalog,
    existing: Catalog | None,
    locale: str,
    memory: Mapping[Any, Any] | None = None,
    restored: list[tuple[str | None, Any]] | None = None,
) -> Catalog:
    """Return the updated catalog for `locale`; `existing` is never modified.

    `restored` gets the keys of units whose English is back to what a translation was approved
    for, which is approved again: the locale's memory holds it only once the catalog is written.

    `memory` maps `memory_key` (kind, English) to a reviewed translation found anywhere in
    the locale: an identical unit of the same kind reuses it as reviewed, also when its own
    entry only holds machine output (a twin approved elsewhere in the article). (A plural
    theme string is keyed by its (singular, plural) pair, one text per plural form.)
    """
    memory = memory or {}
    catalog = new_catalog(locale, template.domain or "messages", existing, template.creation_date)
    old = _old_entries(existing)
    approved_before: dict[tuple[str | None, Any], tuple[str | None, Any]] = {
        approved: key for key, message in old.items() if (approved := _approved_for_previous(message))
    }
    used: set[tuple[str | None, Any]] = set()
    for unit in messages(template):
        if not unit.id:
            continue
        entry = Message(
            unit.id,
            "",
            locations=list(unit.locations),
            auto_comments=list(unit.auto_comments),
            context=unit.context,
        )
        entry.flags = {flag for flag in unit.flags if flag.endswith("-format")}
        key = (unit.context, _msgid(unit))
        previous = old.get(key)
        reuse = memory.get(memory_key(unit))
        reverted = approved_before.get(key) if previous is None else None
        if reverted is not None and reverted not in used:
            used.add(reverted)
            if restored is not None:
                restored.append(key)
            _copy_translation(entry, old[reverted], fuzzy=False, previous=None)
        elif reuse is not None and (previous is None or _replaceable(previous)):
            if previous is not None:
                used.add(key)
            entry.string = reuse
        elif previous is not None:
            used.add(key)
            _copy_translation(entry, previous, fuzzy=previous.fuzzy and bool(previous.string), previous=None)
        elif isinstance(unit.id, str):  # a plural theme string takes exact matches only
            kind = _kind(unit)
            translated = (
                (msgid, m)
                for (context, msgid), m in old.items()
                if isinstance(msgid, str)
                and (context, msgid) not in used
                and is_translated(m)
                and _kind(m) == kind
            )
            match = closest(unit.id, translated, FUZZY_SYNC_CUTOFF)
            if match is not None:
                used.add((match[0].context, _msgid(match[0])))
                _copy_translation(entry, match[0], fuzzy=True, previous=match[0])
        _plural_forms(entry, catalog.num_plurals)
        catalog[unit.id] = entry
    for key, message in old.items():
        if key in used or not is_translated(message):
            continue
        message.locations = []
        message.previous_id = []
        message.auto_comments = [c for c in message.auto_comments if not c.startswith(REVIEWED_BEFORE_PREFIX)]
        context, msgid = key
        msgid = msgid if isinstance(msgid, str) else msgid[0]  # Babel keys plural entries by the singular
        catalog.obsolete[(msgid, context) if context is not None else msgid] = message
    return catalog
