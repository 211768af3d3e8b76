"""Whoosh analyzers for Chinese: a jieba word channel and a character-bigram channel.

Parts:

* ``segmenter()`` — one jieba tokenizer per process, with the union user
  dictionary loaded; kept in a module global (never on an analyzer instance,
  because Whoosh pickles analyzers into the index).
* ``WordTokenizer`` — jieba words with sequential positions and character
  offsets; digits and one-character words are kept, punctuation is not.
* ``BigramTokenizer`` — overlapping character pairs over letters, digits and
  CJK (spaces bridged, punctuation breaks a run), so any substring of two or
  more characters — 70.13 inside 70.13%, 协商 inside 工资集体协商 — can be found.

Both read the *search form* of the text (see ``normalise.search_form``), which
is aligned character for character with the stored display text, so offsets
point at the right characters of what is shown.
"""

from __future__ import annotations

import functools
import logging
import re
import threading

import jieba
from whoosh.analysis import Token, Tokenizer

from indexer.lexicon import USER_DICTIONARY
from indexer.normalise import search_form

_segmenter: jieba.Tokenizer | None = None
_segmenter_lock = threading.Lock()
_NUMBER_MARKS = frozenset(".%‰")
_SPACES = frozenset(" \t\n\r\u3000\u00a0")


def segmenter() -> jieba.Tokenizer:
    """Return the process-wide jieba tokenizer, loading its dictionaries once."""
    global _segmenter
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                # jieba leaves a file it opens itself unclosed; hand it an open file instead.
                with USER_DICTIONARY.open("rb") as handle:
                    tokenizer.load_userdict(handle)
                _segmenter = tokenizer
    return _segmenter


# A word is content when it holds a letter or digit (``str.isalnum``): ``\w`` less the underscore.
_is_content = re.compile(r"[^\W_]").search


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Return (word, start, end) for the jieba words of text's search form."""
    if len(text) <= _CACHED_TEXT_LENGTH:
        return _cached_word_spans(text)
    return _segment(text)


def _segment(text: str) -> list[tuple[str, int, int]]:
    form = search_form(text)
    return [(word, start, end) for word, start, end in segmenter().tokenize(form) if _is_content(word)]


# Headings, titles and queries repeat (every passage of a section carries the same
# heading text): segment each short text once.
_CACHED_TEXT_LENGTH = 400
_cached_word_spans = functools.lru_cache(maxsize=8192)(_segment)


def words(text: str) -> list[str]:
    """Return the jieba words of text (search form, punctuation dropped)."""
    return [word for word, _, _ in word_spans(text)]


def bigram_spans(text: str) -> list[tuple[str, int, int, int]]:
    """Return (bigram, position, start, end) over text's search form.

    Spaces are skipped (so OCR spacing never splits a pair); punctuation ends a
    run and leaves a gap of one position so phrases never match across it. A
    run of one character yields that character alone.
    """
    form = search_form(text)
    spans: list[tuple[str, int, int, int]] = []
    position = 0
    previous_char = ""
    previous_start = -1
    run_length = 0

    def close_run() -> None:
        nonlocal position
        if run_length == 1:
            spans.append((previous_char, position, previous_start, previous_start + 1))
            position += 1
        position += 1  # gap: no phrase across punctuation

    for index, char in enumerate(form):
        if char in _SPACES:
            continue
        if char.isalnum() or char in _NUMBER_MARKS:
            if run_length:
                spans.append((previous_char + char, position, previous_start, index + 1))
                position += 1
            previous_char, previous_start = char, index
            run_length += 1
        elif run_length:
            close_run()
            run_length = 0
    if run_length:
        close_run()
    return spans


def bigrams(text: str) -> list[str]:
    """Return the bigram terms of text, in order."""
    return [gram for gram, _, _, _ in bigram_spans(text)]


def _literal_token(token: Token, value: str, positions: bool, chars: bool, start_pos: int, start_char: int) -> Token:
    token.original = token.text = value
    token.boost = 1.0
    if positions:
        token.pos = start_pos
    if chars:
        token.startchar = start_char
        token.endchar = start_char + len(value)
    return token


class _SpanTokenizer(Tokenizer):
    """A Whoosh tokenizer over (text, position, start, end) spans: positions and chars as Whoosh expects."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def spans(self, value: str):
        """Yield (token text, position, start char, end char) for a value."""
        raise NotImplementedError

    def terms(self, value: str) -> tuple[list[str], list[int] | None]:
        """Return the token texts of a value and their positions (None: 0, 1, 2, …), for indexing."""
        spans = list(self.spans(value))
        return [span[0] for span in spans], [span[1] for span in spans]

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _literal_token(token, search_form(value), positions, chars, start_pos, start_char)
            return
        for text, position, start, end in self.spans(value):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class WordTokenizer(_SpanTokenizer):
    """Yield jieba words as Whoosh tokens (sequential positions, character offsets)."""

    def spans(self, value: str):
        for number, (word, start, end) in enumerate(word_spans(value)):
            yield word, number, start, end

    def terms(self, value: str) -> tuple[list[str], None]:
        return [word for word, _, _ in word_spans(value)], None


class BigramTokenizer(_SpanTokenizer):
    """Yield overlapping character pairs as Whoosh tokens."""

    def spans(self, value: str):
        return bigram_spans(value)

    def terms(self, value: str) -> tuple[list[str], list[int]]:
        if len(value) <= _CACHED_TEXT_LENGTH:
            return _cached_bigram_terms(value)
        return _bigram_terms(value)


def _bigram_terms(value: str) -> tuple[list[str], list[int]]:
    spans = bigram_spans(value)
    return [span[0] for span in spans], [span[1] for span in spans]


_cached_bigram_terms = functools.lru_cache(maxsize=8192)(_bigram_terms)


def word_analyzer() -> WordTokenizer:
    """Return the analyzer of the word channel."""
    return WordTokenizer()


def bigram_analyzer() -> BigramTokenizer:
    """Return the analyzer of the bigram channel."""
    return BigramTokenizer()
