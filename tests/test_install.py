"""Installing Tilmash: the wheel's only top-level package is `tilmash`, and it lives with the
packages translators use (translate-toolkit's `translate`, python-i18n's `i18n`) in one fresh
virtual environment, from any working directory.

One venv per test session: the wheel, then translate-toolkit and python-i18n from the package
index (pip's cache makes repeated sessions quick).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, REPO
from tests.model_factory import build_argos_package

SOURCE_PARTS = ("tilmash", "sources", "i18n", "translate", "render", "pyproject.toml", "README.md")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)


def _pip_environ() -> dict[str, str]:
    """This environment (so pip finds its cache and index), without anything of the test venv."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
    return {k: v for k, v in os.environ.items() if k not in drop} | {"PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _user_environ(home: Path) -> dict[str, str]:
    """A user's shell: a fresh HOME (so no Argos index or model registry of ours), no Python paths."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "ARGOS_PACKAGES_DIR": str(home / "argos-packages"),
    }


def _run(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float = 900
) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return result


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("install")
    source = base / "source"  # a clean copy: building leaves nothing in the checkout
    source.mkdir()
    for part in SOURCE_PARTS:
        if (REPO / part).is_dir():
            shutil.copytree(
                REPO / part, source / part, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy2(REPO / part, source / part)
    dist = base / "dist"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        base,
        _pip_environ(),
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("tilmash-*.whl")
    venv = base / "venv"
    # From the base interpreter, as `python3 -m venv` on a fresh machine: no system site-packages.
    made = _run([sys.executable, "-m", "venv", str(venv)], base, _pip_environ())
    assert made.returncode == 0, made.stderr
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    for packages in ([str(wheel)], ["translate-toolkit", "python-i18n"]):  # the others after Tilmash
        done = _run(pip + packages, base, _pip_environ())
        assert done.returncode == 0, done.stderr
    return Installed(wheel, venv)


def test_wheel_has_tilmash_as_its_only_top_level_package(installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        info = next(n for n in names if n.endswith(".dist-info/top_level.txt"))
        assert wheel.read(info).decode().split() == ["tilmash"]
    assert {name.split("/")[0] for name in names} == {"tilmash", info.split("/")[0]}
    for stage in ("sources", "i18n", "translate", "render", "review"):
        assert f"tilmash/{stage}/__init__.py" in names
    assert any(n.startswith("tilmash/render/templates/") and n.endswith(".html") for n in names)
    assert any(n.startswith("tilmash/review/templates/") for n in names)
    assert not any("model_factory" in n or n.startswith("tests/") for n in names)  # no test code shipped


def test_tilmash_translate_toolkit_and_python_i18n_live_together(installed, tmp_path):
    env = _user_environ(tmp_path)
    for command in (
        [installed.bin("tilmash"), "--help"],
        [installed.bin("pofilter"), "--help"],
        [installed.bin("python"), "-c", "import i18n; i18n.add_translation; import translate.storage.po"],
        [installed.bin("python"), "-P", "-m", "tilmash", "--help"],
    ):
        result = _run(command, tmp_path, env)
        assert result.returncode == 0, (command, result.stderr)
    listing = _run(
        [installed.bin("python"), "-m", "pip", "list", "--format=freeze"], tmp_path, _pip_environ()
    )
    assert {"tilmash", "translate-toolkit", "python-i18n"} <= {
        line.split("==")[0].lower() for line in listing.stdout.split()
    }


def test_the_cli_works_from_inside_a_newsroom(installed, tmp_path):
    """The newsroom has its own i18n/ and sources/ folders, which must not shadow Tilmash's."""
    newsroom = tmp_path / "newsroom"
    shutil.copytree(EXAMPLE, newsroom, ignore=shutil.ignore_patterns("public", ".tilmash"))
    assert (newsroom / "i18n").is_dir() and (newsroom / "sources").is_dir()
    env = _user_environ(tmp_path)
    run = _run([installed.bin("tilmash"), "run", "--quiet"], newsroom, env)
    assert run.returncode == 0, run.stderr
    assert (newsroom / "public" / "kk" / "index.html").is_file()  # templates and theme catalogs installed
    for command in (
        [installed.bin("python"), "-m", "tilmash", "status"],
        [
            installed.bin("python"),
            "-c",
            "import sys; from tilmash.cli import main; sys.exit(main(['status']))",
        ],
        [installed.bin("python"), "-P", "-m", "tilmash", "status", "."],
    ):
        result = _run(command, newsroom, env)
        assert result.returncode == 0, (command, result.stderr)
        assert "locale" in result.stdout and "kk" in result.stdout


def test_argos_packages_install_offline_and_the_index_fails_clearly(installed, tmp_path):
    env = _user_environ(tmp_path)
    package = build_argos_package(tmp_path / "translate-en_ru.argosmodel", "en", "ru")
    added = _run([installed.bin("tilmash"), "models", "install", str(package)], tmp_path, env)
    assert added.returncode == 0 and "installed en→ru" in added.stdout, added.stderr
    listed = _run([installed.bin("tilmash"), "models", "list"], tmp_path, env)
    assert "en→ru" in listed.stdout and str(tmp_path / "argos-packages") in listed.stdout
    offline = env | {f"{scheme}_proxy": "http://127.0.0.1:9" for scheme in ("http", "https", "HTTP", "HTTPS")}
    index = _run([installed.bin("tilmash"), "models", "install", "kk"], tmp_path, offline, timeout=120)
    assert index.returncode == 1 and "Traceback" not in index.stderr
    assert "cannot reach the Argos package index (offline?)" in index.stderr
