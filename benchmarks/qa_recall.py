"""QA recall and noise: `tilmash check` vs translate-toolkit's `pofilter` on the same entries.

Recall: of the injected kk/ru/zh errors in tests/qa_corpus.py, how many does each tool flag
at all (any of its checks counts, which favours pofilter). Noise: of the reviewed entries
of the example catalogs, correct translations, how many does each tool flag. Both tools
read the same PO files; pofilter runs with `--language` set to the catalog's locale and
`--nofuzzy`, its default set of checks.

    python -m benchmarks.qa_recall
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from benchmarks.common import REPO, SCRATCH
from tests.qa_corpus import CORPUS, GLOSSARIES
from tilmash.i18n import read_catalog, render_catalog
from tilmash.i18n.checks import CheckContext, check_message

LOCALES = ("kk", "ru", "zh")


def tilmash_flags(entries: list[tuple[str, str, str]], locale: str) -> list[set[str]]:
    """For each (context, source, translation): the names of the checks that fire."""
    context = CheckContext(locale, GLOSSARIES[locale])
    return [
        {check.name for check, _ in check_message(Message(source, translation), context)}
        for _, source, translation in entries
    ]


def pofilter_flags(entries: list[tuple[str, str, str]], locale: str, work: Path) -> list[set[str]]:
    """The same for pofilter: the checks it names in `# (pofilter) NAME:` comments per entry."""
    catalog = Catalog(locale=locale, domain="qa")
    for context, source, translation in entries:
        message = Message(source, translation, context=context)
        message.flags.discard("python-format")  # Babel guesses it; a wrong one would make the file invalid
        catalog[source] = message
    work.mkdir(parents=True, exist_ok=True)
    given, flagged = work / f"{locale}.po", work / f"{locale}.flagged.po"
    given.write_bytes(render_catalog(catalog))
    flagged.unlink(missing_ok=True)
    # A separate process with the scratch directory as working directory: the checkout's
    # top-level `translate/` folder would otherwise shadow translate-toolkit's package.
    subprocess.run(
        [sys.executable, "-m", "translate.filters.pofilter", "--language", locale, "--nofuzzy"]
        + ["--progress", "none", "-i", str(given), "-o", str(flagged)],
        check=True,
        cwd=work,
        capture_output=True,
    )
    by_context: dict[str, set[str]] = {}
    if flagged.exists():
        for message in read_catalog(flagged, locale):
            names = {m.group(1) for c in message.user_comments if (m := re.match(r"\(pofilter\) (\w+)", c))}
            if message.context:
                by_context[message.context] = names
    return [by_context.get(context, set()) for context, _, _ in entries]


def reviewed_examples(locale: str) -> list[tuple[str, str, str]]:
    entries = []
    for path in sorted((REPO / "examples" / "newsroom" / "i18n" / locale).glob("*.po")):
        for message in read_catalog(path, locale):
            if message.id and message.string and not message.fuzzy and isinstance(message.id, str):
                entries.append((f"{path.stem}:{message.context}", message.id, str(message.string)))
    return entries


def main() -> None:
    work = SCRATCH / "qa_recall"
    totals: dict[str, Counter[str]] = {tool: Counter() for tool in ("tilmash", "pofilter")}
    noisy_checks: dict[str, Counter[str]] = {tool: Counter() for tool in ("tilmash", "pofilter")}
    for locale in LOCALES:
        injected = [(f"e{i}", e.source, e.translation) for i, e in enumerate(CORPUS) if e.locale == locale]
        correct = reviewed_examples(locale)
        for tool, flags in (("tilmash", tilmash_flags), ("pofilter", None)):
            if flags is None:
                caught = pofilter_flags(injected, locale, work / "injected")
                noise = pofilter_flags(correct, locale, work / "examples")
            else:
                caught, noise = flags(injected, locale), flags(correct, locale)
            totals[tool]["injected"] += len(injected)
            totals[tool]["caught"] += sum(bool(names) for names in caught)
            totals[tool]["correct"] += len(correct)
            totals[tool]["false positives"] += sum(bool(names) for names in noise)
            for names in noise:
                noisy_checks[tool].update(names)
    print(f"{len(CORPUS)} injected errors (kk, ru, zh); reviewed example entries as the correct set\n")
    print(f"{'tool':10} {'recall':>16} {'false positives':>22}")
    for tool, total in totals.items():
        recall = f"{total['caught']}/{total['injected']} ({total['caught'] / total['injected']:.0%})"
        wrong, right = total["false positives"], total["correct"]
        share = f"{wrong}/{right} ({wrong / right:.0%})"
        print(f"{tool:10} {recall:>16} {share:>22}")
    for tool, counter in noisy_checks.items():
        if counter:
            print(
                f"\n{tool} false positives by check: "
                + ", ".join(f"{n} {c}" for n, c in counter.most_common())
            )


if __name__ == "__main__":
    main()
