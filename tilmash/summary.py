"""The short per-locale table printed after a run and by `tilmash status`."""

from __future__ import annotations

from tilmash.pipeline import RunReport

COLUMNS = ("locale", "published", "reviewed", "machine", "fuzzy", "untranslated", "MT now")


def summary_table(report: RunReport) -> str:
    rows = [COLUMNS]
    for line in report.locales:
        p = line.progress
        if line.engine == "source":
            rows.append((line.locale, f"{line.published}/{line.articles}", "source", "", "", "", ""))
            continue
        rows.append(
            (
                line.locale,
                f"{line.published}/{line.articles}",
                str(p.reviewed),
                str(p.machine),
                str(p.fuzzy),
                str(p.untranslated),
                str(line.machine_filled),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)
