"""Synthetic newsrooms the benchmarks build: Markdown stories, optionally reviewed in kk, ru and zh."""

from __future__ import annotations

import random
import re
from pathlib import Path

from benchmarks.common import WORDS, news_body, paragraph
from tilmash.i18n import article_template, render_catalog, sync_catalog
from tilmash.parallel import available_cores, fork_map
from tilmash.sources import parse_article

LOCALES = {"kk": "kk", "ru": "ru", "zh": "zh_Hans"}
ENGLISH = (*WORDS, "story", "number", "bold", "see", "the", "report", "details")
# A word-for-word rendering of the generator's vocabulary, so that the reviewed catalogs
# pass the publish gate's QA checks (script, language, leftover English) like real ones.
VOCABULARY = {
    "kk": "университеті ғылыми-іздеу білімгерлер сынақхана қаржы бөлім басұстаз кеңес қуат су мұздық "
    "серік кітапхана химия дәрігерлік әріптестер келісім бағдарлама ғылым мәліметтер жаңалық нөмірі "
    "қалың қараңыз осы есеп толығырақ",
    "ru": "университет исследование студенты лаборатория грант факультет ректор конференция энергия вода "
    "ледник спутник библиотека химия медицина партнёры соглашение программа наука данные новость номер "
    "жирный смотрите этот отчёт подробности",
    "zh": "大学 研究 学生 实验室 资助 学院 校长 会议 能源 水 冰川 卫星 图书馆 化学 医学 "
    "伙伴 协议 项目 科学 数据 新闻 第 粗体 见 该 报告 详情",
}
WORD_RE = re.compile(r"[A-Za-z]+")


def translated(text: str, code: str) -> str:
    """`text` in `code` word for word; placeholders, numbers, punctuation and sentences kept."""
    words = dict(zip(ENGLISH, VOCABULARY[code].split(), strict=True))
    result = WORD_RE.sub(lambda m: words.get(m.group().lower(), m.group()), text)
    if code == "zh":
        result = (
            re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", result).replace(".", "。").replace(",", "，")
        )
    return re.sub(r"(^|\. )(\w)", lambda m: m.group(1) + m.group(2).upper(), result)


def article_markdown(index: int, rng: random.Random) -> tuple[str, str, str, list[str]]:
    """Title, date, Markdown body (bold text and a link included) and two tags of story `index`."""
    paragraphs = [paragraph(rng) for _ in range(8)]
    paragraphs[1] = (
        paragraphs[1].replace(" ", " **bold** ", 1) + " See [the report](https://example.org/report)."
    )
    body = news_body(paragraphs)
    date = f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}"
    tags = [rng.choice(WORDS), rng.choice(WORDS)]
    return f"Story number {index}", date, body, tags


def story_name(index: int) -> str:
    return f"story-{index:05d}.md"


def story_source(title: str, date: str, body: str, tags: list[str]) -> str:
    return (
        f"---\ntitle: {title}\ndate: {date}\nauthor: Press Office\ntags: [{', '.join(tags)}]\n---\n{body}\n"
    )


def config(locales: list[str]) -> str:
    return (
        '[site]\ntitle = "Newsroom"\nbase_url = "https://news.example/"\nsource_language = "en"\n'
        f'locales = {locales!r}\n[engines]\ndefault = "none"\n'.replace("'", '"')
    )


def _review(path: Path, root: Path) -> None:
    article = parse_article(path, path.read_bytes(), path.stem)
    template = article_template(article, f"sources/{path.name}")
    for code, babel in LOCALES.items():
        catalog = sync_catalog(template, None, babel)
        for message in catalog:
            if message.id:
                message.string = translated(message.id, code)
        (root / "i18n" / code / f"{article.slug}.po").write_bytes(render_catalog(catalog))


def reviewed_catalogs(root: Path, paths: list[Path] | None = None) -> None:
    """Every article (or those at `paths`) fully reviewed in kk, ru and zh: all four locales publish it."""
    for code in LOCALES:
        (root / "i18n" / code).mkdir(parents=True, exist_ok=True)
    todo = sorted((root / "sources").glob("*.md")) if paths is None else paths
    fork_map(lambda path: _review(path, root), todo, available_cores())


def make_newsroom(root: Path, count: int, reviewed: bool = True, seed: int = 11) -> None:
    """`count` stories in sources/, a tilmash.toml with kk, ru, zh, and (if `reviewed`) their catalogs."""
    rng = random.Random(seed)
    (root / "sources").mkdir(parents=True)
    for index in range(count):
        (root / "sources" / story_name(index)).write_text(
            story_source(*article_markdown(index, rng)), encoding="utf-8"
        )
    (root / "tilmash.toml").write_text(config(list(LOCALES)), encoding="utf-8")
    if reviewed:
        reviewed_catalogs(root)
