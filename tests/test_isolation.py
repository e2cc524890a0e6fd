"""One bad input affects only its own article or catalog: the rest is published, exit status 1.

Each case starts from a newsroom that was published once, so "its last published pages stay"
can be checked too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tilmash.sources.loader import MAX_ARTICLE_BYTES, MAX_UNIT_CHARS, MAX_UNITS

VICTIM = "library-night"  # the article each case breaks
OTHERS = ("solar-lab-opens", "student-satellite", "water-conference")


def _replace_front(key: str, value: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / "sources" / f"{VICTIM}.md"
        lines = path.read_text(encoding="utf-8").split("\n")
        path.write_text(
            "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines),
            encoding="utf-8",
        )

    return change


def _append_body(text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        with (root / "sources" / f"{VICTIM}.md").open("a", encoding="utf-8") as handle:
            handle.write(text)

    return change


def _catalog_is_directory(root: Path) -> None:
    path = root / "i18n" / "ru" / "solar-lab-opens.po"
    path.unlink()
    path.mkdir()


def _catalog_is_symlink_loop(root: Path) -> None:
    path = root / "i18n" / "ru" / "solar-lab-opens.po"
    path.unlink()
    path.symlink_to(path.name)


ALIAS_BOMB = "[" + ", ".join(["*a"] * 9) + "]"

CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "impossible date": (_replace_front("date", "2026-13-45"), f"{VICTIM}.md:3", "not a valid date"),
    "tags nested": (_replace_front("tags", "[[a, b]]"), f"{VICTIM}.md:6", "'tags' must be a list"),
    "tags a mapping": (_replace_front("tags", "{a: 1}"), f"{VICTIM}.md:6", "'tags' must be a list"),
    "alias bomb": (
        _replace_front(
            "tags",
            "&a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b "
            + ALIAS_BOMB
            + "\nc: &c "
            + ALIAS_BOMB.replace("*a", "*b")
            + "\nd: "
            + ALIAS_BOMB.replace("*a", "*c"),
        ),
        f"{VICTIM}.md:7",
        "aliases",
    ),
    "too many units": (
        _append_body("".join(f"\n\nParagraph number {n}." for n in range(MAX_UNITS + 1))),
        f"{VICTIM}.md",
        f"more than {MAX_UNITS:,}",
    ),
    "unit too long": (
        _append_body("\n\nLong " + "**word** " * (MAX_UNIT_CHARS // 8) + "\n"),
        f"{VICTIM}.md:",
        f"more than {MAX_UNIT_CHARS:,}",
    ),
    "article too large": (
        _append_body("\n\n" + "word " * (MAX_ARTICLE_BYTES // 5)),
        f"{VICTIM}.md",
        "larger than",
    ),
    "catalog is a directory": (_catalog_is_directory, "ru/solar-lab-opens.po", "Is a directory"),
    "catalog is a symlink loop": (
        _catalog_is_symlink_loop,
        "ru/solar-lab-opens.po",
        "Too many levels of symbolic links",
    ),
}


@pytest.fixture
def published(newsroom: Path) -> Path:
    assert run_cli("run", newsroom, "--quiet").code == 0
    return newsroom


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_bad_input_holds_back_only_its_own_pages(published, name):
    change, where, what = CASES[name]
    catalog_case = name.startswith("catalog")
    held = published / "public" / ("ru/solar-lab-opens.html" if catalog_case else f"en/{VICTIM}.html")
    before = held.read_bytes()
    change(published)

    result = run_cli("run", published)

    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and where in errors[0] and what in errors[0], errors
    assert held.read_bytes() == before  # its last published page stays
    for slug in OTHERS:
        assert (published / "public" / "en" / f"{slug}.html").exists()
    assert (published / "public" / "ru" / "student-satellite.html").exists()
    if not catalog_case:
        assert (published / "public" / "en" / "solar-lab-opens.html").exists()


def test_symlink_loops_in_sources_are_reported_and_the_site_is_published(newsroom):
    (newsroom / "sources" / "loop-a.md").symlink_to("loop-b.md")
    (newsroom / "sources" / "loop-b.md").symlink_to("loop-a.md")
    (newsroom / "sources" / "here").symlink_to(".")

    result = run_cli("run", newsroom)

    assert result.code == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and all("symbolic links" in line for line in errors)
    assert (newsroom / "public" / "en" / f"{VICTIM}.html").exists()


def test_control_characters_in_a_source_are_removed_with_a_warning(newsroom):
    path = newsroom / "sources" / f"{VICTIM}.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: The", "title: The\x08", 1).replace("Science Night", "Science\x1f Night\x7f")
    path.write_text(text + "\n[a\x0blink](https://example.org/\x01x)\n", encoding="utf-8")

    result = run_cli("run", newsroom)

    assert result.code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and f"{VICTIM}.md:2: control characters removed" in warnings[0]
    page = (newsroom / "public" / "en" / f"{VICTIM}.html").read_text(encoding="utf-8")
    assert "Science Night" in page and "https://example.org/x" in page
    assert not any(chr(c) in page for c in (*range(9), 11, 12, *range(14, 32), 127))


def test_control_characters_in_a_reviewed_translation_are_removed_with_a_warning(newsroom):
    path = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    data = path.read_text(encoding="utf-8")
    path.write_text(data.replace('msgstr "В кампусе', 'msgstr "\\x08В кампусе', 1), encoding="utf-8")
    data = path.read_bytes().replace(b"\\x08", b"\x08")
    path.write_bytes(data)

    result = run_cli("run", newsroom)

    assert result.code == 0, result.stderr
    assert "solar-lab-opens.po:" in result.stderr and "control characters removed" in result.stderr
    page = (newsroom / "public" / "ru" / "solar-lab-opens.html").read_text(encoding="utf-8")
    assert "В кампусе" in page and "\x08" not in page
    assert b"\x08" not in path.read_bytes()


def test_literal_placeholder_text_next_to_markup_is_shown_as_written(newsroom):
    (newsroom / "sources" / "angles.md").write_text(
        "---\ntitle: Angles\ndate: 2026-05-01\n---\nType <7>x</7> or <2/> next to **bold** text.\n",
        encoding="utf-8",
    )
    result = run_cli("run", newsroom)
    assert result.code == 0, result.stderr
    page = (newsroom / "public" / "en" / "angles.html").read_text(encoding="utf-8")
    assert "&lt;7&gt;</span>x<span>&lt;/7&gt;</span>" in page and "<strong>bold</strong>" in page
    assert "&lt;2/&gt;" in page


def test_a_very_long_tag_gets_a_page_with_a_bounded_name(newsroom):
    tag = "Жаңалықтар мен оқиғалар " * 6  # 144 Cyrillic characters, 264 bytes in UTF-8
    _replace_front("tags", f"[{tag.strip()}]")(newsroom)
    result = run_cli("run", newsroom)
    assert result.code == 0, result.stderr
    pages = list((newsroom / "public" / "en" / "tags").iterdir())
    long_pages = [p for p in pages if len(p.name) > 50]
    assert len(long_pages) == 1 and len(os.fsencode(long_pages[0].name)) <= 255
    assert f"{VICTIM}.html" in long_pages[0].read_text(encoding="utf-8")


def test_a_static_symlink_out_of_the_newsroom_is_not_published(newsroom, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    (newsroom / "static" / "passwd.svg").symlink_to(secret)
    (newsroom / "static" / "inside.svg").symlink_to(newsroom / "static" / "solar-roof.svg")
    result = run_cli("run", newsroom)
    assert result.code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "passwd.svg" in errors[0] and "outside the newsroom" in errors[0]
    assert not (newsroom / "public" / "static" / "passwd.svg").exists()
    assert (newsroom / "public" / "static" / "inside.svg").exists()
    assert (newsroom / "public" / "en" / "solar-lab-opens.html").exists()


def test_tags_that_share_a_page_name_list_every_article(newsroom):
    for slug, tag in (("upper", "R&D"), ("lower", "r-d"), ("both", "R & D")):
        (newsroom / "sources" / f"{slug}.md").write_text(
            f"---\ntitle: Tagged {slug}\ndate: 2026-05-01\ntags: [{tag!r}]\n---\nText.\n", encoding="utf-8"
        )
    assert run_cli("run", newsroom).code == 0
    page = (newsroom / "public" / "en" / "tags" / "r-d.html").read_text(encoding="utf-8")
    assert all(f"{slug}.html" in page for slug in ("upper", "lower", "both"))


def test_the_source_language_among_the_target_locales_is_refused(newsroom):
    config = newsroom / "tilmash.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('locales = ["kk"', 'locales = ["en", "kk"'),
        encoding="utf-8",
    )
    result = run_cli("run", newsroom)
    assert result.code == 2 and "source language" in result.stderr and "Traceback" not in result.stderr
