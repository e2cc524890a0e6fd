"""What an article links to and shows: images must be in static/, `javascript:` links are only text."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import run_cli
from tests.test_rendering import vnu_jar


def _append(newsroom, slug: str, text: str) -> int:
    """Add a paragraph to the article; returns its line in the file."""
    source = newsroom / "sources" / f"{slug}.md"
    body = source.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    source.write_text(body + text + "\n", encoding="utf-8")
    return body.count("\n") + 1


def test_missing_outside_or_remote_images_are_errors_of_run_and_check(newsroom):
    line = _append(newsroom, "library-night", "![A map](static/no-such-map.png)")
    outside = _append(
        newsroom, "water-conference", "![Config](../tilmash.toml) and ![Pixel](https://evil.example/p.png)"
    )
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert re.search(
        rf"^error: .*sources/library-night\.md:{line}: image static/no-such-map\.png not found$",
        result.stderr,
        re.M,
    )
    assert f"water-conference.md:{outside}: image ../tilmash.toml lies outside static/" in result.stderr
    assert (
        f"water-conference.md:{outside}: image https://evil.example/p.png is not in static/" in result.stderr
    )
    assert (newsroom / "public" / "en" / "student-satellite.html").exists()
    checked = run_cli("check", newsroom)
    assert checked.code == 1 and "image static/no-such-map.png not found" in checked.stderr


def test_a_javascript_link_is_dropped_to_its_text(newsroom):
    _append(
        newsroom,
        "library-night",
        "Tickets on the [booking page](javascript:alert('gotcha')) or [here](https://u.example/t).",
    )
    assert run_cli("run", newsroom).code == 0
    page = (newsroom / "public" / "en" / "library-night.html").read_text(encoding="utf-8")
    assert "Tickets on the booking page or" in page and 'href="https://u.example/t"' in page
    assert "javascript:" not in page and "gotcha" not in page
    pot = (newsroom / "i18n" / "pot" / "library-night.pot").read_text(encoding="utf-8")
    assert 'msgid "Tickets on the booking page or <1>here</1>."' in pot


def test_a_link_no_browser_can_follow_or_with_a_password_stays_text(newsroom):
    """From CommonMark example 600 and markdown-it-py 4.3.0's normalize.md fixtures (MIT): the
    Nu HTML Checker refused the page for `https://../`, `https://bar]baz.org` and a URL with
    credentials, which also showed a password to every reader."""
    _append(
        newsroom,
        "library-night",
        "See <https://../>, [the hall](https://bar]baz.org), [the archive](https://editor:s3cret@u.example/a)"
        " and [the map](https://[2001:db8::1]:8080/map), or [the plan](https://u.example:99999/).",
    )
    assert run_cli("run", newsroom).code == 0
    page = (newsroom / "public" / "en" / "library-night.html").read_text(encoding="utf-8")
    assert "See https://../, the hall, the archive and" in page and "s3cret" not in page
    assert 'href="https://[2001:db8::1]:8080/map"' in page and "or the plan." in page
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(vnu_jar()),
            "--errors-only",
            "--format",
            "text",
            str(newsroom / "public" / "en" / "library-night.html"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_an_image_without_an_address_is_its_alt_text_not_an_empty_img(newsroom):
    """FiveThirtyEight's page in trafilatura 2.3.1's test resources (webpage.html.gz) has
    `<img srcset=… alt=…>` with no src: the page was published with `<img src="">`, which the
    Nu HTML Checker refuses, beside an error about an image "" outside static/."""
    _append(newsroom, "library-night", "Before ![A map of the districts]() after.")
    (newsroom / "sources" / "districts.html").write_text(
        '<html><head><meta name="date" content="2026-10-07"><title>Districts</title></head><body><main>'
        '<p>See <img srcset="https://u.example/map-153.jpg 153w" alt="Two people look over a map"> here.</p>'
        "</main></body></html>",
        encoding="utf-8",
    )
    result = run_cli("run", newsroom)
    assert result.code == 0, result.stderr
    pages = [newsroom / "public" / "en" / f"{slug}.html" for slug in ("library-night", "districts")]
    texts = [page.read_text(encoding="utf-8") for page in pages]
    assert "Before A map of the districts after." in texts[0] and "Two people look over a map" in texts[1]
    assert not any('src=""' in text for text in texts)
    checked = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "text", *map(str, pages)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr[-3000:]


def test_an_image_problem_of_an_html_page_names_the_line_of_its_img(newsroom):
    """The line was one of the Markdown the page was converted to: trafilatura 2.3.1's
    http_sample.html has its `<img src="test.jpg">` on line 15, reported as line 10."""
    page = (
        "<html>\n<head>\n<title>Sample</title>\n"
        '<meta name="date" content="2026-10-08">\n</head>\n<body>\n<main>\n'
        "<h2>Heading</h2>\n<p>First paragraph.</p>\n\n\n<p>Second paragraph.</p>\n"
        '<p>Look:\n  <img src="pictures/test.jpg" title="Example image"/>\n</p>\n</main>\n</body>\n</html>\n'
    )
    (newsroom / "sources" / "sample.html").write_text(page, encoding="utf-8")
    line = page.splitlines().index('  <img src="pictures/test.jpg" title="Example image"/>') + 1
    result = run_cli("run", newsroom)
    assert f"sample.html:{line}: image pictures/test.jpg lies outside static/" in result.stderr
    checked = run_cli("check", newsroom)
    assert f"sample.html:{line}: image pictures/test.jpg lies outside static/" in checked.stderr
