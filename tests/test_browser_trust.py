"""A reader in a real browser: a corrected story stays readable in Kazakh, a theme typo costs one string."""

from __future__ import annotations

from tests.browser import browser_page, serve
from tests.conftest import run_cli
from tilmash.i18n import read_catalog, render_catalog

OLD = "A nanosatellite designed by 14 engineering students has reached orbit and sent its first signals."
NEW = OLD.replace("14", "15")


def test_kazakh_page_after_a_source_correction_shows_the_english_sentence_and_the_notice(newsroom):
    assert run_cli("run", newsroom).code == 0
    source = newsroom / "sources" / "student-satellite.md"
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert run_cli("run", newsroom).code == 0
    with serve(newsroom / "public") as base, browser_page() as page:
        response = page.goto(f"{base}kk/student-satellite.html")
        assert response is not None and response.status == 200
        notice = page.locator("p.notice.updating")
        assert notice.is_visible()
        assert "аудармасы жаңартылып жатыр" in notice.inner_text()
        english = page.locator("div.body [lang=en]")
        assert english.count() == 1 and english.inner_text() == NEW and english.is_visible()
        assert english.evaluate("el => el.closest('[lang]').lang") == "en"
        assert page.locator("html").get_attribute("lang") == "kk"
        assert "14 инженер" not in page.locator("div.body").inner_text()
        page.goto(f"{base}kk/index.html")
        page.get_by_role("link", name="Студенттер жасаған наноспутник алғашқы сигналдарын жіберді").click()
        page.wait_for_url("**/kk/student-satellite.html")


def test_page_whose_theme_catalog_has_a_broken_placeholder_falls_back_to_english(newsroom):
    path = newsroom / "i18n" / "kk" / "_ui.po"
    catalog = read_catalog(path, "kk")
    catalog["Articles tagged “%(tag)s”"].string = "«%(teg)s» тегі бар мақалалар"
    path.write_bytes(render_catalog(catalog))
    result = run_cli("run", newsroom)
    assert result.code == 1 and "Traceback" not in result.stderr
    with serve(newsroom / "public") as base, browser_page() as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto(f"{base}kk/tags/space.html")
        assert response is not None and response.status == 200
        assert page.locator("h1").inner_text() == "Articles tagged “ғарыш”"
        assert page.locator("p.count").inner_text() == "1 мақала"  # the rest of the theme stays Kazakh
        page.locator("ol.articles a").first.click()
        page.wait_for_url("**/kk/student-satellite.html")
        assert page.locator("p.tags").inner_text().startswith("Тегтер:")
        assert not errors
