"""Search figures (quantitative indicators): query → matching figures with filters, sorting and paging.

The query is read as for passages (``parse_query``: normalisation, synonyms, numerals) and matched
against the indicator (weighted higher, word and bigram channels) and where the figure comes from
(title, place, year; word channel).
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as Q
from whoosh import sorting

from indexer.search import (
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
    facets = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in ("year", "city", "kind", "unit")}

    def run(current):
        return figures.search_page(
            current, page, pagelen=per_page, filter=restrict, sortedby=sortedby, groupedby=facets, terms=False
        )

    results = run(whoosh_query)
    if results.total == 0 and len(parsed.concepts) > 1:
        # Nothing has every word: rank figures by how many of the words they have.
        relaxed = True
        results = run(Q.Or([concept_query(concept, FIGURE_CHANNELS) for concept in parsed.concepts]))
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
            score=float(hit.score) if isinstance(hit.score, int | float) else 0.0,
        )
        for hit in results
        for stored in (hit.fields(),)
    )
    facet_counts = {
        name: sorted(
            ((str(value), int(count)) for value, count in results.results.groups(name).items() if value),
            key=lambda item: (-item[1], item[0]),
        )
        for name in facets
    }
    return FigureResult(
        query=query,
        total=results.total,
        page=results.pagenum,
        per_page=per_page,
        hits=hits,
        parsed=tuple(concept.label() for concept in parsed.concepts),
        relaxed=relaxed,
        filters=clean,
        facets=facet_counts,
    )
