"""Understand how a question is asked: the words that only ask, the kind of answer wanted, place and year.

Parts:

* question frames (``data/question_frames.csv``: 别的城市, 是怎么, 能不能, 多少 …) are cut from the text
  before it is parsed; they say what kind of answer is wanted — a ``rule`` (law articles), a
  ``precedent`` or ``measure`` (reports of places and years), a ``figure`` — and are shown as ignored;
* the rest is parsed into concepts (``parse``); places (滨州) and years (2024年) among them are recognised;
* a few words and no question words are ``keyword`` (their rare words weigh as rare as they are); every
  query is ranked by how much of it a passage covers, and only what the user marks (``+词``, quotes) is
  required: measured on judged keyword sets, ranking found more of the judged passages than requiring
  every word did (seeds recall@10 0.85 against 0.71, corpus 0.65 against 0.56, the first hit as good);
* a question of more than ``MAX_CONCEPTS`` concepts keeps the rarest ones (they carry the meaning) and
  says which it left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from indexer.query.parse import Concept, ParsedQuery, parse_query
from indexer.text import lexicon, places

MAX_CONCEPTS = 12
# A query with no question words, at most this many concepts and this many characters is keywords.
KEYWORD_CONCEPTS = 3
KEYWORD_CHARS = 16
QUESTION_CHARS = 20  # longer than this, a query is a question even without question words
_QUOTES = re.compile('["“”„「」『』＂]')
KINDS = ("keyword", "rule", "precedent", "measure", "figure", "question")
YEAR = re.compile(r"((?:19|20)\d{2})年?")
_BREAK = re.compile(r"[\s，,。？?！!；;：:、]")


@dataclass(frozen=True)
class Understanding:
    """What a query asks for, as the search reads it."""

    query: str
    parsed: ParsedQuery
    kind: str  # one of KINDS
    frames: tuple[str, ...] = ()  # question words cut from the text
    place: places.Place | None = None  # a place named in the question
    years: tuple[str, ...] = ()  # years named in the question
    left_out: tuple[str, ...] = ()  # concepts of a long text not searched
    without: tuple[str, ...] = ()  # synonyms, expansions and feedback words the user removed

    @property
    def concepts(self) -> tuple[Concept, ...]:
        return self.parsed.concepts

    def as_dict(self) -> dict:
        """Return what was understood, for the API (``understood``)."""
        return {
            "kind": self.kind,
            "concepts": [
                {
                    "text": concept.text,
                    "required": concept.required or concept.exact,
                    "variants": list(concept.variants),
                    "synonyms": list(concept.synonyms),
                    "expansions": list(concept.expansions),
                }
                for concept in self.concepts
                if not concept.alternatives and not concept.optional
            ],
            "question_words": list(self.frames),
            "ignored": list(self.parsed.ignored),
            "place": {"province": self.place.province, "city": self.place.city} if self.place else None,
            "years": list(self.years),
            "left_out": list(self.left_out),
        }


def strip_frames(text: str) -> tuple[str, tuple[str, ...], Counter]:
    """Return the text less its question words, the words cut, and how often each kind was asked for.

    Longer phrases first; a one-character frame (吗, 呢) only before punctuation or the end.
    """
    frames = lexicon.question_frames()
    cut: list[str] = []
    kinds: Counter = Counter()
    for phrase in sorted(frames, key=len, reverse=True):
        if len(phrase) == 1:
            pattern = re.compile(re.escape(phrase) + r"(?=[\s，,。？?！!；;]|$)")
        else:
            pattern = re.compile(re.escape(phrase))
        found = len(pattern.findall(text))
        if found:
            text = pattern.sub(" ", text)
            cut.append(phrase)
            if frames[phrase] != "frame":
                kinds[frames[phrase]] += found
    return text, tuple(cut), kinds


def _kind(kinds: Counter, parsed: ParsedQuery, text: str, frames: tuple[str, ...]) -> str:
    if kinds:
        # A rule question names its situation (能不能, 怎么算); figures and measures come with others' words.
        for kind in ("rule", "figure", "precedent", "measure"):
            if kinds[kind] and kinds[kind] == max(kinds.values()):
                return kind
    few = len([concept for concept in parsed.concepts if not concept.optional]) <= KEYWORD_CONCEPTS
    if not frames and few and len(text) <= KEYWORD_CHARS:
        return "keyword"
    return "question"


def _lone_character(concept: Concept) -> bool:
    return len(concept.text) == 1 and not concept.text.isascii() and not concept.alternatives and not concept.required


def _place(concepts: tuple[Concept, ...]) -> places.Place | None:
    for concept in concepts:
        found = places.place_named(concept.text)
        if found is not None:
            return found
    return None


def understand(
    text: str, *, weigh: Callable[[Concept, int], float] | None = None, max_concepts: int = MAX_CONCEPTS
) -> Understanding:
    """Return how a query is read. ``weigh(concept, times it stands in the text)`` picks the concepts that
    carry a text with more than ``max_concepts`` (the heaviest); without it the first ones are kept."""
    cleaned, frames, kinds = strip_frames(unicodedata.normalize("NFKC", text))
    if frames or len(re.sub(r"\s+", "", cleaned)) > QUESTION_CHARS:
        # In a spoken question, quotes stress words (国家在“最低工资”上…); they demand nothing exact.
        cleaned = _QUOTES.sub(" ", cleaned)
    parsed = parse_query(cleaned)
    if not parsed.concepts and frames:  # nothing but question words: search them after all
        parsed, frames, kinds = parse_query(text), (), Counter()
    concepts = parsed.concepts
    left_out: tuple[str, ...] = ()
    if len(concepts) > max_concepts:
        ranked = list(concepts)
        if weigh is not None:
            weights = {concept: weigh(concept, cleaned.count(concept.text)) for concept in concepts}
            ranked.sort(key=lambda concept: (concept.optional, -weights[concept]))
        kept = set(ranked[:max_concepts])
        left_out = tuple(concept.text for concept in concepts if concept not in kept)
        concepts = tuple(concept for concept in concepts if concept in kept)
    parsed = replace(parsed, concepts=concepts, ignored=tuple(dict.fromkeys((*parsed.ignored, *frames))))
    kind = _kind(kinds, parsed, re.sub(r"\s+", "", cleaned), frames)
    if kind != "keyword":  # in a question, a lone character (钱, 走) asks little and costs much
        concepts = tuple(
            replace(concept, optional=True) if _lone_character(concept) else concept for concept in concepts
        )
        parsed = replace(parsed, concepts=concepts)
    years = tuple(
        dict.fromkeys(match.group(1) for concept in concepts for match in [YEAR.fullmatch(concept.text)] if match)
    )
    return Understanding(text, parsed, kind, frames, _place(concepts), years, left_out)
