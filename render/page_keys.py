"""Keys of the index, tag, feed and sitemap files: a digest of everything each is rendered from.

A run renders such a file again only when its key differs from the one the published file
was rendered with; otherwise the published file is kept as it is, unread. A key covers the
rendering code and templates, the site settings, the locale's UI translations and the
page's own data (its entries as digests of their editions, its number, the tag).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import marshal
import os
import pickle
import sys
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from operator import attrgetter
from pathlib import Path, PurePath
from typing import Any

from tilmash import __version__
from tilmash.atomic import write_atomic

KEYS_VERSION = 1
_PROTOCOL = 5  # fixed: the keys of the same values stay the same


def _in_order(items: Iterable[Any]) -> tuple[Any, ...]:
    items = list(items)
    try:
        return tuple(sorted(items))
    except TypeError:  # elements of kinds that do not compare: their repr fixes an order
        return tuple(sorted(items, key=repr))


_AS_IS = frozenset({str, int, float, bool, bytes, type(None)})


def _plain(value: Any) -> Any:
    """`value` as nested tuples of plain values: a dataclass as its name and every field (a new
    field can never be left out), sets and mappings sorted (a set's order varies with the
    hash seed), anything else unknown pickled."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    try:
        convert = _CONVERTERS[kind]
    except KeyError:
        convert = _CONVERTERS.setdefault(kind, _converter(kind))
    return convert(value)


def _sequence(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple([v if type(v) in _AS_IS else _plain(v) for v in values])


def _set(values: Collection[Any]) -> tuple[Any, ...]:
    return ("set", _in_order(_sequence(values)) if values else ())


def _mapping(mapping: Mapping[Any, Any]) -> tuple[Any, ...]:
    if not mapping:
        return ("map", ())
    return ("map", _in_order(zip(_sequence(mapping.keys()), _sequence(mapping.values()), strict=True)))


def _moment(moment: dt.datetime) -> tuple[Any, ...]:
    return ("datetime", moment.isoformat(), str(moment.tzinfo))


def _pickled(value: Any) -> tuple[Any, ...]:
    try:
        return ("pickle", pickle.dumps(value, protocol=_PROTOCOL))
    except Exception:  # a value pickle cannot write: a key no run will match, so always rendered
        return ("unknown", os.urandom(16))


def _converter(kind: type) -> Callable[[Any], Any]:
    """How `_plain` turns a value of `kind` into plain values, chosen once per class."""
    if is_dataclass(kind):
        name = f"{kind.__module__}.{kind.__qualname__}"
        names = [f.name for f in fields(kind)]
        getter = attrgetter(*names) if len(names) > 1 else lambda obj: (getattr(obj, names[0]),)

        def dataclass_plain(obj: Any) -> tuple[Any, ...]:
            if _shared is None:
                return (name, _sequence(getter(obj)))
            seen = _shared.get(id(obj))
            if seen is None:
                seen = _shared[id(obj)] = (obj, (name, _sequence(getter(obj))))
            return seen[1]

        return dataclass_plain
    for base, convert in _CONVERTERS_BY_BASE:
        if issubclass(kind, base):
            return convert
    return _pickled


_CONVERTERS: dict[type, Callable[[Any], Any]] = {}
_CONVERTERS_BY_BASE: tuple[tuple[type | tuple[type, ...], Callable[[Any], Any]], ...] = (
    ((tuple, list), _sequence),
    ((set, frozenset), _set),
    (Mapping, _mapping),
    (dt.datetime, _moment),
    (PurePath, lambda path: ("path", str(path))),
)


def digest(*parts: Any) -> bytes:
    """The same bytes for equal values in every process (~10 µs for a listing edition).

    marshal's version 2 writes values, never references to objects seen before (version 3
    does, which would depend on how the objects happen to be shared).
    """
    return hashlib.blake2b(marshal.dumps(_plain(parts), 2), digest_size=16).digest()


_shared: dict[int, tuple[Any, Any]] | None = None  # in `digests`: id → (dataclass object, its plain form)


def digests(values: Iterable[Any]) -> list[bytes]:
    """`digest` of each value; a dataclass object several of them hold (an article shared by its
    editions in every locale) is made plain once."""
    global _shared
    _shared = {}
    collecting = gc.isenabled()
    gc.disable()  # the tuples made here hold no cycles: the collector would only walk the run's heap
    try:
        return [digest(value) for value in values]
    finally:
        _shared = None
        if collecting:
            gc.enable()


def translations_plain(translations: Any) -> tuple[Any, ...]:
    """What gettext translations render: their messages (headers, plural forms included), and
    those of their fallbacks."""
    chain = []
    while translations is not None:
        chain.append((type(translations).__qualname__, _plain(getattr(translations, "_catalog", None) or {})))
        translations = getattr(translations, "_fallback", None)
    return tuple(chain)


def hash_tree(hashed: Any, directory: Path, skip: Callable[[Path], bool] = lambda _: False) -> None:
    """Every file below `directory` (but those `skip` names), by relative path and contents, into `hashed`."""
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and not skip(p)):
        data = path.read_bytes()
        hashed.update(path.relative_to(directory).as_posix().encode() + b"\0")
        hashed.update(len(data).to_bytes(8, "little") + data)


@cache
def templates_digest(package: Path = Path(__file__).parent) -> bytes:
    """The theme's files (templates, style sheet), read once per process: the page keys and the
    UI catalog's reuse (render.ui.theme_digest, once per locale) are both made of them."""
    hashed = hashlib.blake2b(digest_size=16)
    hash_tree(hashed, package / "templates")
    return hashed.digest()


@cache
def code_digest(package: Path = Path(__file__).parent) -> bytes:
    """Tilmash's rendering code and templates, and the libraries that shape their output: an
    editable install re-renders the pages after a template is edited. Read once per process
    (the units' run key, taken twice a run, and the page keys are made of it)."""
    import babel
    import jinja2
    import lxml  # not lxml.etree: importing it costs an edit run ~5 ms

    hashed = hashlib.blake2b(
        f"{KEYS_VERSION}\0{__version__}\0{sys.version}\0{jinja2.__version__}\0{babel.__version__}\0"
        f"{lxml.__version__}\0".encode(),
        digest_size=16,
    )
    hashed.update(templates_digest(package))
    templates = package / "templates"  # hashed just above
    hash_tree(
        hashed, package, skip=lambda path: path.is_relative_to(templates) or "__pycache__" in path.parts
    )
    return hashed.digest()


@dataclass
class PageKeys:
    """The keys the published files were rendered with (`previous`) and this run's (`current`).

    `keep` stages a published file as it is (tilmash.atomic.SiteStage.keep); False when
    there is none.
    """

    previous: Mapping[str, str] = field(default_factory=dict)
    keep: Callable[[str], bool] = lambda _: False
    current: dict[str, str] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def wanted(self, path: str, key: bytes) -> bool:
        """Record `path`'s key; True when the file must be rendered, False when it was kept."""
        self.current[path] = key.hex()
        if self.previous.get(path) == key.hex() and self.keep(path):
            self.kept.append(path)
            return False
        return True


def load_page_keys(path: Path, site: str, warn: Callable[[str], None] = lambda _: None) -> dict[str, str]:
    """The keys the last run saved; none when the file is missing or damaged (`warn` told), or
    describes another site than `site` (state.site_fingerprint of the published one: a
    pages.json restored from a backup or copied from elsewhere), so all is rendered."""
    saved: object = None
    problem = ""
    try:
        saved = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        problem = f" ({error})"
    if isinstance(saved, dict) and saved.get("version") != KEYS_VERSION:
        return {}
    keys = saved.get("keys") if isinstance(saved, dict) else None
    if (
        not isinstance(saved, dict)
        or not isinstance(keys, dict)
        or not all(isinstance(v, str) for v in keys.values())
    ):
        warn(f"{path}: damaged{problem}: this run rendered every listing, tag, feed and sitemap file")
        return {}
    return keys if saved.get("site") == site else {}


def save_page_keys(path: Path, keys: Mapping[str, str], site: str) -> None:
    """Called only once the site they describe is published; `site` is its fingerprint."""
    saved = {"version": KEYS_VERSION, "site": site, "keys": dict(sorted(keys.items()))}
    write_atomic(path, json.dumps(saved).encode())
