"""Issuer: the 发文机关 of a document and where it sits.

Parts: ``issuer_from_value`` (front matter), ``issuer_from_enactment`` (a law's enactment
line), ``issuer_from_title`` (the bodies before 关于/印发) and ``issuer_from_head`` (a report's
byline or 我代表…人民政府) → ``issuer_place`` (where the issuer sits; a central body, listed in
``data/central_bodies.txt`` or a ministry, makes a document national: ``is_central_body``).
"""

from __future__ import annotations

import functools
import re

from indexer.ingest.wordlists import alternation
from indexer.text import lexicon
from indexer.text.places import Place, place_mentions

_BODY_SUFFIX = f"(?:{alternation('metadata/body_suffixes')})"
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
