"""按地区 and 对比: ``GET /api/places``, ``GET /places`` (tile map, place × year table, one row per place, where it
started) and ``GET /compare`` (two to four places or years side by side, with their figures; CSV / XLSX)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import jsonify, render_template, request

from indexer.query.by_place import BEST_PASSAGES, SORTS, Place, PlacesResult, search_places
from indexer.query.facets import NATIONAL
from indexer.query.figure_search import search_figures
from indexer.query.filters import PASSAGE_FILTERS
from indexer.query.parse import QueryError
from indexer.query.passages import search_passages
from indexer.text import lexicon
from webapp import export, urls
from webapp.handles import handle
from webapp.params import integer, search_params

TILE = 40  # px of a tile map square
HEAT_PLACES = 12
HEAT_YEARS = 20
PLACES_SHOWN = 60
MAX_BEST_PASSAGES = 1000
COMPARE_MIN, COMPARE_MAX = 2, 4
COMPARE_PASSAGES = 3
COMPARE_FIGURES = 5


def place_params(args) -> dict:
    """Return the query, filters, sort and limit of a places request (the parameters of /api/search)."""
    params = search_params(args, sorts=SORTS)
    limit = integer(args, "limit", default=BEST_PASSAGES, low=1, high=MAX_BEST_PASSAGES)
    return {"query": params["query"], "filters": params["filters"], "sort": params["sort"], "limit": limit}


def api_places():
    """Return the places whose documents speak of a query as JSON."""
    params = place_params(request.args)
    found = search_places(
        handle(), params["query"], filters=params["filters"], sort=params["sort"], limit=params["limit"]
    )
    return jsonify(found.as_dict())


@dataclass(frozen=True)
class Tile:
    """One province's square of the tile map."""

    province: str
    label: str
    x: int
    y: int
    count: int
    shade: int  # 0 (none) … 4 (most)
    url: str


def tiles(result: PlacesResult, pairs: list[tuple[str, str]]) -> list[Tile]:
    """Return the tile map: each province's passages (its cities' included), shaded by fifths of the largest."""
    counts: dict[str, int] = {}
    for place in result.places:
        if place.province:
            counts[place.province] = counts.get(place.province, 0) + place.passages
    peak = max(counts.values(), default=0)
    short = {
        row.province: row.names[1] if len(row.names) > 1 else row.names[0] for row in lexicon.places() if not row.city
    }
    found = []
    for province, (row, column) in lexicon.province_tiles().items():
        count = counts.get(province, 0)
        shade = 0 if not count else min(4, 1 + int(3 * count / peak)) if peak else 0
        found.append(
            Tile(
                province=province,
                label=short.get(province, province)[:3],
                x=column * TILE,
                y=row * TILE,
                count=count,
                shade=shade,
                url=urls.build_url("/", [*_without_place(pairs), ("province", province)]),
            )
        )
    return found


def _without_place(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return urls.without(pairs, "province", "city", "page", "sort", "view")


def place_key(place: Place) -> str:
    """Return how a place is written in a URL: 省/市, 省, or 全国."""
    if place.city:
        return f"{place.province}/{place.city}"
    return place.province or NATIONAL


def place_url(place: Place, pairs: list[tuple[str, str]]) -> str:
    """Return the results filtered to one place."""
    if place.city:
        return urls.build_url("/", [*_without_place(pairs), ("city", place.city)])
    return urls.build_url("/", [*_without_place(pairs), ("province", place.province or NATIONAL)])


def heat_table(result: PlacesResult) -> tuple[list[int], list[tuple[Place, list[tuple[int, int]]]]]:
    """Return (years, rows) of the place × year table: the first places, the latest years they speak in."""
    shown = result.places[:HEAT_PLACES]
    years = sorted({year for place in shown for year, _ in place.years if year is not None})[-HEAT_YEARS:]
    peak = max((count for place in shown for year, count in place.years if year in years), default=1)
    rows = []
    for place in shown:
        by_year = {year: count for year, count in place.years}
        rows.append((place, [(by_year.get(year, 0), _shade(by_year.get(year, 0), peak)) for year in years]))
    return years, rows


def _shade(count: int, peak: int) -> int:
    return 0 if not count else min(4, 1 + int(3 * count / max(1, peak)))


def places_page():
    """Render 按地区: the tile map, the place × year table, where it started, one row per place."""
    params = place_params(request.args)
    pairs = urls.state_pairs(request.args)
    result = None
    context: dict = {"params": params, "result": None, "pairs": pairs}
    if params["query"].strip() or params["filters"]:
        result = search_places(
            handle(), params["query"], filters=params["filters"], sort=params["sort"], limit=PLACES_SHOWN
        )
        years, rows = heat_table(result)
        context.update(
            result=result,
            shown=result.places[:PLACES_SHOWN],
            tiles=tiles(result, pairs),
            national=next((place for place in result.places if place.level == "national"), None),
            heat_years=years,
            heat_rows=rows,
            place_url=lambda place: place_url(place, pairs),
            place_key=place_key,
            sort_urls={
                sort: urls.build_url("/places", urls.replace(urls.without(pairs, "page"), "sort", sort))
                for sort in SORTS
            },
            hidden_pairs=urls.filter_pairs(params["filters"], PASSAGE_FILTERS),
            tile_size=TILE,
        )
    return render_template("places.html", **context)


# ------------------------------------------------------------------ 对比


@dataclass(frozen=True)
class Column:
    """One place or year of the comparison: its best passages and figures for the query."""

    label: str
    key: str
    url: str
    total: int
    hits: tuple
    figures: tuple


def compare_targets(args) -> tuple[str, list[str]]:
    """Return ("place" | "year", the 2–4 values to compare) from ``place=`` or ``year=`` parameters."""
    places = [value.strip() for value in args.getlist("place") if value.strip()]
    years = [value.strip() for value in args.getlist("cyear") if value.strip()]
    mode, values = ("place", places) if places else ("year", years)
    values = list(dict.fromkeys(values))
    if not COMPARE_MIN <= len(values) <= COMPARE_MAX:
        raise QueryError(
            f"请选择 {COMPARE_MIN}–{COMPARE_MAX} 个地区或年份进行对比 / choose {COMPARE_MIN} to {COMPARE_MAX} places or years"
        )
    if mode == "year" and not all(value.isdigit() and len(value) == 4 for value in values):
        raise QueryError("年份应为四位数字 / year must be four digits")
    return mode, values


def _target_filters(mode: str, value: str) -> dict[str, list[str]]:
    if mode == "year":
        return {"year": [value]}
    province, _, city = value.partition("/")
    return {"city": [city]} if city else {"province": [province or NATIONAL]}


def comparison(query: str, base_filters: dict, mode: str, values: list[str]) -> list[Column]:
    """Return one column per place or year: its best passages for the query and the figures of the same query."""
    index = handle()
    columns = []
    for value in values:
        filters = {**base_filters, **_target_filters(mode, value)}
        passages = search_passages(index, query, filters=filters, per_page=COMPARE_PASSAGES)
        figure_filters = {name: tuple(found) for name, found in filters.items() if name in ("province", "city", "year")}
        if figure_filters.get("province") == (NATIONAL,):
            figure_filters.pop("province")
        figures = (
            search_figures(index, query, filters=figure_filters, per_page=COMPARE_FIGURES) if query.strip() else None
        )
        label = value.split("/")[-1] if mode == "place" else f"{value}年"
        columns.append(
            Column(
                label=label,
                key=value,
                url=urls.build_url(
                    "/", [("q", query), *[(name, item) for name, found in filters.items() for item in found]]
                ),
                total=passages.total,
                hits=passages.hits,
                figures=figures.hits if figures else (),
            )
        )
    return columns


def compare_page():
    """Render two to four places or years side by side."""
    params = place_params(request.args)
    mode, values = compare_targets(request.args)
    columns = comparison(params["query"], params["filters"], mode, values)
    pairs = urls.state_pairs(request.args, ("q", *PASSAGE_FILTERS, "place", "cyear"))
    return render_template(
        "compare.html",
        params=params,
        columns=columns,
        mode=mode,
        export_pairs=pairs,
        places_url=urls.build_url("/places", urls.without(pairs, "place", "cyear")),
    )


COMPARE_COLUMNS = ("对比项", "类别", "标题", "年份", "地区", "内容", "数值", "单位", "链接")


def export_compare(fmt: str):
    """Return the comparison as CSV or XLSX: each column's passages, then its figures."""
    params = place_params(request.args)
    mode, values = compare_targets(request.args)
    host = request.host_url.rstrip("/")
    table = []
    for column in comparison(params["query"], params["filters"], mode, values):
        for hit in column.hits:
            table.append(_row(column.label, "段落", hit, hit.text, "", "", host))
        for figure in column.figures:
            table.append(
                _row(
                    column.label,
                    "指标",
                    figure,
                    f"{figure.indicator}：{figure.sentence}",
                    f"{figure.value:g}",
                    figure.unit,
                    host,
                )
            )
    return export.download(table, fmt, name="compare", columns=COMPARE_COLUMNS, sheet="对比")


def _row(label: str, category: str, item, text: str, value: str, unit: str, host: str) -> list[str]:
    """Return one exported row of the comparison: a passage or a figure of one column."""
    place = " ".join(part for part in (item.province, item.city) if part) or NATIONAL
    link = f"{host}/doc/{item.doc_id}?p={item.ordinal}#p-{item.ordinal}"
    return [export.cell(cell) for cell in (label, category, item.title, item.year, place, text, value, unit, link)]


def init_app(app) -> None:
    """Register the places and compare routes."""
    app.add_url_rule("/api/places", view_func=api_places, methods=["GET"])
    app.add_url_rule("/places", view_func=places_page, methods=["GET"])
    app.add_url_rule("/compare", view_func=compare_page, methods=["GET"])
    app.add_url_rule("/compare.csv", view_func=export_compare, defaults={"fmt": "csv"}, methods=["GET"])
    app.add_url_rule(
        "/compare.xlsx",
        view_func=export_compare,
        defaults={"fmt": "xlsx"},
        methods=["GET"],
        endpoint="export_compare_xlsx",
    )
