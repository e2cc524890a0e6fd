"""Bad articles are reported with file and line; the rest of the newsroom still goes through."""

from __future__ import annotations

import os
import re
import stat

import pytest

from tests.conftest import run_cli
from tilmash.reading import read_regular

GOOD_FRONT = "---\ntitle: Fine\ndate: 2026-05-01\n---\nBody text.\n"

CASES = {
    "broken-yaml": (
        "---\ntitle: Broken\ndate: 2026-05-01\ntags: [a, b\n---\nBody.\n",
        "broken-yaml.md:4",
        "not valid YAML",
    ),
    "no-fence": ("title: No fence\n\nBody.\n", "no-fence.md:1", "no front matter"),
    "unclosed": ("---\ntitle: Unclosed\ndate: 2026-05-01\nBody.\n", "unclosed.md:1", "not closed"),
    "no-title": ("---\ndate: 2026-05-01\n---\nBody.\n", "no-title.md", "no 'title'"),
    "no-date": ("---\ntitle: Undated\n---\nBody.\n", "no-date.md", "no 'date'"),
    "bad-date": (
        "---\ntitle: Bad date\ndate: next tuesday\n---\nBody.\n",
        "bad-date.md:3",
        "not an ISO date",
    ),
    "bad-slug": (
        "---\ntitle: Escape\ndate: 2026-05-01\nslug: ../../etc/x\n---\nBody.\n",
        "bad-slug.md:4",
        "slug",
    ),
    "index-slug": (  # would overwrite every locale's index page
        "---\ntitle: Our index\ndate: 2026-05-01\nslug: index\n---\nBody.\n",
        "index-slug.md:4",
        "index page",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_article_is_reported_and_others_are_published(newsroom, name):
    text, where, what = CASES[name]
    (newsroom / "sources" / f"{name}.md").write_text(text, encoding="utf-8")

    result = run_cli("run", newsroom)

    assert result.code == 1
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert where in error_lines[0] and what in error_lines[0]
    assert (newsroom / "public" / "en" / "solar-lab-opens.html").exists()
    assert (newsroom / "public" / "ru" / "solar-lab-opens.html").exists()
    assert not (newsroom / "public" / "en" / f"{name}.html").exists()
    assert not list(newsroom.parent.rglob("x.po"))


def test_invalid_utf8_names_the_line(newsroom):
    raw = b"---\ntitle: Bytes\ndate: 2026-05-01\n---\nFirst line.\n\nCaf\xe9 au lait.\n"
    (newsroom / "sources" / "latin1.md").write_bytes(raw)
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert "latin1.md:7: not valid UTF-8" in result.stderr
    assert (newsroom / "public" / "en" / "student-satellite.html").exists()


def test_duplicate_slug_keeps_the_first_and_reports_the_second(newsroom):
    (newsroom / "sources" / "zz-copy.md").write_text(
        "---\ntitle: Copy\ndate: 2026-05-01\nslug: student-satellite\n---\nCopy.\n", encoding="utf-8"
    )
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert "zz-copy.md" in result.stderr and "duplicate slug 'student-satellite'" in result.stderr
    page = (newsroom / "public" / "en" / "student-satellite.html").read_text(encoding="utf-8")
    assert "nanosatellite" in page and "Copy." not in page


def test_newsroom_without_config_gets_one_clear_sentence(tmp_path):
    (tmp_path / "sources").mkdir()
    result = run_cli("run", tmp_path)
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert "has no tilmash.toml" in result.stderr and "Traceback" not in result.stderr


def test_malformed_catalog_is_left_untouched_and_reported(newsroom):
    path = newsroom / "i18n" / "ru" / "student-satellite.po"
    broken = path.read_bytes().replace(b'msgstr "', b'msgstr_oops "', 3)
    path.write_bytes(broken)
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert "student-satellite.po:" in result.stderr
    assert path.read_bytes() == broken
    assert (newsroom / "public" / "kk" / "student-satellite.html").exists()
    assert (newsroom / "public" / "ru" / "solar-lab-opens.html").exists()


def test_a_named_pipe_or_device_in_the_newsroom_is_an_error_not_a_hang(newsroom):
    """A source or catalog that is a named pipe made the run, holding the newsroom's lock, wait
    forever for a writer (every later cron run exited "locked"); one linked to /dev/zero filled
    the memory. Each is an error line now, and the rest is published."""
    os.mkfifo(newsroom / "sources" / "pipe.md")
    (newsroom / "sources" / "zero.md").symlink_to("/dev/zero")
    catalog = newsroom / "i18n" / "ru" / "library-night.po"
    catalog.unlink()
    os.mkfifo(catalog)
    result = run_cli("run", newsroom, timeout=120)
    assert result.code == 1
    for name in ("sources/pipe.md", "sources/zero.md", "i18n/ru/library-night.po"):
        assert re.search(rf"^error: .*{name}: cannot be read: not a regular file", result.stderr, re.M), name
    assert (newsroom / "public" / "ru" / "student-satellite.html").exists()
    checked = run_cli("check", newsroom, timeout=120)
    assert checked.code == 1 and "library-night.po: cannot be read: not a regular file" in checked.stderr


def test_a_template_that_is_a_named_pipe_or_device_holds_its_article_back(newsroom):
    """The POTs were still read with open(): a pipe made the run wait, holding the lock, and one
    linked to /dev/zero ended it with a MemoryError. Each holds its article back with an error
    line now; nothing is written through it, and the other articles are published."""
    assert run_cli("run", newsroom).code == 0
    pipe = newsroom / "i18n" / "pot" / "library-night.pot"
    pipe.unlink()
    os.mkfifo(pipe)
    zero = newsroom / "i18n" / "pot" / "ai-course-teachers.pot"
    zero.unlink()
    zero.symlink_to("/dev/zero")
    result = run_cli("run", newsroom, timeout=120)
    assert result.code == 1 and "Traceback" not in result.stderr
    for name in ("library-night", "ai-course-teachers"):
        said = rf"^error: i18n/pot/{name}.pot: cannot be read: not a regular file"
        assert re.search(said, result.stderr, re.M), name
        assert (newsroom / "public" / "en" / f"{name}.html").exists()  # its last version stays
    assert stat.S_ISFIFO(pipe.lstat().st_mode) and zero.is_symlink()
    assert (newsroom / "public" / "ru" / "student-satellite.html").exists()


def test_check_reports_a_catalog_it_cannot_read_instead_of_a_traceback(newsroom):
    catalog = newsroom / "i18n" / "kk" / "water-conference.po"
    catalog.unlink()
    catalog.mkdir()
    result = run_cli("check", newsroom)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert "water-conference.po: cannot be read: Is a directory" in result.stderr


def test_reading_a_device_stops_before_reading_it():
    with pytest.raises(OSError, match="not a regular file"):
        read_regular("/dev/zero", 10)


def test_a_slug_starting_with_a_dash_is_told_the_rule_it_breaks(newsroom):
    """`-lead.md` was told its slug "must be lowercase letters, digits and '-'", which it is."""
    (newsroom / "sources" / "-lead.md").write_text(GOOD_FRONT, encoding="utf-8")
    result = run_cli("run", newsroom)
    assert result.code == 1 and "slug '-lead' must be" in result.stderr
    assert "start with a letter or digit" in result.stderr
