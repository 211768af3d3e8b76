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
from indexer.ingest.figures.kind import ACTUAL, BASELINE_AFTER, TARGET, figure_kind, is_benchmark, stance_kind
from indexer.ingest.figures.measure import figure_measure
from indexer.ingest.figures.naming import Reading, indicator_names
from indexer.ingest.figures.phrases import read_after, read_before
from indexer.ingest.figures.quantities import value_and_unit
from indexer.ingest.figures.screening import figure_quantities
from indexer.ingest.figures.timing import PLAN, REVIEW, ReportTime, Stance, figure_years, passage_stances
from indexer.ingest.figures.words import clean as clean_text
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
    year: int | None = None  # the year the figure is about (上年 in a report of early 2023 → 2022)
    year_from: int | None = None  # the first year of a period (过去五年, “十三五”期间)
    measure: str = ""  # level, change, share or count


_NO_TIME = ReportTime(None, None, None)


class _PassageLike(Protocol):
    """A passage as figures_by_passage reads it: its text and its section path."""

    text: str
    section: str


def extract_figures(
    text: str, *, default_kind: str | None = None, stance: Stance | None = None, time: ReportTime = _NO_TIME
) -> list[Figure]:
    """Return every figure in text, in order; default_kind is the kind its section implies, if known;
    stance (review or plan) and time (when the report was delivered) give the figures' kinds and years."""
    stance = stance or Stance()
    if stance.kind is not None and (time.report or stance.heading):
        default_kind = TARGET if stance.kind == PLAN else ACTUAL
    figures: list[Figure] = []
    for sentence_start, sentence_end in sentence_spans(text):
        sentence = text[sentence_start:sentence_end]
        stripped = sentence.strip()
        if not stripped:
            continue
        offset = sentence_start + sentence.index(stripped[0])
        figures.extend(_sentence_figures(stripped, offset, default_kind, stance, time))
    return figures


def _sentence_figures(
    sentence: str, offset: int, default_kind: str | None, stance: Stance, time: ReportTime
) -> list[Figure]:
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
        reading.previous_before = raw_before
        reading.consumed = tail_end + after.length
        reading.previous_end = quantity.end
        if not names[0] or quantity.range_role == "low":
            if names[0]:
                reading.previous_indicator = names[0]
            continue
        clause = (clause_start, clauses.find_clause_end(sentence, quantity.end))
        approx_word = "预计" if stance.kind == REVIEW and "预计" in sentence[clause[0] : quantity.start] else ""
        reading.previous_indicator = names[0]
        joined = bool(reading.previous_measure) and not clean_text(raw_before).strip("、和及与,， ")
        measure = (
            reading.previous_measure  # 分别增长8%和9%: the list's members measure alike
            if joined
            else figure_measure(sentence, clause[0], quantity, names[0], value_and_unit(quantity)[1])
        )
        reading.previous_measure = measure
        # A level or share is reached at a point in time: a period's first year only for what adds up.
        year, year_from = figure_years(
            sentence, clause, quantity.start, stance, time, point_in_time=measure in ("level", "share")
        )
        if stance.kind is not None and time.report:  # a report: its section first, wording second
            kind = stance_kind(sentence, clause, stance.kind, time.review, year)
        else:
            kind = figure_kind(sentence, clause, default_kind)
        if is_benchmark(raw_before, after_text):
            kind = TARGET
        elif BASELINE_AFTER.match(after_text):
            kind = ACTUAL
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
                        approx=member.approx or approx_word,
                        kind=kind,
                        sentence=sentence,
                        start=offset + member.start,
                        end=offset + member.end,
                        year=year,
                        year_from=year_from,
                        measure=measure,
                    )
                )
    return figures


def figures_by_passage(passages: Iterable[_PassageLike], time: ReportTime = _NO_TIME) -> list[list[Figure]]:
    """Return the figures of each passage of one document, in order.

    A section heading that announces a plan (二、2015年的主要工作安排) or a passage that opens one
    (今年经济社会发展的主要预期目标是) makes its figures targets, one that reviews (2014年工作回顾, 过去一年)
    actuals; passages without a signal keep the stance before them (``timing.passage_stances``).
    """
    passages = list(passages)
    stances = passage_stances(passages, time)
    return [
        extract_figures(passage.text, stance=stance, time=time)
        for passage, stance in zip(passages, stances, strict=True)
    ]


def document_figures(document) -> list[list[Figure]]:
    """Return the figures of each passage of a document, their years read against the document's date."""
    report = document.doc_type in ("工作报告", "讲话") or "工作报告" in document.title
    return figures_by_passage(document.passages, ReportTime.of(document.date, document.year, report=report))
