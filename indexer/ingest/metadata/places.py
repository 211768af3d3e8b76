"""Place: the province and city a document is about, weighed from where place names stand.

Parts: ``find_place`` — gazetteer mentions (``indexer.text.places``) weighed by where they
stand: title, occasion, byline and issuing body (临沂市总工会, 滨州日报) far above passing
mentions in the body; a provincial body (省直机关工会) keeps no city; body mentions alone
count only when the text speaks of itself (全市, 我省).
"""

from __future__ import annotations

import re
from collections import Counter

from indexer.ingest.wordlists import alternation
from indexer.text import lexicon
from indexer.text.places import Place, place_matches, place_mentions

_PROVINCIAL_BODY = re.compile(f"({alternation('metadata/provincial_bodies')})")
_CITY_BODY = re.compile(f"({alternation('metadata/city_bodies')})")
_ISSUER_SUFFIX = re.compile(
    r"(市|州|盟|地区)?(总工会|日报|晚报|新闻网|电视台|广播|工会|人民政府|政府|市委|委员会|人大)"
)
# How a text speaks of its own place (全市各级工会, 我省): without such words and
# without a place in the title or byline, body mentions are places visited or cited.
_CITY_SELF = re.compile(alternation("metadata/city_self"))
_PROVINCE_SELF = re.compile(alternation("metadata/province_self"))


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
