"""Quality checks on translated entries: one small function each, every problem with its place.

A check takes the English text, the translation and a `CheckContext` and returns messages;
`CHECKS` lists them with a stable name and a severity. `check_catalog` yields every problem
of a catalog instead of stopping at the first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from tilmash.i18n.entries import is_machine, messages
from tilmash.i18n.pyformat import python_format_placeholders
from tilmash.i18n.terms import term_found, term_pattern
from tilmash.sources.placeholders import PLACEHOLDER_RE, check_placeholders

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_NUMBER = re.compile(r"\d+(?:[.,:\u00a0\u202f ]\d+)*")
_URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:!?)»”]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HALF_WIDTH = re.compile(r"[,:;?!().]")


def _han(char: str) -> bool:
    """A CJK ideograph (compared, not a regex character class: Python compiles a class of 27,000
    code points one by one, 1.5 ms for each occurrence, every run)."""
    return "\u3400" <= char <= "\u9fff"


def _has_han(text: str) -> bool:
    """Whether `text` holds a CJK ideograph. Most text has no character that high, which `max`
    finds in C: kk and ru entries were looked through one character at a time, a Python call
    each (3.7 million for 1,000 articles, about a tenth of a cold run)."""
    return bool(text) and max(text) >= "\u3400" and any(map(_han, text))


def _half_width_next_to_han(text: str) -> bool:
    """Half-width `,:;?!()` before or after a Han character, or `.` after one (not a decimal point)."""
    for match in _HALF_WIDTH.finditer(text):
        at = match.start()
        before = at > 0 and _han(text[at - 1])
        after = text[at + 1 : at + 2]
        if match.group() == ".":
            if before and not after.isdecimal():
                return True
        elif before or (after != "" and _han(after)):
            return True
    return False


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LANGUAGE_NAMES = {"kk": "Kazakh", "ru": "Russian"}
_LATIN = re.compile(r"[A-Za-z]")
_SENTENCE_END = tuple(".!?…。！？:：")
_CLOSERS = "\"'»”’)）」』]"


@dataclass(frozen=True, slots=True)
class CheckContext:
    locale: str  # the newsroom's code: kk, ru, zh
    # glossary: (English term, required translation, variant forms…); a name kept as is
    # has itself as translation
    terms: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    check: str
    severity: str  # "error" or "warning"
    path: Path
    line: int
    message: str
    msgid: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} [{self.check}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "severity": self.severity,
            "file": str(self.path),
            "line": self.line,
            "message": self.message,
            "msgid": self.msgid,
        }


_FORMAT = re.compile(r"%(?:\(\w+\))?[sdif%]")


@lru_cache(maxsize=1024)  # most checks of an entry ask for the same text's words
def _words_only(text: str) -> str:
    """The text without placeholders, python-format fields, URLs and e-mail addresses."""
    if "<" in text:
        text = PLACEHOLDER_RE.sub(" ", text)
    if "%" in text:
        text = _FORMAT.sub(" ", text)
    return _URL.sub(" ", text) if _may_hold_url(text) else text


def _may_hold_url(text: str) -> bool:
    """Every `_URL` match has "://" or "@": most texts need no search for one."""
    return "://" in text or "@" in text


def _term_forms(context: CheckContext) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(English term, its required translation followed by the listed variant forms)."""
    for source, *forms in context.terms:
        yield source, tuple(forms) or (source,)


def check_markup(source: str, translation: str, context: CheckContext) -> list[str]:
    """Placeholders must all be there, in their form, properly nested."""
    return check_placeholders(source, translation)


def check_python_format(source: str, translation: str, context: CheckContext) -> list[str]:
    """Theme strings: `%(tag)s` and `%d` fields are filled in by code and must all stay."""
    expected, found = python_format_placeholders(source), python_format_placeholders(translation)
    if expected == found:
        return []
    missing = [f for f in expected if f not in found]
    extra = [f for f in found if f not in expected]
    return [f"format field {f} is missing" for f in missing] + [f"unknown format field {f}" for f in extra]


# Numbers are compared by value: "1,200" = "1 200" = "1200", "1.3" = "1,3" (by locale),
# "450 million" = "4.5亿" = "450 млн".
_SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "тыс": 10**3,
    "тысяч": 10**3,
    "мың": 10**3,
    "млн": 10**6,
    "миллион": 10**6,
    "млрд": 10**9,
    "миллиард": 10**9,
    "трлн": 10**12,
    "триллион": 10**12,
    "千": 10**3,
    "万": 10**4,
    "百万": 10**6,
    "千万": 10**7,
    "亿": 10**8,
}
_SCALE_WORDS = "|".join(
    sorted((w for w in _SCALES if w.isalpha() and w.isascii() or len(w) > 2), key=len)[::-1]
)
# 千 before 克/米/瓦 is a unit prefix (千克 kilogram), not "thousand".
_SCALE = rf"(?:\s?(百万|千万|千(?![克米瓦焦兆])|[万亿]|(?:{_SCALE_WORDS})(?=[^\W\d_]{{0,3}}\b)))?"
_POINT_NOTATION = re.compile(rf"(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?){_SCALE}")  # en, zh
_COMMA_NOTATION = re.compile(
    rf"(\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?){_SCALE}"
)  # ru, kk
_COMMA_LOCALES = ("ru", "kk")
_DIGIT = re.compile(r"\d")  # every number the notations read starts with one


def _values(text: str, notation: re.Pattern[str]) -> set[Decimal]:
    values = set()
    for match in notation.finditer(text):
        digits, scale = match.group(1), match.group(2)
        if notation is _POINT_NOTATION:
            digits = digits.replace(",", "")
        else:
            digits = re.sub(r"[ \u00a0\u202f]", "", digits).replace(",", ".")
        value = Decimal(digits)
        values.add(value * _SCALES[scale.lower()] if scale else value)
        if not scale and notation is _COMMA_NOTATION and " " in match.group(1).replace("\u00a0", " "):
            values.update(Decimal(part) for part in re.findall(r"\d+", match.group(1)))
    return values


def _number_readings(
    source: str, translation: str, locale: str
) -> tuple[set[Decimal], set[Decimal], set[Decimal]]:
    """Values of the source; of the translation in its locale's notation; in the other notation."""
    native, foreign = (
        (_COMMA_NOTATION, _POINT_NOTATION) if locale in _COMMA_LOCALES else (_POINT_NOTATION, _COMMA_NOTATION)
    )
    english, text = _words_only(source), _words_only(translation)
    return _values(english, _POINT_NOTATION), _values(text, native), _values(text, foreign)


def _shown(value: Decimal) -> str:
    return f"{value.normalize():f}"


# A sign written before a number: a minus (U+2212, the hyphen-minus, or the en dash Russian
# typesetting uses) not glued to a word or number (COVID-19, Ту-154, 2025-2026; Chinese
# glues it to the word before, 冬季−35), or the word for it.
_NOT_GLUED = r"(?<![^\W\u3400-\u9fff]|[.,])"
_MINUS_BEFORE = re.compile(rf"(?:{_NOT_GLUED}[-−–]|(?:[Мм]инус|零下|负)\s?)\Z")
_PLUS_BEFORE = re.compile(rf"{_NOT_GLUED}\+\Z")


def _signs(
    text: str, notations: tuple[re.Pattern[str], ...]
) -> tuple[set[Decimal], set[Decimal], set[Decimal]]:
    """Values of `text` written with a minus before them, with a plus, and with neither."""
    minus: set[Decimal] = set()
    plus: set[Decimal] = set()
    unsigned: set[Decimal] = set()
    for notation in notations:
        for match in notation.finditer(text):
            values = _values(match.group(), notation)
            start = max(0, match.start() - 8)
            if _MINUS_BEFORE.search(text, start, match.start()):
                minus |= values
            elif _PLUS_BEFORE.search(text, start, match.start()):
                plus |= values
            else:
                unsigned |= values
    return minus, plus, unsigned


def _sign_changes(source: str, translation: str, locale: str) -> list[str]:
    """−35 °C translated as +35 °C or 35 °C (a minus a model or a typist dropped); +40 as −40."""
    english = _words_only(source)
    if "+" not in english and not any(minus in english for minus in "-−–"):
        return []
    native = (_COMMA_NOTATION, _POINT_NOTATION) if locale in _COMMA_LOCALES else (_POINT_NOTATION,)
    negative, positive, _ = _signs(english, (_POINT_NOTATION,))
    found_negative, found_positive, found_unsigned = _signs(_words_only(translation), native)
    problems = [
        f"number −{_shown(n)} of the source lost its minus sign"
        for n in sorted(negative - found_negative)
        if n in found_positive or n in found_unsigned
    ]
    problems += [
        f"number +{_shown(n)} of the source became negative"
        for n in sorted(positive & found_negative)
        if n not in found_positive and n not in found_unsigned
    ]
    return problems


# Months: the English name (May only beside a day or year: "may" is a verb) and how each
# locale writes it, in any case form (сентября, қыркүйекте, 9月, 九月). A translation that names
# another month and not the source's has changed the date (the day, a number, is still there).
_ENGLISH_MONTHS = (
    "January February March April May June July August September October November December".split()
)
_ENGLISH_MONTH = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"
    r"|(?<=\d )May\b|\bMay(?= \d)"
)
_SOFT = "(?:ь|я|е|ю|ём|ем)"  # сентябрь, сентября, в сентябре, к сентябрю, сентябрём
_HARD = "(?:а|е|у|ом)?"  # март, марта, в марте
_MONTH_NAMES = {  # per locale, one pattern per month; Kazakh names take any ending (қыркүйекте)
    "ru": [
        *(f"{stem}{_SOFT}" for stem in ("январ", "феврал")),
        f"март{_HARD}",
        f"апрел{_SOFT}",
        "ма(?:й|я|е|ю|ем)",
        *(f"{stem}{_SOFT}" for stem in ("июн", "июл")),
        f"август{_HARD}",
        *(f"{stem}{_SOFT}" for stem in ("сентябр", "октябр", "ноябр", "декабр")),
    ],
    "kk": [
        f"{stem}[а-яәғқңөұүһі]*"
        for stem in (
            "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split()
        )
    ],
}
_MONTH_WORDS = {
    locale: [re.compile(rf"(?<![^\W\d_]){name}(?![^\W\d_])", re.IGNORECASE) for name in names]
    for locale, names in _MONTH_NAMES.items()
}
_CHINESE_MONTH = re.compile(r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月")
_CHINESE_MONTH_NUMBERS = {
    name: n for n, name in enumerate("一 二 三 四 五 六 七 八 九 十 十一 十二".split(), 1)
}


def _months(translation: str, locale: str) -> set[int]:
    """The months (1–12) a translation names (none for a locale whose names are not known)."""
    if locale == "zh":
        return {
            int(n) if n.isdigit() else _CHINESE_MONTH_NUMBERS[n] for n in _CHINESE_MONTH.findall(translation)
        }
    return {n for n, name in enumerate(_MONTH_WORDS.get(locale, ()), 1) if name.search(translation)}


def _month_changes(source: str, translation: str, locale: str) -> list[str]:
    """`12 September` translated as `12 октября`: the day is there, the month is another."""
    if not any(month in source for month in _ENGLISH_MONTHS):  # most units name none: no regex scan
        return []
    expected = {_ENGLISH_MONTHS.index(m.group(1) or "May") + 1 for m in _ENGLISH_MONTH.finditer(source)}
    if not expected:
        return []
    named = _months(translation, locale)
    if not named or not named - expected:
        return []  # no month written as a name (12.09.2026), or only the source's
    return [
        f"month {_ENGLISH_MONTHS[n - 1]} of the source is missing or changed"
        for n in sorted(expected - named)
    ]


def check_numbers(source: str, translation: str, context: CheckContext) -> list[str]:
    """Every number of the source has the same value in the translation, and the same sign;
    every month it names is the month the translation names."""
    months = _month_changes(source, translation, context.locale)
    if not _DIGIT.search(source):
        return months  # no number to lose (most paragraphs): skip reading both texts' numbers
    expected, native, foreign = _number_readings(source, translation, context.locale)
    return (
        [
            f"number {_shown(n)} of the source is missing or changed"
            for n in sorted(expected)
            if n not in native and n not in foreign
        ]
        + _sign_changes(source, translation, context.locale)
        + months
    )


def check_number_format(source: str, translation: str, context: CheckContext) -> list[str]:
    """ru and kk write 1,3 and 1 200; a number in another locale's notation is a slip."""
    if not _DIGIT.search(source):
        return []
    expected, native, foreign = _number_readings(source, translation, context.locale)
    hint = "1,3 and 1 200" if context.locale in _COMMA_LOCALES else "1.3 and 1,200"
    return [
        f"number {_shown(n)} is written in another locale's notation (write {hint})"
        for n in sorted(expected)
        if n not in native and n in foreign
    ]


def check_urls(source: str, translation: str, context: CheckContext) -> list[str]:
    """URLs and e-mail addresses are copied exactly."""
    if not _may_hold_url(source):
        return []
    return [f"{url} is missing or changed" for url in _URL.findall(source) if url not in translation]


def check_glossary(source: str, translation: str, context: CheckContext) -> list[str]:
    """A glossary term in the source has its translation, in any case or inflected form."""
    return [
        f"glossary: “{term}” should be “{forms[0]}”"
        for term, forms in _term_forms(context)
        if term_found(source, (term,)) and not term_found(translation, forms)
    ]


def check_untranslated(source: str, translation: str, context: CheckContext) -> list[str]:
    """A translation identical to the English is usually a copy, not a translation."""
    words = [w for w in _words_only(source).split() if any(c.isalpha() for c in w)]
    keep = {term for term, forms in _term_forms(context) if term in forms}
    if translation.strip() == source.strip() and len(words) > 1 and source.strip() not in keep:
        return ["the translation is identical to the English text"]
    return []


def _without_terms(text: str, context: CheckContext) -> str:
    for _term, forms in _term_forms(context):
        for form in forms:
            text = term_pattern(form).sub(" ", text) if form.strip() else text
    return text


# Common characters written only in Traditional Chinese (each has a different Simplified form,
# as OpenCC's t2s says; none is also a Simplified character): a translator from Taiwan or Hong
# Kong typing 實驗室 for 实验室 in the zh (Simplified) catalog.
_TRADITIONAL_ONLY = frozenset(
    "這們個來時會說實學國對發經動開關書電話東車長門問間聽見親認語讀頭點體樂愛無與從過還進運邊區員報場變現"
    "當種樣機應總萬氣將陽號類歡網華衛論議質術紀級組結給統續維線練紅約紙風飛馬魚鳥廣臺灣歲業並產專傳驗題"
    "資設計參費務導師視環幾確雲歷園獎築態齡億農層縣鐘島響熱願"
)


def check_script(source: str, translation: str, context: CheckContext) -> list[str]:
    """kk and ru are written in Cyrillic, zh in Han characters."""
    text = _without_terms(_words_only(translation), context)
    problems = []
    if context.locale in ("kk", "ru"):
        latin = len(_LATIN.findall(text))
        if latin and latin > sum(map(str.isalpha, text)) / 2:
            problems.append("most letters are Latin: is this translated into the right language?")
        if _has_han(text) and not _has_han(source):
            problems.append(f"Chinese characters in a {_LANGUAGE_NAMES[context.locale]} translation")
    if context.locale == "zh":
        if not _has_han(text) and any(map(str.isalpha, text)):
            problems.append("no Chinese characters")
        if _CYRILLIC.search(text):
            problems.append("Cyrillic letters in a Chinese translation")
        traditional = "".join(dict.fromkeys(c for c in text if c in _TRADITIONAL_ONLY and c not in source))
        if traditional:
            problems.append(
                f"Traditional Chinese characters {' '.join(traditional)} in a Simplified Chinese catalog"
            )
    return problems


_WORD = re.compile(r"[^\W\d_]+")


# Latin letters beyond ASCII that stand in for Cyrillic ones: `ə` (U+0259) and `ɵ` for Kazakh
# `ә` and `ө` (an Azerbaijani or IPA keyboard), `ı` for `і`, `ŋ` for `ң`, `ë` for Russian `ё`.
_ANY_LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1e00-\u1eff]")


def check_mixed_script(source: str, translation: str, context: CheckContext) -> list[str]:
    """Latin look-alikes inside Cyrillic words (`дepeктepі`, `ɵседі`) and the reverse: one error per word."""
    text = _words_only(translation)
    if not (_ANY_LATIN.search(text) and _CYRILLIC.search(text)):
        return []  # a word cannot mix scripts the whole text does not
    words = dict.fromkeys(w for w in _WORD.findall(text) if _ANY_LATIN.search(w) and _CYRILLIC.search(w))
    return [f"“{word}” mixes Latin and Cyrillic letters" for word in words]


# Russian function words Kazakh does not use; "не", "а" and "о" are Kazakh words too.
RUSSIAN_WORDS = frozenset(
    "и в во на с со что чтобы будет будут для по от это как из к ко за при также или но "
    "который которая которое которые которых его её их был была было были уже только после "
    "между через под над без так все всё этот эта эти этого году года".split()
)
_MIN_KAZAKH_SHARE = 0.02  # reviewed kk text in examples/: at least 2.8 % of Cyrillic letters
# ru: a fifth of the words with Kazakh letters is Kazakh text (Django's Kazakh catalog: 151 of
# its 158 entries of 3+ words; none of 1,153 Russian entries of Django and examples/).
_MAX_KAZAKH_WORD_SHARE_RU = 0.2


def _kazakh_in_russian(text: str) -> list[str]:
    """Words with Kazakh letters, when there are enough of them for Kazakh text (names are capitalised:
    two of them in a short Russian sentence are not enough)."""
    if KAZAKH_LETTERS.isdisjoint(text):  # most Russian text: no word to look at one by one
        return []
    words = [w for w in _WORD.findall(text) if _CYRILLIC.search(w)]
    kazakh = [w for w in words if not KAZAKH_LETTERS.isdisjoint(w)]
    if len(kazakh) >= 2 and len(kazakh) >= len(words) * _MAX_KAZAKH_WORD_SHARE_RU:
        return kazakh if any(w[0].islower() for w in kazakh) else []
    return []


def check_language(source: str, translation: str, context: CheckContext) -> list[str]:
    """kk: Russian text, or Kazakh typed with Russian letters (қ→к, ү→у, ә→а …); ru: Kazakh text."""
    if context.locale not in ("kk", "ru"):
        return []
    text = _without_terms(_words_only(translation), context)
    if context.locale == "ru":
        kazakh_words = _kazakh_in_russian(text)
        if kazakh_words:
            return [
                f"Kazakh words ({', '.join(dict.fromkeys(kazakh_words[:4]))}) in a Russian translation: "
                "is this Kazakh?"
            ]
        return []
    cyrillic = _CYRILLIC.findall(text)
    kazakh = sum(text.count(letter) for letter in KAZAKH_LETTERS)  # all of them Cyrillic
    russian = [w for w in _WORD.findall(text.lower()) if w in RUSSIAN_WORDS]
    if russian and kazakh <= len(cyrillic) * _MIN_KAZAKH_SHARE:
        return [
            f"Russian words ({', '.join(dict.fromkeys(russian))}) and no Kazakh letters: is this Russian?"
        ]
    if len(cyrillic) >= 25 and kazakh < len(cyrillic) * _MIN_KAZAKH_SHARE:
        return [
            f"{kazakh} Kazakh letters (ә ғ қ ң ө ұ ү һ і) in {len(cyrillic)}: "
            "Russian text, or Kazakh typed with Russian letters?"
        ]
    return []


_LATIN_WORD = re.compile(r"(?<![\w.@-])[A-Za-z]+(?:'[a-z]+)?(?![\w@-]|\.\w)")


def check_english_word(source: str, translation: str, context: CheckContext) -> list[str]:
    """kk, ru: an English word left inside the translation (names and glossary terms excepted).

    A Latin word is a leftover when it is in lower case, or when the source has it in lower
    case; names and acronyms are capitalised in the source and pass.
    """
    if context.locale not in ("kk", "ru"):
        return []
    text = _without_terms(_words_only(translation), context)
    if not _CYRILLIC.search(text):
        return []  # wholly Latin: the script check speaks
    common = {w for w in _WORD.findall(_words_only(source)) if w.islower()}
    leftovers = [
        w
        for w in _LATIN_WORD.findall(text)
        if len(w) >= 2 and (w.islower() and len(w) >= 3 or w.lower() in common)
    ]
    return [f"English word “{w}” left in the translation" for w in dict.fromkeys(leftovers)]


_FULL_WIDTH = frozenset("，。、：；？！（）「」『』《》【】～")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")  # zero-width characters, soft hyphen
# Bidirectional controls (U+202E turns the rest of a line around on the page: what the reader
# sees is not the text the editor read) and the line and paragraph separators U+2028/U+2029.
_INVISIBLE |= frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE |= frozenset("\u2028\u2029")
_DOUBLED_SPACE = re.compile("[ \u00a0\u202f]{2}")  # a no-break space doubled, or beside a space


def check_punctuation(source: str, translation: str, context: CheckContext) -> list[str]:
    """Full-width punctuation in Chinese, none in Russian and Kazakh; «» quotation marks there; quotation
    marks that are not closed (unless the English leaves one open: a quotation over several paragraphs)."""
    text = _words_only(translation)
    closed = source.count('"') % 2 == 0 and source.count("“") == source.count("”")
    problems = []
    if context.locale == "zh":
        if _half_width_next_to_han(text):
            problems.append("half-width punctuation next to Chinese text: use ，。：；？！（）")
        if '"' in text:
            problems.append('straight quotes "…" in Chinese text: use “…”')
        if closed and text.count("“") != text.count("”"):
            problems.append("unbalanced quotation marks “…”")
    elif context.locale in ("kk", "ru"):
        if re.search(r'"[^"]+"|“[^”]+”', text):
            problems.append("quotation marks: use «…» in Russian and Kazakh")
        if closed and text.count("«") != text.count("»"):
            problems.append("unbalanced quotation marks «…»")
        full_width = dict.fromkeys(c for c in text if c in _FULL_WIDTH)
        if full_width:
            problems.append(
                f"Chinese punctuation {' '.join(full_width)} in {_LANGUAGE_NAMES[context.locale]} text"
            )
    return problems


def check_spacing(source: str, translation: str, context: CheckContext) -> list[str]:
    """Doubled, leading or trailing spaces; invisible characters (a zero-width space from a web page)."""
    problems = [
        f"invisible character U+{ord(c):04X} ({unicodedata.name(c).lower()})"
        for c in dict.fromkeys(translation)
        if c in _INVISIBLE and c not in source
    ]
    breaks = [c for c in dict.fromkeys(translation.strip()) if c in "\t\n\r" and c not in source]
    if breaks:
        problems.append("a line break or tab the English does not have (a page shows it as a space)")
    if _DOUBLED_SPACE.search(translation.strip()):
        problems.append("doubled space")
    if translation != translation.strip() and source == source.strip():
        problems.append("leading or trailing space")
    return problems


def check_final_punctuation(source: str, translation: str, context: CheckContext) -> list[str]:
    """A sentence that ends with a full stop in English ends with one in translation too."""

    def ending(text: str) -> str:
        return PLACEHOLDER_RE.sub("", text).rstrip().rstrip(_CLOSERS)

    if (
        ending(source).endswith(_SENTENCE_END)
        and translation.strip()
        and not ending(translation).endswith(_SENTENCE_END)
    ):
        return ["the sentence-final punctuation of the source is missing"]
    return []


# Translation length / English length of reviewed units (20+ characters) in examples/:
# kk 0.76–1.30, ru 0.64–1.35, zh 0.13–0.57. The bounds leave a margin around what
# translators write and catch a dropped sentence or a run-away machine translation.
LENGTH_RATIOS = {"kk": (0.6, 1.8), "ru": (0.55, 1.8), "zh": (0.1, 0.8)}
_DEFAULT_RATIO = (0.4, 3.0)
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"'“‘«(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")


def check_length(source: str, translation: str, context: CheckContext) -> list[str]:
    """Far shorter or longer than the source: a truncated or run-away translation."""
    english, translated = len(_words_only(source).strip()), len(_words_only(translation).strip())
    low, high = LENGTH_RATIOS.get(context.locale, _DEFAULT_RATIO)
    if english >= 20 and translated and not low <= translated / english <= high:
        return [
            f"length is {translated / english:.2f}× the source's "
            f"(expected {low}–{high}× for {context.locale})"
        ]
    sentences = len(_SENTENCE_BREAK.findall(source.strip())) + 1
    kept = len(_SENTENCE_BREAK.findall(translation.strip())) + 1
    if context.locale in _COMMA_LOCALES and sentences > 1 and kept < sentences and translated:
        return [f"the source has {sentences} sentences, the translation {kept}: truncated?"]
    return []


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    severity: str
    run: Callable[[str, str, CheckContext], list[str]]
    description: str


CHECKS: tuple[Check, ...] = (
    Check(
        "markup", "error", check_markup, "placeholders <1>…</1> / <2/> missing, added, broken or misnested"
    ),
    Check("python-format", "error", check_python_format, "format fields %(tag)s / %d missing or added"),
    Check(
        "numbers",
        "error",
        check_numbers,
        "a number dropped or changed in value (1.3 ≠ 1,4; 450 million = 4.5亿)",
    ),
    Check(
        "number-format", "warning", check_number_format, "number in another locale's notation (1.3 in ru/kk)"
    ),
    Check("urls", "error", check_urls, "URLs or e-mail addresses changed"),
    Check("glossary", "warning", check_glossary, "glossary term not respected (in any inflected form)"),
    Check("untranslated", "warning", check_untranslated, "translation identical to the English text"),
    Check("script", "error", check_script, "wrong script for the locale (kk/ru Cyrillic, zh Simplified Han)"),
    Check(
        "mixed-script",
        "error",
        check_mixed_script,
        "Latin look-alike letters in a Cyrillic word or the reverse",
    ),
    Check(
        "language",
        "error",
        check_language,
        "kk: Russian text, or Kazakh typed with Russian letters; ru: Kazakh text",
    ),
    Check("english-word", "warning", check_english_word, "kk/ru: an English word left in the translation"),
    Check(
        "punctuation",
        "warning",
        check_punctuation,
        "punctuation that does not fit the locale (full-width in zh only, «» in ru/kk), quotes not closed",
    ),
    Check("spacing", "warning", check_spacing, "doubled, leading or trailing spaces, invisible characters"),
    Check("final-punctuation", "warning", check_final_punctuation, "sentence-final punctuation lost"),
    Check("length", "warning", check_length, "length ratio out of the locale's range, or sentences dropped"),
    Check(
        "fuzzy",
        "warning",
        lambda s, t, c: [],
        "fuzzy entries (machine output or changed source) still present",
    ),
)


def check_message(message: Message, context: CheckContext) -> Iterator[tuple[Check, str]]:
    """(check, message) for every problem of one translated entry."""
    if not message.id or not isinstance(message.id, str) or not message.string:
        return
    for check in CHECKS:
        for text in check.run(message.id, str(message.string), context):
            yield check, text
    if message.fuzzy:
        yield (
            CHECKS[-1],
            "fuzzy: not reviewed yet" + (" (machine translation)" if is_machine(message) else ""),
        )


def check_catalog(catalog: Catalog, path: Path, context: CheckContext) -> Iterator[Problem]:
    for message in messages(catalog):
        for check, text in check_message(message, context):
            yield Problem(check.name, check.severity, path, message.lineno or 0, text, str(message.id))
