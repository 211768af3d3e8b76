"""Document metadata: date and year, province and city, document type, topics.

Parts:

* ``find_date`` / ``guess_year`` — an explicit date line wins; else the latest
  year the text speaks of as past (never a planning horizon such as 到2020年).
* ``find_place`` — gazetteer mentions weighed by where they stand: title,
  occasion, byline and issuing body (临沂市总工会, 滨州日报) far above passing
  mentions in the body; a provincial body (省直机关工会) keeps no city.
* ``find_doc_type`` — rules from ``data/doctypes.csv`` over title, header, body.
* ``passage_topics`` / ``document_topics`` — the taxonomy in ``data/topics.csv``,
  with the phrase that triggered each topic kept as evidence.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from dataclasses import dataclass

from indexer import lexicon
from indexer.normalise import search_form

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


@dataclass(frozen=True)
class Place:
    """Where a document is from: province and prefecture-level city (either may be empty)."""

    province: str = ""
    city: str = ""


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


# ---------------------------------------------------------------- places


@dataclass(frozen=True)
class _Gazetteer:
    pattern: re.Pattern
    places_by_name: dict[str, tuple[lexicon.Place, ...]]
    full_names: frozenset[str]


@functools.lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    by_name: dict[str, list[lexicon.Place]] = {}
    full_names = set()
    for place in lexicon.places():
        full_names.add(place.names[0])
        for name in place.names:
            by_name.setdefault(name, []).append(place)
    ambiguous = lexicon.ambiguous_place_names()
    names = sorted(by_name, key=len, reverse=True)
    # An everyday word that is also a short place name (安康杯, 长治久安) counts only
    # with its suffix (安康市), so it is left out of the short forms here.
    names = [name for name in names if name in full_names or name not in ambiguous]
    pattern = re.compile("|".join(re.escape(name) for name in names))
    places_by_name = {name: tuple(found) for name, found in by_name.items()}
    return _Gazetteer(pattern, places_by_name, frozenset(full_names))


def place_name_variants(name: str) -> list[str]:
    """Return the other names of the place a whole word names (三明市 → 三明; 延边 → 延边朝鲜族自治州, 延边州)."""
    gazetteer = _gazetteer()
    ambiguous = lexicon.ambiguous_place_names()
    variants: list[str] = []
    for place in gazetteer.places_by_name.get(name, ()):
        variants.extend(other for other in place.names if other != name and other not in ambiguous)
    return list(dict.fromkeys(variants))


def place_mentions(text: str) -> list[lexicon.Place]:
    """Return the gazetteer places named in text, in order (leftmost-longest)."""
    gazetteer = _gazetteer()
    found = []
    for match in gazetteer.pattern.finditer(text):
        candidates = gazetteer.places_by_name[match.group()]
        if len(candidates) > 1:
            # 吉林 names the province; 吉林市 (a full city name) names the city.
            exact = [place for place in candidates if place.names[0] == match.group()]
            provinces = [place for place in candidates if not place.city]
            current = [place for place in candidates if place.status != "former"]
            candidates = exact or provinces or current or candidates
        found.append(candidates[0])
    return found


_PROVINCIAL_BODY = re.compile(r"(省直|省总工会|省委|省人民政府|省政府|自治区总工会|全省)")
_CITY_BODY = re.compile(r"(市总工会|市委|市人民政府|市政府|全市|州总工会|盟总工会)")
_ISSUER_SUFFIX = re.compile(
    r"(市|州|盟|地区)?(总工会|日报|晚报|新闻网|电视台|广播|工会|人民政府|政府|市委|委员会|人大)"
)


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
    body_mentions = 0
    gazetteer = _gazetteer()
    for match in gazetteer.pattern.finditer(body):
        places = place_mentions(match.group())
        if not places:
            continue
        issuer = _ISSUER_SUFFIX.match(body, match.end())
        add(places[0], 3 if issuer else 1, is_strong=False)
        body_mentions += 1
    head = " ".join(strong)
    provincial = bool(_PROVINCIAL_BODY.search(head)) and not _CITY_BODY.search(head)
    city = ""
    if city_scores and not (provincial and not strong_city):
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


def normalise_place(value: str) -> Place:
    """Return the Place a free-text place name (山东, 临沂市, 延边州) stands for."""
    value = value.strip()
    exact = _gazetteer().places_by_name.get(value)
    if exact:
        # A whole value names a place even when the name is an everyday word (city: 安康).
        provinces = [place for place in exact if not place.city]
        place = (provinces or [p for p in exact if p.status != "former"] or list(exact))[0]
        return Place(place.province, place.city)
    found = place_mentions(value)
    if not found:
        return Place()
    place = found[0]
    return Place(place.province, place.city)


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
    ordered = sorted(topics_by_phrase, key=len, reverse=True)
    return re.compile("|".join(re.escape(phrase) for phrase in ordered)), topics_by_phrase


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
