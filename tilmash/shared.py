"""What each locale's shared catalogs gave the last run (its compiled UI strings, its reviewed tag
and byline names, with the report lines they cost), kept in `.tilmash/shared.pickle`.

Each outcome is keyed by a digest of everything it is made from (see `tilmash.pipeline`):
an edit run whose theme, config, glossary, catalogs and tags did not change neither parses
nor syncs `ui.po` and `_taxonomy.po` again (~25 ms a locale). Only an outcome that wrote
nothing, computed from a catalog nobody changed meanwhile, is kept; a missing or damaged
file just means they are computed again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tilmash.atomic import stat_text
from tilmash.checked import read_checked, write_checked
from tilmash.report import RunReport
from tilmash.units import ABSENT, read_or_absent

SHARED_VERSION = 2  # bump when what an outcome holds changes


@dataclass(frozen=True, slots=True)
class Outcome:
    key: str
    value: Any
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Done:
    """An outcome of this run, keyed when the run is saved (by then a catalog may have been written)."""

    parts: tuple[bytes | str, ...]
    catalog: Path
    read: bytes  # a digest of the catalog bytes it was made from (they grow with the newsroom), or
    wrote: bool  # the run wrote it: it is kept for the bytes written, if they are still there
    outcome: Outcome


def outcome_key(*parts: bytes | str) -> str:
    digest = hashlib.blake2b(str(SHARED_VERSION).encode(), digest_size=20)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def _catalog_bytes(path: Path) -> bytes | None:
    """The catalog's bytes, ABSENT when there is none; None when it is there but unreadable
    (a directory, say: an outcome made of that is not kept)."""
    data = read_or_absent(path)
    return None if data == ABSENT and os.path.lexists(path) else data


class SharedCache:
    """The last run's outcomes by name ("ui:kk", "taxonomy:kk"); `save` keeps those of this run."""

    def __init__(self, outcomes: dict[str, Outcome] | None = None) -> None:
        self.outcomes = outcomes or {}
        self.done: dict[str, _Done] = {}

    @classmethod
    def load(cls, path: Path) -> SharedCache:
        outcomes = read_checked(path, SHARED_VERSION)
        if not isinstance(outcomes, dict):
            return cls()
        return cls({name: o for name, o in outcomes.items() if isinstance(o, Outcome)})

    def reuse(
        self,
        name: str,
        run_key: str,
        parts: tuple[bytes | str, ...],
        catalog: Path,
        report: RunReport,
        compute: Callable[[RunReport], Any],
    ) -> Any:
        """The outcome of `compute` for `run_key`, `parts` and the bytes of `catalog`, its report
        lines added to `report`; computed only when the last run's key differs."""
        before = _catalog_bytes(catalog)
        found = self.outcomes.get(name)
        if before is not None and found is not None and found.key == outcome_key(run_key, *parts, before):
            report.errors += found.errors
            report.warnings += found.warnings
            self.done[name] = _Done(parts, catalog, _digest(before), False, found)
            return found.value
        part = RunReport()
        value = compute(part)
        report.absorb(part)
        # A warning about the catalog read (a control character removed) is not said again
        # once the repaired catalog is written; notes are not kept.
        if before is not None and not part.notes and not (part.catalogs_written and part.warnings):
            outcome = Outcome("", value, tuple(part.errors), tuple(part.warnings))
            self.done[name] = _Done(parts, catalog, _digest(before), bool(part.catalogs_written), outcome)
        return value

    def save(self, path: Path, run_key: str, written: Mapping[str, str]) -> None:
        """Keep this run's outcomes whose catalogs are still the ones they were made from (or
        that the run wrote), keyed for `run_key`: the key of the run as it ends."""
        kept = {}
        for name, done in self.done.items():
            now = _catalog_bytes(done.catalog)
            if now is None:
                continue
            if done.wrote:
                try:
                    current = stat_text(os.stat(done.catalog))
                except OSError:
                    continue
                if written.get(os.fspath(done.catalog)) != current:
                    continue
            elif _digest(now) != done.read:
                continue
            kept[name] = replace(done.outcome, key=outcome_key(run_key, *done.parts, now))
        write_checked(path, SHARED_VERSION, kept)
