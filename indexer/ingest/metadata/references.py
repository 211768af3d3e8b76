"""References: the 文号 a document gives itself and the 《titles》 it cites.

Parts: ``find_doc_number`` (on a short opening line or after a label such as 发文字号,
normalised to 总工发〔2023〕12号; a number right after a cited 《title》 is someone else's) and
``find_cites`` (the 《titles》 of the text, first mention first, its own title left out).
"""

from __future__ import annotations

import re

from indexer.ingest.wordlists import alternation

_DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）]"
    r"\s*第?\s*(?P<number>\d{1,5})\s*号"
)
_DOC_NUMBER_LABEL = re.compile(r"(?:发文字号|发文号|文号|字号)\s*[:：]?\s*$")
_CITED_AFTER = re.compile(r"[》”\"]\s*[（(]?\s*$")  # 《某通知》（国发〔2015〕33号）
_CITING_WORDS = re.compile(alternation("metadata/citing_words"))


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
