"""Promised vs delivered: for one place and indicator, the target set for a year beside the actual reported for it.

A target for year Y is normally in the report of early Y (今年…增长6%左右), its actual in the next year's review
(过去一年…增长6.2%); both carry ``year`` Y since figures know the year they are about. ``figure_pairs`` finds the
figures of a query (as ``search_figures``), groups them by place, unit, measure and year, and pairs the
best-ranked target with the actual named most like it (then the best-ranked). Unit and measure keep a growth rate
apart from a level (地区生产总值 1.2万亿元 vs 地区生产总值增长 5%); a period's total (过去五年新增就业5100万人,
``year_from`` set) is never paired with one year's target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.query.figure_search import FigureHit, matching_figures
from indexer.query.filters import figure_filters
from indexer.query.index import IndexHandle

MAX_FIGURES = 3000  # the best-ranked figures read; a series of one place rarely needs more than a few dozen


@dataclass(frozen=True)
class FigurePair:
    """The target for one year and the actual reported for it, for one place, unit and measure."""

    target: FigureHit
    actual: FigureHit

    def as_dict(self) -> dict:
        """Return the JSON shape of one pair in /api/figures/pairs."""
        return {
            "province": self.target.province,
            "city": self.target.city,
            "year": int(self.target.year),
            "indicator": self.target.indicator,
            "unit": self.target.unit,
            "measure": self.target.measure,
            "target": self.target.as_dict(),
            "actual": self.actual.as_dict(),
            "difference": round(self.actual.value - self.target.value, 6),
        }


def _likeness(left: str, right: str) -> float:
    """Return the character-bigram Dice of two indicators (比上年, 同比 and the range suffix left out)."""

    def grams(text: str) -> set[str]:
        text = re.sub(r"比上年|较上年|同比|（[上下]限）", "", text)
        return {text[index : index + 2] for index in range(len(text) - 1)} or {text}

    first, second = grams(left), grams(right)
    return 2 * len(first & second) / (len(first) + len(second))


def _best_pair(targets: list[FigureHit], actuals: list[FigureHit]) -> FigurePair:
    """Return the likeliest (target, actual) of one group: values of one order of magnitude first (a five-year
    total of 5000万 is not one year's 900万), then names alike, then the better ranked."""
    candidates = (
        (target_rank, actual_rank, target, actual)
        for target_rank, target in enumerate(targets[:5])
        for actual_rank, actual in enumerate(actuals[:20])
    )

    def preference(candidate) -> tuple:
        target_rank, actual_rank, target, actual = candidate
        low, high = sorted((abs(target.value), abs(actual.value)))
        alike = high == 0 or low * 4 >= high
        return (alike, round(_likeness(target.indicator, actual.indicator), 2), -target_rank, -actual_rank)

    _, _, target, actual = max(candidates, key=preference)
    return FigurePair(target, actual)


def figure_pairs(handle: IndexHandle, query: str, *, filters: dict | None = None) -> list[FigurePair]:
    """Return the (target, actual) pairs of a query's figures, by place then year."""
    clean = {name: values for name, values in figure_filters(filters or {}).items() if name != "kind"}
    groups: dict[tuple[str, str, str, str, str], dict[str, list[FigureHit]]] = {}
    for hit in matching_figures(handle, query, clean, limit=MAX_FIGURES):
        if not hit.year.isdigit() or hit.kind not in ("target", "actual") or hit.year_from:
            continue
        group = groups.setdefault((hit.province, hit.city, hit.unit, hit.measure, hit.year), {})
        group.setdefault(hit.kind, []).append(hit)  # hits come best first
    pairs = [_best_pair(found["target"], found["actual"]) for found in groups.values() if len(found) == 2]
    return sorted(pairs, key=lambda pair: (pair.target.province, pair.target.city, pair.target.unit, pair.target.year))
