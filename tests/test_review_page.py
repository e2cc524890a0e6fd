"""A translator in a real browser: review machine output, fix it, approve, publish; no edit lost."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser import browser_page, running
from tests.conftest import run_cli
from tests.helpers import msgfmt_check
from tilmash.atomic import AtomicWriter
from tilmash.config import load_config
from tilmash.i18n import is_reviewed, read_catalog, render_catalog
from tilmash.review.app import create_app

TOKEN = "test-token-7f3a"
ORCHARD = (
    "---\ntitle: Orchard open day\ndate: 2026-10-20\n---\nApple trees bloom in April.\n\n"
    "Visitors can taste [fresh juice](https://example.org/juice) at the farm.\n"
)
FIXED = {
    "Orchard open day": "День открытых дверей в саду",
    "Apple trees bloom in April.": "Яблони цветут в апреле.",
    "Visitors can taste <1>fresh juice</1> at the farm.": (
        "Гости могут попробовать <1>свежий сок</1> на ферме."
    ),
}


@contextmanager
def review_server(newsroom: Path) -> Iterator[str]:
    with running(
        make_server("127.0.0.1", 0, create_app(load_config(newsroom), TOKEN), threaded=True)
    ) as base:
        yield base


@pytest.fixture
def machine_translated(newsroom, en_ru_package, packages_env, monkeypatch) -> Path:
    (newsroom / "sources" / "orchard.md").write_text(ORCHARD, encoding="utf-8")
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    assert run_cli("run", newsroom, env=packages_env).code == 0
    catalog = read_catalog(newsroom / "i18n" / "ru" / "orchard.po", "ru")
    assert all(m.fuzzy and m.string for m in catalog if m.id)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", packages_env["ARGOS_PACKAGES_DIR"])
    return newsroom


def _unit(page, source: str):
    return page.locator("section.unit", has=page.locator("div.source", has_text=source))


def test_translator_fixes_approves_and_the_next_run_publishes(machine_translated, packages_env, tmp_path):
    newsroom = machine_translated
    with review_server(newsroom) as base, browser_page(1100, 900) as page:
        page.goto(f"{base}/?token={TOKEN}")
        assert page.locator("h2", has_text="ru").count() == 1
        page.locator("table").nth(1).get_by_role("link", name="orchard").click()
        assert page.locator("section.unit.machine").count() == 3

        title = _unit(page, "Orchard open day")
        title.locator("textarea").fill(FIXED["Orchard open day"])
        title.get_by_role("button", name="Approve").click()
        assert "Approved." in page.locator(".flash").inner_text()
        assert _unit(page, "Orchard open day").locator(".state").inner_text() == "reviewed"
        assert (
            page.locator("section.unit.machine .problems .error").count() >= 1
        )  # the tiny model's output fails QA
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(
            path=str(Path(os.environ.get("TILMASH_SCREENSHOTS", tmp_path)) / "review-article.png")
        )

        for source in list(FIXED)[1:]:
            unit = _unit(page, source)
            unit.locator("textarea").fill(FIXED[source])
            unit.get_by_role("button", name="Save (keep fuzzy)").click()
        live = _unit(page, "Visitors can taste")
        live.locator("textarea").fill("Гости пробуют <1>сок</1>.")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.preview a')].some(a => a.textContent === 'сок')"
        )
        assert live.locator(".preview a").get_attribute("href") == "https://example.org/juice"
        page.reload()
        assert page.locator("section.unit.fuzzy").count() == 2  # edited by a person: no longer "machine"
        page.locator("#approve-all").click()
        assert "Approved 2 entries." in page.locator(".flash").inner_text()

    path = newsroom / "i18n" / "ru" / "orchard.po"
    catalog = read_catalog(path, "ru")
    assert {m.id: m.string for m in catalog if m.id} == FIXED
    assert all(is_reviewed(m) for m in catalog if m.id)
    assert msgfmt_check(path).returncode == 0
    assert run_cli("run", newsroom, env=packages_env).code == 0
    assert "Яблони цветут в апреле." in (newsroom / "public" / "ru" / "orchard.html").read_text(
        encoding="utf-8"
    )


def test_forms_work_without_javascript(machine_translated):
    newsroom = machine_translated
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_FLAGS, chromium_path

    with review_server(newsroom) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(f"{base}/?token={TOKEN}")
        page.goto(f"{base}/ru/orchard")
        unit = _unit(page, "Apple trees bloom in April.")
        unit.locator("textarea").fill(FIXED["Apple trees bloom in April."])
        unit.get_by_role("button", name="Approve").click()
        browser.close()
    message = next(
        m
        for m in read_catalog(newsroom / "i18n" / "ru" / "orchard.po", "ru")
        if m.id == "Apple trees bloom in April."
    )
    assert message.string == "Яблони цветут в апреле." and is_reviewed(message)


def test_concurrent_changes_are_merged_or_refused_never_lost(machine_translated):
    newsroom = machine_translated
    path = newsroom / "i18n" / "ru" / "orchard.po"
    with review_server(newsroom) as base, browser_page() as page:
        page.goto(f"{base}/?token={TOKEN}")
        page.goto(f"{base}/ru/orchard")
        # Meanwhile, Poedit changes another entry of the same file.
        catalog = read_catalog(path, "ru")
        other = next(m for m in catalog if m.id == "Apple trees bloom in April.")
        other.string, other.flags = "Яблони цветут в апреле.", set()
        path.write_bytes(render_catalog(catalog))
        title = _unit(page, "Orchard open day")
        title.locator("textarea").fill(FIXED["Orchard open day"])
        title.get_by_role("button", name="Approve").click()
        assert "merged" in page.locator(".flash").inner_text()
        states = {m.id: (m.string, is_reviewed(m)) for m in read_catalog(path, "ru") if m.id}
        assert states["Apple trees bloom in April."] == ("Яблони цветут в апреле.", True)
        assert states["Orchard open day"] == (FIXED["Orchard open day"], True)

        # Now the same entry changes on disk after the page was loaded: the edit is refused.
        page.goto(f"{base}/ru/orchard")
        catalog = read_catalog(path, "ru")
        juice = next(m for m in catalog if m.id.startswith("Visitors"))
        juice.string = "Версия из Poedit <1>сок</1>."
        path.write_bytes(render_catalog(catalog))
        unit = _unit(page, "Visitors can taste")
        unit.locator("textarea").fill("Версия из браузера <1>сок</1>.")
        unit.get_by_role("button", name="Approve").click()
        flash = page.locator(".flash").inner_text() + page.locator(".conflict").inner_text()
        assert "Not saved" in flash and "Версия из Poedit" in flash and "Версия из браузера" in flash
    assert (
        next(m for m in read_catalog(path, "ru") if m.id.startswith("Visitors")).string
        == "Версия из Poedit <1>сок</1>."
    )


def test_run_never_overwrites_a_catalog_saved_during_it(tmp_path):
    path = tmp_path / "x.po"
    path.write_bytes(b"old")
    writer = AtomicWriter()
    writer.write(path, b"from the run", expected=b"old")
    path.write_bytes(b"from the translator")  # saved while the run was working
    assert writer.commit() == 0
    assert path.read_bytes() == b"from the translator" and writer.skipped == [path]
    assert not list(tmp_path.glob(".*.tmp"))


def test_access_needs_the_token_csrf_and_stays_inside_the_newsroom(machine_translated):
    import urllib.error
    import urllib.request

    with review_server(machine_translated) as base:
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(f"{base}/ru/orchard")
        assert denied.value.code == 403
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        assert opener.open(f"{base}/?token={TOKEN}").status == 200
        for hostile in ("/ru/..%2F..%2Ftilmash.toml", "/ru/..", "/xx/orchard", "/ru/orchard%00"):
            with pytest.raises(urllib.error.HTTPError) as missing:
                opener.open(base + hostile)
            assert missing.value.code == 404, hostile
        with pytest.raises(urllib.error.HTTPError) as forged:
            opener.open(f"{base}/ru/orchard/entry", data=b"unit=x&action=approve&text=hacked")
        assert forged.value.code == 400
    assert "hacked" not in (machine_translated / "i18n" / "ru" / "orchard.po").read_text(encoding="utf-8")
