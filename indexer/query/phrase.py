"""An exact phrase query (words or bigrams next to each other, in order) that checks positions with sets.

Whoosh's ``Phrase`` builds a general ``SpanNear2`` (slop, order, distance) and, for every document
holding all the terms, walks span objects pair by pair in Python; with bigram phrases over common
characters that walk was most of a search's time. For the one case we use — slop 1, in order — a
document matches when some start ``s`` has the i-th term at ``s + i`` for every i: one set
intersection per term. Matching documents, their spans and their scores are Whoosh's own (the same
intersection matcher underneath); ``tests/test_phrase.py`` compares both on many queries.
"""

from __future__ import annotations

from whoosh import matching
from whoosh.query import Phrase, Term
from whoosh.query.spans import Span, SpanNear2


class _ContiguousMatcher(SpanNear2.SpanNear2Matcher):
    """SpanNear2's matcher for slop 1, in order, distance 1, with the span test done by sets."""

    def copy(self):
        return self.__class__([matcher.copy() for matcher in self.ms])

    def _get_spans(self):
        starts: set[int] | None = None
        for offset, matcher in enumerate(self.ms):
            shifted = {position - offset for position in matcher.value_as("positions")}
            starts = shifted if starts is None else starts & shifted
            if not starts:
                return []
        last = len(self.ms) - 1
        return [Span(start, start + last) for start in sorted(starts)]


class ContiguousPhrase(Phrase):
    """``whoosh.query.Phrase``; with slop 1 (the default) matched by ``_ContiguousMatcher``."""

    def matcher(self, searcher, context=None):
        # Phrase.matcher, with our matcher in place of SpanNear2's.
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[self.fieldname]
        if self.slop != 1 or not field.format or not field.format.supports("positions"):
            return super().matcher(searcher, context)  # Whoosh's own (and its own error)
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (self.fieldname, word) not in reader:
                return matching.NullMatcher()
            terms.append(Term(self.fieldname, word))
        matcher = _ContiguousMatcher([term.matcher(searcher, context) for term in terms])
        if self.boost != 1.0:
            matcher = matching.WrappingMatcher(matcher, boost=self.boost)
        return matcher
