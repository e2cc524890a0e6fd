"""Injected translation errors in kk, ru and zh, one per entry, each with the check that must catch it.

Written for Tilmash's QA tests and benchmarks/qa_recall.py (which runs pofilter on the same
entries). Every translation below is wrong in exactly the way its `check` names; the rest
of the sentence is a correct translation, so any other problem reported is noise.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Injected:
    check: str  # the Tilmash check that must report it
    locale: str
    source: str
    translation: str
    note: str  # what is wrong, for reports


# Realistic glossaries for the example newsroom's articles (dictionary forms; a name kept as
# is has itself as translation). A checker must accept every reviewed example entry with them.
GLOSSARIES: dict[str, tuple[tuple[str, ...], ...]] = {
    "ru": (
        ("laboratory", "лаборатория"),
        ("Ministry of Science and Higher Education", "Министерство науки и высшего образования"),
        ("nanosatellite", "наноспутник"),
        ("Alatau University of Science", "Алатауский университет науки"),
        ("glacier", "ледник"),
        ("Tarlan", "Тарлан"),
        ("Tilmash", "Tilmash"),
    ),
    "kk": (
        ("laboratory", "зертхана"),
        ("nanosatellite", "наноспутник"),
        ("Alatau University of Science", "Алатау ғылым университеті"),
        ("glacier", "мұздық"),
        ("Tilmash", "Tilmash"),
    ),
    "zh": (
        ("laboratory", "实验室"),
        ("nanosatellite", "纳米卫星"),
        ("glacier", "冰川"),
        ("Tilmash", "Tilmash"),
    ),
}

CORPUS: tuple[Injected, ...] = (
    # Latin look-alike letters inside Cyrillic words, and the reverse.
    Injected(
        "mixed-script",
        "kk",
        "The director of the laboratory spoke.",
        "Зертхана дepeктopы сөз сөйледі.",
        "e, p, o Latin",
    ),
    Injected("mixed-script", "kk", "Read more on the website.", "Толығырақ caйтындa оқыңыз.", "c, a Latin"),
    Injected("mixed-script", "ru", "The team collected samples.", "Кoманда собрала образцы.", "o Latin"),
    Injected(
        "mixed-script",
        "ru",
        "The course is free.",
        "Курс бесплатный, сайт Tilmаsh.",
        "а Cyrillic in a Latin name",
    ),
    Injected("mixed-script", "ru", "Students built the satellite.", "Студенты построили cпутник.", "c Latin"),
    Injected(
        "mixed-script",
        "zh",
        "The Tarlan satellite is in orbit.",
        "Тarlan卫星已进入轨道。",
        "Т Cyrillic in a Latin name",
    ),
    # Russian in a kk catalog, and Kazakh typed with Russian letters.
    Injected("language", "kk", "What the laboratory will study", "Что будет изучать лаборатория", "Russian"),
    Injected("language", "kk", "Entry is free.", "Вход для всех свободный и бесплатный.", "Russian"),
    Injected(
        "language",
        "kk",
        "New solar energy laboratory opens on campus",
        "Кампуста кун энергетикасынын жана зертханасы ашылды",
        "қ ү ң ә → к у н а",
    ),
    Injected(
        "language",
        "kk",
        "Data from the satellite will be open to schools and researchers.",
        "Спутник деректери мектептер мен зерттеушилерге ашык болады.",
        "і қ → и к",
    ),
    Injected(
        "language",
        "kk",
        "The project unites three institutions and two museums.",
        "Жоба уш уйымды жане еки муражайды бириктиреди.",
        "ү ұ ә і → у у а и",
    ),
    Injected("language", "kk", "Lessons are available online.", "Уроки доступны в интернете.", "Russian"),
    # One English word left inside a kk/ru sentence.
    Injected(
        "english-word", "ru", "The team will study the glaciers.", "Команда изучит glaciers.", "glaciers"
    ),
    Injected(
        "english-word",
        "ru",
        "Teachers receive a certificate.",
        "Учителя получают certificate.",
        "certificate",
    ),
    Injected("english-word", "kk", "The library opens at night.", "Кітапхана түнде opens.", "opens"),
    Injected("english-word", "kk", "Register on the website.", "Website сайтында тіркеліңіз.", "Website"),
    Injected(
        "english-word", "ru", "The workshop is for teenagers.", "Мастерская для teenagers.", "teenagers"
    ),
    # Decimal separators: ru and kk write 1,3 and 1 200.
    Injected("number-format", "ru", "It weighs 1.3 kilograms.", "Он весит 1.3 килограмма.", "1.3"),
    Injected("number-format", "kk", "It weighs 2.5 kilograms.", "Салмағы 2.5 килограмм.", "2.5"),
    Injected(
        "number-format", "ru", "The grant is 1,200 dollars.", "Грант составляет 1,200 долларов.", "1,200"
    ),
    Injected("number-format", "kk", "About 2,500 visitors came.", "Шамамен 2,500 келуші келді.", "2,500"),
    # A number that changed value.
    Injected("numbers", "ru", "It weighs 1.3 kilograms.", "Он весит 1,4 килограмма.", "1.3 → 1,4"),
    Injected("numbers", "kk", "The team will collect 120 species.", "Топ 12 түр жинайды.", "120 → 12"),
    Injected("numbers", "zh", "A grant of 450 million tenge.", "45亿坚戈的资助。", "450 million → 45亿"),
    Injected(
        "numbers", "ru", "A grant of 450 million tenge.", "Грант в 45 млн тенге.", "450 million → 45 млн"
    ),
    Injected(
        "numbers", "kk", "The satellite weighs 1.3 kilograms.", "Спутниктің салмағы 13 килограмм.", "1.3 → 13"
    ),
    # zh: ASCII punctuation next to Han characters.
    Injected("punctuation", "zh", "Programme: talks and workshops.", "日程:讲座和工作坊。", ":"),
    Injected("punctuation", "zh", "Entry is free, but places are limited.", "免费入场,但名额有限。", ","),
    Injected("punctuation", "zh", "What will the laboratory study?", "实验室将研究什么?", "?"),
    Injected("punctuation", "zh", "The satellite (Tarlan) is in orbit.", "卫星(塔尔兰)已进入轨道。", "( )"),
    Injected("punctuation", "zh", "Lessons are online; entry is free.", "课程在线上;免费参加。", ";"),
    Injected("punctuation", "zh", "Welcome!", "欢迎!", "!"),
    # Truncation: a sentence or half of one dropped.
    Injected(
        "length",
        "ru",
        "The course lasts six weeks. Lessons are available in Kazakh, Russian and English.",
        "Курс длится шесть недель.",
        "second sentence dropped",
    ),
    Injected(
        "length",
        "kk",
        "The satellite weighs little. It will photograph glaciers of the Tian Shan for two years.",
        "Спутник жеңіл.",
        "second sentence dropped",
    ),
    Injected(
        "length",
        "zh",
        "Researchers will measure how panels perform between winter and summer in the steppe.",
        "研究人员将测量。",
        "cut short",
    ),
    Injected(
        "length",
        "ru",
        "Researchers will measure how the panels perform in the harsh winter of the northern steppe.",
        "Исследователи измерят, как",
        "cut mid-sentence",
    ),
    Injected(
        "length",
        "kk",
        "Speakers agreed that the glaciers have lost about a quarter of their area since the war.",
        "Баяндамашылар келісті",
        "cut mid-sentence",
    ),
    # UI catalogs: python-format fields.
    Injected(
        "python-format", "ru", "Page %(number)s of %(count)s", "Страница %(number)s из %(total)s", "renamed"
    ),
    Injected("python-format", "kk", "Articles tagged “%(tag)s”", "Тегі бар мақалалар", "dropped"),
    Injected("python-format", "zh", "Page %(number)s of %(count)s", "第%(number)d页", "changed, dropped"),
    # Glossary terms, with the realistic glossaries above.
    Injected(
        "glossary",
        "ru",
        "The nanosatellite reached orbit.",
        "Микроспутник вышел на орбиту.",
        "наноспутник expected",
    ),
    Injected(
        "glossary",
        "ru",
        "Glaciers of the Tian Shan are shrinking.",
        "Снежники Тянь-Шаня сокращаются.",
        "ледник expected",
    ),
    Injected("glossary", "kk", "The laboratory opened.", "Орталық ашылды.", "зертхана expected"),
    Injected("glossary", "zh", "The laboratory opened.", "研究中心开幕了。", "实验室 expected"),
    # Markup, URLs, untranslated copies, quotes: the classic classes stay covered.
    Injected("markup", "kk", "Read the <1>report</1>.", "<1>Баяндаманы оқыңыз.", "closing tag lost"),
    Injected(
        "urls", "ru", "See https://alatau.example/news.", "См. https://alatau.example/new.", "URL changed"
    ),
    Injected("untranslated", "zh", "The laboratory opened today.", "The laboratory opened today.", "copy"),
    Injected("punctuation", "ru", "He said “yes”.", "Он сказал “да”.", "quotes"),
    Injected(
        "script", "zh", "Students presented their projects.", "Студенты представили проекты.", "Russian"
    ),
)
