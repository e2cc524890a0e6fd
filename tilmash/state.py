"""What the last complete run saw: a fingerprint of every input, to make a no-op run cheap."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tilmash import __version__
from tilmash.atomic import stat_text, write_atomic
from tilmash.checked import read_checked, write_checked

STATE_VERSION = 4


RACY_NS = 100_000_000  # a file changed this recently may change again within the same clock tick


def _tree_entries(directory: Path, prefix: str = "", exact: bool = False) -> tuple[dict[str, str], int]:
    """Name → `stat_text` of every visible file below `directory` (os.scandir: one stat
    each); with `exact`, also the newest mtime or ctime among them."""
    entries: dict[str, str] = {}
    newest = 0
    pending = [(str(directory), prefix)]
    while pending:
        folder, base = pending.pop()
        try:
            scanned = list(os.scandir(folder))
        except OSError:
            continue
        for entry in scanned:
            name = entry.name
            if name[0] == ".":
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{base}{name}/"))
                elif entry.is_file():
                    stat = entry.stat()
                    if not exact:  # `stat_text`, inlined: a site has thousands of files
                        entries[f"{base}{name}"] = f"{stat.st_size}\0{stat.st_mtime_ns}"
                        continue
                    mtime, ctime = stat.st_mtime_ns, stat.st_ctime_ns
                    newest = max(newest, mtime, ctime)
                    entries[f"{base}{name}"] = f"{stat.st_size}\0{mtime}\0{stat.st_ino}\0{ctime}"
            except OSError:  # a symlink loop or a file gone meanwhile: the run reports it, if it matters
                entries[f"{base}{name}"] = "?"
    return entries, newest


INPUT_DIRS = ("sources", "i18n", "static", "glossary")


@dataclass(slots=True)
class Inputs:
    """What a run read at its start: the config, the models and a stat line per input file.

    Recorded when the run begins, so a file saved while the run works is still new to the
    next run; only the files the run wrote itself are folded in afterwards (`fingerprint`).
    A run hands the stat lines over once (`hand_over`) and keeps them packed meanwhile: as a
    dict they grew the run by ~0.5 KiB per article.
    """

    header: bytes
    files: dict[str, str]  # "sources/x.md" → "size\0mtime_ns\0inode\0ctime_ns" ("?": unreadable)
    # No file changed within RACY_NS of the scan: `files` stand for the files' stats until they
    # change (tilmash.units.files_stamp), as a stat taken then would.
    calm: bool = False
    # `files` once handed over: the names in order, joined by NULs (no name holds one), and their
    # stat lines joined by newlines (none holds one)
    packed: tuple[str, str] | None = None
    models: bytes = b""  # the installed models as the header holds them (`models_stamp`)

    def hand_over(self) -> dict[str, str]:
        """`files`, for one reader: from now on the inputs hold them as two strings."""
        files, self.files = self.files, {}
        names = sorted(files)
        self.packed = "\0".join(names), "\n".join([files[name] for name in names])
        return files

    def fingerprint(self, written: Mapping[str, str] | None = None, root: Path | None = None) -> str:
        """With `written` (path → `stat_text` of the files the run wrote, as they were right after
        it wrote them) and its `root`: these inputs with those files folded in."""
        if self.packed is None:
            files = self.files
            names = sorted(files)
        else:
            names = self.packed[0].split("\0") if self.packed[0] or self.packed[1] else []
            files = dict(zip(names, self.packed[1].split("\n"), strict=True))
        if written and root is not None:
            base = f"{os.fspath(root)}/"
            new = {}
            for path, text in written.items():
                if path.startswith(base):
                    name = path[len(base) :].replace(os.sep, "/")
                    if name.split("/", 1)[0] in INPUT_DIRS:
                        new[name] = text
            if any(name not in files for name in new):
                names = sorted(files.keys() | new.keys())
            files = files | new  # for a moment, at the run's end
        digest = hashlib.sha256(self.header)
        for at in range(0, len(names), 4096):  # a few thousand lines at a time: no copy of them all
            digest.update("".join([f"{name}\0{files[name]}\n" for name in names[at : at + 4096]]).encode())
        return digest.hexdigest()


PACKAGES = ("tilmash", "tilmash.sources", "tilmash.i18n", "tilmash.translate", "tilmash.render")
# The libraries whose upgrade may change what Tilmash reads, writes or publishes
LIBRARIES = ("babel", "jinja2", "lxml", "markdown_it", "markupsafe", "nh3", "pyromark", "pysbd", "yaml")


@cache
def code_stamp() -> str:
    """Path and `stat_text` of every file of Tilmash's packages but compiled ones, and of each
    library's `__init__` (which installing another version rewrites), once per process,
    without reading or importing them: code or a template edited in an editable install (a
    `git pull` in its checkout), or a library upgraded, makes the next run no no-op, and redo
    every article. An editable install keeps the stage folders apart from tilmash/ (the
    package-dir mapping): each is found where Python imports it from."""
    entries: dict[str, str] = {}
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
            entries |= _tree_entries(Path(folder), f"{folder}/", exact=True)[0]
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin is not None:
            entries[spec.origin] = stat_text(os.stat(spec.origin))
    return "\n".join(f"{name}\0{entries[name]}" for name in sorted(entries) if "/__pycache__/" not in name)


def scan_inputs(root: Path, packages_dir: Path | None, models_registry: Path | None = None) -> Inputs:
    """Names, sizes and mtimes of everything a run reads, plus the config's bytes and Tilmash's version.

    Any edit to a source, catalog, static file, glossary, the config, the installed models or
    (in an editable install) Tilmash's own code and templates changes it.
    """
    config = root / "tilmash.toml"
    header = f"{STATE_VERSION}\0{__version__}\n{code_stamp()}\n".encode()
    header += config.read_bytes() if config.is_file() else b""
    models = models_stamp(packages_dir, models_registry)
    files: dict[str, str] = {}
    racy = time.time_ns() - RACY_NS
    calm = True
    for name in INPUT_DIRS:
        entries, newest = _tree_entries(root / name, f"{name}/", exact=True)
        files |= entries
        calm = calm and newest < racy
    return Inputs(header + models, files, calm, models=models)


def models_stamp(packages_dir: Path | None, models_registry: Path | None) -> bytes:
    """The installed Argos packages (names, mtimes) and the registry of CTranslate2 models: a
    model installed is new input (it fills what was left untranslated)."""
    stamp = b""
    if packages_dir is not None and packages_dir.is_dir():
        names = sorted(f"{p.name}\0{p.stat().st_mtime_ns}" for p in packages_dir.iterdir())
        stamp += "\n".join(names).encode()
    if models_registry is not None and models_registry.is_file():
        stamp += f"\n{stat_text(models_registry.stat())}".encode()
    return stamp


SUMMARY_NAME = "summary.pickle"  # beside state.json


@dataclass(slots=True)
class RunState:
    """Saved after every completed run; a run whose inputs match replays its outcome.

    The fingerprints and errors are `state.json`; the summary (every article's progress in
    every locale) is pickled beside it (`SUMMARY_NAME`), read only by a run that replays it:
    as JSON it cost an edit run of 1,000 articles ~5 ms to write and ~3 ms to read back."""

    fingerprint: str = ""
    site_fingerprint: str = ""
    errors: list[str] = field(default_factory=list)
    summary: dict[str, object] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> RunState:
        """The fingerprints and errors (`summary` left empty: see `saved_summary`)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["fingerprint"], data["site_fingerprint"], list(data["errors"]))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def saved_summary(self, path: Path) -> dict[str, object] | None:
        """The summary saved with this state (`path` is its state.json); None when it is missing,
        damaged, or another run's (a run stopped between writing the two)."""
        summary = read_checked(path.parent / SUMMARY_NAME, self.fingerprint)
        return summary if isinstance(summary, dict) else None

    def save(self, path: Path) -> None:
        """The summary first: the state naming its fingerprint replaces the old one last."""
        write_checked(path.parent / SUMMARY_NAME, self.fingerprint, self.summary)
        data = {"fingerprint": self.fingerprint, "site_fingerprint": self.site_fingerprint}
        write_atomic(path, json.dumps(data | {"errors": self.errors}, ensure_ascii=False).encode("utf-8"))


def site_entries(site: Path) -> dict[str, str]:
    """Name → size and mtime (`stat_text`) of every visible file of the published site."""
    return _tree_entries(site)[0]


def _lines_digest(lines: Iterable[str]) -> str:
    """sha256 of the lines joined by newlines, hashed a few thousand at a time."""
    digest = hashlib.sha256()
    batch: list[str] = []
    separator = ""
    for line in lines:
        batch.append(line)
        if len(batch) == 4096:
            digest.update((separator + "\n".join(batch)).encode())
            batch, separator = [], "\n"
    if batch:
        digest.update((separator + "\n".join(batch)).encode())
    return digest.hexdigest()


def entries_fingerprint(entries: Mapping[str, str]) -> str:
    """Names, sizes and mtimes of the published site: someone editing public/ forces a rebuild."""
    return _lines_digest(f"{name}\0{entries[name]}" for name in sorted(entries))


def site_fingerprint(site: Path) -> str:
    return entries_fingerprint(site_entries(site))


def published_fingerprint(
    site: Path, before: Mapping[str, str], produced: Iterable[str], changed: Iterable[str]
) -> str:
    """`site_fingerprint(site)` of the site a run just published, without walking it: the
    files it wrote (`changed`) stat-ed, the others as `before` (`site_entries` at the run's
    start) has them, for they are hard links to those files. A published file edited during
    the run keeps its old entry here, so the next run finds the site changed and rebuilds it.
    `produced` (each name once) and `changed` come sorted and are read side by side: a cold
    run of 10,000 articles writes 45,000 files, whose set or lines are not made."""
    written = iter(changed)
    latest = next(written, None)
    folder = os.fspath(site)  # a file's path as text: a Path made per file cost more than its stat

    def lines() -> Iterator[str]:
        nonlocal latest
        for name in produced:
            if name[:1] == "." or "/." in name:
                continue  # a hidden file or folder: not in a walk of the site either
            while latest is not None and latest < name:
                latest = next(written, None)
            text = None if latest == name else before.get(name)
            if text is None or text == "?":
                try:
                    text = stat_text(os.stat(f"{folder}/{name}"), exact=False)
                except FileNotFoundError:
                    continue
                except OSError:
                    text = "?"
            yield f"{name}\0{text}"

    return _lines_digest(lines())
