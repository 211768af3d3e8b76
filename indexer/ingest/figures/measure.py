"""Measure: what kind of quantity a figure is, so a chart never puts a growth rate beside a level.

``figure_measure`` → one of

* ``change`` — a growth rate, an increase or a decrease: 增长6.5%, 比上年增加2万人, 下降3个百分点, 涨幅3%;
* ``share`` — a proportion or rate: 城镇化率58%, 占比30%, 提高到90% (a new level of a share);
* ``count`` — a number of things or people: 新建学校20所, 培训5万人次, 1000个项目;
* ``level`` — an amount: 地区生产总值1.2万亿元, 粮食产量300万吨, 减少到3万吨 (a new level, not a decrease).

The words are the verbs right before the number (after the indicator) and the unit.
"""

from __future__ import annotations

import re

from indexer.ingest.figures.quantities import Quantity
from indexer.ingest.figures.words import CHANGE_TO, word_set

LEVEL, CHANGE, SHARE, COUNT = "level", "change", "share", "count"

_CHANGE_WORDS = re.compile(
    r"(?:增长|增加|下降|降低|减少|提高|上涨|回落|增幅|涨幅|增速|降幅|提升|上升|下滑|扩大|缩小|翻)"
    r"(?:了|幅度|速度)?(?:为|达到|达|约|近|超过|将近|接近|逾|超)?$"
)
_GROWTH_RATE = re.compile(r"增幅|增速|增长率|涨幅|降幅")
_RATE_WORDS = re.compile(r"率|比重|占比|比例|份额|占")
_COUNT_UNITS = word_set("figures/count_units")


def figure_measure(sentence: str, clause_start: int, quantity: Quantity, indicator: str, unit: str) -> str:
    """Return level, change, share or count for the figure of one quantity."""
    before = sentence[clause_start : quantity.start - len(quantity.prefix)].rstrip()
    if unit in ("个百分点", "倍") or _GROWTH_RATE.search(indicator):
        return CHANGE
    new_level = any(before.endswith(verb) for verb in CHANGE_TO) or re.search(r"(?:减少到|减至|突破)$", before)
    if not new_level and (_CHANGE_WORDS.search(before) or _CHANGE_WORDS.search(indicator)):
        return CHANGE
    if unit in ("%", "‰"):
        return SHARE
    if _RATE_WORDS.search(indicator) and not unit:
        return SHARE
    if unit in _COUNT_UNITS:
        return COUNT
    return LEVEL
