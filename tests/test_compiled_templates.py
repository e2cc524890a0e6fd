"""Templates compiled once are reused like .pyc files, and never at the expense of the page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tilmash.render.pages import CompiledTemplates, template_environment

NAMES = ["article.html", "base.html", "entries.html", "home.html", "index.html", "tag.html"]


def _sources(env) -> dict[str, str]:
    """Each template's generated module, as Jinja runs it (code from the cache or compiled now)."""
    return {name: env.get_template(name).render.__code__.co_code for name in NAMES}


def _fresh() -> dict[str, bytes]:
    class Nothing(CompiledTemplates):  # a cache that never has anything
        def load_bytecode(self, bucket) -> None:
            bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            pass

    return _sources(template_environment(Nothing(Path("/nonexistent"))))


def test_a_compiled_template_is_written_once_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    folder = tmp_path / "__pycache__"
    first = _sources(template_environment(CompiledTemplates(folder)))
    written = sorted(folder.iterdir())
    assert len(written) == len(NAMES)
    stamps = [p.stat().st_mtime_ns for p in written]

    loaded = []

    class Watched(CompiledTemplates):
        def load_bytecode(self, bucket) -> None:
            super().load_bytecode(bucket)
            loaded.append(bucket.code is not None)

    again = _sources(template_environment(Watched(folder)))
    assert loaded == [True] * len(NAMES)  # every template came from the folder
    assert again == first == _fresh()
    assert [p.stat().st_mtime_ns for p in sorted(folder.iterdir())] == stamps  # not rewritten


def test_a_damaged_compiled_template_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    folder = tmp_path / "__pycache__"
    _sources(template_environment(CompiledTemplates(folder)))
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes()[:40] + b"garbage")
    assert _sources(template_environment(CompiledTemplates(folder))) == _fresh()


@pytest.mark.parametrize("why", ["PYTHONDONTWRITEBYTECODE", "unwritable"])
def test_nothing_written_where_python_would_not_write_either(tmp_path, monkeypatch, why):
    folder = tmp_path / "__pycache__"
    if why == "PYTHONDONTWRITEBYTECODE":
        monkeypatch.setattr(sys, "dont_write_bytecode", True)
    else:
        monkeypatch.setattr(sys, "dont_write_bytecode", False)
        folder.write_text("a file where the folder would be", encoding="utf-8")
    assert _sources(template_environment(CompiledTemplates(folder))) == _fresh()
    assert not folder.is_dir()
