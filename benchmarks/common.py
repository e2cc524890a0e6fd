"""What the benchmarks share: where they work and the synthetic news text they use."""

from __future__ import annotations

import compileall
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Work in memory where possible: creating a file on this machine's disk costs 0.5 ms or
# more and varies from run to run, which would measure the disk rather than the tools.
SCRATCH = Path("/dev/shm/tilmash-bench") if Path("/dev/shm").is_dir() else REPO / "benchmarks" / "results"
WORDS = (
    "university research students laboratory grant faculty rector conference energy water "
    "glacier satellite library chemistry medicine partners agreement programme science data"
).split()


def paragraph(rng: random.Random) -> str:
    """A sentence-like paragraph of 12–40 words."""
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))).capitalize() + "."


def news_body(paragraphs: list[str]) -> str:
    """A Markdown body shaped like a news story: three paragraphs, a heading, a list, more text."""
    listed = "\n".join(f"- {p}" for p in paragraphs[3:6])
    return "\n\n".join(paragraphs[:3]) + f"\n\n## Details\n\n{listed}\n\n" + "\n\n".join(paragraphs[6:])


def timed(action: Callable[[], object]) -> float:
    """Wall-clock seconds `action` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def compile_tilmash() -> None:
    """Bytecode for Tilmash's modules and templates, as `pip install` and a first run write it
    (pip wrote it for Pelican's modules): an editable checkout run with PYTHONDONTWRITEBYTECODE
    would otherwise compile everything on every run, which no installed Tilmash does. Not
    state of the newsroom: runs stay cold."""
    for folder in ("tilmash", "sources", "i18n", "translate", "render"):
        compileall.compile_dir(REPO / folder, quiet=1)
    dont_write, sys.dont_write_bytecode = sys.dont_write_bytecode, False
    try:
        from tilmash.render.pages import template_environment

        env = template_environment()
        for name in env.list_templates(extensions=["html"]):
            env.get_template(name)
    finally:
        sys.dont_write_bytecode = dont_write
