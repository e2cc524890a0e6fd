"""`tilmash review`: a small local web application for translators (Flask, server-rendered forms).

Every page works without JavaScript; a few lines of script add keyboard shortcuts and a live
preview. Access needs the token printed at start (or a password, when one is set); every
change carries a CSRF token.

Hostile requests are turned away before they cost anything: the Host header is checked
(DNS rebinding), then access, and only then is a body read — never more than
`MAX_REQUEST_BYTES`. Password guesses are rate-limited per client.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Collection
from pathlib import Path

from flask import (
    Flask,
    Response,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFProtect

from tilmash.config import UI_CATALOG, Config
from tilmash.i18n import CatalogError
from tilmash.review.store import NotFound, ReviewStore, SaveOutcome

ACTIONS = ("approve", "save", "reject")
MAX_REQUEST_BYTES = 256 * 1024  # one entry's form: a few KB; a whole long article still fits
LOGIN_ATTEMPTS = 10  # failed passwords per client …
LOGIN_WINDOW = 60.0  # … within this many seconds; then 429 until the window has passed
KEPT_CONFLICTS = 200  # conflict notices waiting to be shown (they live here, not in the cookie)
_SAFE_NEXT = re.compile(r"/(?![/\\])[A-Za-z0-9_\-./]*")  # a path of this site, nothing else


def _same(offered: str, expected: str) -> bool:
    """Constant-time comparison of any two strings (hmac's refuses non-ASCII str)."""
    return hmac.compare_digest(offered.encode("utf-8", "replace"), expected.encode("utf-8", "replace"))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _host_name(header: str) -> str:
    """`example.org:8737` → `example.org`; `[::1]:8737` → `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class LoginLimiter:
    """Failed password attempts per client address in a sliding window (thread-safe)."""

    def __init__(self, attempts: int = LOGIN_ATTEMPTS, window: float = LOGIN_WINDOW) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= self.attempts

    def failed(self, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # forget idle clients rather than grow without bound
                for name in [n for n, f in self._failures.items() if not f]:
                    del self._failures[name]


def create_app(
    config: Config, token: str, password: str | None = None, hosts: Collection[str] | None = None
) -> Flask:
    """The review application for one newsroom; `token` must be presented once per browser.

    `hosts`: the host names the page may be reached by, besides IP addresses (None: any name).
    """
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    app.config.update(
        SECRET_KEY=secrets.token_hex(32),
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
    )
    store = ReviewStore(config)
    limiter = LoginLimiter()
    allowed_hosts = {_host_name(h) for h in hosts} if hosts is not None else None
    conflicts: OrderedDict[str, dict[str, str]] = OrderedDict()
    conflicts_lock = threading.Lock()

    # Registered before CSRFProtect's own hook, so they run first: no body is read for a
    # request from a foreign host or without access.
    @app.before_request
    def check_host():  # noqa: ANN202 - Flask hook
        name = _host_name(request.host)
        if allowed_hosts is not None and name not in allowed_hosts and not _is_address(name):
            return Response("This page is only served under its own address.\n", 421, mimetype="text/plain")
        return None

    @app.before_request
    def require_access():  # noqa: ANN202 - Flask hook
        g.csp_nonce = secrets.token_urlsafe(16)
        if session.get("access") or request.endpoint in ("login", "static"):
            return None
        offered = request.args.get("token", "")
        if offered and _same(offered, token):
            session["access"] = True
            return redirect(request.path)
        if password:
            return redirect(url_for("login", next=request.path))
        return render_template("denied.html"), 403

    CSRFProtect(app)

    @app.after_request
    def security_headers(response: Response) -> Response:
        nonce = g.get("csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: https:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'"
        )
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.context_processor
    def nonce():  # noqa: ANN202
        return {"csp_nonce": g.get("csp_nonce", "")}

    @app.route("/login", methods=["GET", "POST"])
    def login():  # noqa: ANN202
        if not password:
            abort(404)
        client = request.remote_addr or "?"
        if request.method == "POST":
            if limiter.blocked(client):
                return render_template("login.html", failed=True, limited=True), 429
            if _same(request.form.get("password", ""), password):
                session["access"] = True
                target = request.args.get("next", "/")
                return redirect(target if _SAFE_NEXT.fullmatch(target) else "/")
            limiter.failed(client)
        return render_template("login.html", failed=request.method == "POST")

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):  # noqa: ANN202
        return render_template("denied.html", missing=str(error)), 404

    @app.errorhandler(CatalogError)
    def broken(error: CatalogError):  # noqa: ANN202
        return render_template("denied.html", broken=str(error)), 422

    @app.errorhandler(413)
    def too_large(_error: Exception):  # noqa: ANN202
        return Response(
            f"Request too large: at most {MAX_REQUEST_BYTES // 1024} KB.\n", 413, mimetype="text/plain"
        )

    @app.route("/")
    def index():  # noqa: ANN202
        locales = [(locale, store.articles(locale)) for locale in config.target_locales]
        return render_template("index.html", locales=locales, title=config.site.title, ui=UI_CATALOG)

    @app.route("/<locale>/<slug>")
    def article(locale: str, slug: str):  # noqa: ANN202
        entries, version = store.entries(locale, slug)
        with conflicts_lock:
            conflict = conflicts.pop(session.pop("conflict", ""), None)
        return render_template(
            "article.html",
            locale=locale,
            slug=slug,
            entries=entries,
            version=version,
            title=config.site.title,
            conflict=conflict,
        )

    @app.post("/<locale>/<slug>/entry")
    def save_entry(locale: str, slug: str):  # noqa: ANN202
        form = request.form
        action = form.get("action", "save")
        if action not in ACTIONS:
            abort(400)
        try:
            outcome = store.save(
                locale,
                slug,
                form.get("unit", ""),
                form.get("token", ""),
                action,
                form.get("text", ""),
                form.get("version", ""),
            )
        except OSError as error:  # a full disk, a read-only i18n/: the file on disk is unchanged
            outcome = SaveOutcome("invalid", f"the catalog cannot be written ({error.strerror or error})")
        if outcome.status == "conflict":
            # Both texts can be long: they wait here, the session cookie only names them.
            key = secrets.token_urlsafe(12)
            with conflicts_lock:
                conflicts[key] = {"current": outcome.current, "yours": form.get("text", "")}
                while len(conflicts) > KEPT_CONFLICTS:
                    conflicts.popitem(last=False)
            session["conflict"] = key
            flash(
                "Not saved: this entry was changed on disk while you were editing "
                "(by a scheduled run or another editor). Both versions are shown below.",
                "error",
            )
        elif outcome.status == "invalid":
            flash(f"Not saved: {outcome.current}.", "error")
        elif outcome.status == "gone":
            flash(
                "Not saved: this entry no longer exists (its English source changed). Reload the page.",
                "error",
            )
        elif outcome.status == "merged":
            flash(
                "Saved. The file had changed on disk meanwhile; your edit was merged with those changes.",
                "ok",
            )
        else:
            flash(
                {"approve": "Approved.", "save": "Saved.", "reject": "Machine translation rejected."}[action],
                "ok",
            )
        if outcome.cleaned:
            flash(
                "Control characters were removed from your text: they cannot appear in a web page.", "error"
            )
        return redirect(url_for("article", locale=locale, slug=slug) + f"#u-{form.get('unit', '')}")

    @app.post("/<locale>/<slug>/approve-all")
    def approve_all(locale: str, slug: str):  # noqa: ANN202
        tokens = {
            key[len("token-") :]: value for key, value in request.form.items() if key.startswith("token-")
        }
        approved, skipped = store.approve_all(locale, slug, tokens)
        flash(
            f"Approved {approved} entries."
            + (f" {skipped} left fuzzy: QA errors or changed on disk." if skipped else ""),
            "ok",
        )
        return redirect(url_for("article", locale=locale, slug=slug))

    @app.post("/<locale>/<slug>/preview")
    def preview(locale: str, slug: str):  # noqa: ANN202
        data = request.get_json(silent=True) or {}
        return jsonify(html=store.preview(locale, slug, str(data.get("unit", "")), str(data.get("text", ""))))

    @app.route("/static-preview/<path:name>")
    def static_preview(name: str):  # noqa: ANN202 - the newsroom's images, for previews
        static = (config.root / "static").resolve()
        if not (static / name).resolve().is_relative_to(static):  # a symlink out of the newsroom
            abort(404)
        return send_from_directory(static, name)

    return app
