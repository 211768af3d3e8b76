"""The ranking model: how a passage's score is made. Our specification; tests pin it.

A concept (a word the user asked for) is matched in two channels of a passage: its jieba words
(``text``) and its character bigrams (``grams``); the same two over the title and section heading
(``head``, ``head_grams``). A term's score in a field is BM25F:

    idf × tf·w / (tf·w + K1 × (1 − B + B × length / average length))

with ``w`` the field's weight (``FIELD_WEIGHTS``: a heading counts twice), idf = ln(N / (df + 1)) + 1
over all passages (deleted ones too, until their segment is merged away), and lengths as Whoosh
records them (one byte, lossy). Then:

- a word matched whole in the word channel weighs ``WORD_CHANNEL_WEIGHT`` times its bigram phrase;
- a phrase (words or bigrams in a row) scores the sum of its terms' scores;
- a prefix (one character in the bigram channel) scores the sum of the scores of its terms;
- a synonym weighs ``SYNONYM_WEIGHT`` of the word it stands for, an expansion of an everyday phrase
  (``data/colloquial.csv``) ``EXPANSION_WEIGHT``;
- a passage holding a multi-word term exactly as written gets the phrase again, times
  ``PROXIMITY_WEIGHT`` (the proximity bonus);
- AND and OR add their parts' scores; an optional part (AND-MAYBE) adds its score where it matches.

``ChannelBM25F`` is this model as a Whoosh ``WeightingModel``, so Whoosh's own matchers score a query
exactly as the numpy matcher (``match``) does: both read the same postings.
"""

from __future__ import annotations

from whoosh import scoring

K1 = 1.2
B = 0.75
# Fields not named weigh 1.
FIELD_WEIGHTS = {"head": 2.0, "head_grams": 2.0, "indicator": 3.0, "indicator_grams": 3.0}
WORD_CHANNEL_WEIGHT = 2.0
SYNONYM_WEIGHT = 0.5
EXPANSION_WEIGHT = 0.5  # how documents say an everyday phrase (data/colloquial.csv)
PROXIMITY_WEIGHT = 3.0


def field_weight(fieldname: str) -> float:
    """Return the weight of a term frequency in a field."""
    return FIELD_WEIGHTS.get(fieldname, 1.0)


def bm25f(idf: float, tf: float, length: float, average_length: float, *, weight: float = 1.0) -> float:
    """Return one term's BM25F score in one field of one passage (``weight``: the field's)."""
    weighted = tf * weight
    return idf * ((weighted * (K1 + 1)) / (weighted + K1 * ((1 - B) + B * length / average_length)))


class ChannelBM25F(scoring.WeightingModel):
    """This module's model for Whoosh's matchers: BM25F with the field weights applied at query time."""

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        return _Scorer(searcher, fieldname, text)


class _Scorer(scoring.WeightLengthScorer):
    def __init__(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        self.idf = parent.idf(fieldname, text)
        self.average_length = parent.avg_field_length(fieldname) or 1
        self.weight = field_weight(fieldname)
        self.setup(searcher, fieldname, text)

    def _score(self, weight, length):
        # Whoosh's posting weight is the term frequency (every field boost is 1 in the schema).
        return bm25f(self.idf, weight, length, self.average_length, weight=self.weight)
