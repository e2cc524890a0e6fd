"""What a run or a status call found: per-locale progress, errors, notes, counts of writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from tilmash.i18n import Progress


@dataclass(slots=True)
class LocaleReport:
    locale: str
    published: int = 0
    articles: int = 0
    progress: Progress = field(default_factory=Progress)
    machine_filled: int = 0
    model_failed: int = 0  # units the model's output was rejected for (left untranslated)
    engine: str = ""
    by_article: dict[str, Progress] = field(default_factory=dict)
    published_slugs: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, object]:
        published = self.published_slugs
        by_article = {}
        for slug, progress in self.by_article.items():  # one per article: no dict made only to merge
            counts = cast(dict[str, object], progress.as_dict())
            counts["published"] = slug in published
            by_article[slug] = counts
        return (
            {
                "locale": self.locale,
                "articles": self.articles,
                "published": self.published,
                "machine_filled": self.machine_filled,
                "model_failed": self.model_failed,
                "engine": self.engine,
            }
            | self.progress.as_dict()
            | {"by_article": by_article}
        )


@dataclass(slots=True)
class RunReport:
    locales: list[LocaleReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # input repaired on reading; the run is still ok
    catalogs_written: int = 0
    files_written: int = 0
    deferred: list[str] = field(default_factory=list)  # catalogs edited by someone else during the run

    @property
    def ok(self) -> bool:
        return not self.errors

    def absorb(self, part: RunReport) -> None:
        """Add the lines and catalog writes of `part` (one article's, one shared catalog's) to this report."""
        self.errors += part.errors
        self.warnings += part.warnings
        self.notes += part.notes
        self.catalogs_written += part.catalogs_written

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "locales": [r.as_dict() for r in self.locales],
            "errors": self.errors,
            "notes": self.notes,
            "catalogs_written": self.catalogs_written,
            "files_written": self.files_written,
        }

    @classmethod
    def replay(cls, summary: dict[str, Any], errors: list[str]) -> RunReport:
        """The report of a run whose inputs had not changed since the last complete run."""
        report = cls(errors=list(errors), notes=["nothing changed since the last run"])
        for line in summary.get("locales", []):
            progress = Progress(**{k: line[k] for k in Progress.__slots__})
            by_article = {
                slug: Progress(**{k: v[k] for k in Progress.__slots__})
                for slug, v in line["by_article"].items()
            }
            published = {slug for slug, v in line["by_article"].items() if v["published"]}
            report.locales.append(
                LocaleReport(
                    line["locale"],
                    line["published"],
                    line["articles"],
                    progress,
                    engine=line["engine"],
                    by_article=by_article,
                    published_slugs=published,
                )
            )
        return report
