"""`tilmash.toml`: the newsroom's settings, read once and passed around as a value."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilmash.render.settings import PublishPolicy, SiteSettings
from tilmash.translate.argos import RuntimeOptions
from tilmash.translate.ct2_multilingual import registry_path

CONFIG_NAME = "tilmash.toml"
DEFAULT_BABEL_LOCALES = {"zh": "zh_Hans"}
ENGINE_KINDS = ("auto", "argos", "ct2", "none")  # or "ct2:NAME" for one registered model
LOCALE_RE = re.compile(r"^[a-z]{2,3}$")


class ConfigError(Exception):
    """A newsroom that cannot be used as configured; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Config:
    root: Path
    site: SiteSettings
    target_locales: tuple[str, ...]
    engines: dict[str, str]
    policy: PublishPolicy
    runtime: RuntimeOptions
    packages_dir: Path | None
    argos_codes: dict[str, str] = field(default_factory=dict)
    import_feed: str | None = None
    models_registry: Path = Path("models.json")
    memory_exact_as_reviewed: bool = True
    memory_cutoff: float = 0.75

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def i18n_dir(self) -> Path:
        return self.root / "i18n"

    @property
    def public_dir(self) -> Path:
        return self.root / "public"

    def catalog_path(self, locale: str, slug: str) -> Path:
        return self.i18n_dir / locale / f"{slug}.po"

    def template_path(self, slug: str) -> Path:
        return self.i18n_dir / "pot" / f"{slug}.pot"

    def babel_locale(self, locale: str) -> str:
        return self.site.babel_locales.get(locale, locale)


def _table(data: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return value


def _positive_int(table: dict[str, Any], key: str, default: int, path: Path) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{path}: [site] {key} must be a whole number of at least 1, not {value!r}")
    return value


def load_config(root: Path, environ: dict[str, str] | None = None) -> Config:
    """Read `root/tilmash.toml`; raise ConfigError with one clear sentence on problems."""
    environ = dict(os.environ) if environ is None else environ
    path = root / CONFIG_NAME
    if not root.is_dir():
        raise ConfigError(f"{root} is not a directory: point Tilmash at a newsroom directory.")
    if not path.is_file():
        raise ConfigError(
            f"{root} has no {CONFIG_NAME}, so it is not a Tilmash newsroom: "
            f"create one (see examples/newsroom/{CONFIG_NAME})."
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    site = _table(data, "site", path)
    for key in ("title", "base_url"):
        if not isinstance(site.get(key), str) or not site[key].strip():
            raise ConfigError(f"{path}: [site] needs a '{key}' string")
    source = str(site.get("source_language", "en"))
    targets = tuple(site.get("locales", ("kk", "ru", "zh")))
    for locale in (source, *targets):
        if not LOCALE_RE.match(str(locale)):
            raise ConfigError(f"{path}: locale {locale!r} must be a 2–3 letter language code like 'kk'")
    babel_locales = DEFAULT_BABEL_LOCALES | {
        str(k): str(v) for k, v in _table(data, "babel_locales", path).items()
    }
    titles = {str(k): str(v) for k, v in _table(site, "titles", path).items()} if "titles" in site else {}
    base_url = site["base_url"].strip()
    settings = SiteSettings(
        title=site["title"].strip(),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        source_locale=source,
        locales=(source, *targets),
        babel_locales=babel_locales,
        titles=titles,
        page_size=_positive_int(site, "page_size", 10, path),
        feed_items=_positive_int(site, "feed_items", 100, path),
    )
    engines_table = _table(data, "engines", path)
    default_engine = str(engines_table.get("default", "auto"))
    engines = {locale: str(engines_table.get(locale, default_engine)) for locale in targets}
    for locale, kind in engines.items():
        if kind not in ENGINE_KINDS and not kind.startswith("ct2:"):
            raise ConfigError(
                f"{path}: [engines] {locale} = {kind!r}: use one of {', '.join(ENGINE_KINDS)} or ct2:NAME"
            )
    publish = _table(data, "publish", path)
    mode = str(publish.get("policy", "reviewed"))
    if mode not in ("reviewed", "threshold", "machine"):
        raise ConfigError(f"{path}: [publish] policy = {mode!r}: use 'reviewed', 'threshold' or 'machine'")
    threshold = publish.get("threshold", 100)
    if not isinstance(threshold, int) or not 0 <= threshold <= 100:
        raise ConfigError(f"{path}: [publish] threshold must be a whole number from 0 to 100")
    runtime_table = _table(data, "runtime", path)
    runtime = RuntimeOptions(
        device=str(runtime_table.get("device", "cpu")),
        threads=int(runtime_table.get("threads", min(os.cpu_count() or 1, 4))),
        compute_type=str(runtime_table.get("compute_type", "auto")),
        beam_size=int(runtime_table.get("beam_size", 2)),
        max_batch_size=int(runtime_table.get("max_batch_size", 32)),
    )
    packages_dir = environ.get("ARGOS_PACKAGES_DIR")
    memory = _table(data, "translation_memory", path)
    cutoff = memory.get("cutoff", 75)
    if not isinstance(cutoff, int) or not 50 <= cutoff <= 100:
        raise ConfigError(f"{path}: [translation_memory] cutoff must be a percentage from 50 to 100")
    argos_codes = {str(k): str(v) for k, v in _table(data, "argos_codes", path).items()}
    return Config(
        root=root,
        site=settings,
        target_locales=targets,
        engines=engines,
        policy=PublishPolicy(mode, threshold),  # type: ignore[arg-type]
        runtime=runtime,
        packages_dir=Path(packages_dir) if packages_dir else None,
        argos_codes=argos_codes,
        import_feed=str(_table(data, "import", path).get("feed") or "") or None,
        models_registry=registry_path(environ),
        memory_exact_as_reviewed=bool(memory.get("exact_as_reviewed", True)),
        memory_cutoff=cutoff / 100,
    )
