"""What pages ask Babel is kept between runs: an edit run loads no locale's CLDR data, and
publishes what a cold run does."""

from __future__ import annotations

import datetime as dt
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

from babel.messages.catalog import Catalog
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import REPO
from tests.helpers import file_tree
from tilmash.i18n.entries import header_comment
from tilmash.render.babel_answers import BabelAnswers

NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
# A run in a fresh process, as cron starts one; then which of Babel's data it loaded.
_LOADED = """
import datetime as dt, sys
from pathlib import Path
from tilmash.config import load_config
from tilmash.runner import RunOptions, run
report = run(load_config(Path(sys.argv[1])), RunOptions(now=dt.datetime.fromisoformat(sys.argv[2]), jobs=1))
import babel.core, babel.localedata
print(report.ok, sorted(babel.localedata._cache), babel.core._global_data is not None)
"""


def _run(newsroom: Path) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", _LOADED, str(newsroom), NOW.isoformat()],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


def test_an_edit_run_loads_no_locale_data_and_publishes_what_a_cold_run_does(newsroom: Path) -> None:
    config = newsroom / "tilmash.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('default = "auto"', 'default = "none"'))
    assert _run(newsroom).startswith("True ['en', ")  # a cold run asks Babel about every locale
    source = newsroom / "sources" / "solar-lab-opens.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nThe lab opens its doors on Fridays.\n")
    cold = newsroom.parent / "cold"  # the same sources, catalogs and site, without what runs keep
    shutil.copytree(newsroom, cold, ignore=shutil.ignore_patterns(".tilmash"))

    assert _run(newsroom) == "True [] False"

    _run(cold)
    assert file_tree(newsroom / "public") == file_tree(cold / "public")
    assert file_tree(newsroom / "i18n") == file_tree(cold / "i18n")


def test_answers_of_another_babel_or_damaged_ones_are_not_used(tmp_path: Path) -> None:
    path = tmp_path / "babel.pickle"
    answers = BabelAnswers()
    assert answers.get(("name", "kk", "kk"), lambda: "Қазақ тілі") == "Қазақ тілі"
    answers.save(path)
    assert BabelAnswers.load(path).known == {("name", "kk", "kk"): "Қазақ тілі"}
    asked = []
    assert BabelAnswers.load(path).get(("name", "kk", "kk"), lambda: asked.append(1) or "?") == "Қазақ тілі"
    assert not asked

    saved = path.read_bytes()
    path.write_bytes(saved.replace("Қазақ".encode(), "Казах".encode()))  # a stray write, still a pickle
    assert BabelAnswers.load(path).known == {}
    path.write_bytes(saved[:-5])
    assert BabelAnswers.load(path).known == {}
    _, known = pickle.loads(saved[4:])
    other = BabelAnswers(known)
    other.new = True
    with patch("tilmash.render.babel_answers._babel_version", lambda: "1\x000.1"):
        other.save(path)  # saved by another version of Babel
    assert BabelAnswers.load(path).known == {}


def test_an_answers_file_is_written_only_when_something_new_was_asked(tmp_path: Path) -> None:
    path = tmp_path / "babel.pickle"
    BabelAnswers().save(path)
    assert not path.exists()
    first = BabelAnswers()
    first.get(("name", "ru", "ru"), lambda: "Русский")
    first.save(path)
    written = path.stat()
    again = BabelAnswers.load(path)  # a later run asks only what the file holds
    assert again.get(("name", "ru", "ru"), lambda: "?") == "Русский"
    again.save(path)
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    again.get(("name", "zh", "zh"), lambda: "中文")  # and then something new
    again.save(path)
    assert path.stat().st_ino != written.st_ino
    assert BabelAnswers.load(path).known == {("name", "ru", "ru"): "Русский", ("name", "zh", "zh"): "中文"}


_WORDS = st.sampled_from(["PROJECT", "VERSION", "YEAR", "ORGANIZATION", "Translations template", "# ", "\n"])


@given(st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=8), st.sampled_from(["kk", "ru", "zh"]))
def test_the_header_comment_is_babels_whether_or_not_it_asks_for_the_language_name(
    pieces: list[str], locale: str
) -> None:
    catalog = Catalog(locale=locale, project="Tilmash newsroom", revision_date=dt.datetime(2026, 5, 2))
    catalog.header_comment = "".join(pieces)
    assert header_comment(catalog) == catalog.header_comment
