"""The ranking model (``indexer.query.scoring``) pinned as our specification: scores computed by hand from
the index statistics equal what a search returns."""

from __future__ import annotations

import math

import pytest

from indexer.query import match, rank, scoring
from indexer.query.index import Index
from indexer.query.passages import search_passages
from indexer.query.understand import understand
from indexer.text import analysis

from .conftest import build_from

DOCUMENTS = {
    "together.txt": "技能比武通知\n开展技能比武活动，发出集体协商要约。\n",
    "apart.txt": "企业情况通报\n提升职工技能，组织岗位比武，另外开展集体协商要约行动。\n",
    "legal.txt": "法律服务简报\n市法律援助中心为农民工讨回欠薪。\n",
    "short.txt": "法援工作动态\n开展法援进工地活动。\n",
    "other.txt": "职工文化活动\n组织职工书屋读书月活动，评选优秀读者。\n",
}


@pytest.fixture(scope="module")
def handle(tmp_path_factory):
    handle = Index(build_from(tmp_path_factory.mktemp("scoring"), DOCUMENTS), cache_items=0).handle()
    yield handle
    handle.close()


def test_bm25f_is_the_formula_with_its_parameters():
    assert (scoring.K1, scoring.B) == (1.2, 0.75)
    # idf 2, tf 3, length 10 of average 20: 2 × 3·2.2 / (3 + 1.2 × (0.25 + 0.75 × 0.5)) = 3.52
    assert scoring.bm25f(2.0, 3, 10, 20) == pytest.approx(3.52)
    # A heading's weight multiplies the frequency inside the saturation, not the score.
    assert scoring.bm25f(2.0, 3, 10, 20, weight=2.0) == pytest.approx(2 * 6 * 2.2 / (6 + 1.2 * 0.625))
    assert scoring.field_weight("head") == scoring.field_weight("head_grams") == 2.0
    assert scoring.field_weight("text") == scoring.field_weight("grams") == 1.0


def _tf(reader, fieldname: str, term: str, docnum: int) -> int:
    """How often a term stands in one field of one passage (Whoosh's postings)."""
    btext = term.encode("utf-8")
    if (fieldname, btext) not in reader:
        return 0
    matcher = reader.postings(fieldname, btext)
    tf = 0
    while matcher.is_active():
        if matcher.id() == docnum:
            tf = len(matcher.value_as("positions"))
        matcher.next()
    return tf


def _term_score(reader, fieldname: str, term: str, docnum: int) -> float:
    """One term's score in one field of one passage, from Whoosh's statistics and the model's formula."""
    btext = term.encode("utf-8")
    tf = _tf(reader, fieldname, term, docnum)
    if not tf:
        return 0.0
    count = reader.doc_count_all()
    idf = math.log(count / (reader.doc_frequency(fieldname, btext) + 1)) + 1
    average = reader.field_length(fieldname) / count
    length = reader.doc_field_length(docnum, fieldname)
    return scoring.bm25f(idf, tf, length, average, weight=scoring.field_weight(fieldname))


def _phrase_here(handle, fieldname: str, terms: list[str], docnum: int) -> bool:
    reader = handle.searcher().reader()
    starts = None
    for offset, term in enumerate(terms):
        positions = set()
        if (fieldname, term.encode("utf-8")) not in reader:
            return False
        matcher = reader.postings(fieldname, term.encode("utf-8"))
        while matcher.is_active():
            if matcher.id() == docnum:
                positions = {position - offset for position in matcher.value_as("positions")}
            matcher.next()
        starts = positions if starts is None else starts & positions
    return bool(starts)


def _concept_score(handle, text: str, docnum: int, *, weight: float = 1.0) -> float:
    """A word's score in a passage by the model: its jieba word(s) in the word channels times
    WORD_CHANNEL_WEIGHT, plus its bigram phrase in the bigram channels, each where it is found."""
    reader = handle.searcher().reader()
    words, grams = analysis.words(text), analysis.bigrams(text)
    total = 0.0
    for fieldname, terms, channel in (
        ("text", words, scoring.WORD_CHANNEL_WEIGHT),
        ("head", words, scoring.WORD_CHANNEL_WEIGHT),
        ("grams", grams, 1.0),
        ("head_grams", grams, 1.0),
    ):
        if _phrase_here(handle, fieldname, terms, docnum):
            total += channel * sum(_term_score(reader, fieldname, term, docnum) for term in terms)
    return weight * total


def _hit(result, source: str):
    return next(hit for hit in result.hits if hit.source == source)


def _docnum(handle, passage_id: str) -> int:
    for number, fields in enumerate(handle.searcher().all_stored_fields()):
        if fields["id"] == passage_id:
            return number
    raise AssertionError(passage_id)


def _ranked(handle, text: str) -> tuple[rank.Ranked, dict[int, int]]:
    ranked = rank.rank(handle, understand(text))
    return ranked, {number: place for place, number in enumerate(ranked.numbers.tolist())}


def _relevance(handle, text: str, hit) -> float:
    ranked, place = _ranked(handle, text)
    return float(ranked.relevance[place[_docnum(handle, hit.id)]])


def test_a_word_s_relevance_is_its_word_and_bigram_channels_as_the_model_says(handle):
    result = search_passages(handle, "要约")  # a word with no synonyms
    assert {hit.source for hit in result.hits} == {"together.txt", "apart.txt"}
    for hit in result.hits:
        expected = _concept_score(handle, "要约", _docnum(handle, hit.id))
        assert _relevance(handle, "要约", hit) == pytest.approx(expected, rel=1e-9), hit.source


def test_a_passage_s_score_is_its_coverage_then_its_relevance(handle):
    result = search_passages(handle, "要约")
    for hit in result.hits:
        relevance = _relevance(handle, "要约", hit)
        # Both hold the one concept: coverage 1; relevance saturated below the coverage's step.
        expected = 1.0 + rank.RELEVANCE_SHARE * relevance / (relevance + rank.RELEVANCE_SATURATION)
        assert hit.score == pytest.approx(expected, rel=1e-9)
    assert (rank.RELEVANCE_SHARE, rank.RELEVANCE_SATURATION) == (0.5, 10.0)


def test_coverage_weighs_each_concept_by_its_rarity(handle):
    count = handle.facet_postings.doc_count
    ranked, place = _ranked(handle, "讨回欠薪 开展活动")  # a question: passages ranked by coverage
    weights = dict(zip((concept.text for concept in ranked.concepts), ranked.weights, strict=True))
    # One passage holds it; the lexicon knows it (synonyms): it names the topic.
    assert weights["欠薪"] == pytest.approx(math.log((count + 1) / (1 + 0.5)) * rank.KNOWN_FACTOR)
    assert weights["讨回"] == pytest.approx(math.log((count + 1) / (1 + 0.5)))
    assert weights["活动"] < weights["欠薪"]  # held by more passages: says less
    legal = next(
        number for number, fields in enumerate(handle.searcher().all_stored_fields()) if fields["source"] == "legal.txt"
    )
    held = sum(weight for concept, weight in weights.items() if concept in ("讨回", "欠薪"))
    assert ranked.coverage[place[legal]] == pytest.approx(held / sum(ranked.weights))
    assert ranked.numbers[0] == legal  # it covers the rarest words


def test_a_word_in_the_heading_counts_twice(handle):
    result = search_passages(handle, "技能")
    together = _hit(result, "together.txt")
    assert result.hits[0] is together and _hit(result, "apart.txt")  # 技能 in its title (heading channel) too
    reader = handle.searcher().reader()
    docnum = _docnum(handle, together.id)
    in_head = _term_score(reader, "head", "技能", docnum)
    assert in_head > 0
    assert _relevance(handle, "技能", together) == pytest.approx(_concept_score(handle, "技能", docnum), rel=1e-9)
    tf, length = _tf(reader, "head", "技能", docnum), reader.doc_field_length(docnum, "head")
    count = reader.doc_count_all()
    idf = math.log(count / (reader.doc_frequency("head", "技能".encode()) + 1)) + 1
    average = reader.field_length("head") / count
    assert in_head == pytest.approx(idf * 2 * tf * 2.2 / (2 * tf + 1.2 * (0.25 + 0.75 * length / average)))


def test_a_synonym_weighs_half_of_the_word_it_stands_for(handle):
    typed = search_passages(handle, "法援")  # 法援 ↔ 法律援助 in data/synonyms.csv
    by_synonym = _hit(typed, "legal.txt")  # says 法律援助 only
    docnum = _docnum(handle, by_synonym.id)
    assert "法援" not in by_synonym.text
    expected = _concept_score(handle, "法律援助", docnum, weight=0.5)
    assert _relevance(handle, "法援", by_synonym) == pytest.approx(expected, rel=1e-9)
    ranked, place = _ranked(handle, "法援")
    assert ranked.coverage[place[docnum]] == pytest.approx(rank.ALT_CREDIT)  # held through another word
    assert scoring.SYNONYM_WEIGHT == 0.5
    assert typed.hits[0].source == "short.txt"  # the word as typed outranks its synonym


def test_a_term_written_as_typed_gets_the_proximity_bonus(handle):
    result = search_passages(handle, "技能比武")  # cut into 技能 + 比武: both required, in any order
    together, apart = _hit(result, "together.txt"), _hit(result, "apart.txt")
    assert result.hits[0] is together
    docnum = _docnum(handle, together.id)
    words_only = sum(_concept_score(handle, word, docnum) for word in ("技能", "比武"))
    reader = handle.searcher().reader()
    bonus = scoring.PROXIMITY_WEIGHT * sum(
        _term_score(reader, "grams", gram, docnum) for gram in analysis.bigrams("技能比武")
    )
    assert bonus > 0 and _relevance(handle, "技能比武", together) == pytest.approx(words_only + bonus, rel=1e-9)
    apart_words = sum(_concept_score(handle, word, _docnum(handle, apart.id)) for word in ("技能", "比武"))
    assert _relevance(handle, "技能比武", apart) == pytest.approx(apart_words, rel=1e-9)  # the words stand apart
    assert scoring.PROXIMITY_WEIGHT == 3.0


def test_whoosh_s_matchers_score_with_the_same_model(handle):
    searcher = handle.searcher()
    assert isinstance(searcher.weighting, scoring.ChannelBM25F)
    for text in ("要约", "技能", "法援", "技能比武", "集体协商", "职工 书屋"):
        for query in rank.queries(understand(text)):
            theirs = {number: score for score, number in searcher.search(query, limit=None).top_n}
            numbers, scores = match.matched(handle.arrays, searcher, query)
            assert set(theirs) == set(numbers.tolist()), text
            for number, score in zip(numbers.tolist(), scores.tolist(), strict=True):
                assert theirs[number] == pytest.approx(score, rel=1e-9), text
