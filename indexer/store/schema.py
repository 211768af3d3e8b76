"""The Whoosh schemas of the passage and figure indexes, their codecs, and the version stamp.

One Whoosh document per passage. Two channels over the passage text: ``text`` (jieba words, stored)
and ``grams`` (character bigrams, for any substring, number or phrase); the same two over the title
and section heading (``head``/``head_grams``). Facet fields are sortable IDs (columns make counting
cheap); ``topic`` is multi-valued. How much each field weighs is the ranking model's business
(``query.scoring``), not the index's: every field boost here is 1.

The text channels' postings live in flat arrays beside each segment (``ArraysCodec``): Whoosh's
reader and the numpy matcher both read them.
"""

from __future__ import annotations

from whoosh import fields

from indexer.store.codec import ArraysCodec
from indexer.text.analysis import bigram_analyzer, word_analyzer

# Bump when the schema, the analyzers or what goes into a field changes: an
# index with another stamp is rebuilt, never misread.
SCHEMA_VERSION = 14

FACETS = ("year", "province", "city", "topic", "doc_type")

# Passage fields whose postings are flat arrays beside each segment (``postarrays``).
ARRAY_FIELDS = ("text", "grams", "head", "head_grams")


def make_schema() -> fields.Schema:
    """Return a fresh Whoosh schema for passages."""
    return fields.Schema(
        id=fields.STORED(),  # never searched: one unique term per passage would only cost build time
        doc_id=fields.ID(stored=True, sortable=True),
        source=fields.ID(stored=True),
        ordinal=fields.NUMERIC(stored=True, sortable=True),
        title=fields.STORED(),
        issuer=fields.STORED(),
        section=fields.STORED(),
        date=fields.ID(stored=True, sortable=True),
        year=fields.ID(stored=True, sortable=True),
        province=fields.ID(stored=True, sortable=True),
        city=fields.ID(stored=True, sortable=True),
        doc_type=fields.ID(stored=True, sortable=True),
        topic=fields.KEYWORD(stored=True, commas=True, scorable=False),
        topic_evidence=fields.STORED(),
        start=fields.STORED(),
        # Positions only: highlights come from a substring search of the stored text of the passages
        # shown (no re-tokenising), so character offsets in the postings would only cost time and space.
        text=fields.TEXT(analyzer=word_analyzer(), stored=True, phrase=True),
        grams=fields.TEXT(analyzer=bigram_analyzer(), phrase=True),
        head=fields.TEXT(analyzer=word_analyzer(), phrase=True),
        head_grams=fields.TEXT(analyzer=bigram_analyzer(), phrase=True),
    )


FIGURES_INDEX = "figures"
FIGURE_FACETS = ("year", "province", "city", "kind", "unit", "measure", "report_year")
FIGURE_ARRAY_FIELDS = ("indicator", "indicator_grams", "context")


def passage_codec() -> ArraysCodec:
    """Return the codec of the passage index's segments."""
    return ArraysCodec(ARRAY_FIELDS)


def figure_codec() -> ArraysCodec:
    """Return the codec of the figure index's segments."""
    return ArraysCodec(FIGURE_ARRAY_FIELDS)


def make_figure_schema() -> fields.Schema:
    """Return a fresh Whoosh schema for figures (one Whoosh document per extracted figure)."""
    return fields.Schema(
        id=fields.STORED(),
        doc_id=fields.STORED(),
        source=fields.ID(stored=True),
        passage_id=fields.STORED(),
        ordinal=fields.STORED(),
        title=fields.STORED(),
        date=fields.ID(stored=True, sortable=True),
        year=fields.ID(stored=True, sortable=True),  # the year the figure is about (2022 in a 2023 review)
        year_from=fields.STORED(),  # the first year of a period (过去五年), else None
        report_year=fields.ID(stored=True, sortable=True),  # the document's year
        province=fields.ID(stored=True, sortable=True),
        city=fields.ID(stored=True, sortable=True),
        kind=fields.ID(stored=True, sortable=True),
        measure=fields.ID(stored=True, sortable=True),  # level, change, share or count
        unit=fields.ID(stored=True, sortable=True),
        approx=fields.STORED(),
        # No column (Whoosh cannot write float columns): sorted through the index terms. No range
        # queries either, so one term per value (shift_step=0), not sixteen precision tiers.
        value=fields.NUMERIC(float, stored=True, shift_step=0),
        indicator=fields.TEXT(analyzer=word_analyzer(), stored=True, phrase=True),
        indicator_grams=fields.TEXT(analyzer=bigram_analyzer(), phrase=True),
        # Where the figure comes from (title, place, year), in the word channel: 滨州 建会率 matches.
        # The sentence itself is only stored: indexing it per figure repeated every sentence's
        # postings for each of its figures and made the figures index cost more than the passages.
        context=fields.TEXT(analyzer=word_analyzer(), phrase=True),
        sentence=fields.STORED(),
        start=fields.STORED(),
        end=fields.STORED(),
    )
