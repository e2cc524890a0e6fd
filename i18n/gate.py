"""The publish gate: which QA verdicts keep a translation off the site.

One function decides (`verdicts`); the run, `tilmash check` and the review page report
what it says. `block_on` is `[publish] block_on` of `tilmash.toml`; `None` means every
error-level check, including checks added later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from babel.messages.catalog import Message

from tilmash.i18n.checks import CHECKS, Check, CheckContext, check_message


@dataclass(frozen=True, slots=True)
class Verdict:
    """One QA problem of an entry, and whether it keeps the translation off the site."""

    check: Check
    message: str
    blocks: bool


def blocking_checks(block_on: Iterable[str] | None = None) -> frozenset[str]:
    """The names of the checks that block publication."""
    if block_on is None:
        return frozenset(check.name for check in CHECKS if check.severity == "error")
    return frozenset(block_on)


def unknown_checks(names: Iterable[str]) -> list[str]:
    """Names that are not content checks (for a clear configuration error); `fuzzy` is a state."""
    known = {check.name for check in CHECKS} - {"fuzzy"}
    return [name for name in names if name not in known]


def verdicts(message: Message, context: CheckContext, block_on: frozenset[str]) -> list[Verdict]:
    """Every problem of one translated entry, each saying whether it blocks publication."""
    return [Verdict(check, text, check.name in block_on) for check, text in check_message(message, context)]


def blocked(message: Message, context: CheckContext, block_on: frozenset[str]) -> list[Verdict]:
    """The verdicts that keep `message`'s translation from being published; empty when it may be.

    The same verdicts `verdicts` marks as blocking, found by running only the blocking checks
    (a run gates every reviewed entry: the other checks would halve its speed for nothing).
    """
    if not message.id or not isinstance(message.id, str) or not message.string:
        return []
    return list(_blocking_verdicts(message.id, str(message.string), context, block_on))


@lru_cache(maxsize=4096)  # the same text in the same locale (a heading, a tag) is checked once
def _blocking_verdicts(
    source: str, translation: str, context: CheckContext, block_on: frozenset[str]
) -> tuple[Verdict, ...]:
    return tuple(
        Verdict(check, text, True)
        for check in CHECKS
        if check.name in block_on
        for text in check.run(source, translation, context)
    )
