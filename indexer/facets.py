"""Facet counts from sets of document numbers, with per-generation caches of each facet's postings.

Whoosh's own grouping re-reads columns and, for a multi-valued field, every posting of the field on
each search. Here each facet value's documents are read once per index generation (a frozenset per
value), so counting a result set is a set intersection per value, and counting a facet as if its own
filter were off (disjunctive facets) needs no second search.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class FacetPostings:
    """The documents of every value of every facet field, and per-document columns, for one generation."""

    values: dict[str, dict[str, frozenset[int]]]  # facet → value → document numbers
    doc_ids: tuple[str, ...]  # document number → doc_id
    dates: tuple[str, ...]  # document number → date ("" when unknown)
    doc_count: int
    live: frozenset[int]  # document numbers not deleted


def load(reader, facets: tuple[str, ...]) -> FacetPostings:
    """Read the postings of every value of the facet fields (once per generation)."""
    values: dict[str, dict[str, frozenset[int]]] = {}
    for name in facets:
        per_value = {}
        if name in reader.schema:
            for term in reader.lexicon(name):
                text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                per_value[text] = frozenset(reader.postings(name, term).all_ids())
        values[name] = per_value
    doc_count = reader.doc_count_all()
    doc_ids = _column(reader, "doc_id", doc_count)
    dates = _column(reader, "date", doc_count)
    return FacetPostings(values, doc_ids, dates, doc_count, frozenset(reader.all_doc_ids()))


def _column(reader, name: str, doc_count: int) -> tuple[str, ...]:
    """Return a column's value for every document ("" where a segment left it out).

    Each distinct value is kept once: a document's passages share its doc_id and date, and a million
    passages would otherwise hold a million copies.
    """
    column = reader.column_reader(name)
    found = []
    distinct: dict[str, str] = {"": ""}
    for number in range(doc_count):
        try:
            value = column[number] or ""
        except IndexError:  # a segment whose last documents had no value writes a shorter column
            value = ""
        found.append(distinct.setdefault(value, value))
    return tuple(found)


def allowed(postings: FacetPostings, filters: dict[str, tuple[str, ...]], *, skip: str | None = None):
    """Return the documents the filters allow (None when no filter applies): OR within, AND across."""
    result: set[int] | None = None
    for name, selected in filters.items():
        if name == skip:
            continue
        union: set[int] = set()
        for value in selected:
            union |= postings.values.get(name, {}).get(value, frozenset())
        result = union if result is None else result & union
    return result


def counts(postings: FacetPostings, name: str, documents: set[int]) -> list[tuple[str, int]]:
    """Return (value, count) of a facet over a set of documents, values with no document left out."""
    found = []
    for value, members in postings.values.get(name, {}).items():
        count = len(documents & members) if len(members) < len(documents) else len(members & documents)
        if count:
            found.append((value, count))
    return found


def per_document(postings: FacetPostings, documents: set[int]) -> Counter:
    """Return doc_id → number of its passages among the documents."""
    return Counter(postings.doc_ids[number] for number in documents)
