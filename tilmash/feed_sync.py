"""`tilmash import`: bring the newsroom's English feed into sources/, atomically, without duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tilmash.atomic import write_atomic
from tilmash.sources.feed_import import plan_import


@dataclass(slots=True)
class ImportReport:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"imported: {len(self.new)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def import_feed(sources_dir: Path, feed: str) -> ImportReport:
    """Write one Markdown source per feed entry; an entry seen before updates its own file."""
    sources_dir.mkdir(parents=True, exist_ok=True)
    existing = {}
    for path in sorted(sources_dir.glob("*.md")):
        try:
            existing[path.name] = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
    source = Path(feed)
    data: bytes | str = source.read_bytes() if source.is_file() else feed
    report = ImportReport()
    for planned in plan_import(data, existing):
        before = existing.get(planned.name)
        if before == planned.text:
            report.unchanged.append(planned.name)
            continue
        write_atomic(sources_dir / planned.name, planned.text.encode("utf-8"))
        (report.new if before is None else report.updated).append(planned.name)
    return report
