"""Whoosh analyzers for Chinese: a jieba word channel and a character-bigram channel.

Parts:

* ``segmenter()`` — one jieba tokenizer per process, with the union user
  dictionary loaded; kept in a module global (never on an analyzer instance,
  because Whoosh pickles analyzers into the index). Its two hot loops
  (``get_DAG``, ``calc``) are compiled (``indexer/text/_jiebadag.c``, built by
  ``make``): the same words as jieba's Python, in half the time.
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
import math
import operator
import re
import threading

import jieba
from jieba import finalseg
from whoosh.analysis import Token, Tokenizer

from indexer.text.lexicon import USER_DICTIONARY
from indexer.text.normalise import search_form

try:
    from indexer.text import _jiebadag
except ImportError:  # not compiled: jieba's own Python gives the same words, more slowly
    _jiebadag = None

log = logging.getLogger(__name__)

_segmenter: jieba.Tokenizer | None = None
_segmenter_lock = threading.Lock()
_NUMBER_MARKS = frozenset(".%‰")
_SPACES = frozenset(" \t\n\r\u3000\u00a0")


class CompiledTokenizer(jieba.Tokenizer):
    """jieba's tokenizer with ``get_DAG`` and ``calc`` compiled (``indexer/text/_jiebadag.c``).

    Both return what jieba's Python methods return, object for object, so every jieba path
    over this tokenizer (``cut``, ``tokenize``, posseg in ``figures``) gives the same words.
    ``content_spans`` is ``tokenize`` less its generators, for the passages of a build.
    """

    def get_DAG(self, sentence):  # noqa: N802 - jieba's name
        self.check_initialized()
        return _jiebadag.get_dag(sentence, self.FREQ)

    def calc(self, sentence, DAG, route):  # noqa: N803 - jieba's names
        _jiebadag.calc(sentence, DAG, route, self.FREQ, math.log(self.total))

    def content_spans(self, form: str) -> list[tuple[str, int, int]]:
        """Return (word, start, end) of ``tokenize(form)`` (default mode, HMM on) whose word is content.

        ``cut`` as jieba writes it: runs of ``re_han_default`` are segmented (``_cut_block``), any other
        character is a word of its own (whitespace too, never content).
        """
        self.check_initialized()
        spans: list[tuple[str, int, int]] = []
        append = spans.append
        offset = 0
        for block in _HAN.split(form):
            if not block:
                continue
            if _HAN.match(block):
                for word in self._cut_block(block):
                    end = offset + len(word)
                    if is_content(word):
                        append((word, offset, end))
                    offset = end
            else:
                for char in block:
                    if is_content(char):
                        append((char, offset, offset + 1))
                    offset += 1
        return spans

    def _cut_block(self, block: str):
        """jieba's ``Tokenizer.__cut_DAG``, over the route ``_jiebadag.route_ends`` computes in one call."""
        freq = self.FREQ
        ends = _jiebadag.route_ends(block, freq, math.log(self.total))
        x = 0
        buf = ""
        while x < len(block):
            y = ends[x]
            if y - x == 1:
                buf += block[x]
            else:
                if buf:
                    yield from _unknown(buf, freq)
                    buf = ""
                yield block[x:y]
            x = y
        if buf:
            yield from _unknown(buf, freq)


def _unknown(buf: str, freq: dict):
    """Single characters jieba's route left in a row: one word, the HMM's words, or the characters."""
    if len(buf) == 1:
        yield buf
    elif not freq.get(buf):
        yield from finalseg.cut(buf)
    else:
        yield from buf


_HAN = jieba.re_han_default


def segmenter() -> jieba.Tokenizer:
    """Return the process-wide jieba tokenizer, loading its dictionaries once."""
    global _segmenter
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                jieba.setLogLevel(logging.WARNING)
                if _jiebadag is None:
                    log.warning("indexer.text._jiebadag is not compiled (run make): jieba runs in pure Python, slower")
                    tokenizer = jieba.Tokenizer()
                else:
                    tokenizer = CompiledTokenizer()
                tokenizer.initialize()
                # jieba leaves a file it opens itself unclosed; hand it an open file instead.
                with USER_DICTIONARY.open("rb") as handle:
                    tokenizer.load_userdict(handle)
                _segmenter = tokenizer
    return _segmenter


# A word is content when it holds a letter or digit (``str.isalnum``): ``\w`` less the underscore.
is_content = re.compile(r"[^\W_]").search


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Return (word, start, end) for the jieba words of text's search form."""
    if len(text) <= _CACHED_TEXT_LENGTH:
        return _cached_word_spans(text)
    return _segment(text)


def _segment(text: str) -> list[tuple[str, int, int]]:
    form = search_form(text)
    tokenizer = segmenter()
    if isinstance(tokenizer, CompiledTokenizer):
        return tokenizer.content_spans(form)
    return [(word, start, end) for word, start, end in tokenizer.tokenize(form) if is_content(word)]


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


class SpanTokenizer(Tokenizer):
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


class WordTokenizer(SpanTokenizer):
    """Yield jieba words as Whoosh tokens (sequential positions, character offsets)."""

    def spans(self, value: str):
        for number, (word, start, end) in enumerate(word_spans(value)):
            yield word, number, start, end

    def terms(self, value: str) -> tuple[list[str], None]:
        return [word for word, _, _ in word_spans(value)], None


class BigramTokenizer(SpanTokenizer):
    """Yield overlapping character pairs as Whoosh tokens."""

    def spans(self, value: str):
        return bigram_spans(value)

    def terms(self, value: str) -> tuple[list[str], list[int]]:
        if len(value) <= _CACHED_TEXT_LENGTH:
            return _cached_bigram_terms(value)
        return _bigram_terms(value)


def _bigram_terms(value: str) -> tuple[list[str], list[int]]:
    """``bigram_spans`` less the offsets, run by run: spaces dropped first (they only ever bridge), then each
    run of letters, digits and number marks gives its pairs (a run of one, itself) and a gap of one position."""
    terms: list[str] = []
    positions: list[int] = []
    position = 0
    for run in _BIGRAM_RUN.findall(_SPACE_RUN.sub("", search_form(value))):
        # \w is a letter or digit (str.isalnum, see is_content) or the underscore, which ends a run.
        for part in run.split("_") if "_" in run else (run,):
            if len(part) > 1:
                terms.extend(map(operator.add, part[:-1], part[1:]))
                positions.extend(range(position, position + len(part) - 1))
                position += len(part)
            elif part:
                terms.append(part)
                positions.append(position)
                position += 2
    return terms, positions


_BIGRAM_RUN = re.compile(r"[\w.%‰]+")
_SPACE_RUN = re.compile("[" + "".join(sorted(_SPACES)) + "]+")


_cached_bigram_terms = functools.lru_cache(maxsize=8192)(_bigram_terms)


def word_analyzer() -> WordTokenizer:
    """Return the analyzer of the word channel."""
    return WordTokenizer()


def bigram_analyzer() -> BigramTokenizer:
    """Return the analyzer of the bigram channel."""
    return BigramTokenizer()
