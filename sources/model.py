"""The plain data objects that travel from `sources` through every later stage."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from itertools import starmap
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from tilmash.sources.placeholders import PLACEHOLDER_RE

Frozen = TypeVar("Frozen", bound=type)


def content_digest(data: bytes) -> bytes:
    """What a file held when it was read, to tell later whether it still holds it. SHA-256: the
    processor's own instructions hash it on most machines (x86-64's SHA extensions, ARMv8's),
    at nearly twice BLAKE2b's speed for a story's few KiB; a cold run hashes every file twice."""
    return hashlib.sha256(data).digest()[:16]


def pickled_as_arguments(cls: Frozen) -> Frozen:
    """Pickle a frozen, slotted dataclass as its constructor arguments.

    The generic path for such classes (a state dict set back field by field) takes twice
    as long, and parallel runs send every parsed article from a worker to the main process.
    """
    arguments = attrgetter(*(f.name for f in fields(cls)))  # a tuple: every class here has several

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, arguments(self)

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010 - mypy rejects assigning to a class's method
    return cls


def unguarded_repr(cls: Frozen) -> Frozen:
    """The dataclass's repr, made without its guard against an object containing itself (these
    never do), which costs as much as the formatting: a POT's version hashes its units' repr.
    Compiled, as dataclasses compiles its methods: one f-string, a third faster than format()."""
    shown = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fields(cls) if f.repr)
    namespace: dict[str, Any] = {}
    exec(f'def __repr__(self):\n    return f"{cls.__qualname__}({shown})"', namespace)  # noqa: S102 - our own fields' names
    setattr(cls, "__repr__", namespace["__repr__"])  # noqa: B010 - as in pickled_as_arguments
    return cls


def quick_init(cls: Frozen) -> Frozen:
    """The frozen dataclass's __init__, setting each slot through its descriptor: a third of the
    time of dataclasses' (which calls object.__setattr__ per field), same signature, still frozen.
    A run makes some fifteen objects of these classes per article, and unpickles them too.
    Classes with `__post_init__`, keyword-only or non-init fields keep dataclasses' own."""
    names: dict[str, Any] = {"_FACTORY": _FACTORY}
    parameters, lines = [], []
    for f in fields(cls):
        if not f.init or f.kw_only or hasattr(cls, "__post_init__"):
            return cls
        names[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not MISSING:
            names[f"_default_{f.name}"] = f.default
            parameters.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not MISSING:
            names[f"_factory_{f.name}"] = f.default_factory
            parameters.append(f"{f.name}=_FACTORY")
            lines.append(f" {f.name} = _factory_{f.name}() if {f.name} is _FACTORY else {f.name}")
        else:
            parameters.append(f.name)
        lines.append(f" _set_{f.name}(self, {f.name})")
    exec(f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(lines), names)  # noqa: S102 - our fields
    original = cls.__dict__["__init__"]
    names["__init__"].__annotations__ = original.__annotations__
    setattr(cls, "_dataclass_init", original)  # noqa: B010 - kept for the test that compares them
    setattr(cls, "__init__", names["__init__"])  # noqa: B010
    return cls


class _Factory:
    """Stands for a default made by a field's default_factory (shown as dataclasses shows it)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


@quick_init
@unguarded_repr
@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class Placeholder:
    """One numbered inline tag of a unit: what `<n>…</n>` or `<n/>` stands for.

    `attrs` and `content` never enter a catalog; rendering restores them from here.
    """

    number: int
    tag: str  # a, em, strong, code, br, img
    attrs: tuple[tuple[str, str], ...] = ()
    content: str | None = None  # literal text of a self-closing code/URL placeholder
    alt_unit: str | None = None  # for img: the id of the unit holding its alt text
    title_unit: str | None = None  # for img: the id of the unit holding its title (tooltip)
    paired: bool = True

    def describe(self) -> str:
        """A short line for translators telling what the placeholder is."""
        shown = f"<{self.number}>…</{self.number}>" if self.paired else f"<{self.number}/>"
        detail = dict(self.attrs).get("href") or dict(self.attrs).get("src") or self.content or ""
        return f"{shown} {self.tag}{' ' + detail if detail else ''}"


@quick_init
@unguarded_repr
@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class Block:
    """A translation unit: its id becomes the catalog's msgctxt, its text the msgid."""

    id: str
    kind: str  # title, summary, heading, paragraph, list item, quote, table cell, alt text, image title
    text: str
    line: int
    placeholders: tuple[Placeholder, ...] = ()

    @property
    def translatable(self) -> bool:
        """False for units made only of placeholders, numbers and punctuation."""
        if self.text[:1].isalpha():  # most units: a letter, before any placeholder
            return True
        return any(ch.isalpha() for ch in PLACEHOLDER_RE.sub("", self.text))


@quick_init
@dataclass(frozen=True, slots=True)
class Article:
    """An English article, segmented; `body_template` is its HTML with one slot per unit."""

    slug: str
    title: str
    summary: str
    date: dt.datetime
    author: str
    tags: tuple[str, ...]
    source_path: Path
    blocks: tuple[Block, ...]
    body_template: str
    updated: dt.datetime | None = None
    warnings: tuple[str, ...] = ()  # `FILE:LINE: message` lines for what was repaired on reading

    def block(self, unit_id: str) -> Block:
        for block in self.blocks:
            if block.id == unit_id:
                return block
        raise KeyError(unit_id)

    def __reduce__(self) -> tuple[Callable[..., Article], tuple[Any, ...]]:
        """Pickled as its constructor arguments (as `pickled_as_arguments`), its source path as
        text: a Path pickles as its parts and is made again part by part, twice the time, and
        a run unpickles a listing article for every index and tag page that shows it. Its
        blocks go as tuples of their fields, taken in C: a `__reduce__` call per block made
        pickling a cold run's units a third slower."""
        return _article, (
            self.slug,
            self.title,
            self.summary,
            self.date,
            self.author,
            self.tags,
            os.fspath(self.source_path),
            tuple(map(_BLOCK_FIELDS, self.blocks)),
            self.body_template,
            self.updated,
            self.warnings,
        )


_BLOCK_FIELDS = attrgetter(*(f.name for f in fields(Block)))  # a Block's constructor arguments


def _article(
    slug: str,
    title: str,
    summary: str,
    date: dt.datetime,
    author: str,
    tags: tuple[str, ...],
    source_path: str,
    blocks: tuple[tuple[Any, ...], ...],
    *rest: Any,
) -> Article:
    """An `Article` unpickled."""
    return Article(
        slug, title, summary, date, author, tags, Path(source_path), tuple(starmap(Block, blocks)), *rest
    )


@dataclass(frozen=True, slots=True)
class SourceError:
    """A user-facing problem with one source file; the run reports it and goes on."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"
