"""ContiguousPhrase matches and scores exactly what Whoosh's Phrase does."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import query as Q

from indexer.query.phrase import ContiguousPhrase
from indexer.store.generations import current_generation
from indexer.text import analysis

PHRASES = [
    "工资集体协商",
    "农民工",
    "户外劳动者",
    "职工代表大会",
    "建会率",
    "70.13",
    "工会工会",  # a repeated term
    "全市各级工会",
    "不存在的说法",  # no match
    "集体协",  # inside a jieba word
]


def _matches(searcher, query) -> list[tuple[int, float]]:
    results = searcher.search(query, limit=None, terms=False)
    return sorted((number, round(score, 6)) for score, number in results.top_n)


@pytest.mark.parametrize("text", PHRASES)
def test_contiguous_phrase_equals_whoosh_phrase(reference_seed_index: Path, text: str):
    ix = whoosh_index.open_dir(str(current_generation(reference_seed_index)))
    with ix.searcher() as searcher:
        compared = 0
        for fieldname, terms in (
            ("grams", analysis.bigrams(text)),
            ("head_grams", analysis.bigrams(text)),
            ("text", analysis.words(text)),
        ):
            if len(terms) < 2:
                continue
            for boost in (1.0, 2.0):
                ours = _matches(searcher, ContiguousPhrase(fieldname, terms, boost=boost))
                theirs = _matches(searcher, Q.Phrase(fieldname, terms, boost=boost))
                assert ours == theirs, (fieldname, terms)
                compared += len(ours)
        if text not in ("不存在的说法", "工会工会"):
            assert compared > 0


def test_contiguous_phrase_needs_the_terms_next_to_each_other(reference_designed_index: Path):
    ix = whoosh_index.open_dir(str(current_generation(reference_designed_index)))
    with ix.searcher() as searcher:
        # 集体 and 协商 both occur in the designed report, next to each other only as 集体协商.
        assert _matches(searcher, ContiguousPhrase("grams", ["集体", "体协", "协商"]))
        assert not _matches(searcher, ContiguousPhrase("grams", ["协商", "集体"]))
        assert not _matches(searcher, ContiguousPhrase("grams", ["集体", "协商"]))  # 体协 missing between
