"""Chinese numerals: 三万五千 → 35000, 一百零五 → 105, 二〇一五 → "2015", 2 → 两, 二.

Parts:

* ``numeral_value`` — a numeral written with place units (十 百 千 万 亿), as counts are
  written; None for what only looks like one: digit runs (五一, 十二五), units out of order
  (十百), and the colloquial 三百五 / 两千五 / 三万五 (350, 2500, 35000), not guessed.
* ``arabic_digits`` — a numeral written digit by digit, as years are (二〇一五 → "2015").
* ``numeral_forms`` — how a number below 100 is written in Chinese (2 → 两, 二; 12 → 十二).

The figure extractor, the metadata dates and the query's numeral variants (两公里 ↔ 2公里)
all read numerals here.
"""

from __future__ import annotations

# ○ (a white circle) stands for 〇 in many typed years: 二○一五年.
DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
# The characters a numeral is written with (○ left out: in running text it is a bullet, not a zero).
NUMERAL_CHARACTERS = "〇零一二两三四五六七八九十百千万亿"
_PLAIN_DIGITS = "零一二三四五六七八九"


def numeral_value(numeral: str) -> int | None:
    """Return the value of a Chinese numeral (两万五千 → 25000, 一百零五 → 105), None when it is not one."""
    if len(numeral) == 1 and DIGITS.get(numeral) == 0:
        return 0
    total = 0  # the value closed by 亿
    ten_thousands = 0  # the value closed by 万 since the last 亿
    section = 0  # the value below 万 read so far
    digit: int | None = None  # a digit waiting for its unit
    digit_after = 0  # the unit right before that digit (0: none, or a 零)
    unit_before = 0  # the unit just read (0: the last character was no unit)
    smallest = 10_000  # units inside a section fall: 千, then 百, then 十
    skipped = False  # a 零 was read: a digit must follow
    for char in numeral:
        if DIGITS.get(char) == 0:
            if skipped or unit_before < 100:
                return None  # 零 marks a skipped place (一百零五, 一万零五百); not 零零, 二〇一五 or 零五
            skipped, unit_before = True, 0
        elif char in DIGITS:
            if digit is not None:
                return None  # two digits in a row: 五一, 十二五 (arabic_digits reads 二〇一五)
            digit, digit_after, skipped, unit_before = DIGITS[char], unit_before, False, 0
        elif char in SMALL_UNITS:
            unit = SMALL_UNITS[char]
            if (skipped and unit != SMALL_UNITS["十"]) or unit >= smallest:
                return None  # 零百, 十十, 十百; 二千零十七 is 二千零一十七
            section += (1 if digit is None else digit) * unit
            digit, smallest, unit_before, skipped = None, unit, unit, False
        elif char in LARGE_UNITS:
            unit = LARGE_UNITS[char]
            hundred_millions = unit == LARGE_UNITS["亿"]
            below = section + (digit or 0) + (ten_thousands if hundred_millions else 0)
            if skipped or (total if hundred_millions else ten_thousands):
                return None  # 零万, 亿亿, 万万
            if not below:
                if total or ten_thousands:
                    return None  # 亿万
                below = 1  # 万 and 亿 alone are one of them: 万余人
            if hundred_millions:
                total, ten_thousands = below * unit, 0
            else:
                ten_thousands = below * unit
            section, digit, smallest, unit_before = 0, None, 10_000, unit
        else:
            return None
    if not numeral or skipped or (digit is not None and digit_after >= 100):
        return None  # 一百零; 三百五, 三万五: colloquial for 350 and 35000, not guessed
    return total + ten_thousands + section + (digit or 0)


def arabic_digits(numeral: str) -> str | None:
    """Return a numeral written digit by digit in Arabic digits (二〇一五 → "2015"), None when it is not one."""
    if not numeral or any(char not in DIGITS for char in numeral):
        return None
    return "".join(str(DIGITS[char]) for char in numeral)


def numeral_forms(number: int) -> list[str]:
    """Return how a small number is written in Chinese (2 → 两, 二; 12 → 十二), empty if over 99."""
    if number < 0 or number > 99:
        return []
    if number < 10:
        forms = [_PLAIN_DIGITS[number]]
        if number == 2:
            forms.insert(0, "两")
        return forms
    tens, units = divmod(number, 10)
    return [("" if tens == 1 else _PLAIN_DIGITS[tens]) + "十" + (_PLAIN_DIGITS[units] if units else "")]
