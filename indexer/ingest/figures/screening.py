"""What is not a figure: years, dates, ordinals, names, time limits, size classes and slogans.

Parts: ``figure_quantities`` reads every ``QUANTITY`` in a sentence, joins ranges (3000—5000元)
into a low and a high end, and keeps what ``_is_figure`` accepts: not a year (2015年), date
(10月30日), ordinal (第三届, 十四届四次), document number (〔2015〕12号), phone number, a name in
quotes or titles (“五一”, “1+3”, 《…》, ``_name_spans``), a hotline (12351热线), a time limit
(6个月内), a size class (200人以上的企业) or an idiom (万家, 百人以上企业, 两个全覆盖).
"""

from __future__ import annotations

import re

from indexer.ingest.figures.quantities import QUANTITY, RANGE_JOINER, Quantity, read_quantity
from indexer.ingest.figures.words import DURATIONS, SMALL_CHINESE_UNITS
from indexer.ingest.wordlists import alternation

_NAME_SPANS = re.compile(r"“[^”“]{1,15}”|\"[^\"]{1,15}\"|‘[^’]{1,15}’|「[^」]{1,15}」|《[^》]*》|〔[^〕]*〕|\[\d{4}\]")
_MEETING_AFTER_TIMES = re.compile(f"(?:{alternation('figures/meeting_words')})")
_TIME_FRAME_AFTER_YEAR = re.compile(f"(?:{alternation('figures/year_time_frames')})")
_DURATION_BEFORE_YEAR = re.compile(f"(?:{alternation('figures/duration_words')})$")
_TIME_LIMIT_AFTER = re.compile(f"(?:{alternation('figures/time_limit_words')})")
_COUNT_NOUN_BEFORE = re.compile(r"(?:总数|人数|户数|家数|会员数|组织数|个数|数量|总量|数)(?:为|达|达到|是)?$")
_PEOPLE_AFTER = re.compile(f"(?:{alternation('figures/people_nouns')})")
_SIZE_CLASS_AFTER = re.compile(r"的?(?:工业)?(?:项目|企业|产业|重大|重点)")
_QUALIFIER_AFTER = re.compile(r"的?(?:企业|单位|公司|规模|\d|[一二三四五六七八九十])")
# 两个全覆盖, 三个代表, 四个标准化: a small Chinese count before one of these is a slogan, not a statistic
_SLOGAN_AFTER_GE = re.compile(f"(?:{alternation('figures/slogan_words')})")


def _name_spans(sentence: str) -> list[tuple[int, int]]:
    """Return where the quoted and titled names of a sentence stand: numbers there are no figures."""
    return [match.span() for match in _NAME_SPANS.finditer(sentence)]


def _is_figure(quantity: Quantity, sentence: str, names: list[tuple[int, int]]) -> bool:
    """Say whether a matched quantity is a statistic rather than a year, date, ordinal or name."""
    start, end = quantity.start, quantity.end
    before, after = sentence[:start], sentence[end:]
    number, unit = quantity.number, quantity.unit_written
    if before.endswith("第") or before.endswith("+") or after.startswith("+"):
        return False
    if any(low <= start < high for low, high in names):
        return False
    if after[:1].isascii() and after[:1].isalpha():
        return False
    if not quantity.chinese and len(number) > 1 and number[0] == "0" and "." not in number:
        return False
    if unit == "年" or (not unit and after.startswith("年")):
        if not quantity.chinese and len(number) == 4 and number[:2] in ("19", "20"):
            return False  # a calendar year
        if quantity.chinese or _TIME_FRAME_AFTER_YEAR.match(after) or not _DURATION_BEFORE_YEAR.search(before):
            return False
    if unit == "周" and after.startswith("年"):
        return False  # 成立70周年: an anniversary
    if unit in DURATIONS and _TIME_LIMIT_AFTER.match(after):
        return False  # 十五个工作日内, 6个月内: a time limit, not a quantity
    if unit == "次" and (_MEETING_AFTER_TIMES.match(after) or before.endswith("届")):
        return False  # 十四届四次全委会
    if unit in ("人", "名") and quantity.approx == "以上" and _QUALIFIER_AFTER.match(after):
        return False  # 200人以上的企业: a size class
    if unit == "元" and quantity.approx == "以上" and _SIZE_CLASS_AFTER.match(after):
        return False  # 10亿元以上项目: a size class
    if quantity.chinese:
        if quantity.value == 1 and not quantity.multiplier:
            return False  # 一线, 一次, 一批: never a statistic worth a record
        bare = number in ("万", "千", "百", "亿")
        if bare and not quantity.approx:
            return False  # 万家, 千家万户, 百人以上
        small = quantity.value < 10 and not quantity.approx and not quantity.multiplier
        if small and (unit not in SMALL_CHINESE_UNITS or (unit in ("个", "项") and _SLOGAN_AFTER_GE.match(after))):
            return False
        if unit in ("个月", "天", "周", "小时"):
            return False
    if not unit:
        # 工会组织数2170: a bare count right after the name of a count
        return not quantity.chinese and bool(_COUNT_NOUN_BEFORE.search(before)) and not after[:1].isalnum()
    return True


def figure_quantities(sentence: str) -> list[Quantity]:
    """Return the figures' quantities in a sentence, ranges split into low and high."""
    names = _name_spans(sentence)
    raw: list[Quantity] = []
    for match in QUANTITY.finditer(sentence):
        quantity = read_quantity(match, sentence)
        if quantity is None:
            continue
        counted = quantity.multiplier or quantity.approx
        if not quantity.unit_written and counted and _PEOPLE_AFTER.match(sentence, quantity.end):
            quantity.unit_written = "人"  # 十几万职工, 10万以上职工
        raw.append(quantity)
    result: list[Quantity] = []
    index = 0
    while index < len(raw):
        quantity = raw[index]
        following = raw[index + 1] if index + 1 < len(raw) else None
        joiner = following and RANGE_JOINER.fullmatch(sentence[quantity.end : following.start])
        if (
            following is not None
            and joiner
            and quantity.unit_written in ("", following.unit_written)
            and not quantity.multiplier
            and quantity.value < following.value
        ):
            quantity.unit_written = following.unit_written
            quantity.multiplier = following.multiplier
            if _is_figure(following, sentence, names):
                quantity.range_role, following.range_role = "low", "high"
                result.extend([quantity, following])
            index += 2
            continue
        if _is_figure(quantity, sentence, names):
            result.append(quantity)
        index += 1
    return result
