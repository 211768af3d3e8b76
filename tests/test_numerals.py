"""Chinese numerals: place-unit numerals, digit-by-digit numerals, and small numbers written in Chinese."""

from __future__ import annotations

import pytest

from indexer.text.normalise import numeral_variants
from indexer.text.numerals import arabic_digits, numeral_forms, numeral_value


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十七", 27),
        ("三十一", 31),
        ("一百零五", 105),
        ("一百〇五", 105),
        ("一百十五", 115),  # 十 without a digit is 一十
        ("一千零五十", 1050),
        ("二千零十七", 2017),  # 零十 is 零一十
        ("两", 2),
        ("两千", 2000),
        ("三千五百", 3500),
        ("三万五千", 35000),
        ("一万零五百", 10500),
        ("三千零五万", 30_050_000),
        ("〇", 0),
        ("零", 0),
        ("一亿", 100_000_000),
        ("两亿三千万", 230_000_000),
        ("三万亿", 3_000_000_000_000),  # 亿 scales the 万 before it
        ("万", 10_000),  # a unit alone (万余人, 千余家)
        ("千万", 10_000_000),
        ("亿", 100_000_000),
        # not numerals written with units
        ("五一", None),  # a holiday
        ("十二五", None),  # a five-year plan
        ("二〇一五", None),  # digit by digit: arabic_digits
        ("零五", None),
        ("零零", None),
        ("一百零", None),
        ("十十", None),
        ("十百", None),
        ("零百", None),
        ("万万", None),
        ("亿万", None),
        ("一亿万", None),
        ("三百五", None),  # colloquial 350: not guessed
        ("三万五", None),  # colloquial 35000: not guessed
        ("", None),
        ("工会", None),
        ("3万", None),
        ("三a", None),
    ],
)
def test_numeral_value(numeral, value):
    assert numeral_value(numeral) == value


@pytest.mark.parametrize(
    ("numeral", "digits"),
    [
        ("二〇一五", "2015"),
        ("二零一五", "2015"),
        ("二○一五", "2015"),  # a white circle typed for 〇
        ("一九九八", "1998"),
        ("〇五", "05"),
        ("五", "5"),
        ("十五", None),
        ("二〇一五年", None),
        ("", None),
    ],
)
def test_arabic_digits(numeral, digits):
    assert arabic_digits(numeral) == digits


@pytest.mark.parametrize(
    ("number", "forms"),
    [
        (0, ["零"]),
        (2, ["两", "二"]),
        (7, ["七"]),
        (10, ["十"]),
        (12, ["十二"]),
        (20, ["二十"]),
        (99, ["九十九"]),
        (100, []),
    ],
)
def test_numeral_forms(number, forms):
    assert numeral_forms(number) == forms


@pytest.mark.parametrize(
    ("query", "variants"),
    [
        ("两公里", ["2公里"]),
        ("2公里", ["两公里", "二公里"]),
        ("三百五十人", ["350人"]),
        ("一百零五人", ["105人"]),
        ("二〇一五年", ["2015年"]),  # digit by digit, as years are written
        ("三百五人", []),  # colloquial: no guess
        ("工会", []),
    ],
)
def test_numeral_variants_use_the_one_parser(query, variants):
    assert numeral_variants(query) == variants
