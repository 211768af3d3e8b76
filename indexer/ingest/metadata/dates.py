"""Dates and years: the date a document gives itself, and the year it is for.

Parts: ``find_date`` (an explicit date line; Chinese years 二〇一五年三月一日 read as
2015年3月1日 first, by ``indexer.text.numerals``) and ``date_from_value`` (a front-matter value) → ``latest_enactment_date``
(a law's enactment and amendment lines), ``find_stamp_date`` (a web page's time stamp) and
``find_effective_date`` (本条例自…起施行) → ``guess_year`` (the latest year the text speaks of
as past, never a planning horizon such as 到2020年) → ``document_year`` (a 政府工作报告 is for
the year it plans).
"""

from __future__ import annotations

import datetime
import re

from indexer.text import numerals

_YEAR_MIN, _YEAR_MAX = 1949, datetime.date.today().year + 1
_DATE_PATTERNS = (
    re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
    re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月()"),
)
_CHINESE_YEAR = re.compile(
    r"([〇零一二三四五六七八九○]{4})年(?:([一二三四五六七八九十]{1,2})月(?:([一二三四五六七八九十]{1,3})日)?)?"
)
_YEAR_MENTION = re.compile(r"((?:19|20)\d{2})\s*年(?!代)")
# A year written without 年 before a name (荣获2013市直机关最佳满意单位称号), not a count (2013名职工).
_BARE_YEAR = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})(?=[\u4e00-\u9fff])(?![年代多余万亿千百个名人家元项件次所台辆户位条篇份])"
)
_REVIEW_WORDS = re.compile(r"过去一年|一年来|年(?:主要)?工作回顾")
# Words before a year that make it a plan, not a past: 到2020年, 力争2025年,
# and the end of a range (2014—2018年).
_FUTURE_BEFORE = re.compile(
    r"(到|(?<!截)至|力争|计划|预计|目标|争取|展望|远景|直至|迈向|\d{4}\s*年?\s*[—\-－~～至到])\s*$"
)
_TAKES_EFFECT = re.compile(r"\s*(?:起\s*)?(?:施行|生效|执行)")
# A publication stamp carries a time of day: 2005-04-05 06:40, 2005年05月13日14:15, 06/02/2022 - 13:48.
_STAMP = re.compile(
    r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*\d{1,2}\s*[:：时]\s*\d{2}"
    r"|(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\s*-?\s*\d{1,2}:\d{2}"
)
_EFFECTIVE = re.compile(
    r"本(?:法|条例|规定|办法|细则|规则|决定|解释|意见|准则|章程)[^。\n]{0,12}?"
    r"自\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起\s*(?:施行|执行|生效)"
)
_GOVERNMENT_REPORT = re.compile(r"政府.{0,12}工作报告|人民代表大会")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})年(?!\d{1,2}月)")
_RANGE_IN_TITLE = re.compile(r"(?:19|20)\d{2}年?[—\-－~～至到](?:19|20)\d{2}")


def _to_date(year: str, month: str, day: str) -> str | None:
    try:
        number = int(year)
        if not _YEAR_MIN <= number <= _YEAR_MAX:
            return None
        if day:
            return datetime.date(number, int(month), int(day)).isoformat()
        if 1 <= int(month) <= 12:
            return f"{number:04d}-{int(month):02d}"
    except ValueError:
        return None
    return None


def _arabic_date(match: re.Match) -> str:
    """Return a date written in Chinese numerals (二〇一五年三月一日) in Arabic digits (2015年3月1日)."""
    year, month, day = match.groups()
    text = numerals.arabic_digits(year) + "年"
    for numeral, unit in ((month, "月"), (day, "日")):
        if numeral:
            value = numerals.numeral_value(numeral)
            text += f"{numeral if value is None else value}{unit}"  # 一二月 is no month: left as written
    return text


def _arabic_years(text: str) -> str:
    """Rewrite 二〇一五年三月一日 as 2015年3月1日 so one set of patterns reads both."""
    return _CHINESE_YEAR.sub(_arabic_date, text)


def find_date(lines: list[str] | tuple[str, ...]) -> str | None:
    """Return the first full date (YYYY-MM-DD or YYYY-MM) written in the given lines."""
    for line in lines:
        line = _arabic_years(line)
        for pattern in _DATE_PATTERNS:
            match = pattern.search(line)
            if match:
                date = _to_date(*match.groups())
                if date:
                    return date
    return None


def date_from_value(value) -> str | None:
    """Return an ISO date from a front-matter value (date, datetime, int year or string)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat() if _YEAR_MIN <= value.year <= _YEAR_MAX else None
    if isinstance(value, int) and _YEAR_MIN <= value <= _YEAR_MAX:
        return f"{value:04d}"
    if isinstance(value, str):
        found = find_date([value])
        if found:
            return found
        match = re.search(r"(?:19|20)\d{2}", value)
        if match and _YEAR_MIN <= int(match.group()) <= _YEAR_MAX:
            return match.group()
    return None


def guess_year(text: str) -> int | None:
    """Return the latest year the text speaks of as past, ignoring planning horizons."""
    text = _arabic_years(text)
    years = []
    for match in (*_YEAR_MENTION.finditer(text), *_BARE_YEAR.finditer(text)):
        year = int(match.group(1))
        if not _YEAR_MIN <= year <= _YEAR_MAX:
            continue
        if _FUTURE_BEFORE.search(text[max(0, match.start() - 6) : match.start()]):
            continue
        years.append(year)
    return max(years) if years else None


def latest_enactment_date(lines: list[str] | tuple[str, ...]) -> str | None:
    """Return the latest date of a law's enactment and amendment lines; a date it takes effect does not count."""
    dates = []
    for line in lines:
        line = _arabic_years(line)
        for match in _DATE_PATTERNS[0].finditer(line):
            date = _to_date(*match.groups())
            if date and not _TAKES_EFFECT.match(line, match.end()):
                dates.append(date)
    return max(dates) if dates else None


def find_stamp_date(text: str) -> str | None:
    """Return the first date written with a time of day: a web page's publication stamp."""
    for match in _STAMP.finditer(text):
        year, month, day, day_first, month_second, year_last = match.groups()
        date = _to_date(year, month, day) if year else _to_date(year_last, month_second, day_first)
        if date:
            return date
    return None


def find_effective_date(text: str) -> str | None:
    """Return the date a legal text says it takes effect (本条例自2006年3月1日起施行)."""
    for match in _EFFECTIVE.finditer(_arabic_years(text)):
        date = _to_date(*match.groups())
        if date:
            return date
    return None


def _title_year(title: str) -> int | None:
    """Return the one year a title names as its own (2023年政府工作报告), not a date or a range."""
    title = re.sub(r"(?<=\d)\s+(?=\d|年)", "", _arabic_years(title))
    if _RANGE_IN_TITLE.search(title):
        return None
    years = {int(year) for year in _YEAR_IN_TITLE.findall(title)}
    if len(years) == 1:
        year = years.pop()
        return year if _YEAR_MIN <= year <= _YEAR_MAX else None
    return None


def document_year(*, date: str, title: str, head: str = "", text: str = "", doc_number: str = "") -> int | None:
    """Return the year a document is for.

    A government work report is for the year its title names (2023年政府工作报告,
    delivered on 2022-12-26), else for the year after a November or December
    delivery. Other documents: the date's year, else the one year the title
    names, else the year of its 文号 (国发〔2015〕33号), else the year a legal
    text takes effect, else the latest year the text speaks of as past (the year
    after it for a union's work report that reviews its past year).
    """
    named = _title_year(title)
    report = bool(_GOVERNMENT_REPORT.search(f"{title}\n{head}")) and "工作报告" in f"{title}\n{head}"
    if report and named:
        return named
    if date:
        year = int(date[:4])
        if report and len(date) >= 7 and int(date[5:7]) >= 11:
            return year + 1
        return year
    if named:
        return named
    numbered = re.search(r"〔((?:19|20)\d{2})〕", doc_number)
    if numbered:
        return int(numbered.group(1))
    effective = find_effective_date(text)
    if effective:
        return int(effective[:4])
    guessed = guess_year(text)
    if guessed and not report and "工作报告" in f"{title}\n{head}" and _REVIEW_WORDS.search(text):
        return guessed + 1  # a union's work report reviewing its past year is for the year it plans
    return guessed
