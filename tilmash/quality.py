"""`tilmash check`: run the QA checks over the newsroom's catalogs."""

from __future__ import annotations

from dataclasses import dataclass, field

from tilmash.config import Config
from tilmash.i18n import CatalogError, read_catalog
from tilmash.i18n.checks import CheckContext, Problem
from tilmash.i18n.gate import blocking_checks, verdicts
from tilmash.sources import load_sources
from tilmash.sources.assets import image_problems
from tilmash.translate.glossary import GlossaryError, load_glossary


@dataclass(slots=True)
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # catalogs or glossaries that could not be read
    blocking: list[Problem] = field(default_factory=list)  # the problems the publish gate blocks on

    @property
    def failed(self) -> bool:
        return bool(self.errors) or bool(self.blocking)


def glossary_terms(config: Config, locale: str) -> tuple[tuple[str, ...], ...]:
    """(English term, translation, accepted variant forms…) for the checks."""
    glossary = load_glossary(config.root / "glossary", config.site.source_locale, locale)
    return tuple((term.source, term.target, *term.forms) for term in glossary.terms)


def check_context(config: Config, locale: str, errors: list[str] | None = None) -> CheckContext:
    """What the checks need to know about `locale`; an unreadable glossary is reported in `errors`."""
    try:
        return CheckContext(locale, glossary_terms(config, locale))
    except GlossaryError as error:
        if errors is not None:
            errors.append(str(error))
        return CheckContext(locale)


def check_newsroom(config: Config, locales: list[str] | None = None) -> CheckReport:
    """Every problem of every catalog, each marked when the publish gate blocks on it."""
    report = CheckReport()
    if config.sources_dir.is_dir():  # an article showing an image that is not there is an error too
        articles, _ = load_sources(config.sources_dir)
        report.errors.extend(str(e) for a in articles for e in image_problems(a, config.root))
    block_on = blocking_checks(config.policy.block_on)
    for locale in locales or list(config.target_locales):
        context = check_context(config, locale, report.errors)
        for path in sorted((config.i18n_dir / locale).glob("*.po")):
            try:
                catalog = read_catalog(path, config.babel_locale(locale))
            except CatalogError as error:
                report.errors.append(str(error))
                continue
            except OSError as error:  # a directory, a symlink loop, a link to /dev/zero, a pipe
                report.errors.append(f"{path}: cannot be read: {error.strerror or error}")
                continue
            where = path.relative_to(config.root)
            for message in catalog:
                for verdict in verdicts(message, context, block_on):
                    problem = Problem(
                        verdict.check.name,
                        verdict.check.severity,
                        where,
                        message.lineno or 0,
                        verdict.message,
                        str(message.id),
                    )
                    report.problems.append(problem)
                    if verdict.blocks:
                        report.blocking.append(problem)
    return report
