"""List and install Argos packages offline, through argostranslate's package API."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tilmash.translate.argos import installed_packages


class PackageFileError(Exception):
    """An `.argosmodel` that is not a usable package; nothing was installed."""


@dataclass(frozen=True, slots=True)
class PackageInfo:
    from_code: str
    to_code: str
    version: str
    path: Path


def list_packages(packages_dir: Path | None) -> list[PackageInfo]:
    return sorted(
        (
            PackageInfo(p.from_code, p.to_code, p.package_version, Path(p.package_path))
            for p in installed_packages(packages_dir)
        ),
        key=lambda info: (info.from_code, info.to_code),
    )


def check_package_file(path: Path) -> dict[str, object]:
    """Read the metadata of an `.argosmodel`, refusing archives argostranslate cannot use."""
    if not zipfile.is_zipfile(path):
        raise PackageFileError(f"{path}: not an .argosmodel (zip) file")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        meta_names = [n for n in names if n.count("/") == 1 and n.endswith("/metadata.json")]
        if len(meta_names) != 1:
            raise PackageFileError(f"{path}: expected one <package>/metadata.json at the top of the archive")
        root = meta_names[0].split("/")[0]
        if any(not n.startswith(root + "/") or ".." in n.split("/") for n in names):
            raise PackageFileError(f"{path}: archive has files outside {root}/")
        try:
            metadata = json.loads(archive.read(meta_names[0]))
        except ValueError as error:
            raise PackageFileError(f"{path}: metadata.json is not JSON ({error})") from None
        if not any(n.startswith(f"{root}/model/") for n in names):
            raise PackageFileError(f"{path}: no model/ directory (CTranslate2 model) in the package")
    return metadata


def install_package_file(path: Path) -> dict[str, object]:
    """Install into argostranslate's packages dir (it honours ARGOS_PACKAGES_DIR)."""
    metadata = check_package_file(path)
    from argostranslate import package  # lazily: importing it creates directories

    package.install_from_path(path)
    return metadata


class PackageIndexError(Exception):
    """The Argos package index could not be fetched (offline?)."""


def available_packages(timeout: float = 20.0) -> list[Any]:
    """Translate packages of the online Argos index (fetched now; raises when unreachable)."""
    import socket

    from argostranslate import package, settings  # lazily: importing creates directories

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        package.update_package_index()  # logs and swallows network errors itself
    finally:
        socket.setdefaulttimeout(previous)
    if not Path(settings.local_package_index).is_file():
        raise PackageIndexError(
            "cannot reach the Argos package index (offline?): download the .argosmodel file elsewhere "
            "and install it with `tilmash models install FILE.argosmodel`"
        )
    return [p for p in package.get_available_packages() if p.type == "translate"]


def install_from_index(from_code: str, to_code: str) -> str:
    """Download and install the en→`to_code` package; returns what was installed."""
    for candidate in available_packages():
        if candidate.from_code == from_code and candidate.to_code == to_code:
            candidate.install()
            return f"{from_code}→{to_code} {candidate.package_version}"
    raise PackageIndexError(f"the Argos index has no {from_code}→{to_code} package")
