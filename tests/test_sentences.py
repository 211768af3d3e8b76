"""One sentence splitter: its spans, and the splitters it replaces (or must agree with) kept as local copies."""

from __future__ import annotations

import random
import re

import pytest

from indexer.text.sentences import sentence_spans, sentences

# The split the search snippets used before (the old indexer/search.py); snippets now use sentence_spans.
SEARCH_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]?")
# The split the passage cutter used before (no line ends).
STRUCTURE_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")

TEXTS = [
    "",
    "。",
    "。。！",
    "\n",
    "\n\n",
    "全市新建工会361家。",
    "全市新建工会361家",
    "一、工作回顾\n全市新建工会361家，覆盖职工5.2万人。下一步！\n",
    "签订率和覆盖率分别为85%和92%；建会率98%?好!\n末尾",
    "第一条 为了保障职工权益；制定本法。\n第二条 本法适用于……",
    "“五一”劳动奖章。”他说。",
]


def _search_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans the old snippet regex gave."""
    return [(match.start(), match.end()) for match in SEARCH_SENTENCE.finditer(text) if match.end() > match.start()]


def _random_texts(count: int) -> list[str]:
    alphabet = "工会职工。！？!?；;\n，, 5"
    generator = random.Random(20240601)
    return ["".join(generator.choice(alphabet) for _ in range(generator.randint(0, 30))) for _ in range(count)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("全市新建工会361家。", [(0, 11)]),
        ("甲。乙", [(0, 2), (2, 3)]),
        ("甲。。乙", [(0, 2), (2, 3), (3, 4)]),  # a run of marks: one span a mark
        ("标题\n正文；完", [(0, 3), (3, 6), (6, 7)]),
        ("Yes!No?", [(0, 4), (4, 7)]),
    ],
)
def test_sentence_spans(text, expected):
    assert sentence_spans(text) == expected


def test_a_line_end_can_stay_inside_a_sentence():
    assert sentence_spans("第一款\n第二款。第三款", at_line_ends=False) == [(0, 8), (8, 11)]
    assert sentences("第一款\n第二款。第三款") == ["第一款\n", "第二款。", "第三款"]


@pytest.mark.parametrize("text", TEXTS)
def test_the_search_snippet_spans_are_sentence_spans(text):
    assert sentence_spans(text) == _search_spans(text)


@pytest.mark.parametrize("text", TEXTS)
def test_without_line_ends_the_sentences_are_the_old_passage_cutter_split(text):
    assert sentences(text, at_line_ends=False) == [part for part in STRUCTURE_SENTENCE_END.split(text) if part]


def test_both_agreements_hold_on_random_texts():
    for text in _random_texts(2000):
        assert sentence_spans(text) == _search_spans(text), text
        assert sentences(text, at_line_ends=False) == [part for part in STRUCTURE_SENTENCE_END.split(text) if part], (
            text
        )
        assert "".join(sentences(text)) == text


@pytest.mark.parametrize("text", TEXTS)
def test_the_sentences_cover_the_text(text):
    assert "".join(sentences(text)) == text
    assert "".join(sentences(text, at_line_ends=False)) == text
