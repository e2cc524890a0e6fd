"""Type-check the whole `tilmash` package as it is installed, with mypy.

The stage folders (sources/ i18n/ translate/ render/) install as `tilmash.<stage>` through
setuptools' package-dir mapping, which mypy cannot follow in a checkout. This builds that
layout as a tree of symlinks in a temporary directory and runs mypy on it, so every module
is checked under the name it is imported by, and the benchmarks against that tree.
Usage: .venv/bin/python scripts/typecheck.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAGES = ("sources", "i18n", "translate", "render")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tilmash-typecheck-") as temporary:
        package = Path(temporary) / "tilmash"
        package.mkdir()
        for entry in (REPO / "tilmash").iterdir():
            if entry.name != "__pycache__":
                (package / entry.name).symlink_to(entry)
        for stage in STAGES:
            (package / stage).symlink_to(REPO / stage)
        command = [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml")]
        (Path(temporary) / "benchmarks").symlink_to(REPO / "benchmarks")
        command += ["-p", "tilmash", "-p", "benchmarks"]
        result = subprocess.run(command, cwd=temporary, stdout=subprocess.PIPE, text=True)
        print(result.stdout, end="")
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
