"""Extraction: the figures of a passage, sentence by sentence, with the kind their section implies.

Parts: ``extract_figures`` (cut at 。！？； and line ends by ``indexer.text.sentences``; a figure
keeps its sentence) → ``_sentence_figures`` (each quantity of ``figure_quantities`` named by
``indicator_names``, its kind from ``figure_kind``, its value and unit from ``value_and_unit``;
a range gives two figures suffixed （下限） and （上限）) → ``figures_by_passage`` (the kind a
section heading implies, carried over to the untitled sections that follow it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from indexer.ingest.figures import clauses
from indexer.ingest.figures.kind import ACTUAL, BASELINE_AFTER, TARGET, figure_kind, is_benchmark, section_kind
from indexer.ingest.figures.naming import Reading, indicator_names
from indexer.ingest.figures.phrases import read_after, read_before
from indexer.ingest.figures.quantities import value_and_unit
from indexer.ingest.figures.screening import figure_quantities
from indexer.text.sentences import sentence_spans


@dataclass(frozen=True)
class Figure:
    """One quantitative indicator in a sentence."""

    indicator: str
    value: float
    unit: str
    approx: str
    kind: str
    sentence: str
    start: int
    end: int


class _PassageLike(Protocol):
    """A passage as figures_by_passage reads it: its text and its section path."""

    text: str
    section: str


def extract_figures(text: str, *, default_kind: str | None = None) -> list[Figure]:
    """Return every figure in text, in order; default_kind is the kind its section implies, if known."""
    figures: list[Figure] = []
    for sentence_start, sentence_end in sentence_spans(text):
        sentence = text[sentence_start:sentence_end]
        stripped = sentence.strip()
        if not stripped:
            continue
        offset = sentence_start + sentence.index(stripped[0])
        figures.extend(_sentence_figures(stripped, offset, default_kind))
    return figures


def _sentence_figures(sentence: str, offset: int, default_kind: str | None) -> list[Figure]:
    """Return the figures of one sentence; offset is where the sentence starts in the passage text."""
    quantities = figure_quantities(sentence)
    figures: list[Figure] = []
    reading = Reading()
    names: list[str] = []
    for position, quantity in enumerate(quantities):
        clause_start, paren = clauses.find_clause_start(sentence, quantity.start)
        if clause_start != reading.clause_start:
            reading.clause_verb, reading.clause_start = "", clause_start
            reading.previous_clause = clauses.previous_clause(sentence, clause_start)
        raw_before = sentence[max(clause_start, reading.consumed) : quantity.start - len(quantity.prefix)]
        tail_end = quantities[position + 1].end if quantity.range_role == "low" else quantity.end
        after_text = sentence[tail_end : clauses.find_clause_end(sentence, tail_end)]
        if quantity.range_role != "high":
            names = indicator_names(sentence, quantities, position, raw_before, after_text, reading)
            if not names[0] and paren >= 0:  # 全省工会工作创新奖（共12个）
                outer_start, _ = clauses.find_clause_start(sentence, paren)
                names = [read_before(sentence[outer_start:paren]).indicator]
            if (
                not names[0]
                and reading.previous_end == quantity.start - len(quantity.prefix)
                and reading.previous_indicator
            ):
                names = [reading.previous_indicator]  # 举办各类活动88场次5.35万人次
        after = read_after(after_text)
        reading.consumed = tail_end + after.length
        reading.previous_end = quantity.end
        if not names[0] or quantity.range_role == "low":
            if names[0]:
                reading.previous_indicator = names[0]
            continue
        clause = (clause_start, clauses.find_clause_end(sentence, quantity.end))
        kind = figure_kind(sentence, clause, default_kind)
        if is_benchmark(raw_before, after_text):
            kind = TARGET
        elif BASELINE_AFTER.match(after_text):
            kind = ACTUAL
        reading.previous_indicator = names[0]
        members = [quantities[position - 1], quantity] if quantity.range_role == "high" else [quantity]
        for member in members:
            value, unit = value_and_unit(member)
            suffix = {"low": "（下限）", "high": "（上限）"}.get(member.range_role, "")
            for name in names:
                figures.append(
                    Figure(
                        indicator=name + suffix,
                        value=float(round(value, 6)),
                        unit=unit,
                        approx=member.approx,
                        kind=kind,
                        sentence=sentence,
                        start=offset + member.start,
                        end=offset + member.end,
                    )
                )
    return figures


def figures_by_passage(passages: Iterable[_PassageLike]) -> list[list[Figure]]:
    """Return the figures of each passage of one document, in order.

    A section heading that announces a plan (二、2015年的主要工作安排) makes its
    figures targets; headings without a signal inherit the kind of the section
    before them, so the numbered items under a plan heading stay targets.
    """
    result: list[list[Figure]] = []
    current: str | None = None
    last_section: str | None = None
    for passage in passages:
        if passage.section != last_section:
            found = section_kind(passage.section) if passage.section else None
            if found is not None or not passage.section:
                current = found
            last_section = passage.section
        result.append(extract_figures(passage.text, default_kind=current))
    return result
