"""Sentences: where the sentences of a text start and end.

Parts: ``sentence_spans`` (the (start, end) of each sentence, its end mark included; the spans
cover the text end to end, a run of marks gives one span a mark) and ``sentences`` (their text).

A sentence ends after 。！？!?；; and, unless ``at_line_ends=False``, after a line end: in display
text a line is a paragraph, so a heading or a list item without a full stop still ends there. The
figure extractor, the duplicate sketches and the search snippets read sentences so. The passage
cutter (``ingest.structure``) passes ``at_line_ends=False``: a law article's 款 are joined with
line ends into one paragraph, and a long article is cut only at sentence marks (cutting at its
line ends too would change where the passages of every law begin).
"""

from __future__ import annotations

import re

END_MARKS = "。！？!?；;"
_ENDS = {True: re.compile(f"[{END_MARKS}\n]"), False: re.compile(f"[{END_MARKS}]")}


def sentence_spans(text: str, *, at_line_ends: bool = True) -> list[tuple[int, int]]:
    """Return the (start, end) of each sentence of text, its end mark included, in order."""
    spans = []
    start = 0
    for match in _ENDS[at_line_ends].finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def sentences(text: str, *, at_line_ends: bool = True) -> list[str]:
    """Return the sentences of text, each with its end mark: "".join(sentences(text)) == text."""
    return [text[start:end] for start, end in sentence_spans(text, at_line_ends=at_line_ends)]
