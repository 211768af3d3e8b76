"""Match and score a query over the postings arrays with numpy: the ranking model (``scoring``), fast.

Whoosh's matchers walk a tree of matchers one document at a time in Python; at a million passages a
common word costs seconds. Here each node of the same query tree is evaluated over whole posting lists
at once, segment by segment, from the arrays files the codec writes (``store.codec``):

- ``Term``: BM25F as ``scoring`` states it (idf over all passages, Whoosh's average field length, the
  field length byte Whoosh records), times the term's boost;
- ``Prefix`` (not constant-score): the OR of the segment's terms with the prefix, summed, times the boost;
- ``Phrase`` (slop 1): documents holding every word, then positions shifted by each word's offset and
  intersected; scored as the sum of its words' scores, times its boost;
- ``Or`` sums the scores of the parts that match; ``And`` keeps documents all parts match and sums;
  ``AndMaybe`` adds the optional part's score where it matches; ``AndNot`` drops documents the second
  part matches; a boost on any of them multiplies.

Any other query (wildcard, ranges, every document, a constant-score prefix, another weighting) raises
``Unsupported``, and ``scored`` asks Whoosh's own matchers, which read the same postings through the
codec and score with the same model (``scoring.ChannelBM25F``): the same passages, the same scores up
to the last bits of sums taken in another order. A missing or damaged arrays file raises
``IndexDamaged`` (logged); the next build rebuilds the index. ``tests/test_match.py`` compares both
matchers on many queries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q
from whoosh.query.qcore import _NullQuery

from indexer.query import scoring
from indexer.store import postarrays
from indexer.store.codec import open_arrays
from indexer.text import analysis

# Positions are below 2**32 (a passage's token count); a (document, start) pair is one int64 key.
_SHIFT = np.int64(32)


class Unsupported(Exception):
    """The query needs Whoosh's own matchers."""


@dataclass
class _Segment:
    postings: postarrays.SegmentPostings
    offset: int
    deleted: np.ndarray | None


_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Arrays:
    """The postings arrays of one generation's segments, opened once and shared by all threads."""

    def __init__(self, reader):
        self.segments: list[_Segment] = []
        for leaf, segment, offset in postarrays.segments(reader):
            postings = open_arrays(leaf.storage(), segment)  # IndexDamaged (logged) when unusable
            deleted = segment.deleted_docs() if leaf.has_deletions() else None
            mask = np.array(sorted(deleted), dtype=np.int64) if deleted else None
            self.segments.append(_Segment(postings, offset, mask))


class FastMatcher:
    """Evaluates queries over a generation's arrays, with statistics from a Whoosh searcher of it."""

    def __init__(self, arrays: Arrays, whoosh_searcher):
        self._searcher = whoosh_searcher
        self.segments = arrays.segments
        self._scored = isinstance(whoosh_searcher.weighting, scoring.ChannelBM25F)
        self._stats: dict[tuple[str, str], tuple[float, float]] = {}
        self._memo: dict[tuple, object] = {}  # one query's terms, phrases, prefixes and term counts

    def scored(self, query: Q.Query) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, document numbers) of every match, best first; raises ``Unsupported``."""
        docs, values = self.matched(query)
        order = np.lexsort((docs, -values))
        return values[order], docs[order]

    def matched(self, query: Q.Query) -> tuple[np.ndarray, np.ndarray]:
        """Return (document numbers, scores) of every match, by segment, unsorted; raises ``Unsupported``."""
        if not self._scored:
            raise Unsupported("another weighting model")
        numbers, scores = [], []
        for segment in self.segments:
            docs, values = self._evaluate(query, segment)
            if segment.deleted is not None and docs.size:
                keep = ~np.isin(docs, segment.deleted, assume_unique=True)
                docs, values = docs[keep], values[keep]
            numbers.append(docs + segment.offset)
            scores.append(values)
        if not numbers:
            return _EMPTY
        return np.concatenate(numbers), np.concatenate(scores)

    # ------------------------------------------------------------ nodes

    def _evaluate(self, node, segment: _Segment) -> tuple[np.ndarray, np.ndarray]:
        kind = type(node)
        if isinstance(node, _NullQuery):
            return _EMPTY
        if kind is Q.Term:
            return self._term(node.fieldname, node.text, node.boost, segment)
        if kind is Q.Phrase:
            return self._phrase(node, segment)
        if kind is Q.Prefix and node.text:
            return self._prefix(node, segment)
        if kind is Q.Or and (node.scale or node.minmatch):
            raise Unsupported("OR with a minimum match or coordination scale")
        if kind in (Q.Or, Q.And, Q.AndMaybe, Q.AndNot):
            docs, values = self._compound(node, segment)
            return docs, values * node.boost if node.boost != 1.0 else values
        raise Unsupported(f"{kind.__name__} query")

    def _compound(self, node, segment: _Segment) -> tuple[np.ndarray, np.ndarray]:
        """OR adds the scores of the parts that match; AND keeps what all match and adds; AND-MAYBE adds
        the optional part's score where it matches; AND-NOT drops what the second part matches."""
        kind = type(node)
        if kind in (Q.Or, Q.And):
            parts = [self._evaluate(sub, segment) for sub in node.subqueries]
            if not parts:
                return _EMPTY
            return _union(parts, segment.postings.doc_count) if kind is Q.Or else _intersection(parts)
        docs, values = self._evaluate(node.a, segment)
        if not docs.size:
            return docs, values
        other_docs, other = self._evaluate(node.b, segment)
        if kind is Q.AndMaybe:
            _, mine, theirs = np.intersect1d(docs, other_docs, assume_unique=True, return_indices=True)
            values = values.copy()
            values[mine] += other[theirs]
            return docs, values
        keep = ~np.isin(docs, other_docs, assume_unique=True)
        return docs[keep], values[keep]

    def _prefix(self, node: Q.Prefix, segment: _Segment):
        """The OR of the segment's terms that start with the prefix: the sum of their scores, times the boost.

        Whoosh expands a prefix segment by segment, from the segment's own terms, as here. A prefix
        scored as a constant (Whoosh's default, ``constantscore``) is not this model: Whoosh answers it.
        """
        if node.constantscore:
            raise Unsupported("constant-score prefix")
        field = self._field(node.fieldname, segment)
        key = ("prefix", id(segment), node.fieldname, node.text)
        words = self._memo.get(key)
        if words is None:
            prefix = self._searcher.schema[node.fieldname].to_bytes(node.text)
            words = self._memo[key] = [word.decode("utf-8") for word in field.expand_prefix(prefix) if word]
        parts = [self._term(node.fieldname, word, 1.0, segment) for word in words]
        docs, scores = _union(parts, segment.postings.doc_count)
        return docs, scores * node.boost if node.boost != 1.0 else scores

    def _field(self, name: str, segment: _Segment) -> postarrays.FieldPostings:
        field = segment.postings.fields.get(name)
        if field is None:
            raise Unsupported(f"field {name} has no postings arrays")
        return field

    def _number(self, segment: _Segment, fieldname: str, text: str) -> int:
        """Return a term's number in a segment's field (-1: not there), looked up once per query."""
        key = ("number", id(segment), fieldname, text)
        found = self._memo.get(key)
        if found is None:
            field = self._field(fieldname, segment)
            found = self._memo[key] = field.find(self._searcher.schema[fieldname].to_bytes(text))
        return found

    def _statistics(self, fieldname: str, text: str) -> tuple[float, float]:
        """Return (idf, average field length) as Whoosh's BM25F scorer takes them.

        The idf is Whoosh's (``WeightingModel.idf``: documents of the index, postings of the term) with
        the postings counted in the arrays: Whoosh would read every segment's term table for it.
        """
        key = (fieldname, text)
        found = self._stats.get(key)
        if found is None:
            searcher = self._searcher
            if not searcher.schema[fieldname].scorable:
                raise Unsupported(f"field {fieldname} is not scorable")
            frequency = 0
            for segment in self.segments:
                number = self._number(segment, fieldname, text)
                if number >= 0:
                    starts = self._field(fieldname, segment).post_starts
                    frequency += int(starts[number + 1] - starts[number])
            idf = math.log(searcher.doc_count_all() / (frequency + 1)) + 1
            found = self._stats[key] = (idf, searcher.avg_field_length(fieldname) or 1)
        return found

    def _postings(self, field: postarrays.FieldPostings, number: int) -> tuple[np.ndarray, np.ndarray]:
        """Return a term's (documents, frequencies), read once per query."""
        key = ("postings", id(field), number)
        found = self._memo.get(key)
        if found is None:
            docs, tfs = field.postings(number)
            found = self._memo[key] = (docs.astype(np.int64), tfs)
        return found

    def _term_scores(self, fieldname: str, text: str, field, number: int, chosen=None) -> tuple[np.ndarray, np.ndarray]:
        """Return (documents, BM25F scores) of a term's postings (``chosen`` ones only, when given)."""
        docs, tfs = self._postings(field, number)
        if chosen is not None:
            docs, tfs = docs[chosen], tfs[chosen]
        idf, average = self._statistics(fieldname, text)
        lengths = field.lengths[docs].astype(np.float64)
        scores = scoring.bm25f(idf, tfs.astype(np.float64), lengths, average, weight=scoring.field_weight(fieldname))
        return docs, scores

    def _term(self, fieldname: str, text, boost: float, segment: _Segment):
        key = ("term", id(segment), fieldname, text)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._term_matches(fieldname, text, segment)
        docs, scores = found
        return docs, scores * boost if boost != 1.0 else scores

    def _term_matches(self, fieldname: str, text, segment: _Segment):
        text = _as_text(text)
        number = self._number(segment, fieldname, text)
        if number < 0:
            return _EMPTY
        return self._term_scores(fieldname, text, self._field(fieldname, segment), number)

    def _phrase(self, node: Q.Phrase, segment: _Segment):
        if node.slop != 1 or not node.words:
            raise Unsupported("phrase with slop")
        if len(node.words) == 1:  # every occurrence is a match: the term itself, as Whoosh scores it
            return self._term(node.fieldname, node.words[0], node.boost, segment)
        # The same phrase often stands twice in a query (a concept and the proximity bonus).
        key = ("phrase", id(segment), node.fieldname, tuple(node.words))
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._phrase_matches(node.fieldname, node.words, segment)
        docs, scores = found
        return docs, scores * node.boost if node.boost != 1.0 else scores

    def _phrase_matches(self, fieldname: str, words, segment: _Segment):
        field = self._field(fieldname, segment)
        numbers = []
        for word in words:
            number = self._number(segment, fieldname, _as_text(word))
            if number < 0:
                return _EMPTY
            numbers.append(number)
        # Documents holding every word, rarest list first.
        candidates = None
        for number in sorted(set(numbers), key=lambda n: field.post_starts[n + 1] - field.post_starts[n]):
            docs, _ = self._postings(field, number)
            candidates = docs if candidates is None else _common(candidates, docs)
            if not candidates.size:
                return _EMPTY
        # A start s matches when word i is at s + i for every i: keys (document, position + last - i).
        last = len(numbers) - 1
        starts = None
        chosen_of = {}
        for offset, number in enumerate(numbers):
            docs, tfs = self._postings(field, number)
            chosen = chosen_of.get(number)
            if chosen is None:
                chosen = chosen_of[number] = np.searchsorted(docs, candidates)
            owner, positions = field.positions_of(number, chosen, tfs)
            keys = (candidates[owner] << _SHIFT) | (positions.astype(np.int64) + (last - offset))
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not starts.size:
                return _EMPTY
        owners = starts >> _SHIFT  # ascending, as intersect1d returns its keys sorted
        matched = owners[np.concatenate(([True], owners[1:] != owners[:-1]))]
        where = np.searchsorted(candidates, matched)
        total = np.zeros(matched.size, dtype=np.float64)
        for word, number in zip(words, numbers, strict=True):
            _, scores = self._term_scores(fieldname, _as_text(word), field, number, chosen_of[number][where])
            total += scores
        return matched, total


def _as_text(text) -> str:
    return text.decode("utf-8") if isinstance(text, bytes) else text


def _common(docs: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Return the documents of ``docs`` also in ``other`` (both ascending, unique)."""
    place = np.searchsorted(other, docs)
    place[place == other.size] = 0
    return docs[other[place] == docs] if other.size else docs[:0]


def _union(parts, doc_count: int) -> tuple[np.ndarray, np.ndarray]:
    parts = [part for part in parts if part[0].size]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    matched = np.zeros(doc_count, dtype=bool)
    totals = np.zeros(doc_count, dtype=np.float64)
    for docs, scores in parts:
        matched[docs] = True
        totals[docs] += scores
    docs = np.flatnonzero(matched)
    return docs, totals[docs]


def _intersection(parts) -> tuple[np.ndarray, np.ndarray]:
    """Documents every part matches (found from the smallest part up), scores summed in the parts' order."""
    docs = min(parts, key=lambda part: part[0].size)[0]
    for other_docs, _ in sorted(parts, key=lambda part: part[0].size):
        if not docs.size:
            return _EMPTY
        docs = _common(docs, other_docs)
    scores = np.zeros(docs.size, dtype=np.float64)
    for other_docs, other_scores in parts:
        scores = scores + other_scores[np.searchsorted(other_docs, docs)]
    return docs, scores


def scored(arrays: Arrays, whoosh_searcher, query: Q.Query):
    """Return (scores, document numbers) of every match of a query, best first (ties by number).

    The numpy matcher scores what it can; Whoosh's own matchers, over the same postings, the rest.
    """
    try:
        return FastMatcher(arrays, whoosh_searcher).scored(query)
    except Unsupported:
        top = whoosh_searcher.search(query, limit=None, terms=False).top_n
        return (
            np.array([score for score, _ in top], dtype=np.float64),
            np.array([number for _, number in top], dtype=np.int64),
        )


def matched(arrays: Arrays, whoosh_searcher, query: Q.Query) -> tuple[np.ndarray, np.ndarray]:
    """Return (document numbers, scores) of every match of a query, in no particular order."""
    try:
        return FastMatcher(arrays, whoosh_searcher).matched(query)
    except Unsupported:
        scores, numbers = scored(arrays, whoosh_searcher, query)
        return numbers, scores


def document_frequency(arrays: Arrays, fieldname: str, text: str) -> int:
    """Return at most how many passages hold a text in a channel: the fewest holding any of its terms."""
    terms = analysis.bigrams(text) if fieldname.endswith("grams") else analysis.words(text)
    if not terms:
        return 0
    fewest = None
    for term in set(terms):
        key = term.encode("utf-8")
        count = 0
        for segment in arrays.segments:
            field = segment.postings.fields.get(fieldname)
            number = field.find(key) if field is not None else -1
            if number >= 0:
                count += int(field.post_starts[number + 1] - field.post_starts[number])
        fewest = count if fewest is None else min(fewest, count)
    return fewest or 0
