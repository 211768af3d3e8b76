"""Turn parsed concepts into Whoosh queries (what the matchers evaluate).

Parts:

* ``Channels`` — the fields a concept is looked for in: the word channel (jieba words) and the
  bigram channel (character pairs), over everything or the title and headings only.
* ``concept_query`` — one concept → OR of its word-channel term or phrase and its bigram phrase, its
  variants alike, its synonyms at ``SYNONYM_WEIGHT``; an OR group → OR of its members.
* ``proximity_query`` — a multi-word term as written, in the bigram channel (the proximity bonus);
  ``excluded_query`` — what the user excluded (``-词``).

How the parts are put together and ranked is ``rank``'s business.

Weights come from the ranking model (``scoring``).
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as Q

from indexer.query.parse import Concept, ParsedQuery
from indexer.query.scoring import PROXIMITY_WEIGHT, SYNONYM_WEIGHT, WORD_CHANNEL_WEIGHT
from indexer.text import analysis


@dataclass(frozen=True)
class Channels:
    """The fields a concept is matched in: word and bigram channels, all and title-only."""

    words: tuple[str, ...]
    grams: tuple[str, ...]
    title_words: tuple[str, ...]
    title_grams: tuple[str, ...]


PASSAGE_CHANNELS = Channels(("text", "head"), ("grams", "head_grams"), ("head",), ("head_grams",))
# The other words searched for a concept (synonyms, expansions) are looked for in the passage text only.
BODY_CHANNELS = Channels(("text",), ("grams",), ("head",), ("head_grams",))
# Figures: indicator (both channels) and where the figure comes from (title, place, year);
# the indicator counts as the "title" (标题:建会率 searches indicators only).
FIGURE_CHANNELS = Channels(("indicator", "context"), ("indicator_grams",), ("indicator",), ("indicator_grams",))


def channel_query(text: str, *, title_only: bool, boost: float, channels: Channels = PASSAGE_CHANNELS) -> Q.Query:
    """Match one word or phrase in the word channel or the bigram channel."""
    word_fields = channels.title_words if title_only else channels.words
    gram_fields = channels.title_grams if title_only else channels.grams
    parts: list[Q.Query] = []
    tokens = analysis.words(text)
    for name in word_fields:
        if len(tokens) == 1:
            parts.append(Q.Term(name, tokens[0], boost=WORD_CHANNEL_WEIGHT * boost))
        elif tokens:
            parts.append(Q.Phrase(name, tokens, boost=WORD_CHANNEL_WEIGHT * boost))
    grams = analysis.bigrams(text)
    for name in gram_fields:
        if len(grams) == 1 and len(grams[0]) == 1:
            prefix = Q.Prefix(name, grams[0], constantscore=False)
            parts.append(Q.Or([Q.Term(name, grams[0]), prefix], boost=boost))
        elif grams:
            parts.append(Q.Phrase(name, grams, boost=boost))
    return Q.Or(parts) if parts else Q.NullQuery


def concept_query(concept: Concept, channels: Channels = PASSAGE_CHANNELS) -> Q.Query:
    """Return the query of one concept (its synonyms with a lower weight)."""
    if concept.alternatives:
        return Q.Or([concept_query(alternative, channels) for alternative in concept.alternatives])
    parts = [
        channel_query(text, title_only=concept.title_only, boost=1.0, channels=channels)
        for text in (concept.text, *concept.variants)
    ]
    for synonym in concept.synonyms:
        parts.append(channel_query(synonym, title_only=concept.title_only, boost=SYNONYM_WEIGHT, channels=channels))
    return Q.Or(parts) if len(parts) > 1 else parts[0]


def proximity_query(parsed: ParsedQuery) -> Q.Query | None:
    """Reward passages holding a whole multi-word term as written."""
    parts = [
        Q.Phrase("grams", analysis.bigrams(phrase), boost=PROXIMITY_WEIGHT)
        for phrase in parsed.phrases
        if len(analysis.bigrams(phrase)) > 1
    ]
    return Q.Or(parts) if parts else None


def excluded_query(parsed: ParsedQuery, channels: Channels = PASSAGE_CHANNELS) -> Q.Query | None:
    """Return the query of what the user excluded (``-词``), or None."""
    if not parsed.excluded:
        return None
    return Q.Or([concept_query(concept, channels) for concept in parsed.excluded])
