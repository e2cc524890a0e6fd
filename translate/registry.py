"""Where the registry of multilingual models lives: every run's configuration names it, so it
is its own light module (loading the CTranslate2 engine code for a path cost each run ~5 ms)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def registry_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$TILMASH_HOME/models.json`, else `$XDG_DATA_HOME/tilmash/…`, else `~/.local/share/tilmash/…`."""
    environ = os.environ if environ is None else environ
    if environ.get("TILMASH_HOME"):
        return Path(environ["TILMASH_HOME"]) / "models.json"
    data_home = environ.get("XDG_DATA_HOME") or ""
    if not Path(data_home).is_absolute():  # the XDG spec: a relative value is to be ignored
        data_home = str(Path(environ.get("HOME") or Path.home()) / ".local" / "share")
    return Path(data_home) / "tilmash" / "models.json"
