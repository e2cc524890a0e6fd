"""What a run or a status call found: per-locale progress, errors, notes, counts of writes."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from operator import attrgetter
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

    def as_dict(self, by_article: bool = True) -> dict[str, object]:
        """Its counts, and (`by_article`) each article's with whether it is published."""
        line = {
            "locale": self.locale,
            "articles": self.articles,
            "published": self.published,
            "machine_filled": self.machine_filled,
            "model_failed": self.model_failed,
            "engine": self.engine,
        } | self.progress.as_dict()
        if not by_article:
            return line
        published = self.published_slugs
        articles = {}
        for slug, progress in self.by_article.items():  # one per article: no dict made only to merge
            counts = cast(dict[str, object], progress.as_dict())
            counts["published"] = slug in published
            articles[slug] = counts
        return line | {"by_article": articles}


@dataclass(slots=True)
class RunReport:
    locales: list[LocaleReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # input repaired on reading; the run is still ok
    catalogs_written: int = 0
    files_written: int = 0
    deferred: list[str] = field(default_factory=list)  # catalogs edited by someone else during the run
    # catalogs whose sync approved a translation again (`sync_catalog`'s `restored`): the
    # locale's memory gains it when they are written, so they stay new to the next run
    restored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def absorb(self, part: RunReport) -> None:
        """Add the lines and catalog writes of `part` (one article's, one shared catalog's) to this report."""
        self.errors += part.errors
        self.warnings += part.warnings
        self.notes += part.notes
        self.catalogs_written += part.catalogs_written
        self.restored += part.restored

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "locales": [r.as_dict() for r in self.locales],
            "errors": self.errors,
            "notes": self.notes,
            "catalogs_written": self.catalogs_written,
            "files_written": self.files_written,
        }

    def saved(self) -> dict[str, object]:
        """What a no-op run replays (`replay`): `as_dict` with each locale's articles as a list
        of slugs and one array of their counts, not a dict per article and locale (a run of
        10,000 articles made 30,000 of them to save its summary, the peak of an edit run)."""
        counted = attrgetter(*Progress.__slots__)
        locales = []
        for line in self.locales:
            counts = array("q")
            for progress in line.by_article.values():
                counts.extend(counted(progress))
            slugs = list(line.by_article)
            shown = bytes(slug in line.published_slugs for slug in slugs)
            locales.append(
                line.as_dict(by_article=False) | {"slugs": slugs, "counts": counts.tobytes(), "shown": shown}
            )
        return {
            "ok": self.ok,
            "locales": locales,
            "errors": self.errors,
            "notes": self.notes,
            "catalogs_written": self.catalogs_written,
            "files_written": self.files_written,
        }

    @classmethod
    def replay(cls, summary: dict[str, Any], errors: list[str]) -> RunReport:
        """The report of a run whose inputs had not changed since the last complete run (`saved`)."""
        report = cls(errors=list(errors), notes=["nothing changed since the last run"])
        fields = Progress.__slots__
        for line in summary.get("locales", []):
            progress = Progress(**{k: line[k] for k in fields})
            counts = array("q")
            counts.frombytes(line["counts"])
            by_article = {
                slug: Progress(*counts[at * len(fields) : (at + 1) * len(fields)])
                for at, slug in enumerate(line["slugs"])
            }
            published = {slug for slug, shown in zip(line["slugs"], line["shown"], strict=True) if shown}
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
