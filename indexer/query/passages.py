"""Search passages: a query and filters → one page of passages with facet counts, on one index generation.

Steps of ``search_passages``:

1. read the request: page clamped, filters normalised, the query understood (``understand``: question
   words cut, kind of answer, place and year, keywords or a question);
2. rank every passage that holds any concept (``rank``: coverage of the concepts, then BM25F, phrase and
   proximity); keep those that cover at least ``MIN_COVERAGE_SHARE`` of what the best passage the filters
   allow covers; the concepts the best passage lacks are reported in ``dropped``;
3. order: by score, or by date (newest first); each document's best passages stand together (more of
   them for a law: its articles are the answer together);
4. the page's hits, highlighted, each with the concepts it matched (and a law article's citation), and
   facet counts over every match (a facet with a value selected counted as if its own filter were off);
   with nothing found, which concepts matched nowhere and the nearest searches that do find passages.

``related_passages`` finds passages of other documents like a text (more-like-this).
"""

from __future__ import annotations

import html
import math
import time
from dataclasses import dataclass, replace

import numpy as np
from whoosh import query as Q

from indexer.query import facets as facet_sets
from indexer.query import match
from indexer.query.filters import clamp_page, normalise_filters
from indexer.query.highlight import highlight, match_spans, snippet
from indexer.query.index import IndexHandle
from indexer.query.parse import Concept
from indexer.query.rank import Ranked, rank
from indexer.query.results import (
    PASSAGES_PER_DOCUMENT,
    SearchResult,
    facet_list,
    group_by_document,
    hit_from_stored,
)
from indexer.query.understand import Understanding, understand
from indexer.store.schema import FACETS
from indexer.text import lexicon

GROUP_WINDOW_FACTOR = 3
MAX_GROUP_WINDOW = 2000
MIN_COVERAGE_SHARE = 0.5
ARTICLES_PER_LAW = 6
WHOLE_ARTICLE_CHARS = 1500
RELATED_TERMS = 12
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class _Matches:
    """Every match of a search the filters allow: scores and passage numbers (best first), and masks."""

    scores: np.ndarray
    numbers: np.ndarray
    bits: np.ndarray  # the concepts each passage matched
    unfiltered: np.ndarray  # every match, filters aside
    selected: np.ndarray  # the matches the filters allow
    concepts: tuple[Concept, ...] = ()
    found: tuple[bool, ...] = ()


def _weight(handle: IndexHandle, concept: Concept, times: int) -> float:
    """Return how much a concept says about a long text: times it stands in it × its rarity in the index
    (a concept no passage holds says nothing the search can use)."""
    frequency = max(match.document_frequency(handle.arrays, "grams", word) for word in concept.forms())
    if not frequency:
        return 0.0
    return max(1, times) * math.log((handle.facet_postings.doc_count + 1) / (frequency + 0.5))


def understand_query(handle: IndexHandle, query: str, *, without: tuple[str, ...] = ()) -> Understanding:
    """Return how a query is read on this index; ``without``: synonyms and expansions the user removed."""
    understood = understand(query, weigh=lambda concept, times: _weight(handle, concept, times))
    if not without:
        return understood
    removed = set(without)
    concepts = tuple(
        replace(
            concept,
            synonyms=tuple(word for word in concept.synonyms if word not in removed),
            expansions=tuple(word for word in concept.expansions if word not in removed),
        )
        for concept in understood.concepts
    )
    return replace(understood, parsed=replace(understood.parsed, concepts=concepts), without=tuple(sorted(removed)))


def search_passages(
    handle: IndexHandle,
    query: str,
    *,
    filters: dict[str, list[str] | tuple[str, ...]] | None = None,
    page: int = 1,
    per_page: int = 10,
    sort: str = "relevance",
    per_document: int | None = PASSAGES_PER_DOCUMENT,
    without: tuple[str, ...] = (),
) -> SearchResult:
    """Return one page of passages for a query with filters and facet counts.

    Passages are grouped by document, at most ``per_document`` each (None: all of them).
    """
    started = time.perf_counter()
    page, per_page = clamp_page(page, per_page)
    clean_filters = normalise_filters(filters or {})
    understood, found, browsing = matching_passages(handle, query, clean_filters, without=without)
    if browsing:
        sort = "date"  # filters alone: list what they select, newest first
    hits, doc_hits = _page(
        handle, understood, found, sort=sort, page=page, per_page=per_page, per_document=per_document
    )
    first_bits = int(found.bits[0]) if found.bits.size else 0
    dropped = [concept.label() for number, concept in enumerate(found.concepts) if not first_bits >> number & 1]
    total = int(np.count_nonzero(found.selected))
    unmatched = tuple(concept.text for concept, held in zip(found.concepts, found.found, strict=True) if not held)
    return SearchResult(
        query=query,
        total=total,
        documents=int(np.count_nonzero(doc_hits)),
        page=page,
        per_page=per_page,
        hits=tuple(hits),
        facets=_facet_counts(handle.facet_postings, clean_filters, found),
        parsed=tuple(concept.label() for concept in understood.concepts)
        + tuple(f"-{concept.label()}" for concept in understood.parsed.excluded),
        dropped=tuple(dropped) + understood.parsed.ignored,
        seconds=time.perf_counter() - started,
        filters=clean_filters,
        understood=understood.as_dict(),
        unmatched=unmatched,
        suggestions=() if total or browsing else _suggestions(handle, understood, clean_filters, found),
    )


def matching_passages(
    handle: IndexHandle, query: str, filters: dict[str, tuple[str, ...]], *, without: tuple[str, ...] = ()
) -> tuple[Understanding, _Matches, bool]:
    """Return (how the query was read, every passage it finds that the clean filters allow, best first, and
    whether it is browsing: filters alone, no words). The passages of ``search_passages``'s ``total``."""
    understood = understand_query(handle, query, without=without)
    browsing = not understood.concepts and bool(filters)
    return understood, _match(handle, understood, filters, browsing=browsing), browsing


def _page(handle, understood: Understanding, found: _Matches, *, sort, page, per_page, per_document):
    """Return the page's hits and each document's number of matching passages."""
    scores, numbers, bits = found.scores, found.numbers, found.bits
    postings = handle.facet_postings
    if sort == "date":
        # Latest first, then best score; ties keep their order.
        order = np.lexsort((np.arange(numbers.size), -scores, -postings.date_rank[numbers]))
        scores, numbers, bits = scores[order], numbers[order], bits[order]
    window = min(max(page * per_page * GROUP_WINDOW_FACTOR, 200), MAX_GROUP_WINDOW)
    laws = handle.passages_of_types(lexicon.answer_doc_types().get("rule", frozenset()))
    bits_of = dict(zip(numbers[:window].tolist(), bits[:window].tolist(), strict=True))
    ordered = group_by_document(
        list(zip(numbers[:window].tolist(), scores[:window].tolist(), strict=True)),
        postings.doc_ids,
        per_document=per_document or window,
        laws=laws if per_document else None,
        per_law=ARTICLES_PER_LAW,
    )
    doc_hits = facet_sets.per_document(postings, found.selected)
    needles = [needle for concept in understood.concepts if not concept.optional for needle in concept.needles()]
    searcher = handle.searcher()
    hits = []
    for docnum, score in ordered[(page - 1) * per_page : page * per_page]:
        stored = searcher.stored_fields(docnum)
        text = stored.get("text", "")
        concept_bits = bits_of.get(docnum, 0)
        law = bool(laws[docnum])
        if law and len(text) <= WHOLE_ARTICLE_CHARS:  # a law's article is the answer: shown whole
            shown = highlight(text, match_spans(text, needles))
        else:
            shown = snippet(text, needles) if needles else html.escape(text[:160])
        hits.append(
            hit_from_stored(
                stored,
                score=score,
                snippet_html=shown,
                doc_hits=max(1, int(doc_hits[postings.document_of[docnum]])),
                matched=tuple(
                    concept.text for number, concept in enumerate(found.concepts) if concept_bits >> number & 1
                ),
                law=law,
            )
        )
    return hits, doc_hits


def _ranked(handle: IndexHandle, understood: Understanding) -> Ranked:
    """Return a query's ranked candidates, from the handle's match cache when it was ranked before."""
    key = repr((understood.parsed, understood.kind, understood.without))
    found = handle.matches.get(key)
    if found is None:
        found = rank(handle, understood)
        handle.matches.put(key, found, size=int(found.numbers.size))
    return found


def _match(handle: IndexHandle, understood: Understanding, filters: dict, *, browsing: bool) -> _Matches:
    """Return every match the filters allow, ranked."""
    postings = handle.facet_postings
    allowed = facet_sets.allowed(postings, filters)
    if browsing or not understood.concepts:
        numbers = np.flatnonzero(postings.live & ~handle.copies) if browsing else np.zeros(0, dtype=np.int64)
        unfiltered = postings.mask(numbers)
        selected = unfiltered if allowed is None else unfiltered & allowed
        keep = selected[numbers]
        empty = np.zeros(int(keep.sum()), np.uint32)
        return _Matches(np.zeros(int(keep.sum())), numbers[keep], empty, unfiltered, selected)
    ranked = _ranked(handle, understood)
    usable = allowed[ranked.numbers] if allowed is not None else np.ones(ranked.numbers.size, dtype=bool)
    in_result = ranked.required.copy()
    # Keep what covers a fair share of what the best passage the filters allow covers.
    best = float(ranked.coverage[in_result & usable].max()) if (in_result & usable).any() else 0.0
    in_result &= ranked.coverage >= MIN_COVERAGE_SHARE * best
    unfiltered = postings.mask(ranked.numbers[in_result])
    selected = unfiltered if allowed is None else unfiltered & allowed
    keep = in_result & usable
    return _Matches(
        ranked.scores[keep],
        ranked.numbers[keep],
        ranked.bits[keep],
        unfiltered,
        selected,
        ranked.concepts,
        ranked.found,
    )


def _suggestions(handle, understood: Understanding, filters: dict, found: _Matches) -> tuple[tuple[str, int], ...]:
    """Return nearby searches that find passages: the query without its filters, each concept found alone."""
    suggestions = []
    if filters:
        everywhere = _match(handle, understood, {}, browsing=False)
        if everywhere.selected.any():
            suggestions.append((understood.query, int(np.count_nonzero(everywhere.selected))))
    for concept, held in zip(found.concepts, found.found, strict=True):
        if held and len(found.concepts) > 1:
            alone = understand_query(handle, concept.text)
            count = int(np.count_nonzero(_match(handle, alone, filters, browsing=False).selected))
            if count:
                suggestions.append((concept.text, count))
    return tuple(suggestions[:MAX_SUGGESTIONS])


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
    query = Q.Or([Q.Term("text", term) for term in terms])
    key = repr(query)
    found = handle.matches.get(key)
    if found is None:
        found = match.scored(handle.arrays, searcher, query)
        handle.matches.put(key, found, size=int(found[0].size))
    scores, numbers = found
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
