"""The compiled get_DAG / calc (indexer/text/_jiebadag.c) against jieba's own Python, object for object.

``make`` compiles the module before the tests run; without it the engine still works (jieba's Python, the
same words, slower), but these tests fail, so a build that lost the compiler is seen.
"""

from __future__ import annotations

import math
from pathlib import Path

import jieba
import jieba.posseg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.text import _jiebadag, analysis
from indexer.text.analysis import CompiledTokenizer, segmenter
from indexer.text.normalise import search_form

SEEDS = Path(__file__).resolve().parents[1] / "documents"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

TRICKY = [
    "",
    "工",
    "全市工资集体协商覆盖率达到96.9%，省总表彰5家。",
    "滨州市建会率70.13%",
    "ＡＢＣ abc 123 _x_ C++ #tag a&b 1.5.2 e-mail",
    "鑫鑫鑫鑫鑫鑫鑫鑫鑫鑫",  # one character repeated: long unknown runs through the HMM
    "乌鲁木齐市总工会劳模工匠创新工作室",
    "\r\n\t　 ①②③ ⅣⅤ αβγ ﾊﾝｶｸ 한국어 🙂",
    "中华人民共和国工会法第十条第二款" * 20,
]


@pytest.fixture(scope="module")
def compiled() -> CompiledTokenizer:
    tokenizer = segmenter()
    assert isinstance(tokenizer, CompiledTokenizer), "indexer.text._jiebadag is not compiled: run make"
    return tokenizer


@pytest.fixture(scope="module")
def python(compiled) -> jieba.Tokenizer:
    """jieba's own tokenizer over the same (union) dictionary."""
    tokenizer = jieba.Tokenizer()
    tokenizer.__dict__.update(compiled.__dict__)
    return tokenizer


def _seed_texts() -> list[str]:
    return [search_form(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]


def _blocks(text: str) -> list[str]:
    return [block for block in jieba.re_han_default.split(text) if block and jieba.re_han_default.match(block)]


def _same_route(compiled, python, sentence: str) -> None:
    dag = compiled.get_DAG(sentence)
    assert dag == python.get_DAG(sentence)
    ours: dict = {}
    theirs: dict = {}
    compiled.calc(sentence, dag, ours)
    python.calc(sentence, dag, theirs)
    assert ours == theirs
    # The same types too: route[N] holds ints, every other entry a float score.
    assert [tuple(map(type, ours[key])) for key in sorted(ours)] == [
        tuple(map(type, theirs[key])) for key in sorted(theirs)
    ]


@pytest.mark.parametrize("text", TRICKY)
def test_dag_and_route_are_jiebas(compiled, python, text):
    _same_route(compiled, python, text)
    for block in _blocks(text):
        _same_route(compiled, python, block)


def test_dag_and_route_are_jiebas_on_every_block_of_the_seed_reports(compiled, python):
    blocks = [block for text in _seed_texts() for block in _blocks(text)]
    assert len(blocks) > 4_000
    for block in blocks:
        _same_route(compiled, python, block)


def _same_ends(compiled, python, sentence: str) -> None:
    """route_ends is jieba's route read as its __cut_DAG reads it: where the word at each position ends."""
    route: dict = {}
    python.calc(sentence, python.get_DAG(sentence), route)
    ends = _jiebadag.route_ends(sentence, compiled.FREQ, math.log(compiled.total))
    assert ends == [route[x][1] + 1 for x in range(len(sentence))]


def test_route_ends_is_calc_read_as_cut_reads_it(compiled, python):
    for block in [*_blocks("".join(TRICKY)), *_blocks(_seed_texts()[0])]:
        _same_ends(compiled, python, block)


def _python_content_spans(python, form: str) -> list[tuple[str, int, int]]:
    return [(word, start, end) for word, start, end in python.tokenize(form) if analysis.is_content(word)]


@pytest.mark.parametrize("text", TRICKY)
def test_content_spans_are_jiebas_tokens(compiled, python, text):
    form = search_form(text)
    assert compiled.content_spans(form) == _python_content_spans(python, form)
    assert [word for word, *_ in compiled.tokenize(form)] == [word for word, *_ in python.tokenize(form)]


def test_content_spans_are_jiebas_tokens_on_the_seed_reports(compiled, python):
    for form in _seed_texts():
        assert compiled.content_spans(form) == _python_content_spans(python, form)


_ALPHABET = st.sampled_from(list("工会职工资集体协商劳模工匠建会率覆盖全市省总鑫犇龘の한αA1z9 ,.，。%-_+#&\n　"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_content_spans_are_jiebas_tokens_on_generated_text(text):
    compiled = segmenter()
    python = jieba.Tokenizer()
    python.__dict__.update(compiled.__dict__)
    assert compiled.content_spans(text) == _python_content_spans(python, text)


def test_posseg_over_the_compiled_tokenizer_tags_as_jieba_does(compiled, python):
    sentences = [sentence for text in _seed_texts() for sentence in text.split("。")][:2_000]
    ours = jieba.posseg.POSTokenizer(compiled)
    theirs = jieba.posseg.POSTokenizer(python)
    for sentence in sentences:
        for hmm in (False, True):
            assert [(pair.word, pair.flag) for pair in ours.cut(sentence, HMM=hmm)] == [
                (pair.word, pair.flag) for pair in theirs.cut(sentence, HMM=hmm)
            ]


def _pair(freq: dict) -> tuple[CompiledTokenizer, jieba.Tokenizer]:
    """Both tokenizers over a tiny dictionary of one's own (total 1: log(total) is 0)."""
    pair = (CompiledTokenizer(), jieba.Tokenizer())
    for tokenizer in pair:
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), 1, True
    return pair


def test_equal_scores_go_to_the_later_end_as_max_does():
    # log 2 + log 2 == log 4 exactly: 甲|乙 and 甲乙 tie, and max() of (score, end) pairs takes the later end.
    compiled, python = _pair({"甲": 2, "乙": 2, "甲乙": 4, "丙": 0, "丙丁": 3})
    assert math.log(2) + math.log(2) == math.log(4)
    for sentence in ("甲乙", "丙丁甲乙", "甲乙甲", "丁丙"):  # 丙: a prefix of frequency 0, walked through
        _same_route(compiled, python, sentence)
        _same_ends(compiled, python, sentence)
    route = {}
    compiled.calc("甲乙", compiled.get_DAG("甲乙"), route)
    assert route[0][1] == 1


def test_a_word_at_every_length_from_every_position():
    # 甲 × 1 … 甲 × 40 are all words: 820 edges for 40 characters, more than the compiled route's first allocation.
    compiled, python = _pair({"甲" * length: length for length in range(1, 41)})
    for sentence in ("甲" * 40, "甲" * 39 + "乙", "乙" + "甲" * 45):
        _same_route(compiled, python, sentence)
        _same_ends(compiled, python, sentence)


def test_bad_input_raises_as_python_would(compiled):
    dagmod = _jiebadag
    with pytest.raises(TypeError):
        dagmod.get_dag(b"bytes", compiled.FREQ)
    with pytest.raises(TypeError):
        dagmod.get_dag("工会", list(compiled.FREQ))
    with pytest.raises(KeyError):
        dagmod.calc("工会", {1: [1]}, {}, compiled.FREQ, 1.0)  # no entry for position 0
    with pytest.raises(ValueError):
        dagmod.calc("工会", {0: [], 1: [1]}, {}, compiled.FREQ, 1.0)  # max() of nothing
    with pytest.raises(ValueError):
        dagmod.route_ends("工会", {"工": -1, "会": 1}, 1.0)  # math.log of a negative count


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")
def test_content_spans_are_jiebas_tokens_on_every_passage_of_the_corpus(compiled, python):
    from indexer.ingest.documents import load_documents
    from indexer.ingest.files import scan
    from indexer.ingest.read import ReadError
    from indexer.store.rows import passage_fields

    files, _ = scan(CORPUS)
    passages = 0
    for path in files:
        try:
            documents = load_documents(path, CORPUS)
        except ReadError:
            continue
        for document in documents:
            for row in passage_fields(document):
                form = search_form(row["text"])
                assert compiled.content_spans(form) == _python_content_spans(python, form), row["id"]
                passages += 1
    assert passages > 40_000
