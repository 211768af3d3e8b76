"""Mark what matched: ``<mark>`` around the query's words in a passage, HTML-escaped, cut at sentence ends.

Matches are found by plain substring search of the needles (a concept's text, variants, synonyms) in the
passage's search form, which is aligned character for character with the display text: nothing is
re-segmented at query time, and the marks land on the characters shown.

Parts: ``match_spans`` (needles → merged spans) → ``highlight`` (escape, mark) → ``snippet`` (the
sentences with the most distinct matches, about ``max_chars`` long).
"""

from __future__ import annotations

import html

from indexer.text.normalise import search_form
from indexer.text.sentences import sentence_spans


def match_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Return merged (start, end) spans of every needle in text's search form."""
    form = search_form(text)
    spans = []
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        start = form.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = form.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: list[tuple[int, int]], *, start: int = 0, end: int | None = None) -> str:
    """Return text[start:end] HTML-escaped with <mark> around the spans."""
    end = len(text) if end is None else end
    out, position = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        out.append(html.escape(text[position:span_start]))
        out.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(html.escape(text[position:end]))
    return "".join(out)


def snippet(text: str, needles: list[str], *, max_chars: int = 160) -> str:
    """Return an escaped, highlighted excerpt cut at sentence ends around the best matches."""
    spans = match_spans(text, needles)
    sentences = sentence_spans(text)
    if not sentences:
        return ""
    form = search_form(text)

    def distinct(begin: int, finish: int) -> int:
        return len({form[s:e] for s, e in spans if s >= begin and e <= finish})

    best = max(range(len(sentences)), key=lambda index: (distinct(*sentences[index]), -index))
    begin, finish = sentences[best]
    index = best
    while index + 1 < len(sentences) and sentences[index + 1][1] - begin <= max_chars:
        index += 1
        finish = sentences[index][1]
    if finish - begin > max_chars * 1.5:
        first = next((s for s, e in spans if s >= begin), begin)
        begin = max(begin, first - 40)
        finish = min(finish, begin + max_chars)
    prefix = "…" if begin > 0 else ""
    suffix = "…" if finish < len(text) else ""
    return prefix + highlight(text, spans, start=begin, end=finish).strip() + suffix
