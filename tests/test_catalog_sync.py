"""Catalog sync keeps every reviewed translation, the way msgmerge would, and better."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.helpers import article, msgfmt_check, sync
from tilmash.i18n import article_template, is_current_template, is_reviewed, render_catalog, template_version

FIRST = "The rector opened the new library on Monday.\n\nStudents can borrow up to ten books.\n"


def _translate_all(catalog, prefix="RU "):
    for message in catalog:
        if message.id:
            message.string = prefix + message.id
    return catalog


def _by_id(catalog):
    return {m.id: m for m in catalog if m.id}


def test_new_catalog_has_locale_header_and_untranslated_units(tmp_path):
    catalog = sync(FIRST, None, "zh_Hans")
    data = render_catalog(catalog)
    assert b'"Language: zh_Hans\\n"' in data and b"nplurals=1" in data
    assert all(not m.string for m in catalog if m.id)
    assert [m.id for m in catalog if m.id][1:] == [
        "The rector opened the new library on Monday.",
        "Students can borrow up to ten books.",
    ]
    (tmp_path / "zh.po").write_bytes(data)
    assert msgfmt_check(tmp_path / "zh.po").returncode == 0


def test_edited_unit_keeps_old_translation_as_fuzzy_with_previous_msgid():
    reviewed = _translate_all(sync(FIRST, None))
    edited = sync(FIRST.replace("on Monday", "on Tuesday"), reviewed)
    message = _by_id(edited)["The rector opened the new library on Tuesday."]
    assert message.fuzzy
    assert message.string == "RU The rector opened the new library on Monday."
    assert message.previous_id == ["The rector opened the new library on Monday."]
    data = render_catalog(edited)
    assert b'#| msgctxt "paragraph-' in data
    assert b'#| msgid "The rector opened the new library on Monday."' in data
    assert not edited.obsolete, "the old translation is kept once, in the edited unit"


def test_edited_again_the_translation_moves_on_once():
    reviewed = _translate_all(sync(FIRST, None))
    edited = sync(FIRST.replace("on Monday", "on Tuesday"), reviewed)
    again = sync(FIRST.replace("on Monday", "on Tuesday morning"), edited)
    message = _by_id(again)["The rector opened the new library on Tuesday morning."]
    assert message.fuzzy and message.string == "RU The rector opened the new library on Monday."
    assert message.previous_id == ["The rector opened the new library on Tuesday."]
    assert not again.obsolete
    assert not any(c.startswith("reviewed for the previous English") for c in message.auto_comments)


def test_reverted_edit_brings_the_reviewed_translation_back_as_reviewed():
    reviewed = _translate_all(sync(FIRST, None))
    edited = sync(FIRST.replace("on Monday", "on Tuesday"), reviewed)
    reverted = sync(FIRST, edited)
    message = _by_id(reverted)["The rector opened the new library on Monday."]
    assert is_reviewed(message)
    assert message.string == "RU The rector opened the new library on Monday."
    assert not message.previous_id and not reverted.obsolete
    assert b"previous English" not in render_catalog(reverted)


def test_reverted_edit_after_the_translation_changed_stays_fuzzy():
    reviewed = _translate_all(sync(FIRST, None))
    edited = sync(FIRST.replace("on Monday", "on Tuesday"), reviewed)
    _by_id(edited)["The rector opened the new library on Tuesday."].string = "RU opened on Tuesday"
    reverted = sync(FIRST, edited)
    message = _by_id(reverted)["The rector opened the new library on Monday."]
    assert message.fuzzy and message.string == "RU opened on Tuesday"


def test_reverted_edit_of_machine_output_stays_machine_output():
    catalog = sync(FIRST, None)
    for message in catalog:
        if message.id:
            message.string, message.flags = "МТ " + message.id, {"fuzzy"}
    edited = sync(FIRST.replace("on Monday", "on Tuesday"), catalog)
    reverted = sync(FIRST, edited)
    assert _by_id(reverted)["The rector opened the new library on Monday."].fuzzy


def test_moved_paragraphs_keep_their_translations_unchanged():
    reviewed = _translate_all(sync(FIRST, None))
    moved = sync(
        "Students can borrow up to ten books.\n\nThe rector opened the new library on Monday.\n", reviewed
    )
    assert all(is_reviewed(m) for m in moved if m.id)
    assert [m.id for m in moved if m.id][1] == "Students can borrow up to ten books."


def test_removed_unit_goes_to_obsolete_and_returns_reviewed():
    reviewed = _translate_all(sync(FIRST, None))
    removed = sync("The rector opened the new library on Monday.\n", reviewed)
    assert "Students can borrow up to ten books." not in _by_id(removed)
    assert [m.string for m in removed.obsolete.values()] == ["RU Students can borrow up to ten books."]
    assert b'#~ msgid "Students can borrow up to ten books."' in render_catalog(removed)
    restored = sync(FIRST, removed)
    assert is_reviewed(_by_id(restored)["Students can borrow up to ten books."])
    assert not restored.obsolete


def test_unrelated_new_paragraph_is_untranslated_not_fuzzy_matched():
    reviewed = _translate_all(sync(FIRST, None))
    grown = sync(FIRST + "\nWeather in the mountains was sunny and warm.\n", reviewed)
    message = _by_id(grown)["Weather in the mountains was sunny and warm."]
    assert not message.string and not message.fuzzy


def test_synced_catalogs_pass_msgfmt_check(tmp_path: Path):
    reviewed = _translate_all(sync(FIRST, None))
    edited = sync(FIRST.replace("ten", "twelve") + "\nA [link](https://example.org) and `code`.\n", reviewed)
    path = tmp_path / "edited.po"
    path.write_bytes(render_catalog(edited))
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


def test_identical_unit_in_another_article_reuses_the_reviewed_translation(newsroom):
    from tests.conftest import run_cli
    from tilmash.i18n import read_catalog

    (newsroom / "sources" / "partners-again.md").write_text(
        "---\ntitle: Partners\ndate: 2026-10-10\n---\n## Partners\n\n"
        "Data from the satellite will be open to schools"
        " and researchers on the university website.\n\nA sentence nobody has translated yet.\n",
        encoding="utf-8",
    )
    assert run_cli("run", newsroom).code == 0
    catalog = read_catalog(newsroom / "i18n" / "ru" / "partners-again.po", "ru")
    states = {m.id: (m.string, is_reviewed(m)) for m in catalog if m.id}
    assert states["Partners"] == ("Партнёры", True)
    assert states[
        "Data from the satellite will be open to schools and researchers on the university website."
    ][1]
    assert states["A sentence nobody has translated yet."] == ("", False)


def test_catalogs_of_removed_articles_are_kept(newsroom):
    from tests.conftest import run_cli

    (newsroom / "sources" / "student-satellite.md").unlink()
    before = (newsroom / "i18n" / "kk" / "student-satellite.po").read_bytes()
    assert run_cli("run", newsroom).code == 0
    assert (newsroom / "i18n" / "kk" / "student-satellite.po").read_bytes() == before
    assert not (newsroom / "public" / "kk" / "student-satellite.html").exists()


def test_removed_machine_translation_comes_back_fuzzy_not_reviewed():
    catalog = sync(FIRST, None)
    for message in catalog:
        if message.id:
            message.string = "МТ " + message.id
            message.flags.add("fuzzy")
            message.auto_comments.append("machine translation: argos en→ru 1.0, 2026-11-24")
    removed = sync("The rector opened the new library on Monday.\n", catalog)
    assert [m.fuzzy for m in removed.obsolete.values()] == [True]
    restored = sync(FIRST, removed)
    message = _by_id(restored)["Students can borrow up to ten books."]
    assert message.string == "МТ Students can borrow up to ten books." and message.fuzzy


def test_template_version_follows_units_and_release_not_other_front_matter(monkeypatch):
    import tilmash.i18n.template

    body = "First paragraph.\n\nSecond paragraph.\n"
    version = template_version(article(body), "sources/story.md")
    assert is_current_template(render_catalog(article_template(article(body), "sources/story.md")), version)
    assert template_version(article(body + "\nThird.\n"), "sources/story.md") != version
    assert template_version(article(body), "sources/moved.md") != version  # `#:` lines change
    monkeypatch.setattr(tilmash.i18n.template, "_release", lambda: "99.0")
    assert template_version(article(body), "sources/story.md") != version


def test_fuzzy_match_writes_previous_msgctxt_like_msgmerge_previous():
    from babel.messages.catalog import Catalog, Message

    from tilmash.i18n import render_catalog, sync_catalog

    existing = Catalog(locale="ru", domain="a")
    existing["The lab opened on Monday."] = Message(
        "The lab opened on Monday.", "Лаборатория открылась в понедельник.", context="paragraph-1"
    )
    template = Catalog(domain="a")
    template["The lab opened on Tuesday."] = Message("The lab opened on Tuesday.", context="paragraph-2")
    synced = sync_catalog(template, existing, "ru")
    assert '#| msgctxt "paragraph-1"\n#| msgid "The lab opened on Monday."\nmsgctxt "paragraph-2"' in (
        render_catalog(synced).decode()
    )


def test_prose_with_a_percent_sign_is_not_a_python_format_string(newsroom):
    from tilmash.i18n import read_catalog

    source = newsroom / "sources" / "glaciers.md"
    source.write_text(
        "---\ntitle: Glaciers\ndate: 2026-10-10\n---\n"
        "The glaciers lost 25% of their area and 50% discounts.\n",
        encoding="utf-8",
    )
    assert run_cli("run", newsroom).code in (0, 1)
    for path in [newsroom / "i18n" / "pot" / "glaciers.pot", newsroom / "i18n" / "ru" / "glaciers.po"]:
        assert "python-format" not in path.read_text(encoding="utf-8")
    path = newsroom / "i18n" / "ru" / "glaciers.po"
    catalog = read_catalog(path, "ru")
    unit = next(m for m in catalog if m.id and m.id.startswith("The glaciers"))
    unit.string = "Ледники потеряли 25 % площади, скидки 50 %."
    path.write_bytes(render_catalog(catalog))
    assert msgfmt_check(path).returncode == 0
    assert run_cli("run", newsroom).code in (0, 1)
    assert read_catalog(path, "ru").get(unit.id, context=unit.context).string == unit.string
