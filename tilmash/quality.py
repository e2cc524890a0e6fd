"""`tilmash check`: run the QA checks over the newsroom's catalogs."""

from __future__ import annotations

from dataclasses import dataclass, field

from tilmash.config import Config
from tilmash.i18n import CatalogError, read_catalog
from tilmash.i18n.checks import CheckContext, Problem, check_catalog
from tilmash.translate.glossary import GlossaryError, load_glossary


@dataclass(slots=True)
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # catalogs or glossaries that could not be read

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(p.severity == "error" for p in self.problems)


def glossary_terms(config: Config, locale: str) -> tuple[tuple[str, str], ...]:
    glossary = load_glossary(config.root / "glossary", config.site.source_locale, locale)
    return tuple((term.source, term.target) for term in glossary.terms)


def check_newsroom(config: Config, locales: list[str] | None = None) -> CheckReport:
    report = CheckReport()
    for locale in locales or list(config.target_locales):
        try:
            context = CheckContext(locale, glossary_terms(config, locale))
        except GlossaryError as error:
            report.errors.append(str(error))
            context = CheckContext(locale)
        for path in sorted((config.i18n_dir / locale).glob("*.po")):
            try:
                catalog = read_catalog(path, config.babel_locale(locale))
            except CatalogError as error:
                report.errors.append(str(error))
                continue
            report.problems.extend(check_catalog(catalog, path.relative_to(config.root), context))
    return report
