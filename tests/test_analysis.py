"""The Whoosh tokenizer contract for the word and bigram channels."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import Tokenizer

from indexer.text import analysis
from indexer.text.analysis import BigramTokenizer, WordTokenizer, bigrams, segmenter, words


def _tokens(tokenizer: Tokenizer, text: str, **options):
    return [
        (token.text, token.pos, token.startchar, token.endchar)
        for token in tokenizer(text, positions=True, chars=True, **options)
    ]


def test_word_positions_are_sequential_and_offsets_point_at_the_text():
    text = "全市工资集体协商覆盖率达到96.9%，省总表彰5家。"
    tokens = _tokens(WordTokenizer(), text)
    assert [pos for _, pos, _, _ in tokens] == list(range(len(tokens)))
    for word, _, start, end in tokens:
        assert text[start:end].lower() == word
    assert "工资集体协商" in [word for word, *_ in tokens]  # kept whole by the union user dictionary


def test_word_channel_keeps_digits_and_one_character_words_but_not_punctuation():
    found = words("省总表彰5家，市里2个。")
    assert "省总" in found or "省" in found
    assert "5" in found and "家" in found and "2" in found
    assert "，" not in found and "。" not in found


def test_word_tokenizer_honours_start_offsets_and_tokenize_false():
    tokens = _tokens(WordTokenizer(), "工会", start_pos=10, start_char=100)
    assert tokens == [("工会", 10, 100, 102)]
    literal = _tokens(WordTokenizer(), "勞動 競賽", tokenize=False)
    assert literal == [("劳动 竞赛", 0, 0, 5)]


def test_word_tokenizer_folds_traditional_characters_and_case():
    assert words("勞動競賽") == words("劳动竞赛")
    assert words("APP平台") == words("app平台")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("工会", ["工会"]),
        ("工资集体协商", ["工资", "资集", "集体", "体协", "协商"]),
        ("96.9 %", ["96", "6.", ".9", "9%"]),  # spaces are bridged
        ("十九 大", ["十九", "九大"]),
        ("省", ["省"]),  # a run of one character stands alone
    ],
)
def test_bigrams(text, expected):
    assert bigrams(text) == expected


def test_bigram_positions_leave_a_gap_at_punctuation():
    spans = [(token.text, token.pos) for token in BigramTokenizer()("工会，职工", positions=True)]
    assert spans == [("工会", 0), ("职工", 2)]  # position 1 is the gap: no phrase across "，"


def test_bigram_offsets_point_at_the_two_characters_even_across_spaces():
    text = "着 力点"
    for gram, _, start, end in _tokens(BigramTokenizer(), text):
        assert text[start:end].replace(" ", "") == gram


def test_analyzers_pickle_without_jieba_state():
    segmenter()  # loaded in this process; must not travel with the analyzer
    payload = pickle.dumps(WordTokenizer())
    assert b"jieba" not in payload
    assert pickle.loads(payload) == WordTokenizer()


def test_content_words_are_those_with_a_letter_or_digit_for_every_character():
    for code in range(0x110000):
        char = chr(code)
        assert bool(analysis.is_content(char)) == char.isalnum(), hex(code)
    assert analysis.is_content("_7") and not analysis.is_content("__——")


@pytest.mark.parametrize("analyzer", [analysis.word_analyzer(), analysis.bigram_analyzer()])
def test_terms_for_indexing_are_the_spans_texts_and_positions(analyzer):
    for text in ("工资集体协商,建会率70.13%", "　 ", "职工之家 2024年", "a" * 500 + " 劳模工匠"):
        spans = list(analyzer.spans(text))
        terms, positions = analyzer.terms(text)
        assert terms == [span[0] for span in spans]
        assert (positions if positions is not None else list(range(len(terms)))) == [span[1] for span in spans]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("工会勞動ABz09_.%‰-，。 　\t\n①ⅣαΩ한")), max_size=40).map("".join))
def test_bigram_terms_for_indexing_are_the_spans_on_generated_text(text):
    spans = analysis.bigram_spans(text)
    assert analysis.bigram_analyzer().terms(text) == ([span[0] for span in spans], [span[1] for span in spans])
