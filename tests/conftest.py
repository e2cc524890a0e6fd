"""Shared fixtures: copies of the example newsroom, the CLI in a subprocess, tiny real models."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.model_factory import build_argos_package

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "newsroom"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 300) -> Result:
    """Run `python -m tilmash ARGS` as a user would, with its own process and environment."""
    completed = subprocess.run(
        [sys.executable, "-m", "tilmash", *map(str, args)],
        capture_output=True,
        text=True,
        env=env or os.environ.copy(),
        timeout=timeout,
        cwd=REPO,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """A private copy of examples/newsroom without any built site."""
    target = tmp_path / "newsroom"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("public", ".tilmash", ".public*"))
    return target


@pytest.fixture(scope="session")
def en_ru_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real (untrained) en→ru .argosmodel: SentencePiece + CTranslate2 Transformer."""
    return build_argos_package(tmp_path_factory.mktemp("models") / "translate-en_ru.argosmodel", "en", "ru")


@pytest.fixture
def packages_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose ARGOS_PACKAGES_DIR is an empty temporary directory."""
    packages = tmp_path / "argos-packages"
    packages.mkdir()
    return os.environ | {"ARGOS_PACKAGES_DIR": str(packages), "HOME": str(tmp_path / "home")}
