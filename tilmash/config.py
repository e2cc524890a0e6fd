"""`tilmash.toml`: the newsroom's settings, read once and passed around as a value.

`SCHEMA` lists every table and key a newsroom may set with the type it expects; a new
setting is one line there (plus the field it fills). Defaults live with the dataclasses the
values go to (`SiteSettings`, `PublishPolicy`, `RuntimeOptions`, `Config`), nowhere else.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilmash.render.settings import PublishPolicy, SiteSettings
from tilmash.translate.engine import RuntimeOptions
from tilmash.translate.memory import DEFAULT_CUTOFF
from tilmash.translate.registry import registry_path

CONFIG_NAME = "tilmash.toml"
DEFAULT_SOURCE_LOCALE = "en"
DEFAULT_TARGET_LOCALES = ("kk", "ru", "zh")
DEFAULT_BABEL_LOCALES = {"zh": "zh_Hans"}
ENGINE_KINDS = ("auto", "argos", "ct2", "none")  # or "ct2:NAME" for one registered model
DEFAULT_ENGINE = "auto"
LOCALE_RE = re.compile(r"^[a-z]{2,3}$")

UI_CATALOG = "_ui"  # the theme's catalog in each locale: no article slug starts with "_"
TAXONOMY_CATALOG = "_taxonomy"  # tags and bylines, translated once per locale


class ConfigError(Exception):
    """A newsroom that cannot be used as configured; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Value:
    """What one key accepts: a test and the words that say it in an error."""

    expected: str
    accepts: Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its known keys, or `any_key` for tables keyed by the newsroom (locales)."""

    keys: Mapping[str, Value | Table] = field(default_factory=dict)
    any_key: Value | None = None


def _is_int(value: Any, low: int, high: int | None = None) -> bool:
    whole = isinstance(value, int) and not isinstance(value, bool)
    return whole and low <= value and (high is None or value <= high)


def _is_locale(value: Any) -> bool:
    return isinstance(value, str) and bool(LOCALE_RE.match(value))


def _is_engine(value: Any) -> bool:
    return isinstance(value, str) and (value in ENGINE_KINDS or value.startswith("ct2:") and len(value) > 4)


TEXT = Value("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip()))
BOOLEAN = Value("true or false", lambda v: isinstance(v, bool))
POSITIVE = Value("a whole number of at least 1", lambda v: _is_int(v, 1))
PERCENT = Value("a whole number from 0 to 100", lambda v: _is_int(v, 0, 100))
LOCALE = Value('a 2–3 letter language code like "kk"', _is_locale)
LOCALES = Value(
    'a list of 2–3 letter language codes like ["kk", "ru"]',
    lambda v: isinstance(v, list) and all(_is_locale(code) for code in v),
)


def _is_timezone(value: Any) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(value, str) or not value.strip():
        return False
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


TIMEZONE = Value('an IANA time zone name like "Asia/Almaty"', _is_timezone)
ENGINE = Value(f"one of {', '.join(map(repr, ENGINE_KINDS))} or 'ct2:NAME'", _is_engine)


def _is_check_list(value: Any) -> bool:
    from tilmash.i18n.gate import unknown_checks  # imported only when the key is set: no-op runs stay fast

    return isinstance(value, list) and all(isinstance(v, str) for v in value) and not unknown_checks(value)


CHECK_NAMES = Value(
    'a list of QA check names like ["markup", "urls"] (see `tilmash check --list`)', _is_check_list
)


def one_of(*choices: str) -> Value:
    return Value(f"one of {', '.join(map(repr, choices))}", lambda v: v in choices)


SCHEMA = Table(
    {
        "site": Table(
            {
                "title": TEXT,
                "base_url": TEXT,
                "source_language": LOCALE,
                "locales": LOCALES,
                "page_size": POSITIVE,
                "feed_items": POSITIVE,
                "timezone": TIMEZONE,
                "titles": Table(any_key=TEXT),
            }
        ),
        "babel_locales": Table(any_key=TEXT),
        "engines": Table({"default": ENGINE}, any_key=ENGINE),
        "argos_codes": Table(any_key=TEXT),
        "publish": Table(
            {
                "policy": one_of("reviewed", "threshold", "machine"),
                "threshold": PERCENT,
                "block_on": CHECK_NAMES,
            }
        ),
        "runtime": Table(
            {
                "device": one_of("cpu", "cuda", "auto"),
                "threads": POSITIVE,
                "compute_type": TEXT,
                "beam_size": POSITIVE,
                "max_batch_size": POSITIVE,
                "repetition_penalty": Value(
                    "a number of at least 1 (1 = no penalty)",
                    lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 1,
                ),
                "cluster": Value(
                    'a Dask scheduler address like "tcp://scheduler:8786"',
                    lambda v: isinstance(v, str) and ":" in v,
                ),
                "no_repeat_ngram_size": Value(
                    "a whole number of at least 0 (0 = off)", lambda v: _is_int(v, 0)
                ),
            }
        ),
        "translation_memory": Table(
            {
                "exact_as_reviewed": BOOLEAN,
                "cutoff": Value("a whole number from 50 to 100 (percent)", lambda v: _is_int(v, 50, 100)),
            }
        ),
        "import": Table({"feed": TEXT}),
    }
)
REQUIRED = (("site", "title"), ("site", "base_url"))


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
    memory_cutoff: float = DEFAULT_CUTOFF
    cluster: str | None = None  # a Dask scheduler that does the engine work ([runtime] cluster)

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def i18n_dir(self) -> Path:
        return self.root / "i18n"

    @property
    def templates_dir(self) -> Path:
        """Where `template_path` puts the POTs."""
        return self.root / "i18n" / "pot"

    @property
    def public_dir(self) -> Path:
        return self.root / "public"

    def catalog_path(self, locale: str, slug: str) -> Path:
        return self.root.joinpath("i18n", locale, f"{slug}.po")  # one Path made, not three: asked per article

    def template_path(self, slug: str) -> Path:
        return self.root.joinpath("i18n", "pot", f"{slug}.pot")

    def template_file(self, slug: str) -> str:
        """`template_path` as a string (as `article_files`: a cold run writes a POT per article)."""
        return f"{os.fspath(self.root)}/i18n/pot/{slug}.pot"

    def article_files(self, source: str, slug: str) -> list[str]:
        """An article's source, its POT and its catalog in each target locale (`template_path`,
        `catalog_path`) as strings: asked for thousands of articles, where a Path per file
        costs more than reading the file."""
        i18n = f"{os.fspath(self.root)}/i18n"  # `i18n_dir` without making a Path
        catalogs = [f"{i18n}/{locale}/{slug}.po" for locale in self.target_locales]
        return [source, self.template_file(slug), *catalogs]

    def babel_locale(self, locale: str) -> str:
        return self.site.babel_locales.get(locale, locale)


def _did_you_mean(name: str, known: list[str]) -> str:
    import difflib  # only for an error message

    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})" if known else ""


def _toml(value: Any) -> str:
    """`value` as it would be written in tilmash.toml, for error messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def check_table(data: Mapping[str, Any], schema: Table, path: Path, name: str = "") -> None:
    """Raise ConfigError, in one sentence, for the first key `schema` does not accept."""
    for key, value in data.items():
        spec = schema.keys.get(key, schema.any_key)
        where = f"[{name}] {key}" if name else f"[{key}]"
        if spec is None:
            kind = "key" if name else "table"
            raise ConfigError(
                f"{path}: unknown {kind} {where}{_did_you_mean(key, list(schema.keys))}; remove or rename it."
            )
        if isinstance(spec, Table):
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: {where} = {_toml(value)}: expected a table [{name or key}]")
            check_table(value, spec, path, f"{name}.{key}" if name else key)
        elif not spec.accepts(value):
            raise ConfigError(f"{path}: {where} = {_toml(value)}: expected {spec.expected}.")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    check_table(data, SCHEMA, path)
    for table, key in REQUIRED:
        if key not in data.get(table, {}):
            raise ConfigError(f"{path}: [{table}] {key} is missing: expected {TEXT.expected}.")
    return data


def load_config(root: Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read `root/tilmash.toml`; raise ConfigError with one clear sentence on problems."""
    environ = os.environ if environ is None else environ
    path = root / CONFIG_NAME
    if not root.is_dir():
        raise ConfigError(f"{root} is not a directory: point Tilmash at a newsroom directory.")
    if not path.is_file():
        raise ConfigError(
            f"{root} has no {CONFIG_NAME}, so it is not a Tilmash newsroom: "
            f"create one (see examples/newsroom/{CONFIG_NAME})."
        )
    data = _read(path)
    site = dict(data["site"])
    source = site.pop("source_language", DEFAULT_SOURCE_LOCALE)
    targets = tuple(site.pop("locales", DEFAULT_TARGET_LOCALES))
    if source in targets:
        raise ConfigError(
            f"{path}: [site] locales lists the source language {source!r}: expected targets only."
        )
    base_url = site.pop("base_url").strip()
    settings = SiteSettings(
        title=site.pop("title").strip(),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        source_locale=source,
        locales=(source, *targets),
        babel_locales=DEFAULT_BABEL_LOCALES | data.get("babel_locales", {}),
        titles=site.pop("titles", {}),
        **site,  # the other [site] keys are SiteSettings fields of the same name
    )
    engines_table: dict[str, str] = dict(data.get("engines", {}))
    default_engine = engines_table.pop("default", DEFAULT_ENGINE)
    for locale in engines_table:
        if locale not in targets:
            raise ConfigError(
                f"{path}: unknown key [engines] {locale}{_did_you_mean(locale, ['default', *targets])}: "
                f"expected 'default' or a locale of [site] locales."
            )
    publish = {"mode" if key == "policy" else key: value for key, value in data.get("publish", {}).items()}
    if "block_on" in publish:
        publish["block_on"] = tuple(publish["block_on"])
    memory = data.get("translation_memory", {})
    optional: dict[str, Any] = {}  # only what the file sets: the defaults are Config's
    if "exact_as_reviewed" in memory:
        optional["memory_exact_as_reviewed"] = memory["exact_as_reviewed"]
    if "cutoff" in memory:
        optional["memory_cutoff"] = memory["cutoff"] / 100
    if "cluster" in data.get("runtime", {}):
        optional["cluster"] = data["runtime"]["cluster"]
    if "feed" in data.get("import", {}):
        optional["import_feed"] = data["import"]["feed"]
    packages_dir = environ.get("ARGOS_PACKAGES_DIR")
    return Config(
        root=root,
        site=settings,
        target_locales=targets,
        engines={locale: engines_table.get(locale, default_engine) for locale in targets},
        policy=PublishPolicy(**publish),
        runtime=RuntimeOptions(**{k: v for k, v in data.get("runtime", {}).items() if k != "cluster"}),
        packages_dir=Path(packages_dir) if packages_dir else None,
        argos_codes=dict(data.get("argos_codes", {})),
        models_registry=registry_path(environ),
        **optional,
    )
