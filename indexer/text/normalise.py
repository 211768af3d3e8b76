"""Normalise document and query text: width folding, OCR-space repair, search form.

Parts, in the order they run:

* ``fold`` — NFKC width folding (full-width digits and letters, compatibility
  ideographs, Kangxi radicals) that keeps the common Chinese punctuation
  (，：；！？（）) as it is, so the display text still reads as Chinese.
* ``repair_spaces`` — removes the spaces OCR leaves between Chinese characters
  (十九 大, 着 力点) and inside numbers with units (96.9 %).
* ``normalise_text`` — both, plus line clean-up; this is the *display* text that
  is stored and shown.
* ``search_form`` — a character-for-character copy of display text used for
  matching (lower case, traditional → simplified), so an offset found in the
  search form is the same offset in the display text and highlights land on the
  right characters.
* ``numeral_variants`` — a query with its number before a measure word written the
  other way (两公里 ↔ 2公里), the numerals read by ``indexer.text.numerals``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from indexer.text import numerals

# Chinese punctuation that NFKC would turn into ASCII; the display keeps it.
_KEEP_PUNCTUATION = set("，：；！？（）")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff0c\uff1a\uff1b\uff01\uff1f\uff08\uff09\u2018-\u201f"
_UNIT_AFTER_NUMBER = r"%‰℃"

# One space between two CJK characters or a CJK character and a digit (OCR), or
# up to three between a number and its unit; two or more spaces between Chinese
# phrases are a deliberate gap (titles: 适应新常态  彰显新作为) and become one.
_SPACE_BETWEEN = re.compile(
    rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u00a0](?=[{_CJK}{_CJK_PUNCT}0-9])"
    rf"|(?<=[0-9])[ \t\u00a0]{{1,3}}(?=[{_CJK}{_UNIT_AFTER_NUMBER}])"
    rf"|(?<=[0-9.])[ \t\u00a0](?=[.][0-9])"
)
_WIDE_GAP = re.compile(r"[ \t\u00a0\u3000]{2,}")
_LINE_NOISE = re.compile(r"[\u200b-\u200f\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@functools.lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Build the str.translate table for width folding (computed once)."""
    table: dict[int, str] = {}
    ranges = [
        (0x3000, 0x3000),  # ideographic space
        (0xFF01, 0xFF5E),  # full-width ASCII
        (0x2F00, 0x2FDF),  # Kangxi radicals (OCR writes ⼯ for 工)
        (0x2E80, 0x2EFF),  # CJK radicals supplement
        (0xF900, 0xFAFF),  # CJK compatibility ideographs
        (0x2160, 0x217F),  # Roman numerals Ⅱ → II
        (0x00A0, 0x00A0),
    ]
    for low, high in ranges:
        for code in range(low, high + 1):
            char = chr(code)
            if char in _KEEP_PUNCTUATION:
                continue
            folded = unicodedata.normalize("NFKC", char)
            if folded != char:
                table[code] = folded
    return table


def fold(text: str) -> str:
    """Fold full-width and compatibility characters to their plain forms."""
    return text.translate(_fold_table())


_NUMBERED_MARK = re.compile(r"第[一二三四五六七八九十百千零〇两\d]{1,6}[条章节编款篇]$")


def _drop_space(match: re.Match) -> str:
    # "第一条 为了…" keeps its space: it separates the article number from the text.
    before = match.string[max(0, match.start() - 10) : match.start()]
    return " " if _NUMBERED_MARK.search(before) else ""


def repair_spaces(text: str) -> str:
    """Remove OCR spaces inside Chinese text and numbers; shrink wide gaps."""
    text = _SPACE_BETWEEN.sub(_drop_space, text)
    return _WIDE_GAP.sub(" ", text)


def normalise_line(line: str) -> str:
    """Return the display form of one line of text."""
    line = _LINE_NOISE.sub("", line)
    return repair_spaces(fold(line)).strip()


def normalise_text(text: str) -> str:
    """Return display text: folded, OCR spaces repaired, one line per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(normalise_line(line) for line in text.split("\n"))


@functools.lru_cache(maxsize=1)
def _search_table() -> dict[int, str]:
    """Map traditional characters to simplified ones, one character each."""
    from indexer.text import lexicon

    table = {ord(trad): simp for trad, simp in lexicon.traditional_to_simplified().items()}
    # str.lower() may change a string's length (İ → i̇); only ASCII is lowered.
    table.update({code: chr(code + 32) for code in range(ord("A"), ord("Z") + 1)})
    return table


@functools.lru_cache(maxsize=64)
def search_form(text: str) -> str:
    """Return the matching form of display text, aligned character for character.

    The last few are kept: a passage's text is read by its word channel and its bigram channel in turn.
    """
    return text.translate(_search_table())


def normalise_query(text: str) -> str:
    """Return the search form of what a user typed."""
    return search_form(normalise_text(text)).strip()


_MEASURE = (
    "公里|千米|平方米|公顷|米|个|家|人次|人|名|元|年|次|项|天|小时|月|周|岁|倍|户|场|期|所|批|支|条|份|套|台|辆|处|座|"
    "间|位|种|类|级|件|本|张|篇|部|亩|吨|公斤|千克|届"
)
_CHINESE_NUMBER = r"(?<![\d.零〇一二两三四五六七八九十百千万亿])(?:[零〇一二两三四五六七八九]|十)[零〇一二两三四五六七八九十百千万亿]*"
_ARABIC_INTEGER = r"(?<![\d.])\d{1,5}(?![\d.])"
_CHINESE_NUMBER_BEFORE_MEASURE = re.compile(rf"({_CHINESE_NUMBER})(?=(?:{_MEASURE}))")
_ARABIC_NUMBER_BEFORE_MEASURE = re.compile(rf"({_ARABIC_INTEGER})(?=(?:{_MEASURE}))")
# A number with its measure word, kept as one query word so 两公里 can also be searched as 2公里.
NUMBER_WITH_MEASURE = re.compile(rf"(?:{_CHINESE_NUMBER}|{_ARABIC_INTEGER})(?:{_MEASURE})")


def _numeral_value(numeral: str) -> int | None:
    """Return the value of a numeral written with units (三百五十) or digit by digit (二〇一五), else None."""
    value = numerals.numeral_value(numeral)
    if value is None:
        digits = numerals.arabic_digits(numeral)
        value = int(digits) if digits else None
    return value


def numeral_variants(text: str) -> list[str]:
    """Return text with numbers before a measure word written the other way (两公里 ↔ 2公里)."""
    variants = []
    chinese = _CHINESE_NUMBER_BEFORE_MEASURE.search(text)
    if chinese:
        value = _numeral_value(chinese.group(1))
        if value is not None:
            variants.append(text[: chinese.start()] + str(value) + text[chinese.end() :])
    arabic = _ARABIC_NUMBER_BEFORE_MEASURE.search(text)
    if arabic:
        for form in numerals.numeral_forms(int(arabic.group(1))):
            variants.append(text[: arabic.start()] + form + text[arabic.end() :])
    return [variant for variant in dict.fromkeys(variants) if variant != text]
