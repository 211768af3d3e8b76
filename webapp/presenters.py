"""Shape search results for the templates: what the query was read as, facets with counts and toggle links,
chips, pages, a year chart.

Templates only loop over what is built here (datasette style): each facet value already carries
``count``, ``selected`` and ``toggle_url``.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.query.filters import MAX_PAGE, PASSAGE_FILTERS
from indexer.query.results import SearchResult
from webapp import urls

FACET_LABELS = {"year": "年份", "province": "省份", "city": "城市", "topic": "主题", "doc_type": "文种"}
# facet name in results (an index field) → query-string parameter
FACET_PARAMS = {field: parameter for parameter, field in PASSAGE_FILTERS.items()}
FACET_LIMIT = 12
PAGER_WIDTH = 7  # page links around the current page
LISTED_PASSAGES = 1000  # a passage search pages through its best 1000, as many as its export holds


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet as a link that adds or removes it."""

    value: str
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True)
class FacetBox:
    """A facet with its options (selected ones always shown)."""

    name: str
    label: str
    options: tuple[FacetOption, ...]
    hidden: int  # options left out of the short list


@dataclass(frozen=True)
class Chip:
    """A selected filter shown above the results, with a link that removes it."""

    label: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class PageLink:
    """A link in the pager."""

    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Bar:
    """A bar of the year histogram (SVG drawn on the server)."""

    year: str
    count: int
    x: float
    y: float
    width: float
    height: float
    selected: bool
    url: str


def _selected(result: SearchResult, name: str) -> set[str]:
    return set(result.filters.get(name, ()))


def facet_boxes(result: SearchResult, pairs: list[tuple[str, str]], path: str = "/") -> list[FacetBox]:
    """Return the facet sidebar: every facet with options that toggle its values."""
    boxes = []
    for name in FACET_PARAMS:
        label = FACET_LABELS[name]
        selected = _selected(result, name)
        values = result.facets.get(name, [])
        shown = [value for value in values[:FACET_LIMIT]]
        shown += [value for value in values[FACET_LIMIT:] if value.value in selected]
        options = tuple(
            FacetOption(
                value=value.value,
                count=value.count,
                selected=value.value in selected,
                toggle_url=urls.build_url(
                    path, urls.toggle(_canonical(pairs, name, selected), FACET_PARAMS[name], value.value)
                ),
            )
            for value in shown
        )
        boxes.append(FacetBox(name, label, options, max(0, len(values) - len(shown))))
    return boxes


def _canonical(pairs: list[tuple[str, str]], name: str, selected: set[str]) -> list[tuple[str, str]]:
    """Write a facet's selected values in their full form (济宁 → 济宁市) so toggling finds them."""
    param = FACET_PARAMS[name]
    rest = [pair for pair in pairs if pair[0] != param]
    return rest + [(param, value) for value in sorted(selected)]


def chips(result: SearchResult, pairs: list[tuple[str, str]], path: str = "/") -> list[Chip]:
    """Return one removable chip per selected filter value."""
    found = []
    for name, values in result.filters.items():
        canonical = _canonical(pairs, name, set(values))
        for value in values:
            found.append(
                Chip(FACET_LABELS[name], value, urls.build_url(path, urls.toggle(canonical, FACET_PARAMS[name], value)))
            )
    return found


def page_links(
    path: str, pairs: list[tuple[str, str]], *, page: int, per_page: int, total: int, shown: int = PAGER_WIDTH
) -> list[PageLink]:
    """Return up to ``shown`` links around page, from page 1 to the last page (``MAX_PAGE`` at most)."""
    last = max(1, min(MAX_PAGE, -(-total // per_page)))
    first = max(1, min(page - shown // 2, last - shown + 1))
    return [
        PageLink(number, urls.build_url(path, urls.replace(pairs, "page", str(number))), number == page)
        for number in range(first, min(last, first + shown - 1) + 1)
    ]


def pages(result: SearchResult, pairs: list[tuple[str, str]], path: str = "/") -> list[PageLink]:
    """Return the pager of a passage search (over its first ``LISTED_PASSAGES`` passages)."""
    total = min(result.total, LISTED_PASSAGES)
    return page_links(path, pairs, page=result.page, per_page=result.per_page, total=total)


def year_bars(
    result: SearchResult, pairs: list[tuple[str, str]], path: str = "/", *, width: int = 240, height: int = 60
) -> list[Bar]:
    """Return the bars of a year histogram, oldest year on the left."""
    years = sorted(
        (value for value in result.facets.get("year", []) if value.value.isdigit()), key=lambda value: value.value
    )
    if not years:
        return []
    selected = _selected(result, "year")
    canonical = _canonical(pairs, "year", selected)
    peak = max(value.count for value in years)
    step = min(width / len(years), 24.0)  # a few years: narrow bars, not one block
    bars = []
    for index, value in enumerate(years):
        bar_height = max(1.0, (height - 2) * value.count / peak)
        bars.append(
            Bar(
                year=value.value,
                count=value.count,
                x=round(index * step, 2),
                y=round(height - bar_height, 2),
                width=round(max(step - 1, 1), 2),
                height=round(bar_height, 2),
                selected=value.value in selected,
                url=urls.build_url(path, urls.toggle(canonical, FACET_PARAMS["year"], value.value)),
            )
        )
    return bars


KIND_LABELS = {
    "rule": "法规条文问题（优先法律、条例）",
    "precedent": "各地做法（优先工作报告）",
    "measure": "历年举措（优先工作报告）",
    "figure": "数字指标",
    "keyword": "关键词（各词都要出现）",
    "question": "一般问题（按覆盖的词排序）",
}


@dataclass(frozen=True)
class Word:
    """A word searched for the query, with a link that removes it (synonyms and expansions only)."""

    text: str
    remove_url: str = ""


@dataclass(frozen=True)
class UnderstoodConcept:
    """A concept as the search read it: its text and the other words it was searched with."""

    text: str
    required: bool
    others: tuple[Word, ...]


@dataclass(frozen=True)
class Understood:
    """What the search understood of a query: its kind, concepts, place, years, words ignored or removed."""

    kind: str
    concepts: tuple[UnderstoodConcept, ...]
    place: str
    years: tuple[str, ...]
    ignored: tuple[str, ...]
    left_out: tuple[str, ...]
    removed: tuple[Word, ...]  # removed words, each with a link that puts it back
    lacking: tuple[str, ...] = ()  # concepts the first result does not hold


def understood(result: SearchResult, pairs: list[tuple[str, str]], path: str = "/") -> Understood | None:
    """Return what was understood of the query, each synonym and expansion with a link removing it."""
    read = result.understood
    if not read:
        return None
    rest = urls.without(pairs, "page")
    concepts = tuple(
        UnderstoodConcept(
            concept["text"],
            concept["required"],
            tuple(Word(word) for word in concept["variants"])
            + tuple(
                Word(word, urls.build_url(path, [*rest, ("without", word)]))
                for word in (*concept["synonyms"], *concept["expansions"])
            ),
        )
        for concept in read["concepts"]
    )
    removed = tuple(
        Word(value, urls.build_url(path, [pair for pair in rest if pair != ("without", value)]))
        for name, value in pairs
        if name == "without"
    )
    place = read.get("place") or {}
    return Understood(
        kind=KIND_LABELS.get(read["kind"], read["kind"]),
        concepts=concepts,
        place=place.get("city") or place.get("province") or "",
        years=tuple(read["years"]),
        ignored=tuple(read["ignored"]),
        lacking=tuple(word for word in result.dropped if word not in read["ignored"]) if result.hits else (),
        left_out=tuple(read["left_out"]),
        removed=removed,
    )
