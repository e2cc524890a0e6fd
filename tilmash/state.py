"""What the last complete run saw: a fingerprint of every input, to make a no-op run cheap."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from tilmash import __version__
from tilmash.atomic import write_atomic

STATE_VERSION = 1


def _tree_entries(directory: Path) -> list[str]:
    """`name\0size\0mtime` of every visible file below `directory` (os.scandir: one stat each)."""
    entries: list[str] = []
    pending = [(str(directory), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            scanned = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in scanned:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
            elif entry.is_file():
                stat = entry.stat()
                entries.append(f"{prefix}{entry.name}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return sorted(entries)


def inputs_fingerprint(root: Path, packages_dir: Path | None, extra: str = "") -> str:
    """Hash of the names, sizes and mtimes of everything a run reads, plus Tilmash's version.

    Any edit to a source, catalog, static file, the config or the installed models changes it.
    """
    digest = hashlib.sha256()
    digest.update(f"{STATE_VERSION}\0{__version__}\0{extra}\n".encode())
    config = root / "tilmash.toml"
    digest.update(config.read_bytes() if config.is_file() else b"")
    for name in ("sources", "i18n", "static"):
        digest.update(f"[{name}]\n".encode())
        digest.update("\n".join(_tree_entries(root / name)).encode())
    if packages_dir is not None and packages_dir.is_dir():
        digest.update(
            "\n".join(sorted(f"{p.name}\0{p.stat().st_mtime_ns}" for p in packages_dir.iterdir())).encode()
        )
    return digest.hexdigest()


@dataclass(slots=True)
class RunState:
    """Saved after every completed run; a run whose inputs match replays its outcome."""

    fingerprint: str = ""
    site_fingerprint: str = ""
    errors: list[str] = field(default_factory=list)
    summary: dict[str, object] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> RunState:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                data["fingerprint"], data["site_fingerprint"], list(data["errors"]), dict(data["summary"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, path: Path) -> None:
        data = {
            "fingerprint": self.fingerprint,
            "site_fingerprint": self.site_fingerprint,
            "errors": self.errors,
            "summary": self.summary,
        }
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def site_fingerprint(site: Path) -> str:
    """Names, sizes and mtimes of the published site: someone editing public/ forces a rebuild."""
    return hashlib.sha256("\n".join(_tree_entries(site)).encode()).hexdigest()
