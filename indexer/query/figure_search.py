"""Search figures (quantitative indicators): query → matching figures with filters, sorting and paging.

The query is read as for passages (``parse_query``: normalisation, synonyms, numerals) and matched
against the indicator (weighted higher, word and bigram channels) and where the figure comes from
(title, place, year; word channel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q

from indexer.query import facets as facet_sets
from indexer.query import match
from indexer.query.compose import FIGURE_CHANNELS, concept_query, excluded_query
from indexer.query.filters import clamp_page, figure_filters
from indexer.query.index import IndexHandle
from indexer.query.parse import QueryError, parse_query

FACET_NAMES = ("year", "city", "kind", "measure", "unit")
SORTS = ("relevance", "value", "year", "place")


@dataclass(frozen=True)
class FigureHit:
    """One figure in a result list, with where it comes from."""

    indicator: str
    value: float
    unit: str
    approx: str
    kind: str
    year: str
    province: str
    city: str
    doc_id: str
    title: str
    source: str
    sentence: str
    passage_id: str
    ordinal: int
    date: str
    score: float
    measure: str = ""
    year_from: int | None = None
    report_year: str = ""

    def as_dict(self) -> dict:
        """Return the JSON shape of /api/figures results."""
        return {
            "indicator": self.indicator,
            "value": self.value,
            "unit": self.unit,
            "approx": self.approx,
            "kind": self.kind,
            "year": int(self.year) if self.year.isdigit() else None,
            "year_from": self.year_from,
            "report_year": int(self.report_year) if self.report_year.isdigit() else None,
            "measure": self.measure,
            "province": self.province,
            "city": self.city,
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "sentence": self.sentence,
            "passage_id": self.passage_id,
            "date": self.date,
        }


@dataclass(frozen=True)
class FigureResult:
    """A page of figures."""

    query: str
    total: int
    page: int
    per_page: int
    hits: tuple[FigureHit, ...]
    parsed: tuple[str, ...]
    relaxed: bool
    filters: dict[str, tuple[str, ...]]
    facets: dict[str, list[tuple[str, int]]]

    def as_dict(self) -> dict:
        """Return the JSON shape of /api/figures."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "parsed": list(self.parsed),
            "relaxed": self.relaxed,
            "filters": {name: list(values) for name, values in self.filters.items()},
            "facets": {
                name: [{"value": value, "count": count} for value, count in values]
                for name, values in self.facets.items()
            },
            "results": [hit.as_dict() for hit in self.hits],
        }


def _ordered(counted) -> list[tuple[str, int]]:
    return sorted(((value, count) for value, count in counted if value), key=lambda item: (-item[1], item[0]))


def sort_order(handle: IndexHandle, sort: str, scores: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """Return the order of the matches for a sort; ties by figure number.

    ``relevance``: best score first; ``value``: highest value first (no value last); ``year``: latest
    year first (no year last), then best score; ``place``: province, city, year in byte order (no value
    first).
    """
    if sort == "relevance":
        return np.lexsort((numbers, -scores))
    if sort == "value":
        places, count = handle.figure_value_places
        return np.lexsort((numbers, count - places[numbers]))
    ranks = handle.figure_ranks
    if sort == "year":
        return np.lexsort((numbers, -scores, -ranks["year"][numbers]))
    return np.lexsort((numbers, *(ranks[name][numbers] for name in ("year", "city", "province"))))


def _figure_query(parsed) -> Q.Query:
    """Return the query of the figures: every concept in the indicator or where the figure comes from."""
    parts = [concept_query(concept, FIGURE_CHANNELS) for concept in parsed.concepts]
    query = Q.And(parts) if len(parts) > 1 else parts[0]
    excluded = excluded_query(parsed, FIGURE_CHANNELS)
    return Q.AndNot(query, excluded) if excluded is not None else query


def _matches(handle: IndexHandle, query: Q.Query, filters: dict, sort: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (scores, figure numbers) of the matches the filters allow, in the sort's order."""
    postings = handle.figure_facets
    if isinstance(query, Q.Every):  # browsing by filters: every figure, all scored alike
        numbers = np.flatnonzero(postings.live)
        scores = np.ones(numbers.size, dtype=np.float64)
    else:
        scores, numbers = match.scored(handle.figure_arrays, handle.figure_searcher(), query)
    allowed = facet_sets.allowed(postings, filters)
    if allowed is not None:
        keep = allowed[numbers]
        scores, numbers = scores[keep], numbers[keep]
    if numbers.size:
        order = sort_order(handle, sort, scores, numbers)
        scores, numbers = scores[order], numbers[order]
    return scores, numbers


def search_figures(
    handle: IndexHandle,
    query: str,
    *,
    filters: dict | None = None,
    page: int = 1,
    per_page: int = 20,
    sort: str = "relevance",
) -> FigureResult:
    """Return one page of figures matching a query (indicator, title, place) and filters.

    When no figure has every word, figures are ranked by how many of the words they have (``relaxed``).
    """
    if sort not in SORTS:
        raise QueryError("排序方式应为 relevance、value、year 或 place / sort must be relevance, value, year or place")
    page, per_page = clamp_page(page, per_page)
    clean = figure_filters(filters or {})
    parsed = parse_query(query)
    if parsed.concepts:
        whoosh_query = _figure_query(parsed)
    elif clean:
        whoosh_query = Q.Every()
    else:
        return FigureResult(query, 0, page, per_page, (), (), False, clean, {})
    scores, numbers = _matches(handle, whoosh_query, clean, sort)
    relaxed = False
    if not numbers.size and len(parsed.concepts) > 1:
        relaxed = True
        either = Q.Or([concept_query(concept, FIGURE_CHANNELS) for concept in parsed.concepts])
        scores, numbers = _matches(handle, either, clean, sort)
    total = int(numbers.size)
    page_number = min(math.ceil(total / per_page), page)
    offset = max(0, (page_number - 1) * per_page)
    matched = handle.figure_facets.mask(numbers)
    facet_counts = {name: _ordered(facet_sets.counts(handle.figure_facets, name, matched)) for name in FACET_NAMES}
    searcher = handle.figure_searcher()
    hits = tuple(
        _figure_hit(searcher.stored_fields(number), score)
        for number, score in zip(
            numbers[offset : offset + per_page].tolist(), scores[offset : offset + per_page].tolist(), strict=True
        )
    )
    return FigureResult(
        query=query,
        total=total,
        page=page_number,
        per_page=per_page,
        hits=hits,
        parsed=tuple(concept.label() for concept in parsed.concepts),
        relaxed=relaxed,
        filters=clean,
        facets=facet_counts,
    )


def matching_figures(handle: IndexHandle, query: str, filters: dict, *, limit: int) -> list[FigureHit]:
    """Return up to ``limit`` figures holding every word of a query, best first (filters already clean)."""
    parsed = parse_query(query)
    if not parsed.concepts:
        return []
    scores, numbers = _matches(handle, _figure_query(parsed), filters, "relevance")
    searcher = handle.figure_searcher()
    return [
        _figure_hit(searcher.stored_fields(number), score)
        for number, score in zip(numbers[:limit].tolist(), scores[:limit].tolist(), strict=True)
    ]


def _figure_hit(stored: dict, score: float) -> FigureHit:
    return FigureHit(
        indicator=stored.get("indicator", ""),
        value=float(stored.get("value", 0.0)),
        unit=stored.get("unit", ""),
        approx=stored.get("approx", ""),
        kind=stored.get("kind", ""),
        year=stored.get("year", ""),
        province=stored.get("province", ""),
        city=stored.get("city", ""),
        doc_id=stored.get("doc_id", ""),
        title=stored.get("title", ""),
        source=stored.get("source", ""),
        sentence=stored.get("sentence", ""),
        passage_id=stored.get("passage_id", ""),
        ordinal=int(stored.get("ordinal", 0)),
        date=stored.get("date", ""),
        score=score,
        measure=stored.get("measure", ""),
        year_from=stored.get("year_from"),
        report_year=stored.get("report_year", ""),
    )
