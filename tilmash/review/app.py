"""`tilmash review`: a small local web application for translators (Flask, server-rendered forms).

Every page works without JavaScript; a few lines of script add keyboard shortcuts and a live
preview. Access needs the token printed at start (or a password, when one is set); every
change carries a CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from flask import (
    Flask,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFProtect

from tilmash.config import Config
from tilmash.pipeline import UI_CATALOG
from tilmash.review.store import NotFound, ReviewStore

ACTIONS = ("approve", "save", "reject")


def create_app(config: Config, token: str, password: str | None = None) -> Flask:
    """The review application for one newsroom; `token` must be presented once per browser."""
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    app.config.update(
        SECRET_KEY=secrets.token_hex(32), SESSION_COOKIE_SAMESITE="Strict", WTF_CSRF_TIME_LIMIT=None
    )
    CSRFProtect(app)
    store = ReviewStore(config)

    @app.before_request
    def require_access():  # noqa: ANN202 - Flask hook
        if session.get("access") or request.endpoint in ("login", "static"):
            return None
        offered = request.args.get("token", "")
        if offered and hmac.compare_digest(offered, token):
            session["access"] = True
            return redirect(request.path)
        if password:
            return redirect(url_for("login", next=request.path))
        return render_template("denied.html"), 403

    @app.route("/login", methods=["GET", "POST"])
    def login():  # noqa: ANN202
        if not password:
            abort(404)
        if request.method == "POST" and hmac.compare_digest(request.form.get("password", ""), password):
            session["access"] = True
            target = request.args.get("next", "/")
            return redirect(target if target.startswith("/") and not target.startswith("//") else "/")
        return render_template("login.html", failed=request.method == "POST")

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):  # noqa: ANN202
        return render_template("denied.html", missing=str(error)), 404

    @app.route("/")
    def index():  # noqa: ANN202
        locales = [(locale, store.articles(locale)) for locale in config.target_locales]
        return render_template("index.html", locales=locales, title=config.site.title, ui=UI_CATALOG)

    @app.route("/<locale>/<slug>")
    def article(locale: str, slug: str):  # noqa: ANN202
        entries = store.entries(locale, slug)
        return render_template(
            "article.html",
            locale=locale,
            slug=slug,
            entries=entries,
            version=store.version(locale, slug),
            title=config.site.title,
        )

    @app.post("/<locale>/<slug>/entry")
    def save_entry(locale: str, slug: str):  # noqa: ANN202
        form = request.form
        action = form.get("action", "save")
        if action not in ACTIONS:
            abort(400)
        outcome = store.save(
            locale,
            slug,
            form.get("unit", ""),
            form.get("token", ""),
            action,
            form.get("text", ""),
            form.get("version", ""),
        )
        if outcome.status == "conflict":
            flash(
                "Not saved: this entry was changed on disk while you were editing (by a scheduled run or another editor). "
                f"It now reads: “{outcome.current}”. Your text was: “{form.get('text', '')}”.",
                "error",
            )
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
        return send_from_directory(config.root / "static", name)

    return app
