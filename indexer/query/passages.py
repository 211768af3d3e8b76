"""Search passages: a query and filters → one page of passages with facet counts, on one index generation.

Steps of ``search_passages``:

1. read the request: page clamped, filters normalised, the query parsed (``parse``);
2. match: every required concept (AND), scored (``match.scored``), duplicate copies left out; when no
   passage the filters allow has every word, the largest set of words that still matches is kept and
   the rest reported in ``dropped`` (``relax``), the dropped words still adding to the score;
3. order: by score, or by date (newest first); each document's best passages stand together;
4. the page's hits with highlighted snippets, and facet counts over every match (a facet with a value
   selected counted as if its own filter were off, so other values can be added).

``related_passages`` finds passages of other documents like a text (more-like-this).
"""

from __future__ import annotations

import html
import itertools
import time
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q

from indexer.query import facets as facet_sets
from indexer.query import match
from indexer.query.compose import compose, concept_query, excluded_query
from indexer.query.filters import clamp_page, normalise_filters
from indexer.query.highlight import snippet
from indexer.query.index import IndexHandle
from indexer.query.parse import Concept, ParsedQuery, parse_query
from indexer.query.results import (
    PASSAGES_PER_DOCUMENT,
    SearchResult,
    facet_list,
    group_by_document,
    hit_from_stored,
)
from indexer.store.schema import FACETS

GROUP_WINDOW_FACTOR = 3
MAX_GROUP_WINDOW = 2000
MAX_RELAX_CHECKS = 16  # subsets tried when relaxing a query nothing matches whole
RELATED_TERMS = 12


@dataclass(frozen=True)
class _Matches:
    """Every match of a search: scores and passage numbers (best first), and the masks they make."""

    scores: np.ndarray
    numbers: np.ndarray
    unfiltered: np.ndarray  # every match, filters aside
    selected: np.ndarray  # the matches the filters allow
    kept: tuple[Concept, ...]
    dropped: tuple[Concept, ...]


def search_passages(
    handle: IndexHandle,
    query: str,
    *,
    filters: dict[str, list[str] | tuple[str, ...]] | None = None,
    page: int = 1,
    per_page: int = 10,
    sort: str = "relevance",
    per_document: int | None = PASSAGES_PER_DOCUMENT,
) -> SearchResult:
    """Return one page of passages for a query with filters and facet counts.

    Passages are grouped by document, at most ``per_document`` each (None: all of them).
    """
    started = time.perf_counter()
    page, per_page = clamp_page(page, per_page)
    clean_filters = normalise_filters(filters or {})
    parsed = parse_query(query)
    browsing = not parsed.concepts and bool(clean_filters)
    if browsing:
        sort = "date"  # filters alone: list what they select, newest first
    found = _match(handle, parsed, clean_filters, browsing=browsing)
    scores, numbers = found.scores, found.numbers
    postings = handle.facet_postings
    if sort == "date":
        # Latest first, then best score; ties keep their order.
        order = np.lexsort((np.arange(numbers.size), -scores, -postings.date_rank[numbers]))
        scores, numbers = scores[order], numbers[order]
    window = min(max(page * per_page * GROUP_WINDOW_FACTOR, 200), MAX_GROUP_WINDOW)
    ordered = group_by_document(
        list(zip(numbers[:window].tolist(), scores[:window].tolist(), strict=True)),
        postings.doc_ids,
        per_document=per_document or window,
    )
    doc_hits = facet_sets.per_document(postings, found.selected)
    needles = [needle for concept in parsed.concepts for needle in concept.needles()]
    searcher = handle.searcher()
    hits = []
    for docnum, score in ordered[(page - 1) * per_page : page * per_page]:
        stored = searcher.stored_fields(docnum)
        text = stored.get("text", "")
        hits.append(
            hit_from_stored(
                stored,
                score=score,
                snippet_html=snippet(text, needles) if needles else html.escape(text[:160]),
                doc_hits=max(1, int(doc_hits[postings.document_of[docnum]])),
            )
        )
    soft = tuple(concept for concept in parsed.concepts if concept.optional and concept not in found.kept)
    return SearchResult(
        query=query,
        total=int(np.count_nonzero(found.selected)),
        documents=int(np.count_nonzero(doc_hits)),
        page=page,
        per_page=per_page,
        hits=tuple(hits),
        facets=_facet_counts(postings, clean_filters, found),
        parsed=tuple(concept.label() for concept in found.kept + soft)
        + tuple(f"-{concept.label()}" for concept in parsed.excluded),
        dropped=tuple(concept.label() for concept in found.dropped) + parsed.ignored,
        seconds=time.perf_counter() - started,
        filters=clean_filters,
    )


def _match(handle: IndexHandle, parsed: ParsedQuery, filters: dict, *, browsing: bool) -> _Matches:
    """Return every match the filters allow, relaxing the query when nothing has every word."""
    postings = handle.facet_postings
    copies = handle.copies
    allowed = facet_sets.allowed(postings, filters)
    required = [concept for concept in parsed.concepts if not concept.optional]
    soft = [concept for concept in parsed.concepts if concept.optional]
    if not required:
        required, soft = soft, []

    def run(whoosh_query) -> tuple[np.ndarray, np.ndarray]:
        """Score every match once: (scores, passage numbers), best first, copies left out."""
        if browsing:
            numbers = np.flatnonzero(postings.live & ~copies)
            return np.zeros(numbers.size), numbers
        scores, numbers = _scored(handle, whoosh_query)
        keep = ~copies[numbers]
        return scores[keep], numbers[keep]

    def masks(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        unfiltered = postings.mask(numbers)
        return unfiltered, unfiltered if allowed is None else unfiltered & allowed

    # Optional single characters add nothing to the query itself: the proximity phrase of their
    # term ranks 稳就业 as written first, and expanding 稳* over the bigram channel is costly.
    kept, dropped = required, []
    if parsed.concepts or browsing:
        scores, numbers = run(compose(parsed, kept, []))
    else:
        scores, numbers = np.zeros(0), np.zeros(0, dtype=np.int64)
    unfiltered, selected = masks(numbers)
    if not selected.any() and len(required) > 1 and (allowed is None or (allowed & ~copies).any()):
        kept, dropped = relax(handle, parsed, allowed, required)
        if dropped:
            scores, numbers = run(compose(parsed, kept, dropped))
            unfiltered, selected = masks(numbers)
    keep = selected[numbers]
    return _Matches(scores[keep], numbers[keep], unfiltered, selected, tuple(kept), tuple(dropped))


def _scored(handle: IndexHandle, whoosh_query: Q.Query) -> tuple[np.ndarray, np.ndarray]:
    """Return a query's scored matches, from the handle's match cache when it was scored before."""
    key = repr(whoosh_query)
    found = handle.matches.get(key)
    if found is None:
        found = match.scored(handle.arrays, handle.searcher(), whoosh_query)
        handle.matches.put(key, found)
    return found


def relax(
    handle: IndexHandle, parsed: ParsedQuery, allowed: np.ndarray | None, concepts: list[Concept]
) -> tuple[list[Concept], list[Concept]]:
    """Return (kept, dropped) concepts for a query nothing matches whole: the best matching subset.

    Subsets are tried largest first, and among those of one size the heaviest first (longer words carry
    more meaning), at most ``MAX_RELAX_CHECKS`` of them.
    """
    queries = {concept: concept_query(concept) for concept in concepts}
    excluded = excluded_query(parsed)

    def matches(subset) -> bool:
        query = Q.And([queries[concept] for concept in subset])
        if excluded is not None:
            query = Q.AndNot(query, excluded)
        _, numbers = match.scored(handle.arrays, handle.searcher(), query)
        shown = ~handle.copies[numbers]
        if allowed is not None:
            shown &= allowed[numbers]
        return bool(shown.any())

    alive = [concept for concept in concepts if matches([concept])]
    if not alive:
        return list(concepts), []
    checks = 0
    for size in range(len(alive), 0, -1):
        subsets = sorted(itertools.combinations(alive, size), key=lambda subset: -sum(len(c.text) for c in subset))
        for subset in subsets:
            if checks >= MAX_RELAX_CHECKS:
                break
            checks += 1
            if matches(subset):
                kept = list(subset)
                return kept, [concept for concept in concepts if concept not in kept]
    return list(concepts), []


def _facet_counts(postings, filters: dict, found: _Matches) -> dict:
    """Count every facet's values over the matches; a facet with a selected value as if its filter were off."""
    counts = {}
    for name in FACETS:
        base = found.selected
        if name in filters:
            others = facet_sets.allowed(postings, filters, skip=name)
            base = found.unfiltered if others is None else found.unfiltered & others
        counts[name] = facet_list(name, facet_sets.counts(postings, name, base))
    return counts


def related_passages(handle: IndexHandle, text: str, *, exclude_doc_id: str, limit: int = 5) -> list:
    """Return passages of other documents most like text (more-like-this), one per document.

    The text's key terms are ranked by Whoosh's expander (Bo1 model), then searched as an OR.
    """
    searcher = handle.searcher()
    key_terms = searcher.key_terms_from_text("text", text, numterms=RELATED_TERMS)
    terms = [term for term, _ in key_terms if len(term) > 1]
    if not terms:
        return []
    postings = handle.facet_postings
    scores, numbers = _scored(handle, Q.Or([Q.Term("text", term) for term in terms]))
    keep = ~(handle.copies | postings.passages_of({exclude_doc_id}))[numbers]
    scores, numbers = scores[keep], numbers[keep]
    hits, seen = [], set()
    for score, number in zip(scores[: limit * 10].tolist(), numbers[: limit * 10].tolist(), strict=True):
        if postings.doc_ids[number] in seen:
            continue
        stored = searcher.stored_fields(number)
        seen.add(stored["doc_id"])
        hits.append(hit_from_stored(stored, score=score, snippet_html=snippet(stored.get("text", ""), terms)))
        if len(hits) >= limit:
            break
    return hits
