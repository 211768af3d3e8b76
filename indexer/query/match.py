"""Score a passage query over the postings arrays with numpy: Whoosh's matches and scores, faster.

Whoosh scores a query by walking a tree of matchers one document at a time in Python; at a million
passages a common word costs seconds. Here each node of the same query tree is evaluated over whole
posting lists at once, segment by segment, from the arrays ``postarrays`` writes beside each segment:

- ``Term``: BM25F exactly as Whoosh's ``BM25FScorer`` computes it (Whoosh's own idf and average field
  length, the field length byte Whoosh records), times the term's boost;
- ``Prefix``: the OR of the segment's terms with the prefix, as Whoosh scores it: the sum of their
  scores times the boost, or (a segment of up to 5 000 documents unless two terms, or 1 024 terms and
  more) 1 where any matches;
- ``Phrase`` (slop 1): documents holding every word, then positions shifted by each word's
  offset and intersected; scored as the sum of its words' scores, times its boost (as Whoosh's
  intersection matcher under ``SpanNear2`` does);
- ``Or`` sums the scores of the parts that match; ``And`` keeps documents all parts match and sums;
  ``AndMaybe`` adds the optional part's score where it matches; ``AndNot`` drops documents the second
  part matches.

Any other query (wildcard, ranges, every document, another weighting), a field without arrays, or a segment
without its arrays file raises ``Unsupported``, and the caller asks Whoosh, which holds no postings of
``schema.ARRAY_ONLY_FIELDS`` and ``FIGURE_ARRAY_ONLY_FIELDS`` (the text channels) unless the index is a
reference build: the search engine composes none of those queries, and a lost arrays file is logged as
an error (the next build rebuilds the index). The result is Whoosh's
``search(q, limit=None).top_n`` as two arrays (scores, document numbers), best first, ties by document
number.
``tests/test_fastmatch.py`` compares both on many queries.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import classify
from whoosh import query as Q
from whoosh.query.qcore import _NullQuery

from indexer.query import scoring
from indexer.store import postarrays

_log = logging.getLogger("indexer.query.match")

# Positions are below 2**32 (a passage's token count); a (document, start) pair is one int64 key.
_SHIFT = np.int64(32)


class Unsupported(Exception):
    """The query (or index) needs Whoosh's own matchers."""


@dataclass
class _Segment:
    postings: postarrays.SegmentPostings
    offset: int
    deleted: np.ndarray | None


_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Arrays:
    """The postings arrays of one generation's segments, opened once and shared by all threads.

    ``complete`` is False when a segment has no readable arrays file (missing, damaged, or not of
    this segment): every query of the generation then goes to Whoosh, which finds what its own
    postings hold (not the fields of ``ARRAY_ONLY_FIELDS``).
    """

    def __init__(self, generation: Path, reader):
        self.segments: list[_Segment] = []
        self.complete = True
        for leaf, segment, offset in postarrays.segments(reader):
            path = Path(generation) / postarrays.file_name(segment)
            try:
                postings = postarrays.SegmentPostings(path)
                if postings.doc_count != leaf.doc_count_all():
                    raise ValueError(f"{postings.doc_count} documents, the segment has {leaf.doc_count_all()}")
            except (OSError, ValueError) as error:
                _log.error(
                    "postings arrays %s unusable (%s): Whoosh answers, without the postings only the "
                    "arrays hold; rebuild the index with --force",
                    path,
                    error,
                )
                self.complete = False
                continue
            deleted = segment.deleted_docs() if leaf.has_deletions() else None
            mask = np.array(sorted(deleted), dtype=np.int64) if deleted else None
            self.segments.append(_Segment(postings, offset, mask))


class FastMatcher:
    """Evaluates queries over a generation's arrays, with statistics from a Whoosh searcher of it."""

    def __init__(self, arrays: Arrays, whoosh_searcher, *, needs_current: bool = False):
        """``needs_current``: score as Whoosh does when its collector needs each match's score as it goes
        (a sort by score after another key): no preloaded constant-score unions then."""
        self._searcher = whoosh_searcher
        self._needs_current = needs_current
        self.segments = arrays.segments
        weighting = whoosh_searcher.weighting
        self.complete = arrays.complete and isinstance(weighting, scoring.ChannelBM25F)
        self._weighting = weighting
        self._stats: dict[tuple[str, str], tuple[float, float]] = {}
        self._memo: dict[tuple, object] = {}  # one query's terms, phrases, prefixes and term counts

    def scored(self, query: Q.Query) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, document numbers) of every match, best first; raises ``Unsupported``."""
        if not self.complete:
            raise Unsupported("segments without postings arrays")
        numbers, scores = [], []
        for segment in self.segments:
            docs, values = self._evaluate(query, segment)
            if segment.deleted is not None and docs.size:
                keep = ~np.isin(docs, segment.deleted, assume_unique=True)
                docs, values = docs[keep], values[keep]
            numbers.append(docs + segment.offset)
            scores.append(values)
        if not numbers:
            return _EMPTY[1], _EMPTY[0]
        docs, values = np.concatenate(numbers), np.concatenate(scores)
        order = np.lexsort((docs, -values))
        return values[order], docs[order]

    def key_terms(self, fieldname: str, text: str, number: int) -> list[tuple[str, float]]:
        """Return Whoosh's ``key_terms_from_text(fieldname, text, number)``, its statistics read here.

        Whoosh's own expander (Bo1 model, normalised) ranks the text's terms; how often each occurs
        in the index comes from the arrays, as Whoosh's reader would sum it from its term tables.
        """
        if not self.complete:
            raise Unsupported("segments without postings arrays")
        expander = classify.Expander(_Statistics(self, self._searcher.reader()), fieldname)
        expander.add_text(text)
        return expander.expanded_terms(number, normalize=True)

    def frequency(self, fieldname: str, text: str) -> float | None:
        """Return a term's occurrences in the index (None: in no segment) as Whoosh's reader sums them.

        Each segment's term table holds the sum of the term's weights (frequency × field boost, as
        float32, deleted documents too) as one float32; the index sums those.
        """
        key = ("frequency", fieldname, text)  # the expander asks twice: is it there, how often
        if key in self._memo:
            return self._memo[key]
        boost = np.float32(self._searcher.schema[fieldname].format.field_boost)
        total = None
        for segment in self.segments:
            number = self._number(segment, fieldname, text)
            if number >= 0:
                _, tfs = self._postings(self._field(fieldname, segment), number)
                weight = float(np.float32((tfs.astype(np.float32) * boost).astype(np.float64).sum()))
                total = weight if total is None else total + weight
        self._memo[key] = total
        return total

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


class _Statistics:
    """The part of a Whoosh index reader that ``classify.Expander`` reads, term counts from the arrays."""

    def __init__(self, matcher: FastMatcher, reader):
        self._matcher = matcher
        self.schema = reader.schema
        self.doc_count_all = reader.doc_count_all
        self.field_length = reader.field_length

    def __contains__(self, term) -> bool:
        fieldname, text = term
        return self._matcher.frequency(fieldname, _as_text(text)) is not None

    def frequency(self, fieldname: str, text) -> float:
        return self._matcher.frequency(fieldname, _as_text(text)) or 0


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


def agrees(top_n: list[tuple[float, int]], scored: tuple[np.ndarray, np.ndarray], tolerance: float = 1e-9) -> bool:
    """Return whether our (scores, numbers) is Whoosh's ``top_n``: the same passages, the same scores.

    Scores agree to ``tolerance`` (relative); the order is Whoosh's except among passages whose scores
    differ by less than that (sums of the same term scores in another order differ in the last bits).
    """
    scores, numbers = scored
    theirs = {number: score for score, number in top_n}
    if len(theirs) != len(numbers) or set(theirs) != set(numbers.tolist()):
        return False
    if not all(
        math.isclose(theirs[n], s, rel_tol=tolerance) for s, n in zip(scores.tolist(), numbers.tolist(), strict=True)
    ):
        return False
    in_our_order = [theirs[number] for number in numbers.tolist()]
    pairs = zip(in_our_order, in_our_order[1:], strict=False)
    return all(a >= b or math.isclose(a, b, rel_tol=tolerance) for a, b in pairs)


def scored(arrays: Arrays, whoosh_searcher, query: Q.Query, *, needs_current: bool = False):
    """Return (scores, document numbers) of every match of a query, best first (ties by number).

    The numpy matcher scores what it can; Whoosh's own matchers, over the same postings, the rest.
    """
    try:
        return FastMatcher(arrays, whoosh_searcher, needs_current=needs_current).scored(query)
    except Unsupported:
        top = whoosh_searcher.search(query, limit=None, terms=False).top_n
        return (
            np.array([score for score, _ in top], dtype=np.float64),
            np.array([number for _, number in top], dtype=np.int64),
        )
