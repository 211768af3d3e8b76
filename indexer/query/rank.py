"""Rank passages by how much of the query they cover, then by BM25F, phrase and proximity.

Steps of ``rank``:

1. each concept is matched on its own (``match.matched``): its forms as written (full weight) and, apart,
   its synonyms and expansions (lower weight); the proximity phrases of multi-word terms too;
2. each concept weighs by its rarity (idf over the passages that hold it): 工会 weighs little, 竞业限制 much;
3. a passage's coverage is the weighted share of the concepts it holds (a concept held only through a
   synonym or expansion counts ``ALT_CREDIT`` of it); its relevance the sum of its BM25F scores (the
   ranking model of ``scoring``), saturated to below 1;
4. its score is coverage + ``RELEVANCE_SHARE`` × relevance, plus ``KIND_BOOST`` when its document is of a
   type that answers the kind of question (law articles for a rule question, reports for a precedent);
5. required concepts (``+词``, quotes) filter; exclusions remove.

The result holds every candidate (duplicate copies left out), best first, with each passage's coverage
and the concepts it matched (a bit each), so filters and facet counts can be applied afterwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q

from indexer.query import match
from indexer.query.compose import BODY_CHANNELS, channel_query, excluded_query, proximity_query
from indexer.query.parse import Concept
from indexer.query.scoring import EXPANSION_WEIGHT, SYNONYM_WEIGHT
from indexer.query.understand import YEAR as _YEAR
from indexer.query.understand import Understanding
from indexer.text import lexicon

COVERAGE_WEIGHT = 1.0
ALT_CREDIT = 0.6
RARE_SHARE = 0.001
KNOWN_FACTOR = 1.5
RELEVANCE_SHARE = 0.5
RELEVANCE_SATURATION = 10.0
KIND_BOOST = 0.1
MAX_OTHER_WORDS = 5


@dataclass(frozen=True)
class Ranked:
    """Every candidate passage of a query, best first."""

    numbers: np.ndarray  # passage numbers
    scores: np.ndarray
    coverage: np.ndarray  # weighted share of the concepts held, 0…1
    relevance: np.ndarray  # the sum of the BM25F scores (``scoring``) of the concepts and proximity phrases
    bits: np.ndarray  # concept i matched ⇔ bit i set (forms, synonyms or expansions)
    required: np.ndarray  # holds every required concept
    concepts: tuple[Concept, ...]  # in bit order
    found: tuple[bool, ...]  # whether each concept is held by any passage
    weights: tuple[float, ...]  # each concept's weight in the coverage


def queries(understood: Understanding) -> list[Q.Query]:
    """Return every query ``rank`` evaluates for an understood query (to compare matchers on them)."""
    found = []
    for concept in _searched(understood):
        found.append(_forms_query(concept))
        other = _other_words_query(concept)
        if other is not None:
            found.append(other)
    for extra in (proximity_query(understood.parsed), excluded_query(understood.parsed)):
        if extra is not None:
            found.append(extra)
    return found


def _searched(understood: Understanding) -> tuple[Concept, ...]:
    """Return the concepts ranked: all but single characters cut from a longer term (unless that is all)."""
    return tuple(concept for concept in understood.concepts if not concept.optional) or understood.concepts


def _forms_query(concept: Concept) -> Q.Query:
    if concept.alternatives:
        return Q.Or([_forms_query(alternative) for alternative in concept.alternatives])
    parts = [channel_query(text, title_only=concept.title_only, boost=1.0) for text in concept.forms()]
    return Q.Or(parts) if len(parts) > 1 else parts[0]


def _other_words_query(concept: Concept) -> Q.Query | None:
    """Return the query of a concept's other words: synonyms, then the documents' words for an everyday
    phrase, then its own words (at most ``MAX_OTHER_WORDS``, in the passage text)."""
    weighted = [(text, SYNONYM_WEIGHT) for text in concept.synonyms]
    weighted += [(text, EXPANSION_WEIGHT) for text in (*concept.expansions, *concept.parts)]
    parts = [
        channel_query(text, title_only=concept.title_only, boost=weight, channels=BODY_CHANNELS)
        for text, weight in weighted[:MAX_OTHER_WORDS]
    ]
    return Q.Or(parts) if parts else None


def _matched(handle, query: Q.Query | None) -> tuple[np.ndarray, np.ndarray]:
    if query is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return match.matched(handle.arrays, handle.searcher(), query)


def _dense(count: int, numbers: np.ndarray, values: np.ndarray | float) -> np.ndarray:
    dense = np.zeros(count, dtype=np.float64)
    dense[numbers] = values
    return dense


@dataclass
class _Held:
    """What the concepts of a query find, passage by passage (dense arrays over all passages)."""

    relevance: np.ndarray
    coverage: np.ndarray
    bits: np.ndarray
    required: np.ndarray
    weights: list[float]
    found: list[bool]


def _hold(handle, understood: Understanding, concepts: tuple[Concept, ...]) -> _Held:
    """Match each concept (its forms; its synonyms and expansions apart) and weigh it by its rarity."""
    count = handle.facet_postings.doc_count
    held = _Held(np.zeros(count), np.zeros(count), np.zeros(count, dtype=np.uint32), np.ones(count, bool), [], [])
    for number, concept in enumerate(concepts):
        own_docs, own_scores = _matched(handle, _forms_query(concept))
        other_docs, other_scores = _matched(handle, _other_words_query(concept))
        holding = _dense(count, other_docs, ALT_CREDIT)
        holding[own_docs] = 1.0
        scope = _scope(handle, concept)
        if scope is not None:  # 2024年: the documents of 2024 hold it; 国家: the national documents
            holding[scope] = 1.0
        frequency = own_docs.size or np.count_nonzero(holding)
        weight = _weight(concept, frequency, count, question=understood.kind != "keyword")
        held.weights.append(weight)
        held.found.append(bool(frequency))
        held.coverage += weight * holding
        # Each matcher lists a passage once: plain indexed adds, no dense copy per concept.
        held.relevance[own_docs] += own_scores
        held.relevance[other_docs] += other_scores
        held.bits |= (holding > 0).astype(np.uint32) << np.uint32(number)
        if concept.required or concept.exact:
            held.required &= holding > 0
    if sum(held.weights):
        held.coverage /= sum(held.weights)
    proximity = proximity_query(understood.parsed)
    if proximity is not None:
        docs, scores = _matched(handle, proximity)
        held.relevance[docs] += scores
    return held


def _scope(handle, concept: Concept) -> np.ndarray | None:
    """Return the passages a year or the whole country holds by where they come from, not by their words."""
    year = _YEAR.fullmatch(concept.text)
    if year:
        return handle.passages_of_year(year.group(1))
    if concept.text in lexicon.national_words():
        return handle.national_passages
    return None


def _weight(concept: Concept, frequency: int, count: int, *, question: bool) -> float:
    """Return a concept's weight in the coverage: its rarity (idf); in a question, a word rarer than
    ``RARE_SHARE`` of the passages weighs as if that common (such words in everyday talk are chat, not
    topic: 家里, 做饭), and a concept the lexicon knows (synonyms, the documents' words for it) weighs
    ``KNOWN_FACTOR`` more (it names the topic)."""
    if not frequency:
        return 0.0
    if question:
        frequency = max(frequency, RARE_SHARE * count)
    weight = math.log((count + 1) / (frequency + 0.5))
    if question and (concept.synonyms or concept.expansions):
        weight *= KNOWN_FACTOR
    return weight


def _scores(handle, understood: Understanding, held: _Held, numbers: np.ndarray) -> np.ndarray:
    relevance = held.relevance[numbers]
    scores = COVERAGE_WEIGHT * held.coverage[numbers] + RELEVANCE_SHARE * relevance / (relevance + RELEVANCE_SATURATION)
    answering = lexicon.answer_doc_types().get(understood.kind)
    if answering:
        scores = scores + KIND_BOOST * handle.passages_of_types(answering)[numbers]
    return scores


def rank(handle, understood: Understanding) -> Ranked:
    """Return every passage holding any concept of the query, scored, best first."""
    concepts = _searched(understood)
    held = _hold(handle, understood, concepts)
    candidates = held.bits > 0
    excluded = excluded_query(understood.parsed)
    if excluded is not None:
        candidates[_matched(handle, excluded)[0]] = False
    candidates &= ~handle.copies
    numbers = np.flatnonzero(candidates)
    scores = _scores(handle, understood, held, numbers)
    order = np.lexsort((numbers, -scores))
    numbers = numbers[order]
    return Ranked(
        numbers,
        scores[order],
        held.coverage[numbers],
        held.relevance[numbers],
        held.bits[numbers],
        held.required[numbers],
        concepts,
        tuple(held.found),
        tuple(held.weights),
    )
