"""Place names: the gazetteer of provinces and prefecture-level cities, looked up in text and in filters.

Parts:

* ``Place`` — a province and a city (either may be empty).
* ``place_mentions`` — gazetteer places named in a text, leftmost-longest; an everyday word that is
  also a short place name (``data/ambiguous_places.txt``: 安康杯) counts only with its suffix.
* ``place_name_variants`` — the other names of a place (三明市 → 三明).
* ``normalise_place`` — what a free-text place name (山东, 临沂市, 延边州) stands for: filters accept short forms.
* ``with_municipality_city`` — a municipality is province and city at once (北京市).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from indexer.text import lexicon


@dataclass(frozen=True)
class Place:
    """Where a document is from: province and prefecture-level city (either may be empty)."""

    province: str = ""
    city: str = ""


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
    for place in lexicon.places():
        for seat in _seat_names(place):
            if seat not in by_name:
                by_name[seat] = [place]
                full_names.add(seat)
    ambiguous = lexicon.ambiguous_place_names()
    names = sorted(by_name, key=len, reverse=True)
    # An everyday word that is also a short place name (安康杯, 长治久安) counts only
    # with its suffix (安康市), so it is left out of the short forms here.
    names = [name for name in names if name in full_names or name not in ambiguous]
    pattern = re.compile("|".join(re.escape(name) for name in names))
    places_by_name = {name: tuple(found) for name, found in by_name.items()}
    return _Gazetteer(pattern, places_by_name, frozenset(full_names))


def _seat_names(place: lexicon.Place) -> list[str]:
    """Return the county-level city that seats a prefecture not named 市 (文山市 of 文山壮族苗族自治州, 和田市
    of 和田地区): it shares the prefecture's short name, and a report of that city is the prefecture's place."""
    if not place.city or place.city.endswith("市") or place.status == "former":
        return []
    return [name + "市" for name in place.names[1:] if not name.endswith(("州", "市", "盟", "地区"))]


def place_name_variants(name: str) -> list[str]:
    """Return the other names of the place a whole word names (三明市 → 三明; 延边 → 延边朝鲜族自治州, 延边州)."""
    gazetteer = _gazetteer()
    ambiguous = lexicon.ambiguous_place_names()
    variants: list[str] = []
    for place in gazetteer.places_by_name.get(name, ()):
        variants.extend(other for other in place.names if other != name and other not in ambiguous)
    return list(dict.fromkeys(variants))


def _resolve(name: str) -> lexicon.Place:
    """Return the place a matched gazetteer name stands for (吉林 the province, 吉林市 the city)."""
    candidates = _gazetteer().places_by_name[name]
    if len(candidates) > 1:
        exact = [place for place in candidates if place.names[0] == name]
        provinces = [place for place in candidates if not place.city]
        current = [place for place in candidates if place.status != "former"]
        candidates = exact or provinces or current or candidates
    return candidates[0]


def place_matches(text: str):
    """Yield (place, match) for each gazetteer name in text, in order (leftmost-longest)."""
    for match in _gazetteer().pattern.finditer(text):
        yield _resolve(match.group()), match


def place_mentions(text: str) -> list[lexicon.Place]:
    """Return the gazetteer places named in text, in order (leftmost-longest)."""
    return [place for place, _ in place_matches(text)]


def with_municipality_city(place: Place) -> Place:
    """Give a municipality's document its city too (北京市 is province and city), so either filter finds it."""
    if place.province and not place.city:
        municipal = any(row.city == place.province for row in lexicon.places() if row.province == place.province)
        if municipal:
            return Place(place.province, place.province)
    return place


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


def place_named(word: str) -> Place | None:
    """Return the place a whole word names (滨州, 山东省), None for any other word or an everyday word
    that is also a short place name (安康)."""
    word = word.strip()
    if word not in _gazetteer().places_by_name or word in lexicon.ambiguous_place_names():
        return None
    return normalise_place(word)
