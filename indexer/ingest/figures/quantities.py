"""Numbers and units: the quantity regex, what one match says, and its value in the recorded unit.

Parts: ``QUANTITY`` (number + multiplier + approximation + unit: 1.1万人次, 650余家, 两万余人,
三千元, 70.13%, 2.3个百分点) → ``read_quantity`` (a ``Quantity``: the number's value, Chinese
numerals read by ``indexer.text.numerals``; the approximation written before or after it; the
unit as written) → ``value_and_unit`` (people and things expanded to the base unit, money kept in
万元 / 亿元). ``RANGE_JOINER`` is what stands between the two ends of a range (3000—5000元).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.ingest.figures.words import UNITS
from indexer.text.numerals import LARGE_UNITS, NUMERAL_CHARACTERS, numeral_value

_UNIT_PATTERN = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
QUANTITY = re.compile(
    r"(?<![\d.A-Za-z])"
    r"(?P<sign>(?<=[的为到至是达由从：:（(])[-−－])?"  # 由2015年的-17.4%: a negative level
    r"(?P<number>\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?|[" + NUMERAL_CHARACTERS + r"]+)"
    r"(?P<approx1>余|多|几)?"
    r"(?P<multiplier>万亿|万|亿|千)?"
    r"(?P<approx2>余|多)?"
    r"(?P<unit>" + _UNIT_PATTERN + r")?"
    r"(?P<suffix>以上|左右)?"
)
RANGE_JOINER = re.compile(r"\s*(?:-{1,2}|—{1,2}|–|~|～|－|至|到)\s*")
_APPROX_PREFIXES = (
    ("将近", "近"),
    ("接近", "近"),
    ("不足", "近"),
    ("不到", "近"),
    ("大约", "约"),
    ("超过", "超过"),
    ("近", "近"),
    ("约", "约"),
    ("逾", "超过"),
    ("超", "超过"),
)
_SCALED_UNITS = ("立方米", "千瓦", "千瓦时")  # volumes and power keep 万 / 亿 as money does
_APPROX_WORDS = {"余": "余", "多": "多", "几": "多", "以上": "以上", "左右": "约"}


@dataclass
class Quantity:
    """A matched number with its parts, before it becomes a Figure."""

    start: int  # number start, in the sentence
    end: int  # end of unit / suffix
    number: str  # as written: 1.1, 两万, 十
    value: float  # of the number alone
    approx: str
    prefix: str  # an approximation written before the number (近, 超过), "" when none
    multiplier: str  # 万亿, 万, 亿, 千 or ""
    chinese: bool
    unit_written: str
    range_role: str = ""  # "", "low", "high"


def read_quantity(match: re.Match, sentence: str) -> Quantity | None:
    """Return what a match of QUANTITY in sentence says, None when its Chinese numeral is no number (五一)."""
    number = match["number"]
    chinese = not number[0].isdigit()
    if chinese:
        value = numeral_value(number)
        if value is None:
            return None
    else:
        value = float(number.replace(",", ""))
    if match["sign"]:
        value = -value
    before = sentence[: match.start()]
    prefix, prefix_approx = next(((p, mapped) for p, mapped in _APPROX_PREFIXES if before.endswith(p)), ("", ""))
    approx = _APPROX_WORDS.get(match["approx1"] or match["approx2"] or match["suffix"] or "", "") or prefix_approx
    return Quantity(
        start=match.start(),
        end=match.end(),
        number=number,
        value=value,
        approx=approx,
        prefix=prefix,
        multiplier=match["multiplier"] or "",
        chinese=chinese,
        unit_written=match["unit"] or "",
    )


def value_and_unit(quantity: Quantity) -> tuple[float, str]:
    """Return (value, unit): counts expanded to the base unit, money kept in 万元 / 亿元 (volumes and power too)."""
    value, written = quantity.value, quantity.unit_written
    multiplier = quantity.multiplier
    if written == "美元":
        return (value, multiplier + "美元") if multiplier in ("万", "亿") else (value, "美元")
    if written == "元":
        if multiplier == "万亿":
            return value * 10_000, "亿元"  # 1.2万亿元 → 12000 亿元, beside the other 亿元 amounts
        if multiplier in ("万", "亿"):
            return value, multiplier + "元"
        if multiplier == "千":
            return value * 1000, "元"
        if quantity.chinese and quantity.number[-1] in "万亿" and value:
            scale = LARGE_UNITS[quantity.number[-1]]
            return value / scale, quantity.number[-1] + "元"
        return value, "元"
    if written in _SCALED_UNITS and multiplier in ("万", "亿"):
        return value, multiplier + written  # 42.8亿立方米, 120万千瓦: read as written, like money
    scale = {"万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000, "千": 1000}.get(multiplier, 1)
    return value * scale, UNITS.get(written, "")
