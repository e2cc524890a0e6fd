"""What a run computed for each article, kept in `.tilmash/` so that the next run redoes only what changed.

A unit is one source file with its POT and its catalog in every locale. Its key hashes
the bytes of all of them plus everything every page depends on (the run key: Tilmash's
version, tilmash.toml, the UI catalogs, the glossaries). A unit whose key is unchanged is
not parsed, synced, checked or rendered again: the run takes its article, its editions,
its progress and its reviewed pairs (for the translation memory) from here, and hard-links
its pages from the published site. Only units that a run left complete are kept: nothing
for machine translation to fill, nothing deferred, no error or warning about its files.
Units are used only while the site is the one the last run published: whether an article
was online decides whether it stays online (render.policy.localize), so the kept editions
hold only for that site.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tilmash import __version__
from tilmash.atomic import write_atomic

if TYPE_CHECKING:  # not imported at run time: a no-op run never loads the parser or Babel
    from tilmash.i18n import Progress
    from tilmash.render.policy import LocalizedArticle
    from tilmash.sources import Article

UNITS_VERSION = 2  # bump when what a Unit holds changes shape
ABSENT = b"\0absent"  # stands for a file that does not exist


@dataclass(frozen=True, slots=True)
class Unit:
    """One article as the last run left it; `editions[locale]` is None where it is not published."""

    key: str
    article: Article
    editions: dict[str, LocalizedArticle | None]  # locale → its edition, None where it is not published
    progress: dict[str, Progress]  # locale → progress of its catalog
    pairs: dict[str, list[tuple[Any, str]]]  # locale → reviewed (memory key, translation), catalog order


def read_or_absent(path: str | Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return ABSENT


def unit_key(run_key: str, source: bytes, template: bytes, catalogs: Iterable[bytes]) -> str:
    """Hash of everything a unit's catalogs, editions and pages are made from."""
    digest = hashlib.blake2b(run_key.encode(), digest_size=20)
    for part in (source, template, *catalogs):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def tree_digest(directory: Path) -> str:
    """Names and contents of every file below `directory` (a glossary folder, say)."""
    digest = hashlib.blake2b(digest_size=20)
    if directory.is_dir():
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def run_key(parts: Mapping[str, bytes]) -> str:
    """Hash of the inputs every page depends on, named so that their order is fixed."""
    digest = hashlib.blake2b(f"{UNITS_VERSION}\0{__version__}".encode(), digest_size=20)
    for name in sorted(parts):
        digest.update(name.encode() + b"\0" + len(parts[name]).to_bytes(8, "little") + parts[name])
    return digest.hexdigest()


def load_units(path: Path, key: str) -> dict[str, Unit]:
    """Units by source path (relative to the newsroom); none when the run key changed or the file is bad."""
    try:
        with path.open("rb") as handle:
            saved_key, units = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return units if saved_key == key and isinstance(units, dict) else {}


def save_units(path: Path, key: str, units: Mapping[str, Unit]) -> None:
    write_atomic(path, pickle.dumps((key, dict(units)), protocol=pickle.HIGHEST_PROTOCOL))
