"""Precedents by place: the passages a search finds, grouped by where they come from, and where it started.

``search_places`` takes the parameters of ``search_passages`` and groups the very passages it counts in ``total``
(``passages.matching_passages``) by place: a city document is its city, a provincial one its province, a
document of no province is 全国 (``level`` national). Each place says how many documents and passages speak of
the query, in which years, and its best passage (the first in the ranking). The places' passages add up to the
search's ``total``, each place's years (a year-less passage under ``None``) to its passages.

The earliest documents that speak of it (``first``: by date, among the passages that hold what the best-ranked
passage holds) say where it started.

Sorts: ``relevance`` (the best passage's rank), ``first_year`` (earliest first; no year last) and ``documents``
(most documents first); ties keep the relevance order.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

import numpy as np

from indexer.query.facets import NATIONAL
from indexer.query.filters import normalise_filters
from indexer.query.highlight import snippet
from indexer.query.index import IndexHandle
from indexer.query.parse import QueryError
from indexer.query.passages import matching_passages

SORTS = ("relevance", "first_year", "documents")
BEST_PASSAGES = 100  # places that carry their best passage (the rest: counts and years only)
FIRST_MENTIONS = 10


@dataclass(frozen=True)
class Place:
    """One place that speaks of a query."""

    province: str
    city: str
    level: str  # national, province or city
    documents: int
    passages: int
    years: tuple[tuple[int | None, int], ...]  # (year, passages), earliest first; None: no year
    best: dict | None  # its best-ranked passage (None past the ``limit`` of places that carry one)
    best_number: int = -1  # that passage's number in the index

    @property
    def name(self) -> str:
        return self.city or self.province or NATIONAL

    @property
    def first_year(self) -> int | None:
        return next((year for year, _ in self.years if year is not None), None)

    @property
    def last_year(self) -> int | None:
        return next((year for year, _ in reversed(self.years) if year is not None), None)

    def as_dict(self) -> dict:
        """Return the JSON shape of one place in /api/places."""
        return {
            "province": self.province or NATIONAL,
            "city": self.city,
            "level": self.level,
            "documents": self.documents,
            "passages": self.passages,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "years": [{"year": year, "passages": count} for year, count in self.years],
            "best": self.best,
        }


@dataclass(frozen=True)
class PlacesResult:
    """The places of a query and where it started."""

    query: str
    total: int  # passages, as /api/search's total
    places: tuple[Place, ...]
    first: tuple[dict, ...]
    filters: dict[str, tuple[str, ...]]

    def as_dict(self) -> dict:
        """Return the JSON shape of /api/places."""
        return {
            "query": self.query,
            "total": self.total,
            "total_places": len(self.places),
            "filters": {name: list(values) for name, values in self.filters.items()},
            "places": [place.as_dict() for place in self.places],
            "first": list(self.first),
        }


def search_places(
    handle: IndexHandle,
    query: str,
    *,
    filters: dict | None = None,
    sort: str = "relevance",
    limit: int = BEST_PASSAGES,
) -> PlacesResult:
    """Return the places whose documents speak of a query (the passages of ``search_passages``), sorted; the
    first ``limit`` places carry their best passage (snippet and text), the others ``best`` None."""
    if sort not in SORTS:
        raise QueryError(
            "排序方式应为 relevance、first_year 或 documents / sort must be relevance, first_year or documents"
        )
    clean = normalise_filters(filters or {})
    understood, found, _ = matching_passages(handle, query, clean)
    numbers = found.numbers
    if not numbers.size:
        return PlacesResult(query, 0, (), (), clean)
    places = _sorted(_places(handle, numbers), sort)
    needles = [needle for concept in understood.concepts if not concept.optional for needle in concept.needles()]
    searcher = handle.searcher()
    shown = tuple(
        replace(place, best=_passage(searcher.stored_fields(place.best_number), needles)) if rank < limit else place
        for rank, place in enumerate(places)
    )
    return PlacesResult(query, int(numbers.size), shown, _first_mentions(handle, found, needles), clean)


def _places(handle: IndexHandle, numbers: np.ndarray) -> list[Place]:
    """Return the places of the passages (best first), in the order of their best passage."""
    columns, values = handle.place_columns, handle.facet_postings.values
    province_names, city_names, year_names = (values.get(name, []) for name in ("province", "city", "year"))
    provinces, cities, years = (columns[name][numbers] for name in ("province", "city", "year"))
    # A place: its city if it has one, else its province, else 全国.
    keys = np.where(cities >= 0, cities + 1 + len(province_names), provinces + 1)
    _, first_index, inverse = np.unique(keys, return_index=True, return_inverse=True)
    count = first_index.size
    passages = np.bincount(inverse, minlength=count)
    documents_of = handle.facet_postings.document_of[numbers].astype(np.int64)
    pairs = np.unique(inverse.astype(np.int64) * (int(documents_of.max()) + 1) + documents_of)
    documents = np.bincount(pairs // (int(documents_of.max()) + 1), minlength=count)
    year_pairs, year_counts = np.unique(
        inverse.astype(np.int64) * (len(year_names) + 1) + years + 1, return_counts=True
    )
    by_place: list[list[tuple[int | None, int]]] = [[] for _ in range(count)]
    for pair, counted in zip(year_pairs.tolist(), year_counts.tolist(), strict=True):
        place, value = divmod(pair, len(year_names) + 1)
        by_place[place].append((int(year_names[value - 1]) if value else None, counted))
    found = []
    for place in np.argsort(first_index, kind="stable").tolist():
        best = int(first_index[place])
        province, city = int(provinces[best]), int(cities[best])
        found.append(
            Place(
                province=province_names[province] if province >= 0 else "",
                city=city_names[city] if city >= 0 else "",
                level="city" if city >= 0 else "province" if province >= 0 else "national",
                documents=int(documents[place]),
                passages=int(passages[place]),
                years=tuple(sorted(by_place[place], key=lambda item: (item[0] is None, item[0] or 0))),
                best=None,
                best_number=int(numbers[best]),
            )
        )
    return found


def _sorted(places: list[Place], sort: str) -> list[Place]:
    if sort == "first_year":
        return sorted(places, key=lambda place: (place.first_year is None, place.first_year or 0))
    if sort == "documents":
        return sorted(places, key=lambda place: -place.documents)
    return places


def _passage(stored: dict, needles: list[str]) -> dict:
    """Return the JSON shape of a place's best passage (or a first mention)."""
    text = stored.get("text", "")
    year = stored.get("year", "")
    return {
        "id": stored.get("id", ""),
        "doc_id": stored.get("doc_id", ""),
        "ordinal": int(stored.get("ordinal", 0)),
        "title": stored.get("title", ""),
        "year": int(year) if str(year).isdigit() else None,
        "date": stored.get("date", ""),
        "province": stored.get("province", ""),
        "city": stored.get("city", ""),
        "snippet": snippet(text, needles) if needles else html.escape(text[:160]),
        "text": text,
        "source": stored.get("source", ""),
    }


def _first_mentions(handle: IndexHandle, found, needles: list[str]) -> tuple[dict, ...]:
    """Return the earliest documents that speak of the query (dated first, by date; one passage each)."""
    postings = handle.facet_postings
    numbers = found.numbers
    # Where it started: passages holding at least what the best-ranked passage holds (not one word of several).
    wanted = sum(1 << number for number, concept in enumerate(found.concepts) if not concept.optional)
    if wanted and found.bits.size == numbers.size:
        best = int(found.bits[0]) & wanted
        numbers = numbers[(found.bits & best) == best]
    dated = numbers[postings.date_rank[numbers] != handle.undated_rank]
    if not dated.size:
        return ()
    order = np.lexsort((np.arange(dated.size), postings.date_rank[dated]))
    seen: set[int] = set()
    first = []
    searcher = handle.searcher()
    for number in dated[order].tolist():
        document = int(postings.document_of[number])
        if document in seen:
            continue
        seen.add(document)
        first.append(_passage(searcher.stored_fields(number), needles))
        if len(first) == FIRST_MENTIONS:
            break
    return tuple(first)
