"""Document metadata: date and year, issuer, province and city, 文号, citations, document type, topics.

Parts:

* ``find_date`` / ``guess_year`` — an explicit date line wins; else the latest
  year the text speaks of as past (never a planning horizon such as 到2020年).
  ``latest_enactment_date`` (a law's enactment and amendment lines),
  ``find_stamp_date`` (a web page's dated time stamp), ``find_effective_date``
  (本条例自…起施行) and ``document_year`` (a 政府工作报告 is for the year it plans)
  complete them.
* ``find_place`` — gazetteer mentions weighed by where they stand: title,
  occasion, byline and issuing body (临沂市总工会, 滨州日报) far above passing
  mentions in the body; a provincial body (省直机关工会) keeps no city; body
  mentions alone count only when the text speaks of itself (全市, 我省).
* ``issuer_from_*`` / ``issuer_place`` — the 发文机关 from front matter, a law's
  enactment line, the title (…关于…) or a report's byline; a central body
  (``data/central_bodies.txt``) makes a document national.
* ``find_doc_number`` / ``find_cites`` — the 文号 a document gives itself
  (normalised to 〔〕) and the 《titles》 it cites.
* ``find_doc_type`` — rules from ``data/doctypes.csv`` over title, header, body.
* ``passage_topics`` / ``document_topics`` — the taxonomy in ``data/topics.csv``,
  with the phrase that triggered each topic kept as evidence.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter

from indexer.text import lexicon
from indexer.text.normalise import search_form
from indexer.text.places import Place, place_matches, place_mentions

_YEAR_MIN, _YEAR_MAX = 1949, datetime.date.today().year + 1
_DATE_PATTERNS = (
    re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
    re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月()"),
)
_CHINESE_DIGITS = {
    "〇": "0",
    "零": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    "○": "0",
    "Ｏ": "0",
}
_CHINESE_YEAR = re.compile(
    r"([〇零一二三四五六七八九○]{4})年(?:([一二三四五六七八九十]{1,2})月(?:([一二三四五六七八九十]{1,3})日)?)?"
)
_YEAR_MENTION = re.compile(r"((?:19|20)\d{2})\s*年(?!代)")
# Words before a year that make it a plan, not a past: 到2020年, 力争2025年,
# and the end of a range (2014—2018年).
_FUTURE_BEFORE = re.compile(
    r"(到|(?<!截)至|力争|计划|预计|目标|争取|展望|远景|直至|迈向|\d{4}\s*年?\s*[—\-－~～至到])\s*$"
)


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


def _small_number(numeral: str) -> int:
    """Return the value of a Chinese numeral from 一 to 三十一 (十二, 二十七)."""
    if "十" not in numeral:
        return int(_CHINESE_DIGITS[numeral])
    tens, _, units = numeral.partition("十")
    return (int(_CHINESE_DIGITS[tens]) if tens else 1) * 10 + (int(_CHINESE_DIGITS[units]) if units else 0)


def _arabic_date(match: re.Match) -> str:
    year, month, day = match.groups()
    text = "".join(_CHINESE_DIGITS[c] for c in year) + "年"
    if month:
        text += f"{_small_number(month)}月"
    if day:
        text += f"{_small_number(day)}日"
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
    for match in _YEAR_MENTION.finditer(text):
        year = int(match.group(1))
        if not _YEAR_MIN <= year <= _YEAR_MAX:
            continue
        if _FUTURE_BEFORE.search(text[max(0, match.start() - 6) : match.start()]):
            continue
        years.append(year)
    return max(years) if years else None


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
    text takes effect, else the latest year the text speaks of as past.
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
    return guess_year(text)


# ---------------------------------------------------------------- places


_PROVINCIAL_BODY = re.compile(r"(省直|省总工会|省委|省人民政府|省政府|自治区总工会|全省|省长|自治区主席)")
_CITY_BODY = re.compile(r"(市总工会|市委|市人民政府|市政府|全市|州总工会|盟总工会|市长|州长)")
_ISSUER_SUFFIX = re.compile(
    r"(市|州|盟|地区)?(总工会|日报|晚报|新闻网|电视台|广播|工会|人民政府|政府|市委|委员会|人大)"
)
# How a text speaks of its own place (全市各级工会, 我省): without such words and
# without a place in the title or byline, body mentions are places visited or cited.
_CITY_SELF = re.compile(r"全市|本市|我市|全州|本州|我州|全盟|我盟")
_PROVINCE_SELF = re.compile(r"全省|本省|我省|全自治区")


def find_place(*, strong: list[str], body: str, hinted: Place | None = None) -> Place:
    """Return province and city weighed from strong lines (title, byline) and body mentions."""
    if hinted and (hinted.province or hinted.city):
        return hinted
    city_scores: Counter = Counter()
    province_scores: Counter = Counter()
    cities_by_name: dict[str, lexicon.Place] = {}
    strong_city = False
    strong_province = False

    def add(place: lexicon.Place, weight: float, *, is_strong: bool) -> None:
        nonlocal strong_city, strong_province
        if place.city:
            cities_by_name[place.city] = place
            city_scores[place.city] += weight
            province_scores[place.province] += weight / 2
            strong_city = strong_city or is_strong
        else:
            province_scores[place.province] += weight
            strong_province = strong_province or is_strong

    for line in strong:
        for place in place_mentions(line):
            add(place, 10, is_strong=True)
    for place, match in place_matches(body):
        issuer = _ISSUER_SUFFIX.match(body, match.end())
        add(place, 3 if issuer else 1, is_strong=False)
    head = " ".join(strong)
    provincial = bool(_PROVINCIAL_BODY.search(head)) and not _CITY_BODY.search(head)
    # A province named up front with no city beside it is a provincial document:
    # the cities its body lists are its parts, not its place.
    city_allowed = strong_city or not (provincial or strong_province)
    if not (strong_city or strong_province):
        city_allowed = city_allowed and bool(_CITY_SELF.search(body))
        if not city_allowed and not _PROVINCE_SELF.search(body):
            return Place()
    city = ""
    if city_scores and city_allowed:
        best, score = city_scores.most_common(1)[0]
        total = sum(city_scores.values())
        if strong_city and score >= 10 or score >= 3 and score / total >= 0.5:
            city = best
    if city:
        return Place(cities_by_name[city].province, city)
    if province_scores:
        best, score = province_scores.most_common(1)[0]
        total = sum(province_scores.values())
        if strong_province and score >= 10 or score >= 3 and score / total >= 0.5:
            return Place(best, "")
    return Place()


# ---------------------------------------------------------------- type and topics


def find_doc_type(*, title: str, head: str, body_start: str) -> str:
    """Return the document type from the rules in data/doctypes.csv (first match wins)."""
    regions = {"title": title, "head": f"{title}\n{head}", "body": body_start}
    for doc_type, where, phrase in lexicon.doc_type_rules():
        text = regions.get(where, "")
        if phrase.startswith("^"):
            if re.search(phrase, text, re.M):
                return doc_type
        elif phrase.endswith("$"):
            if any(line.rstrip().endswith(phrase[:-1]) for line in text.splitlines()):
                return doc_type
        elif phrase in text:
            return doc_type
    return "其他"


@functools.lru_cache(maxsize=1)
def _topic_pattern() -> tuple[re.Pattern, dict[str, list[str]]]:
    topics_by_phrase: dict[str, list[str]] = {}
    for topic, phrases in lexicon.topic_phrases().items():
        for phrase in phrases:
            topics_by_phrase.setdefault(search_form(phrase), []).append(topic)
    return re.compile(_trie_pattern(topics_by_phrase)), topics_by_phrase


def _trie_pattern(phrases) -> str:
    """Return a regex matching any of the phrases, the longest one where several start at a place.

    Written as a trie (工(?:会(?:经费|)|资)…): the regex engine reads each character once per place
    instead of trying hundreds of alternatives there (a fifth of the time to read a document).
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in node.items() if char]
        if "" in node:  # longer phrases first, then the one ending here
            return "(?:" + "|".join(branches) + "|)" if branches else ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


def passage_topics(text: str) -> dict[str, str]:
    """Return topic → the first phrase of the passage that triggered it."""
    pattern, topics_by_phrase = _topic_pattern()
    found: dict[str, str] = {}
    form = search_form(text)
    for match in pattern.finditer(form):
        for topic in topics_by_phrase[match.group()]:
            found.setdefault(topic, text[match.start() : match.end()])
    return found


def document_topics(per_passage: list[dict[str, str]], *, limit: int = 8) -> list[str]:
    """Roll passage topics up: topics seen in at least two passages (or the only ones)."""
    counts = Counter(topic for topics in per_passage for topic in topics)
    if not counts:
        return []
    keep = [topic for topic, count in counts.most_common() if count >= 2]
    if not keep:
        keep = [topic for topic, _ in counts.most_common(3)]
    return keep[:limit]


# ---------------------------------------------------------------- issuer, document number, citations

_BODY_SUFFIX = (
    r"(?:中央|国务院|办公厅|办公室|委员会|常务委员会|总工会|工会|人民政府|政府|党组|党委|纪委|中办|国办|"
    r"人民代表大会|人大|法院|检察院|部|署|局|委|厅|院|办|会|社|团|联)"
)
_BODIES_BEFORE_VERB = re.compile(rf"^((?:[\u4e00-\u9fff]{{0,30}}?{_BODY_SUFFIX}[、，,\s]*)+?)(?:关于|印发|发布|转发)")
_UNION_AT_START = re.compile(r"^([\u4e00-\u9fff]{2,15}?总工会)")
_UNION_LINE = re.compile(r"^([\u4e00-\u9fff]{2,20}?(?:总工会|工会委员会|工会))(?:\s|$|\d|（|\()")
_HEAD_OF_GOVERNMENT = re.compile(
    r"^(?P<body>[\u4e00-\u9fff]{0,20}?)(?:代理|代|副)?(?P<role>总理|省长|市长|州长|盟长|区长|主席)"
    r"\s*(?P<name>[\u4e00-\u9fff·•]{2,8})$"
)
# 山东省第九届人民代表大会常务委员会第二十三次会议通过 → 山东省人民代表大会常务委员会
_NUMERAL = "一二三四五六七八九十百零〇"
_ENACTING = re.compile(
    rf"^\W*(?:(?:19|20)\d{{2}}年\d{{1,2}}月\d{{1,2}}日)?\s*(?P<body>[^\s，,。]{{2,40}}?)"
    rf"(?:第[{_NUMERAL}\d]+次|常务会议|全体会议|[^\s]{{0,4}}通过|公布|发布)"
)
_SESSION = re.compile(rf"第?[{_NUMERAL}\d]+届")
_SPEAKS_FOR = re.compile(r"我代表(?P<body>国务院|[\u4e00-\u9fff]{0,16}?人民政府)")
_OCCASION_PLACE = re.compile(r"在(?P<place>[\u4e00-\u9fff]{2,12}?)第[一二三四五六七八九十\d]+届人民代表大会")


@functools.lru_cache(maxsize=1)
def _central_bodies() -> tuple[str, ...]:
    """Return the names that open a central (national) body's name: 中共中央, 国务院, 全国人民代表大会, …"""
    text = (lexicon.DATA_DIR / "central_bodies.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _split_bodies(issuer: str) -> list[str]:
    return [part for part in re.split(r"[、，,\s]+", issuer) if part]


def is_central_body(name: str) -> bool:
    """Return whether a body is national: 中共中央办公厅, 国务院, 人力资源社会保障部 (no place in its name)."""
    if not name or place_mentions(name):
        return False
    if name.startswith(_central_bodies()):
        return True
    # A ministry (财政部, 审计署) has no place; a local one says whose it is (省委组织部, 市财政局).
    return name.endswith(("部", "署")) and not name.startswith(("省", "市", "县", "区", "州", "自治"))


def issuer_place(issuer: str) -> Place | None:
    """Return where an issuing body sits: Place() for a central body, None when its name does not say."""
    bodies = _split_bodies(issuer)
    if not bodies:
        return None
    if all(is_central_body(body) for body in bodies):
        return Place()
    for body in bodies:
        mentions = place_mentions(body)
        if mentions:
            return Place(mentions[0].province, mentions[0].city)
    return None


def issuer_from_value(value) -> str:
    """Return the bodies named in a front-matter value (a name or a list); persons and 佚名 are no issuer."""
    names = value if isinstance(value, list | tuple) else [value]
    found = [name.strip() for name in names if isinstance(name, str)]
    # A body's name is longer than a person's (张会, 李院): three characters at least.
    bodies = [
        name for name in found if re.fullmatch(rf"[\u4e00-\u9fff]{{1,30}}{_BODY_SUFFIX}", name) and len(name) >= 3
    ]
    return "、".join(dict.fromkeys(bodies))


def _place_name(text: str) -> str:
    """Return the full name of the first gazetteer place named in text ("" when none is)."""
    mentions = place_mentions(text)
    return (mentions[0].city or mentions[0].province) if mentions else ""


def issuer_from_enactment(lines: list[str] | tuple[str, ...], *, title: str = "") -> str:
    """Return the body that passed a law (its first enactment line), session numbers left out.

    A body named without its place (市十四届人民代表大会常务委员会) takes the place the title opens with.
    """
    for line in lines:
        if not re.search(r"通过|公布|发布|批准", line):
            continue
        match = _ENACTING.match(line)
        if not match:
            continue
        body = _SESSION.sub("", match.group("body")).strip()
        body = re.sub(rf"(?:令|公告)?第[{_NUMERAL}\d]+号$", "", body)  # 国务院令第375号公布 → 国务院
        if not re.search(_BODY_SUFFIX + "$", body):
            continue
        if body.startswith(("省", "市", "自治区", "州")) and not place_mentions(body):
            leading = _place_name(title[:12])
            return f"{leading}{re.sub(r'^(省|市|自治区|州)', '', body)}" if leading else body
        return body
    return ""


def issuer_from_title(title: str) -> str:
    """Return the bodies a title opens with before 关于/印发 (中共中央办公厅 国务院办公厅关于…), or a 总工会."""
    match = _BODIES_BEFORE_VERB.match(title)
    if match:
        return "、".join(_split_bodies(match.group(1)))
    match = _UNION_AT_START.match(title)
    return match.group(1) if match else ""


def issuer_from_head(
    lines: list[str], *, occasion: str = "", title: str = "", opening: list[str] | tuple[str, ...] = ()
) -> str:
    """Return the issuer a report gives in its opening lines.

    某市人民政府 from a byline 某市人民政府市长 某某 (or 市长 某某 with the place from the
    occasion ——在某市第N届人民代表大会… or the title), 国务院 from 国务院总理 or
    我代表国务院, a 某市总工会 byline, or the place of a 政府工作报告 title.
    """
    occasion_match = _OCCASION_PLACE.search(occasion)
    context = (_place_name(occasion_match.group("place")) if occasion_match else "") or _place_name(title)
    for line in lines:
        compact = re.sub(r"\s+", "", line)
        match = _HEAD_OF_GOVERNMENT.match(compact)
        if match:
            if match.group("role") == "总理":
                return "国务院"
            place = _place_name(match.group("body")) or context
            if place:
                return f"{place}人民政府"
            continue
        match = _UNION_LINE.match(compact)
        if match and place_mentions(match.group(1)):
            return match.group(1)
    for line in opening:
        match = _SPEAKS_FOR.search(line)
        if match:
            if match.group("body") == "国务院":
                return "国务院"
            place = _place_name(match.group("body")) or context
            if place:
                return f"{place}人民政府"
    if "政府" in title and "工作报告" in title:
        if "国务院" in title:
            return "国务院"
        if context:
            return f"{context}人民政府"
    return ""


_DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）]"
    r"\s*第?\s*(?P<number>\d{1,5})\s*号"
)
_DOC_NUMBER_LABEL = re.compile(r"(?:发文字号|发文号|文号|字号)\s*[:：]?\s*$")
_CITED_AFTER = re.compile(r"[》”\"]\s*[（(]?\s*$")  # 《某通知》（国发〔2015〕33号）
_CITING_WORDS = re.compile(r"执行|根据|按照|依照|依据|参照|贯彻")


def _doc_number(match: re.Match) -> str:
    return f"{match.group('prefix')}〔{match.group('year')}〕{match.group('number')}号"


def find_doc_number(opening: list[str], *, text: str = "") -> str:
    """Return the 文号 a document gives itself, written as 总工发〔2023〕12号.

    It stands on a short opening line (国发〔2015〕33号, （中办发〔2009〕18号 2009年4月14日）),
    or anywhere after a label (发文字号：); a number right after a cited 《title》 is someone else's.
    """
    for line in opening:
        if len(line) > 60:
            continue
        for match in _DOC_NUMBER.finditer(line):
            cited = _CITED_AFTER.search(line[: match.start()]) or _CITING_WORDS.search(line[: match.start("year")])
            if not cited:
                return _doc_number(match)
    if "文号" not in text and "字号" not in text:  # no label (every label ends in one of them)
        return ""
    for match in _DOC_NUMBER.finditer(text):
        before = text[max(0, match.start() - 8) : match.start()]
        if _DOC_NUMBER_LABEL.search(before):
            return _doc_number(match)
    return ""


_CITED_TITLE = re.compile(r"《([^《》\n]{1,120})》")


def find_cites(text: str, *, own_title: str = "", limit: int = 50) -> tuple[str, ...]:
    """Return the 《titles》 a text cites, first mention first, without repeats or its own title."""
    own = re.sub(r"\s+", "", own_title)
    own_plain = re.sub(r"[（(][^（）()]*[）)]$", "", own)  # 某意见（2009年） is 《某意见》 too
    found: dict[str, None] = {}
    for match in _CITED_TITLE.finditer(text):
        title = re.sub(r"\s+", "", match.group(1))
        if title and title not in (own, own_plain) and title not in found:
            found[title] = None
            if len(found) >= limit:
                break
    return tuple(found)
