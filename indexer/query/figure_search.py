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
from whoosh import sorting

from indexer.query import facets as facet_sets
from indexer.query import fastmatch
from indexer.query.search import (
    FIGURE_CHANNELS,
    MAX_PAGE,
    MAX_PER_PAGE,
    QueryError,
    Searcher,
    concept_query,
    filter_query,
    normalise_filters,
    parse_query,
)

KINDS = ("actual", "target")
FACET_NAMES = ("year", "city", "kind", "unit")
SORTS = ("relevance", "value", "year", "place")
FILTERS = ("year", "province", "city", "kind", "unit")


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

    def as_dict(self) -> dict:
        """Return the JSON shape of /api/figures results."""
        return {
            "indicator": self.indicator,
            "value": self.value,
            "unit": self.unit,
            "approx": self.approx,
            "kind": self.kind,
            "year": int(self.year) if self.year.isdigit() else None,
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


def _clean_filters(filters: dict) -> dict[str, tuple[str, ...]]:
    kinds = [value for value in filters.get("kind", ()) if value]
    for kind in kinds:
        if kind not in KINDS:
            raise QueryError(f"kind 应为 actual 或 target：{kind[:20]} / kind must be actual or target")
    place_and_year = {name: values for name, values in filters.items() if name in ("year", "province", "city")}
    clean = normalise_filters(place_and_year, allowed=("year", "province", "city"))
    if kinds:
        clean["kind"] = tuple(dict.fromkeys(kinds))
    units = [value.strip() for value in filters.get("unit", ()) if value.strip()]
    if units:
        clean["unit"] = tuple(dict.fromkeys(units))
    unknown = set(filters) - set(FILTERS)
    if unknown:
        name = sorted(unknown)[0]
        raise QueryError(f"未知的筛选条件 {name} / unknown filter {name}")
    return clean


def _ordered(counted) -> list[tuple[str, int]]:
    return sorted(((value, count) for value, count in counted if value), key=lambda item: (-item[1], item[0]))


def _sorted(searcher: Searcher, sort: str, scores: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """Return the order of matches Whoosh's ``sortedby`` gives: its sort keys, ties by figure number.

    Its keys: ``value`` reversed (the number of distinct values less the value's place among them);
    ``year`` reversed (0 - the year's place among all the index's years, no year lowest) then the score
    (0 - score); ``place``: province, city, year as bytes, no value first.
    """
    if sort == "value":
        places, count = searcher.figure_value_places()
        return np.lexsort((numbers, count - places[numbers]))
    ranks = searcher.figure_ranks()
    if sort == "year":
        return np.lexsort((numbers, -scores, -ranks["year"][numbers]))
    return np.lexsort((numbers, *(ranks[name][numbers] for name in ("year", "city", "province"))))


def _fast_page(searcher: Searcher, figures, query, clean: dict, page: int, per_page: int, sort: str):
    """Return ``run``'s answer from the fast matcher; None when Whoosh must answer.

    What Whoosh's ``search_page`` gives with a filter, a sort and grouped facets: the matches the
    filters allow, in the sort's order (relevance: best first; ties by figure number), the page number
    clamped to the pages there are.
    """
    arrays, postings = searcher.figure_tools()
    if isinstance(query, Q.Every):  # browsing by filters: every figure, all scored alike
        numbers = np.flatnonzero(postings.live)
        scores = np.ones(numbers.size, dtype=np.float64)
    else:
        try:
            # Whoosh's sort by year, then score, reads each match's score as it collects.
            scores, numbers = fastmatch.FastMatcher(arrays, figures, needs_current=sort == "year").scored(query)
        except fastmatch.Unsupported:
            return None
    allowed = facet_sets.allowed(postings, clean)
    if allowed is not None:
        keep = allowed[numbers]
        scores, numbers = scores[keep], numbers[keep]
    if sort != "relevance" and numbers.size:
        order = _sorted(searcher, sort, scores, numbers)
        scores, numbers = scores[order], numbers[order]
    total = int(numbers.size)
    page_number = min(math.ceil(total / per_page), page)
    offset = max(0, (page_number - 1) * per_page)
    chosen = list(
        zip(numbers[offset : offset + per_page].tolist(), scores[offset : offset + per_page].tolist(), strict=True)
    )
    matched = postings.mask(numbers)
    counts = {name: _ordered(facet_sets.counts(postings, name, matched)) for name in FACET_NAMES}
    return total, page_number, chosen, counts


def search_figures(
    searcher: Searcher,
    query: str,
    *,
    filters: dict | None = None,
    page: int = 1,
    per_page: int = 20,
    sort: str = "relevance",
) -> FigureResult:
    """Return one page of figures matching a query (indicator, title, place) and filters."""
    with searcher.one_generation():
        return _search_figures(searcher, query, filters=filters, page=page, per_page=per_page, sort=sort)


def _search_figures(searcher: Searcher, query: str, *, filters, page: int, per_page: int, sort: str) -> FigureResult:
    if sort not in SORTS:
        raise QueryError("排序方式应为 relevance、value、year 或 place / sort must be relevance, value, year or place")
    page = min(max(1, page), MAX_PAGE)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    clean = _clean_filters(filters or {})
    parsed = parse_query(query)
    figures = searcher.figure_searcher()
    restrict = filter_query(clean)
    relaxed = False
    if parsed.concepts:
        parts = [concept_query(concept, FIGURE_CHANNELS) for concept in parsed.concepts]
        whoosh_query = Q.And(parts) if len(parts) > 1 else parts[0]
        excluded = [concept_query(concept, FIGURE_CHANNELS) for concept in parsed.excluded]
        if excluded:
            whoosh_query = Q.AndNot(whoosh_query, Q.Or(excluded))
    elif clean:
        whoosh_query = Q.Every()
    else:
        return FigureResult(query, 0, page, per_page, (), (), False, clean, {})
    sortedby = {
        "relevance": None,
        "value": sorting.FieldFacet("value", reverse=True),
        "year": [sorting.FieldFacet("year", reverse=True), sorting.ScoreFacet()],
        "place": [sorting.FieldFacet("province"), sorting.FieldFacet("city"), sorting.FieldFacet("year")],
    }[sort]
    facets = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACET_NAMES}

    def run(current) -> tuple[int, int, list[tuple[int, float]], dict[str, list[tuple[str, int]]]]:
        """Return (total, page number, [(figure number, score)] of the page, facet counts)."""
        fast = _fast_page(searcher, figures, current, clean, page, per_page, sort)
        if fast is not None:
            return fast
        results = figures.search_page(
            current, page, pagelen=per_page, filter=restrict, sortedby=sortedby, groupedby=facets, terms=False
        )
        counts = {
            name: _ordered((str(value), int(count)) for value, count in results.results.groups(name).items())
            for name in facets
        }
        chosen = [(hit.docnum, float(hit.score) if isinstance(hit.score, int | float) else 0.0) for hit in results]
        return results.total, results.pagenum, chosen, counts

    total, page_number, chosen, facet_counts = run(whoosh_query)
    if total == 0 and len(parsed.concepts) > 1:
        # Nothing has every word: rank figures by how many of the words they have.
        relaxed = True
        total, page_number, chosen, facet_counts = run(
            Q.Or([concept_query(concept, FIGURE_CHANNELS) for concept in parsed.concepts])
        )
    hits = tuple(
        FigureHit(
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
        )
        for number, score in chosen
        for stored in (figures.stored_fields(number),)
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
