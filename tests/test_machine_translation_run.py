"""End to end: `tilmash run` with a tiny real Argos model for en→ru, installed offline."""

from __future__ import annotations

from pathlib import Path

import feedparser

from tests.conftest import run_cli
from tilmash.i18n import is_reviewed, read_catalog

REVIEWED = ("solar-lab-opens", "steppe-plants-grant", "student-satellite")
UNREVIEWED = ("water-conference", "library-night", "ai-course-teachers")


def _reviewed_entries(path: Path) -> dict[tuple[str | None, str], str]:
    return {(m.context, m.id): m.string for m in read_catalog(path, "ru") if m.id and is_reviewed(m)}


def test_models_install_and_list_use_argos_package_dir(en_ru_package, packages_env):
    installed = run_cli("models", "install", en_ru_package, env=packages_env)
    assert installed.code == 0, installed.stderr
    listed = run_cli("models", "list", env=packages_env)
    assert "en→ru" in listed.stdout
    assert packages_env["ARGOS_PACKAGES_DIR"] in listed.stdout


def test_models_install_refuses_a_file_that_is_not_a_package(tmp_path, packages_env):
    bogus = tmp_path / "broken.argosmodel"
    bogus.write_bytes(b"not a zip")
    result = run_cli("models", "install", bogus, env=packages_env)
    assert result.code != 0
    assert "broken.argosmodel" in result.stderr and "not an .argosmodel" in result.stderr
    assert not any(Path(packages_env["ARGOS_PACKAGES_DIR"]).iterdir())


def test_run_fills_untranslated_ru_entries_with_fuzzy_machine_output(newsroom, en_ru_package, packages_env):
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    before_bytes = {slug: (newsroom / "i18n" / "ru" / f"{slug}.po").read_bytes() for slug in REVIEWED}

    result = run_cli("run", newsroom, env=packages_env)

    assert result.code == 0, result.stderr
    for slug in UNREVIEWED:
        catalog = read_catalog(newsroom / "i18n" / "ru" / f"{slug}.po", "ru")
        entries = [m for m in catalog if m.id]
        assert entries and all(m.string for m in entries), f"{slug}: untranslated entries left"
        assert all(m.fuzzy for m in entries), "machine output must never count as reviewed"
        assert all(
            any(c.startswith("machine translation: argos en→ru 0.0.1-test") for c in m.auto_comments)
            for m in entries
        )
    for slug in REVIEWED:
        assert (newsroom / "i18n" / "ru" / f"{slug}.po").read_bytes() == before_bytes[slug]
    # No package for kk and zh: said once per locale, and the run still succeeds.
    assert "kk: no model for en→kk is installed" in result.stdout
    assert "zh: no model for en→zh is installed" in result.stdout


def test_machine_translated_articles_are_not_published_under_default_policy(
    newsroom, en_ru_package, packages_env
):
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    assert run_cli("run", newsroom, env=packages_env).code == 0
    public = newsroom / "public"
    for slug in UNREVIEWED:
        assert not (public / "ru" / f"{slug}.html").exists()
        assert (public / "en" / f"{slug}.html").exists()
    for slug in REVIEWED:
        assert (public / "ru" / f"{slug}.html").exists()
    feed = feedparser.parse((public / "ru" / "atom.xml").read_bytes())
    assert sorted(e.link.rsplit("/", 1)[1] for e in feed.entries) == sorted(f"{s}.html" for s in REVIEWED)


def test_second_run_sends_nothing_to_the_engine(newsroom, en_ru_package, packages_env):
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    assert run_cli("run", newsroom, env=packages_env).code == 0
    catalogs = sorted((newsroom / "i18n").rglob("*.po"))
    before = {p: p.read_bytes() for p in catalogs}
    second = run_cli("run", "--json", newsroom, env=packages_env)
    assert second.code == 0
    assert '"machine_filled": 0' in second.stdout and '"machine_filled": 1' not in second.stdout
    assert {p: p.read_bytes() for p in catalogs} == before
    assert '"catalogs_written": 0' in second.stdout
