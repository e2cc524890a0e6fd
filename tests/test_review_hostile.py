"""The review server under hostile requests: a real server on loopback, a bounded number of requests.

Raw sockets send bodies that are announced but never sent in full: a server that reads a
body before checking access (or beyond its size limit) would wait for it and time out.
"""

from __future__ import annotations

import random
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from tests.browser import running
from tests.conftest import run_cli
from tilmash.config import load_config
from tilmash.i18n import read_catalog
from tilmash.review import store as store_module
from tilmash.review.app import LOGIN_ATTEMPTS, MAX_REQUEST_BYTES, create_app

TOKEN = "hostile-token-0b7e"
TIMEOUT = 10


@contextmanager
def server(newsroom: Path, password: str | None = None) -> Iterator[str]:
    app = create_app(load_config(newsroom), TOKEN, password, hosts={"localhost"})
    with running(make_server("127.0.0.1", 0, app, threaded=True)) as base:
        yield base


def signed_in(base: str) -> requests.Session:
    client = requests.Session()
    assert client.get(f"{base}/?token={TOKEN}", timeout=TIMEOUT).status_code == 200
    return client


def csrf(client: requests.Session, url: str) -> str:
    page = client.get(url, timeout=TIMEOUT).text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def raw_post(base: str, path: str, announced: int, sent: bytes, cookie: str = "") -> int:
    """POST announcing `announced` body bytes but sending only `sent`; the status, or 0 on timeout."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as connection:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {announced}\r\n"
            + (f"Cookie: session={cookie}\r\n" if cookie else "")
            + "\r\n"
        )
        connection.sendall(head.encode() + sent)
        try:
            status_line = connection.recv(200).split(b"\r\n", 1)[0]
        except TimeoutError:
            return 0
    return int(status_line.split()[1])


def test_access_is_checked_before_any_body_is_read(newsroom):
    with server(newsroom) as base:
        status = raw_post(base, "/ru/solar-lab-opens/entry", 30_000_000, b"text=" + b"x" * 1000)
    assert status == 403


def test_request_bodies_are_capped(newsroom):
    with server(newsroom) as base:
        client = signed_in(base)
        status = raw_post(
            base, "/ru/solar-lab-opens/entry", 100_000_000, b"text=" + b"x" * 1000, client.cookies["session"]
        )
        assert status == 413
        token = csrf(client, f"{base}/ru/solar-lab-opens")
        response = client.post(
            f"{base}/ru/solar-lab-opens/entry",
            data={"csrf_token": token, "unit": "title", "text": "x" * (MAX_REQUEST_BYTES + 1)},
            timeout=TIMEOUT,
        )
        assert response.status_code == 413


def test_every_response_carries_the_security_headers(newsroom):
    with server(newsroom, password="secret") as base:
        responses = [
            requests.get(f"{base}/", timeout=TIMEOUT, allow_redirects=False),
            requests.get(f"{base}/login", timeout=TIMEOUT),
            requests.get(f"{base}/?token=wrong", timeout=TIMEOUT, allow_redirects=False),
        ]
    for response in responses:
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'nonce-" in policy
        assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_page_script_carries_the_nonce_of_its_response(newsroom):
    with server(newsroom) as base:
        client = signed_in(base)
        response = client.get(f"{base}/ru/solar-lab-opens", timeout=TIMEOUT)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in response.text


def test_a_foreign_host_header_is_refused(newsroom):
    with server(newsroom) as base:
        port = base.rsplit(":", 1)[1]
        foreign = requests.get(f"{base}/?token={TOKEN}", headers={"Host": f"evil.example:{port}"}, timeout=10)
        named = requests.get(f"{base}/?token={TOKEN}", headers={"Host": f"localhost:{port}"}, timeout=10)
        address = requests.get(f"{base}/?token={TOKEN}", timeout=TIMEOUT)
    assert foreign.status_code == 421
    assert named.status_code == 200 and address.status_code == 200


def test_non_ascii_token_and_password_are_answered_not_crashed(newsroom):
    with server(newsroom) as base:
        assert requests.get(f"{base}/?token=é", timeout=TIMEOUT).status_code == 403
    with server(newsroom, password="пароль-日本") as base:
        client = requests.Session()
        token = csrf(client, f"{base}/login")
        wrong = client.post(f"{base}/login", data={"csrf_token": token, "password": "ключ"}, timeout=10)
        assert wrong.status_code == 200 and "Wrong password" in wrong.text
        right = client.post(
            f"{base}/login", data={"csrf_token": token, "password": "пароль-日本"}, allow_redirects=False
        )
        assert right.status_code == 302


@pytest.mark.parametrize(
    "target", ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/%0a/x"]
)
def test_login_redirects_only_to_paths_of_this_site(newsroom, target):
    with server(newsroom, password="secret") as base:
        client = requests.Session()
        token = csrf(client, f"{base}/login")
        response = client.post(
            f"{base}/login?next={target}",
            data={"csrf_token": token, "password": "secret"},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", f"{base}/")


def test_password_guesses_are_rate_limited(newsroom):
    with server(newsroom, password="secret") as base:
        client = requests.Session()
        token = csrf(client, f"{base}/login")
        statuses = [
            client.post(f"{base}/login", data={"csrf_token": token, "password": f"guess{n}"}).status_code
            for n in range(LOGIN_ATTEMPTS + 3)
        ]
        right = client.post(f"{base}/login", data={"csrf_token": token, "password": "secret"}, timeout=10)
    assert statuses[:LOGIN_ATTEMPTS] == [200] * LOGIN_ATTEMPTS
    assert statuses[LOGIN_ATTEMPTS:] == [429] * 3
    assert right.status_code == 429  # not even the right password while the limit holds


def test_a_malformed_catalog_is_shown_as_broken_and_the_rest_stays_usable(newsroom):
    broken = newsroom / "i18n" / "ru" / "student-satellite.po"
    broken.write_bytes(broken.read_bytes().replace(b'msgstr "', b'msgstr garbage "', 1))
    directory = newsroom / "i18n" / "kk" / "water-conference.po"
    directory.unlink()
    directory.mkdir()
    with server(newsroom) as base:
        client = signed_in(base)
        index = client.get(f"{base}/", timeout=TIMEOUT)
        page = client.get(f"{base}/ru/student-satellite", timeout=TIMEOUT)
        other = client.get(f"{base}/ru/solar-lab-opens", timeout=TIMEOUT)
    assert index.status_code == 200
    assert index.text.count("broken:") == 2 and "student-satellite.po:" in index.text
    assert 'href="/ru/solar-lab-opens"' in index.text
    assert page.status_code == 422 and "cannot be read" in page.text
    assert other.status_code == 200


def test_theme_strings_can_be_saved(newsroom):
    path = newsroom / "i18n" / "ru" / "_ui.po"
    formatted = {
        store_module.entry_key(m)
        for m in read_catalog(path, "ru")
        if "python-format" in m.flags and isinstance(m.id, str)
    }
    with server(newsroom) as base:
        client = signed_in(base)
        page = client.get(f"{base}/ru/_ui", timeout=TIMEOUT).text
        units = re.findall(r'name="unit" value="([^"]+)"', page)
        tokens = re.findall(r'name="token" value="([^"]+)"', page)
        version = re.search(r'name="version" value="([^"]+)"', page).group(1)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert len(units) >= 10 and formatted <= set(units)
        saved = {
            unit: client.post(
                f"{base}/ru/_ui/entry",
                data={
                    "csrf_token": token,
                    "unit": unit,
                    "token": entry,
                    "version": version,
                    "action": "approve",
                    "text": f"Тема {n}",
                },
                timeout=TIMEOUT,
            ).text
            for n, (unit, entry) in enumerate(zip(units, tokens, strict=True))
        }
    assert all("no longer exists" not in text for text in saved.values())
    # A python-format string without its %(name)s would break the catalog: refused, file readable.
    assert formatted and all("Not saved" in saved[unit] for unit in formatted)
    strings = {str(m.string) for m in read_catalog(path, "ru") if m.id and not m.fuzzy}
    expected = {f"Тема {n}" for n, unit in enumerate(units) if unit not in formatted}
    assert expected <= strings


def _save(client, base, page_url, unit_index, text, token_override=None, follow=True):
    page = client.get(page_url, timeout=TIMEOUT).text
    units = re.findall(r'name="unit" value="([^"]+)"', page)
    tokens = re.findall(r'name="token" value="([^"]+)"', page)
    return client.post(
        page_url + "/entry",
        data={
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "unit": units[unit_index],
            "token": token_override or tokens[unit_index],
            "version": re.search(r'name="version" value="([^"]+)"', page).group(1),
            "action": "save",
            "text": text,
        },
        timeout=TIMEOUT,
        allow_redirects=follow,
    )


def test_a_long_conflict_is_shown_in_full_without_a_huge_cookie(newsroom):
    rng = random.Random(16)
    words = ("".join(rng.choices("абвгдеёжзийклмнопрстуфхцчшщыэюя", k=rng.randint(2, 9))) for _ in range(700))
    long_text = " ".join(words) + "."  # about 4,000 characters that do not compress away
    with server(newsroom) as base:
        client = signed_in(base)
        saved = _save(client, base, f"{base}/ru/solar-lab-opens", 0, long_text, "stale", follow=False)
        page = client.get(f"{base}/ru/solar-lab-opens", timeout=TIMEOUT)
    assert saved.status_code == 302
    assert len(saved.headers.get("Set-Cookie", "")) < 4093  # what browsers keep
    assert "Not saved" in page.text and long_text in page.text


def test_control_characters_in_a_save_are_removed_with_a_warning(newsroom):
    path = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    with server(newsroom) as base:
        client = signed_in(base)
        response = _save(client, base, f"{base}/ru/solar-lab-opens", 0, "Лаборатория\x08 открыта\x01")
        again = client.get(f"{base}/ru/solar-lab-opens", timeout=TIMEOUT)
    assert "Control characters were removed" in response.text
    assert again.status_code == 200
    assert "Лаборатория открыта" in {str(m.string) for m in read_catalog(path, "ru")}
    assert b"\x08" not in path.read_bytes()


def test_a_line_break_typed_in_the_editor_is_saved_as_a_line_feed(newsroom):
    """A browser sends a textarea's line breaks as CR LF: the catalog got `\\r\\n` in the middle
    of a translation, which Poedit shows as a stray character."""
    path = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    with server(newsroom) as base:
        _save(signed_in(base), base, f"{base}/ru/solar-lab-opens", 0, "Лаборатория\r\nоткрыта.\r\n")
    assert "Лаборатория\nоткрыта." in {str(m.string) for m in read_catalog(path, "ru")}
    assert b"\\r" not in path.read_bytes()


def test_an_article_page_reads_each_file_once(newsroom, monkeypatch):
    calls = {"po": 0, "md": 0}
    parse_catalog, parse_article = store_module.parse_catalog, store_module.parse_article

    def counted_catalog(*args, **kwargs):
        calls["po"] += 1
        return parse_catalog(*args, **kwargs)

    def counted_article(*args, **kwargs):
        calls["md"] += 1
        return parse_article(*args, **kwargs)

    monkeypatch.setattr(store_module, "parse_catalog", counted_catalog)
    monkeypatch.setattr(store_module, "parse_article", counted_article)
    with server(newsroom) as base:
        client = signed_in(base)
        calls.update(po=0, md=0)
        assert client.get(f"{base}/ru/library-night", timeout=TIMEOUT).status_code == 200
    assert calls == {"po": len(list((newsroom / "i18n" / "ru").glob("*.po"))), "md": 1}


def test_static_previews_follow_no_symlink_out_of_the_newsroom(newsroom, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    (newsroom / "static" / "passwd.svg").symlink_to(secret)
    with server(newsroom) as base:
        client = signed_in(base)
        outside = client.get(f"{base}/static-preview/passwd.svg", timeout=TIMEOUT)
        inside = client.get(f"{base}/static-preview/solar-roof.svg", timeout=TIMEOUT)
    assert outside.status_code == 404 and "root:x" not in outside.text
    assert inside.status_code == 200


def test_the_preview_of_an_html_article_or_one_with_its_own_slug_shows_its_link(newsroom):
    """Only `slug.md` was looked for: the preview of an HTML article, or of an article whose
    front matter names another slug, showed `<1>report</1>` as text instead of the link."""
    (newsroom / "sources" / "linked-page.html").write_text(
        '<html><head><meta name="date" content="2026-10-06"><title>Linked page</title></head><body>'
        '<main><p>Read the <a href="https://u.example/report">report</a> today.</p></main></body></html>',
        encoding="utf-8",
    )
    (newsroom / "sources" / "draft-7.md").write_text(
        "---\ntitle: Own slug\ndate: 2026-10-06\nslug: own-slug\n---\n"
        "Read the [minutes](https://u.example/minutes) today.\n",
        encoding="utf-8",
    )
    assert run_cli("run", newsroom).code == 0
    with server(newsroom) as base:
        client = signed_in(base)
        pages = {
            slug: client.get(f"{base}/ru/{slug}", timeout=TIMEOUT).text
            for slug in ("linked-page", "own-slug")
        }
    assert '<a href="https://u.example/report">report</a>' in pages["linked-page"]
    assert '<a href="https://u.example/minutes">minutes</a>' in pages["own-slug"]
