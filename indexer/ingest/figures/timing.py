"""Time: where a passage stands in a report (review or plan) and the year a figure is about.

Parts: ``ReportTime`` (when a report was delivered: the year its review speaks of and the year it plans;
a report of January 2023 reviews 2022 and plans 2023, one of December 2022 reviews 2022 and plans 2023)
→ ``passage_stances`` (each passage's ``Stance``: its section headings first — 2022年工作回顾, 今年工作安排,
过去五年 —, then the words it opens with — 过去一年, 今年经济社会发展的主要预期目标 —, carried over to the
passages that follow) → ``figure_years`` (the year a figure is about: a period written in its clause,
2018—2022年 or “十三五”期间; a year, 到2025年; a relative word, 去年 / 今年 / 明年 / 过去五年; the
passage's stance; else the document's year).

A year right after 比 / 较 / 与 / 同 / 相比 is a baseline (比2020年增长), never the figure's.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from indexer.ingest.figures.kind import ACTUAL, TARGET, heading_kind

REVIEW = "review"
PLAN = "plan"

_FIVE_YEAR_PLANS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
_PLAN_PERIOD = re.compile(r"[“\"]?(十[一二三四五]五)[”\"]?(?:时期|期间|以来|末|规划期)?")
_PERIOD = re.compile(r"(?<![比较])(?<!相比)((?:19|20)\d\d)\s*(?:年)?\s*(?:—|-|–|－|~|～|至|到)\s*((?:19|20)\d\d)\s*年")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_OPENING_WITH_YEAR = re.compile(r"(?:到|至|在|截至|截止)?(?:19|20)\d\d\s*年")
_BASELINE_BEFORE = re.compile(r"(?:比|较|与|同|相比|对比|低于|高于|超过|由|从|是)$")  # 是2002年的2.6倍
# What stands right before the first value of 由A提高到B (由, 由2016年的): the start, of that year if it says one.
FROM_START = r"(?:由|从)(?:((?:19|20)\d\d)\s*年(?:底|末)?的?)?$"
_FROM_START = re.compile(FROM_START)
_CUMULATIVE = re.compile(r"累计|总计|合计|五年来|五年间|先后|年均")
_RELATIVE = (
    (re.compile(r"(?<![比较])(?:去年|上年|上一年)(?!同期)"), -1),
    (re.compile(r"今年|本年"), 0),
    (re.compile(r"明年"), 1),
)
_PAST_FIVE = re.compile(r"过去(?:的)?五年|五年来|近五年")
_NEXT_FIVE = re.compile(r"今后五年|未来五年")

# What a passage opens with (after a list number): 过去一年 / 今年是 … .
_OPENING_REVIEW = re.compile(
    r"^(?:[一二三四五六七八九十\d]+[、.．]\s*)?(?:过去(?:的)?[一五]年|[一五]年来|回顾过去|去年以来|(?:19|20)\d\d年以来)"
)
_OPENING_PLAN = re.compile(
    r"^(?:[一二三四五六七八九十\d]+[、.．]\s*)?(?:今年(?!以来|上半年|前)|明年|今后五年|未来五年|做好今年)"
    r"|主要预期目标(?:是|为)?[:：]"
)
_OPENING_YEAR = re.compile(r"^(?:[一二三四五六七八九十\d]+[、.．]\s*)?((?:19|20)\d\d)年(?:是|，|,)")


@dataclass(frozen=True)
class ReportTime:
    """When a document was delivered and which years its review and its plan speak of."""

    delivered: int | None  # the calendar year of delivery (今年 of its text)
    review: int | None  # the year 过去一年 means
    plan: int | None  # the year 今年的工作 means
    year: int | None = None  # the document's own year: a figure's year when nothing else says
    report: bool = False  # a work report: it opens with its review of the past year

    @classmethod
    def of(cls, date: str, year: int | None, *, report: bool = False) -> ReportTime:
        """Return the time of a document from its date (YYYY-MM-DD, YYYY-MM or YYYY) and its year.

        Delivered in October or later, a report reviews its own year and plans the next; earlier, it
        reviews the year before. Without a month, the document's year is the year it plans.
        """
        found = re.match(r"((?:19|20)\d\d)(?:-(\d\d))?", date or "")
        if found and found[2]:
            delivered, month = int(found[1]), int(found[2])
            review = delivered if month >= 10 else delivered - 1
            return cls(delivered, review, review + 1, year, report)
        if year is None and found:
            year = int(found[1])
        if year is None:
            return cls(None, None, None)
        return cls(year, year - 1, year, year, report)


@dataclass(frozen=True)
class Stance:
    """Where a passage stands: reviewing the past (``review``) or planning (``plan``), and the years it means."""

    kind: str | None = None  # REVIEW, PLAN or None (no sign)
    year: int | None = None
    year_from: int | None = None  # the first year of a period (过去五年)
    heading: bool = False  # said by a section heading (not by a passage's first words)


def _heading_stance(section: str, time: ReportTime) -> Stance | None:
    for heading in section.split("›"):
        years = [int(found) for found in _YEAR.findall(heading)]
        period = _period_of(heading, time)
        kind = heading_kind(heading)
        if kind == TARGET:
            return period or Stance(PLAN, years[-1] if years else time.plan)
        if kind == ACTUAL:
            return period or Stance(REVIEW, years[-1] if years else time.review)
        if years and time.review is not None and years[-1] in (time.review, time.plan):
            return Stance(REVIEW if years[-1] == time.review else PLAN, years[-1])
    return None


def _period_of(text: str, time: ReportTime) -> Stance | None:
    """Return the stance of a five-year span a heading or opening speaks of, if any."""
    if _PAST_FIVE.search(text) and time.review is not None:
        return Stance(REVIEW, time.review, time.review - 4)
    if _NEXT_FIVE.search(text) and time.plan is not None:
        return Stance(PLAN, time.plan + 4, time.plan)
    named = _PLAN_PERIOD.search(text)
    if named and time.review is not None:
        first = _FIVE_YEAR_PLANS[named[1]]
        return Stance(PLAN if first + 4 > time.review else REVIEW, first + 4, first)
    return None


def _opening_stance(text: str, time: ReportTime) -> Stance | None:
    opening = text.lstrip()[:40]
    if re.match(r"^(?:[一二三四五六七八九十\d]+[、.．]\s*)?(?:今年以来|今年上半年|今年前)", opening):
        return Stance(REVIEW, time.delivered)  # 今年以来: this year so far
    year = _OPENING_YEAR.match(opening)
    if year and time.review is not None and int(year[1]) in (time.review, time.plan):
        return Stance(REVIEW if int(year[1]) == time.review else PLAN, int(year[1]))
    if _OPENING_REVIEW.search(opening):
        return _period_of(opening, time) or Stance(REVIEW, time.review)
    if _OPENING_PLAN.search(opening):
        if opening.lstrip("一二三四五六七八九十0123456789、.． ").startswith("明年"):
            return Stance(PLAN, time.delivered + 1 if time.delivered else None)
        return _period_of(opening, time) or Stance(PLAN, time.plan)
    return None


def passage_stances(passages, time: ReportTime) -> list[Stance]:
    """Return each passage's stance: its headings' first, else its opening words', else the one before it."""
    stances: list[Stance] = []
    current = Stance(REVIEW, time.review) if time.report and time.review is not None else Stance()
    last_section: str | None = None
    for passage in passages:
        if passage.section != last_section:
            heading = _heading_stance(passage.section, time) if passage.section else None
            if heading is not None:
                current = dataclasses.replace(heading, heading=True)
            last_section = passage.section
        opening = _opening_stance(passage.text, time)
        if opening is not None:
            current = opening
        stances.append(current)
    return stances


def figure_years(
    sentence: str,
    clause: tuple[int, int],
    number_start: int,
    stance: Stance,
    time: ReportTime,
    *,
    point_in_time: bool = False,
) -> tuple[int | None, int | None]:
    """Return (year, year_from) of the figure at number_start: what the clause says, else the stance's.

    ``point_in_time``: a level or share (城镇化率58%) is the period's last year's even in a five-year review.
    """
    clause_start, _ = clause
    before = sentence[clause_start:number_start]
    # A year said in the clause, or at the head of the sentence (2007年，…比2002年增长65.5%; 到2025年，…).
    written = sentence[:number_start] if _OPENING_WITH_YEAR.match(sentence) else before
    span = _written_years(written)
    if span is not None:
        return span
    # 过去五年… in the clause; “十一五”时期，…年均增长11.2%: a period said earlier for what adds up over it.
    span = _named_period(before, time) or (
        _named_period(sentence[:clause_start], time) if _CUMULATIVE.search(before) else None
    )
    if span is not None:
        return span[0], None if point_in_time and not _PLAN_PERIOD.search(before) else span[1]
    for pattern, offset in _RELATIVE:
        if pattern.search(before) and time.delivered is not None:
            return time.delivered + offset, None
    if stance.kind == REVIEW and stance.year is not None and _FROM_START.search(before.rstrip()):
        # 比重由42.4%提高到53.2% in a review: the first value is where the reviewed time began
        return (stance.year_from or stance.year) - 1, None
    if stance.kind is not None:
        # A period's first year only for what adds up over it (累计完成…); a level reached is the last year's.
        # 累计 in the figure's own clause adds up whatever it measures; said earlier in the sentence, it does
        # not reach a level or share (累计新增就业52万人，城镇化率提高到58%).
        said = _CUMULATIVE.search(sentence, clause_start, number_start) or (
            not point_in_time and _CUMULATIVE.search(sentence[:number_start])
        )
        return stance.year, stance.year_from if stance.year_from is not None and said else None
    return time.year, None


def _period_span(text: str) -> tuple[int, int] | None:
    """Return (last, first) year of a period written out (2018—2022年, “十三五”期间), None when none."""
    period = _PERIOD.search(text)
    if period:
        return int(period[2]), int(period[1])
    plan = _PLAN_PERIOD.search(text)
    if plan:
        first = _FIVE_YEAR_PLANS[plan[1]]
        return first + 4, first
    return None


def _named_period(text: str, time: ReportTime) -> tuple[int | None, int | None] | None:
    """Return (last, first) year of a period a text names (2018—2022年, “十三五”, 过去五年), None when none."""
    span = _period_span(text)
    if span is not None:
        return span
    five = _period_of(text, time) if _PAST_FIVE.search(text) or _NEXT_FIVE.search(text) else None
    return (five.year, five.year_from) if five else None


def _written_years(text: str) -> tuple[int | None, int | None] | None:
    """Return the period or year a text names for its figure (not a baseline), None when it names none."""
    start = _FROM_START.search(text)
    if start and start[1]:  # 由2016年的5.6%提高到91.4%: the first value is 2016's
        return int(start[1]), None
    span = _period_span(text)
    if span is not None:
        return span
    found = baseline = None
    for year in _YEAR.finditer(text):
        if _BASELINE_BEFORE.search(text[: year.start()]):
            baseline = int(year[1])
        else:
            found = int(year[1])
    if found is None:
        return None
    # 2005年与2000年相比，增长57.3%: a change over 2001—2005, not one year's.
    first = baseline + 1 if baseline is not None and baseline < found - 1 else None
    return found, first
