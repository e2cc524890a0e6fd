"""The translate stage for one locale: choose its engine, load its glossary and memory, fill."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from tilmash.config import Config
from tilmash.pipeline import LocaleCatalogs
from tilmash.report import RunReport
from tilmash.translate.argos import find_package
from tilmash.translate.ct2_multilingual import load_registry
from tilmash.translate.engine import Engine, EngineError
from tilmash.translate.glossary import Glossary, GlossaryError, load_glossary
from tilmash.translate.memory import TranslationMemory
from tilmash.translate.pretranslate import (
    PretranslateResult,
    PretranslateSettings,
    pretranslate,
)
from tilmash.translate.segments import english_segmenter
from tilmash.translate.spec import EngineSpec, argos_spec, ct2_spec


def _argos(config: Config, locale: str) -> EngineSpec | None:
    package = find_package(
        config.site.source_locale, config.argos_codes.get(locale, locale), config.packages_dir
    )
    return argos_spec(package, locale, config.runtime) if package is not None else None


def _ct2(config: Config, locale: str, name: str | None) -> EngineSpec | None:
    for model in load_registry(config.models_registry):
        if (name is None or model.name == name) and locale in model.languages:
            return ct2_spec(model, locale, config.runtime)
    return None


def spec_for(config: Config, locale: str, report: RunReport) -> EngineSpec | None:
    """The configured model of `locale`, or None (said in a note) when none is installed."""
    kind = config.engines.get(locale, "auto")
    if kind == "none":
        return None
    name = kind.split(":", 1)[1] if kind.startswith("ct2:") else None
    try:
        spec: EngineSpec | None = None
        if kind in ("argos", "auto"):
            spec = _argos(config, locale)
        if spec is None and (kind == "auto" or kind.startswith("ct2")):
            spec = _ct2(config, locale, name)
    except EngineError as error:
        report.errors.append(f"{locale}: {error}")
        return None
    if spec is None:
        source = config.site.source_locale
        report.notes.append(
            f"{locale}: no model for {source}→{locale} is installed ({kind}); its new entries stay "
            "untranslated for translators. Install one with `tilmash models install FILE.argosmodel` "
            "or register a multilingual CTranslate2 model with `tilmash models add-ct2 DIR --langs …`."
        )
    return spec


def engine_for(config: Config, locale: str, report: RunReport, client: Any = None) -> Engine | None:
    """The engine of `locale`: loaded here, or translating on the cluster behind `client`."""
    spec = spec_for(config, locale, report)
    if spec is None:
        return None
    if client is not None:
        try:
            from tilmash.translate.cluster import ClusterEngine
        except ImportError:  # Dask is an extra: an error line, not a traceback
            raise client.dask_missing() from None
        return ClusterEngine(client, spec)
    try:
        return spec.load()
    except EngineError as error:
        report.errors.append(f"{locale}: {error}")
        return None


def machine_translate(
    config: Config, synced: LocaleCatalogs, today: dt.date, report: RunReport, client: Any = None
) -> PretranslateResult:
    """Translation memory, then the engine, for every untranslated entry of one locale.

    Called only when the locale has such entries (the runner counts them first): with none,
    it would still load the glossary, the memory and the engine."""
    locale = synced.locale
    try:
        glossary = load_glossary(config.root / "glossary", config.site.source_locale, locale)
    except GlossaryError as error:
        report.errors.append(f"{error} (glossary ignored for {locale})")
        glossary = Glossary()
    settings = PretranslateSettings(
        locale=config.babel_locale(locale),
        today=today,
        glossary=glossary,
        memory=TranslationMemory((english, text) for (_, english), text in synced.memory().items()),
        memory_cutoff=config.memory_cutoff,
        progress=sys.stderr.isatty(),
    )
    engine = engine_for(config, locale, report, client)
    try:
        result = pretranslate(synced.catalogs.values(), engine, settings, english_segmenter())
    except EngineError as error:
        report.errors.append(f"{locale}: {error}")
        return PretranslateResult()
    except (RuntimeError, ValueError) as error:
        report.errors.append(f"{locale}: machine translation failed: {error}")
        return PretranslateResult()
    report_failures(locale, result, report)
    return result


def report_failures(locale: str, result: PretranslateResult, report: RunReport) -> None:
    """One line per locale: a note when some outputs were rejected, an error when all were."""
    if not result.model_failed:
        return
    why = ", ".join(f"{count} {reason}" for reason, count in sorted(result.failures.items()))
    if not result.from_engine:
        report.errors.append(
            f"{locale}: the model failed on every unit it was given ({result.model_failed}: {why}); "
            "nothing was machine-translated: check the model (wrong vocabulary? broken weights?)"
        )
    else:
        report.notes.append(
            f"{locale}: {result.model_failed} units left untranslated because the model's output "
            f"was rejected ({why}), even after a retry with repetition penalties"
        )
