"""The short per-locale table printed after a run and by `tilmash status`."""

from __future__ import annotations

from tilmash.i18n import Progress
from tilmash.report import RunReport

COLUMNS = (
    "locale",
    "published",
    "reviewed",
    "machine",
    "fuzzy",
    "untranslated",
    "words reviewed",
    "MT now",
    "MT failed",
)


def _cells(p: Progress) -> tuple[str, ...]:
    return (
        str(p.reviewed),
        str(p.machine),
        str(p.fuzzy),
        str(p.untranslated),
        f"{p.words_reviewed}/{p.words_total}",
    )


def summary_table(report: RunReport, by_article: bool = False) -> str:
    """Units per state for each locale; with `by_article`, one indented row per article too."""
    rows: list[tuple[str, ...]] = [COLUMNS]
    for line in report.locales:
        if line.engine == "source":
            rows.append((line.locale, f"{line.published}/{line.articles}", "source", "", "", "", "", "", ""))
            continue
        rows.append(
            (
                line.locale,
                f"{line.published}/{line.articles}",
                *_cells(line.progress),
                str(line.machine_filled),
                str(line.model_failed),
            )
        )
        if by_article:
            for slug, progress in sorted(line.by_article.items()):
                published = "yes" if slug in line.published_slugs else "no"
                rows.append((f"  {slug}", published, *_cells(progress), "", ""))
    return _aligned(rows)


def _aligned(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )
