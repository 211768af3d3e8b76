"""Filters and paging: what a request may restrict and how far it may page, checked once for every caller.

Parts:

* ``PASSAGE_FILTERS`` / ``FIGURE_FILTERS`` — URL parameter → index field, the one map the API, the
  HTML pages, the exports and the command line read.
* ``normalise_filters`` / ``figure_filters`` — values cleaned: everyday place names expanded (济宁 →
  济宁市, 山东 → 山东省), years checked, figure kinds checked; an unknown filter is an error.
* ``clamp_page`` — page and page size clamped to what a search serves.
"""

from __future__ import annotations

import re

from indexer.query.parse import QueryError
from indexer.store.schema import FACETS
from indexer.text import places

MAX_PER_PAGE = 100
MAX_PAGE = 1000
# URL parameter → index field (``type`` is the document type).
FIGURE_MEASURES = ("level", "change", "share", "count")
PASSAGE_FILTERS = {"year": "year", "province": "province", "city": "city", "topic": "topic", "type": "doc_type"}
FIGURE_FILTERS = {
    "year": "year",
    "report_year": "report_year",
    "province": "province",
    "city": "city",
    "kind": "kind",
    "unit": "unit",
    "measure": "measure",
}
FIGURE_KINDS = ("actual", "target")


def clamp_page(page: int, per_page: int) -> tuple[int, int]:
    """Return (page, per_page) clamped to 1…MAX_PAGE and 1…MAX_PER_PAGE."""
    return min(max(1, page), MAX_PAGE), min(max(1, per_page), MAX_PER_PAGE)


def normalise_filters(
    filters: dict[str, list[str] | tuple[str, ...]], allowed: tuple[str, ...] = FACETS
) -> dict[str, tuple[str, ...]]:
    """Return filters with everyday place names expanded (济宁 → 济宁市, 山东 → 山东省)."""
    clean: dict[str, tuple[str, ...]] = {}
    for name, values in filters.items():
        if name not in allowed:
            raise QueryError(f"未知的筛选条件 {name} / unknown filter {name}")
        found = []
        for value in values:
            value = value.strip()
            if not value:
                continue
            if name == "city":
                # A municipality is its own city too (重庆 → 重庆市).
                value = places.with_municipality_city(places.normalise_place(value)).city or value
            elif name == "province":
                value = places.normalise_place(value).province or value
            elif name in ("year", "report_year") and not re.fullmatch(r"\d{4}", value):
                raise QueryError(f"年份应为四位数字：{value} / year must be four digits: {value}")
            elif name == "kind" and value not in FIGURE_KINDS:
                raise QueryError(f"kind 应为 actual 或 target：{value[:20]} / kind must be actual or target")
            elif name == "measure" and value not in FIGURE_MEASURES:
                raise QueryError(
                    f"measure 应为 level、change、share 或 count：{value[:20]} / "
                    "measure must be level, change, share or count"
                )
            found.append(value)
        if found:
            clean[name] = tuple(dict.fromkeys(found))
    return clean


def figure_filters(filters: dict) -> dict[str, tuple[str, ...]]:
    """Return the filters of a figure search, cleaned as ``normalise_filters`` cleans them."""
    return normalise_filters(filters, allowed=tuple(FIGURE_FILTERS.values()))
