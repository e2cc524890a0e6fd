"""A reader in a real browser: each locale's index and articles, the language switcher, fonts."""

from __future__ import annotations

import os
from pathlib import Path

from tests.browser import browser_page, serve
from tests.conftest import run_cli

ARTICLE_TITLES = {
    "en": "Student-built nanosatellite sends its first signals",
    "kk": "Студенттер жасаған наноспутник алғашқы сигналдарын жіберді",
    "ru": "Наноспутник, созданный студентами, передал первые сигналы",
    "zh": "学生研制的纳米卫星发回首批信号",
}


def test_reader_browses_every_locale_and_switches_language(newsroom, tmp_path):
    assert run_cli("run", newsroom).code == 0
    shots = Path(os.environ.get("TILMASH_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with serve(newsroom / "public") as base, browser_page() as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        for locale, title in ARTICLE_TITLES.items():
            page.goto(f"{base}{locale}/index.html")
            assert page.locator("html").get_attribute("lang") == ("zh-Hans" if locale == "zh" else locale)
            page.get_by_role("link", name=title).click()
            page.wait_for_url(f"**/{locale}/student-satellite.html")
            assert page.locator("h1").inner_text() == title
            # the image is lazy-loaded: it does not hold back the load event, so wait for it (a
            # broken one never gets a natural width, and the wait times out)
            page.wait_for_function(
                "() => { const img = document.querySelector('div.body img');"
                " return img !== null && img.complete && img.naturalWidth > 0; }",
                timeout=10_000,
            )
            page.screenshot(path=str(shots / f"article-{locale}.png"), full_page=True)
            assert (shots / f"article-{locale}.png").stat().st_size > 20_000

        page.goto(f"{base}en/student-satellite.html")
        for name, expected in (("Русский", "ru"), ("中文", "zh"), ("Қазақ тілі", "kk"), ("English", "en")):
            page.locator("nav.languages").get_by_role("link", name=name).click()
            page.wait_for_url(f"**/{expected}/student-satellite.html")
            assert page.locator("h1").inner_text() == ARTICLE_TITLES[expected]
        page.goto(f"{base}zh/index.html")
        page.screenshot(path=str(shots / "index-zh.png"))
        assert not [url for url in requested if not url.startswith(base)], "pages must not reach the network"


def test_cjk_and_kazakh_text_has_real_glyphs(newsroom):
    """With no CJK font, Chinese renders as boxes of one fixed width; real glyphs differ per character."""
    assert run_cli("run", newsroom).code == 0
    with serve(newsroom / "public") as base, browser_page() as page:
        page.goto(f"{base}zh/student-satellite.html")
        assert page.evaluate("() => document.fonts.check('16px \"Noto Sans CJK SC\"')")
        widths = page.evaluate(
            """() => ['学', '一', 'Қ', 'ә'].map(ch => {
                const span = document.createElement('span');
                span.style.fontSize = '40px'; span.textContent = ch; document.body.appendChild(span);
                const w = span.getBoundingClientRect().width; span.remove(); return w; })"""
        )
        assert widths[0] > 30 and widths[1] > 30  # full-width CJK glyphs
        assert 0 < widths[2] < 35 and 0 < widths[3] < 35  # Kazakh letters are proportional, not boxes
