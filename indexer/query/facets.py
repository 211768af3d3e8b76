"""Facet counts over boolean masks of passages, from per-generation arrays of each facet's postings.

Whoosh's own grouping re-reads columns and, for a multi-valued field, every posting of the field on
each search. Here every (passage, value) pair of each facet is read once per index generation into
two numpy arrays, so counting a result set is one gather and one ``bincount`` per facet, and counting
a facet as if its own filter were off (disjunctive facets) needs no second search. Result sets are
boolean masks over passage numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FacetPostings:
    """Every facet's (passage, value) pairs and per-passage columns, for one generation."""

    values: dict[str, list[str]]  # facet → its values (a value's number is its place here)
    pairs: dict[str, tuple[np.ndarray, np.ndarray]]  # facet → (passage numbers, value numbers)
    doc_ids: tuple[str, ...]  # passage number → doc_id
    document_of: np.ndarray  # passage number → number of its doc_id in ``documents``
    documents: tuple[str, ...]  # distinct doc_ids
    dates: tuple[str, ...]  # passage number → date ("" when unknown)
    date_rank: np.ndarray  # passage number → rank of its date (later dates rank higher; "" lowest)
    doc_count: int
    live: np.ndarray  # passage number → not deleted

    def passages_of(self, doc_ids) -> np.ndarray:
        """Return the mask of the passages of the given documents (doc_ids)."""
        wanted = np.array([doc_id in doc_ids for doc_id in self.documents], dtype=bool)
        return wanted[self.document_of]

    def mask(self, numbers) -> np.ndarray:
        """Return a mask with the given passage numbers set."""
        found = np.zeros(self.doc_count, dtype=bool)
        found[np.asarray(numbers, dtype=np.int64)] = True
        return found


def load(reader, facets: tuple[str, ...], *, documents: bool = True) -> FacetPostings:
    """Read the postings of every value of the facet fields (once per generation).

    ``documents``: also read the doc_id and date columns (passages; figures have none).
    """
    values: dict[str, list[str]] = {}
    pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in facets:
        names, numbers, owners = [], [], []
        if name in reader.schema:
            for term in reader.lexicon(name):
                text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                found = np.fromiter(reader.postings(name, term).all_ids(), dtype=np.int64)
                numbers.append(found)
                owners.append(np.full(found.size, len(names), dtype=np.int32))
                names.append(text)
        values[name] = names
        pairs[name] = (
            np.concatenate(numbers) if numbers else np.zeros(0, np.int64),
            np.concatenate(owners) if owners else np.zeros(0, np.int32),
        )
    doc_count = reader.doc_count_all()
    doc_ids = _column(reader, "doc_id", doc_count) if documents else ()
    distinct = tuple(dict.fromkeys(doc_ids))
    number_of = {doc_id: number for number, doc_id in enumerate(distinct)}
    dates = _column(reader, "date", doc_count) if documents else ()
    distinct_dates = sorted(set(dates))
    rank_of = {date: rank for rank, date in enumerate(distinct_dates)}
    live = np.zeros(doc_count, dtype=bool)
    live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    return FacetPostings(
        values=values,
        pairs=pairs,
        doc_ids=doc_ids,
        document_of=np.array([number_of[doc_id] for doc_id in doc_ids], dtype=np.int32),
        documents=distinct,
        dates=dates,
        date_rank=np.array([rank_of[date] for date in dates], dtype=np.int32),
        doc_count=doc_count,
        live=live,
    )


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


NATIONAL = "全国"  # the province filter's value for national documents (no province)


def allowed(postings: FacetPostings, filters: dict[str, tuple[str, ...]], *, skip: str | None = None):
    """Return the mask of passages the filters allow (None when no filter applies): OR within, AND across."""
    result: np.ndarray | None = None
    for name, selected in filters.items():
        if name == skip:
            continue
        names = postings.values.get(name, [])
        wanted = np.zeros(len(names) + 1, dtype=bool)
        for number, value in enumerate(names):
            wanted[number] = value in selected
        numbers, owners = postings.pairs.get(name, (np.zeros(0, np.int64), np.zeros(0, np.int32)))
        union = postings.mask(numbers[wanted[owners]])
        if name == "province" and NATIONAL in selected:  # 全国: the documents of no province
            union |= postings.live & ~postings.mask(numbers)
        result = union if result is None else result & union
    return result


def counts(postings: FacetPostings, name: str, documents: np.ndarray) -> list[tuple[str, int]]:
    """Return (value, count) of a facet over a mask of passages, values with no passage left out."""
    names = postings.values.get(name, [])
    if not names:
        return []
    numbers, owners = postings.pairs[name]
    counted = np.bincount(owners[documents[numbers]], minlength=len(names))
    return [(names[number], int(counted[number])) for number in np.flatnonzero(counted)]


def per_document(postings: FacetPostings, documents: np.ndarray) -> np.ndarray:
    """Return, for each distinct doc_id, the number of its passages in the mask."""
    return np.bincount(postings.document_of[documents], minlength=len(postings.documents))
