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


def argos_packages_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where argostranslate keeps its packages unless told otherwise: `$ARGOS_PACKAGES_DIR`, else
    `$XDG_DATA_HOME/argos-translate/packages`, else `~/.local/share/…` (its settings module's
    defaults, found without importing it: a no-op run stats this folder)."""
    environ = os.environ if environ is None else environ
    if environ.get("ARGOS_PACKAGES_DIR"):
        return Path(environ["ARGOS_PACKAGES_DIR"])
    home = Path(environ["SNAP_USER_DATA"]) if "SNAP" in environ else Path.home()
    return Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "argos-translate" / "packages"
