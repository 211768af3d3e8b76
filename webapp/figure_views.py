"""The 指标 (figures) tab: ``GET /api/figures``, ``GET /figures`` (table, comparison chart) and exports."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from flask import abort, jsonify, render_template, request, url_for

from indexer.query.figure_pairs import FigurePair, figure_pairs
from indexer.query.figure_search import SORTS, FigureHit, search_figures
from indexer.query.filters import FIGURE_FILTERS, FIGURE_KINDS, MAX_PAGE, MAX_PER_PAGE
from indexer.query.highlight import highlight
from indexer.query.parse import QueryError
from webapp import export, presenters, urls
from webapp.handles import handle
from webapp.params import integer

KIND_LABELS = {"actual": "实际", "target": "目标"}
MEASURE_LABELS = {"level": "水平", "change": "增减", "share": "比率", "count": "数量"}
# Parameters that describe a figure search, in the order they are written back.
FIGURE_STATE = ("q", *FIGURE_FILTERS, "sort", "page")
CHART_LIMIT = 200
PAIRS_SHOWN = 50


def figure_params(args) -> dict:
    """Return the keyword arguments of search_figures from query-string arguments (filters keyed by field)."""
    filters = {
        field: [value for value in args.getlist(parameter) if value.strip()][:20]
        for parameter, field in FIGURE_FILTERS.items()
    }
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise QueryError("排序方式应为 relevance、value、year 或 place / sort must be relevance, value, year or place")
    return {
        "query": args.get("q", ""),
        "filters": {name: values for name, values in filters.items() if values},
        "page": integer(args, "page", default=1, low=1, high=MAX_PAGE),
        "per_page": integer(args, "per_page", default=20, low=1, high=MAX_PER_PAGE),
        "sort": sort,
    }


def passage_link(hit: FigureHit) -> str:
    """Return the link to the passage a figure stands in."""
    return url_for("document_page", doc_id=hit.doc_id, p=hit.ordinal) + f"#p-{hit.ordinal}"


def value_text(hit: FigureHit) -> str:
    """Return the value as people write it: 近 200 人, 70.13 %, 1078.46 万元."""
    value = f"{hit.value:,.2f}".rstrip("0").rstrip(".") if hit.value != int(hit.value) else f"{int(hit.value):,}"
    prefix = hit.approx if hit.approx in ("近", "约", "超过") else ""
    suffix = hit.approx if hit.approx in ("余", "多", "以上") else ""
    return f"{prefix}{value}{suffix} {hit.unit}".strip()


def year_text(hit: FigureHit) -> str:
    """Return the year a figure is about, a period as 2018—2022."""
    if hit.year_from and hit.year and str(hit.year_from) != hit.year:
        return f"{hit.year_from}—{hit.year}"
    return hit.year


def sentence_html(hit: FigureHit) -> str:
    """Return the sentence escaped, with the number marked."""
    text = hit.sentence
    number = f"{hit.value:g}"
    position = text.find(number)
    spans = [(position, position + len(number))] if position >= 0 else []
    return highlight(text, spans)


@dataclass(frozen=True)
class ChartBar:
    """One bar of the comparison chart: an indicator's value for a place and year."""

    label: str
    value: float
    kind: str
    y: float
    width: float
    link: str


@dataclass(frozen=True)
class Comparison:
    """Values of one indicator (one unit, one measure) by place and year."""

    indicator: str
    unit: str
    bars: tuple[ChartBar, ...]
    height: int
    measure: str = ""


def compare(hits: list[FigureHit], *, link=passage_link, width: float = 420.0) -> Comparison | None:
    """Return the chart of the most frequent (indicator, unit, measure) among hits, if it has two values or more:
    a growth rate is never drawn beside a level.

    ``link(hit)`` gives a bar's link (the figure's passage).
    """
    groups = Counter((hit.indicator, hit.unit, hit.measure) for hit in hits)
    if not groups:
        return None
    (indicator, unit, measure), count = groups.most_common(1)[0]
    if count < 2:
        return None
    members = sorted(
        (hit for hit in hits if (hit.indicator, hit.unit, hit.measure) == (indicator, unit, measure)),
        key=lambda hit: (hit.year or "", hit.city or hit.province, hit.kind),
    )[:30]
    peak = max(hit.value for hit in members) or 1.0
    bars = tuple(
        ChartBar(
            label=" ".join(part for part in (hit.city or hit.province or "全国", year_text(hit)) if part),
            value=hit.value,
            kind=hit.kind,
            y=index * 22.0,
            width=round(max(1.0, width * hit.value / peak), 1),
            link=link(hit),
        )
        for index, hit in enumerate(members)
    )
    return Comparison(indicator, unit, bars, len(bars) * 22, measure)


@dataclass(frozen=True)
class PairChart:
    """定了多少、完成多少: one place's targets and actuals, year by year, as grouped bars."""

    place: str
    indicator: str
    unit: str
    rows: tuple[tuple[str, float, float, float, float, float], ...]  # year, y, target, width, actual, width
    height: int


def pair_chart(pairs: list[FigurePair], *, width: float = 420.0) -> PairChart | None:
    """Return the grouped-bar chart of the place, unit and measure with the most pairs (two years or more)."""
    series: dict[tuple[str, str, str, str], list[FigurePair]] = defaultdict(list)
    for pair in pairs:
        target = pair.target
        series[(target.province, target.city, target.unit, target.measure)].append(pair)
    if not series:
        return None
    (province, city, unit, _), members = max(series.items(), key=lambda item: len(item[1]))
    if len(members) < 2:
        return None
    members = sorted(members, key=lambda pair: pair.target.year)[-15:]
    peak = max(max(pair.target.value, pair.actual.value) for pair in members) or 1.0
    rows = tuple(
        (
            pair.target.year,
            index * 40.0,
            pair.target.value,
            round(max(1.0, width * pair.target.value / peak), 1),
            pair.actual.value,
            round(max(1.0, width * pair.actual.value / peak), 1),
        )
        for index, pair in enumerate(members)
    )
    return PairChart(city or province or "全国", members[-1].target.indicator, unit, rows, len(rows) * 40)


def pair_params(args) -> dict:
    """Return the query and filters of /api/figures/pairs (the figure filters but kind)."""
    params = figure_params(args)
    filters = {name: values for name, values in params["filters"].items() if name != "kind"}
    return {"query": params["query"], "filters": filters}


def api_figure_pairs():
    """Return the (target, actual) pairs of a query's figures as JSON."""
    params = pair_params(request.args)
    pairs = figure_pairs(handle(), params["query"], filters=params["filters"]) if params["query"].strip() else []
    return jsonify(
        {
            "query": params["query"],
            "filters": params["filters"],
            "total": len(pairs),
            "pairs": [pair.as_dict() for pair in pairs],
        }
    )


def api_figures():
    """Return one page of figures as JSON."""
    result = search_figures(handle(), **figure_params(request.args))
    return jsonify(result.as_dict())


def figures_page():
    """Render the 指标 tab: filters, a sortable table, a comparison chart."""
    params = figure_params(request.args)
    pairs = urls.state_pairs(request.args, FIGURE_STATE)
    result = comparison = chart = None
    pairs_found: list[FigurePair] = []
    if params["query"].strip() or params["filters"]:
        result = search_figures(handle(), **params)
        everything = search_figures(handle(), **{**params, "page": 1, "per_page": CHART_LIMIT})
        comparison = compare(list(everything.hits))
        if params["query"].strip():
            filters = {name: values for name, values in params["filters"].items() if name != "kind"}
            pairs_found = figure_pairs(handle(), params["query"], filters=filters)
            chart = pair_chart(pairs_found)
    sort_urls = {
        sort: urls.build_url("/figures", urls.replace(urls.without(pairs, "page"), "sort", sort)) for sort in SORTS
    }
    kind_urls = {
        kind: urls.build_url("/figures", urls.replace(urls.without(pairs, "page"), "kind", kind))
        for kind in FIGURE_KINDS
    }
    kind_urls["all"] = urls.build_url("/figures", urls.without(pairs, "page", "kind"))
    pages = []
    if result:
        pages = presenters.page_links("/figures", pairs, page=result.page, per_page=result.per_page, total=result.total)
    return render_template(
        "figures.html",
        params=params,
        result=result,
        comparison=comparison,
        pairs=pairs_found[:PAIRS_SHOWN],
        pairs_total=len(pairs_found),
        pair_chart=chart,
        measures=MEASURE_LABELS,
        year_text=year_text,
        sort_urls=sort_urls,
        kind_urls=kind_urls,
        pages=pages,
        hidden_pairs=urls.filter_pairs(params["filters"], FIGURE_FILTERS),
        export_pairs=urls.without(pairs, "page"),
        kinds=KIND_LABELS,
        value_text=value_text,
        sentence_html=sentence_html,
        passage_link=passage_link,
    )


FIGURE_COLUMNS = (
    "指标",
    "数值",
    "单位",
    "约数",
    "类型",
    "度量",
    "省份",
    "城市",
    "年份",
    "起始年份",
    "报告年份",
    "原句",
    "标题",
    "来源文件",
    "链接",
)


def export_figures(fmt: str):
    """Return the figures of the current query (up to 1000) as CSV or XLSX."""
    params = figure_params(request.args)
    if not (params["query"].strip() or params["filters"]):
        abort(400)
    hits: list[FigureHit] = []
    for page in range(1, export.MAX_ROWS // 100 + 1):
        result = search_figures(handle(), **{**params, "page": page, "per_page": 100})
        hits.extend(result.hits)
        if page * 100 >= result.total:
            break
    host = request.host_url.rstrip("/")
    table = [
        [
            export.cell(value)
            for value in (
                hit.indicator,
                f"{hit.value:g}",
                hit.unit,
                hit.approx,
                KIND_LABELS.get(hit.kind, hit.kind),
                MEASURE_LABELS.get(hit.measure, hit.measure),
                hit.province,
                hit.city,
                hit.year,
                hit.year_from or "",
                hit.report_year,
                hit.sentence,
                hit.title,
                hit.source,
                host + passage_link(hit),
            )
        ]
        for hit in hits[: export.MAX_ROWS]
    ]
    return export.download(table, fmt, name="figures", columns=FIGURE_COLUMNS, sheet="指标")


def init_app(app) -> None:
    """Register the figures routes."""
    app.add_url_rule("/api/figures", view_func=api_figures, methods=["GET"])
    app.add_url_rule("/api/figures/pairs", view_func=api_figure_pairs, methods=["GET"])
    app.add_url_rule("/figures", view_func=figures_page, methods=["GET"])
    app.add_url_rule("/figures.csv", view_func=export_figures, defaults={"fmt": "csv"}, methods=["GET"])
    app.add_url_rule(
        "/figures.xlsx",
        view_func=export_figures,
        defaults={"fmt": "xlsx"},
        methods=["GET"],
        endpoint="export_figures_xlsx",
    )
