"""Figures through the API, the 指标 page, the exports and the command line."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from indexer.__main__ import main as indexer_main
from indexer.query.figure_search import FigureHit
from indexer.store.build import build
from webapp import create_app
from webapp.figure_views import ChartBar, Comparison, compare

FIELDS = {
    "indicator",
    "value",
    "unit",
    "approx",
    "kind",
    "year",
    "province",
    "city",
    "doc_id",
    "title",
    "source",
    "sentence",
}


@pytest.fixture
def client(designed_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(designed_index)}).test_client()


def test_api_figures_finds_a_rate_with_its_sentence_and_source(client):
    data = client.get("/api/figures", query_string={"q": "建会率", "city": "临沂"}).get_json()
    assert data["total"] >= 1
    first = data["results"][0]
    assert set(first) >= FIELDS
    assert (first["indicator"], first["value"], first["unit"], first["kind"]) == ("建会率", 70.13, "%", "actual")
    # The year the figure is about: a 2015 review in a report of February 2016.
    assert (first["city"], first["year"], first["report_year"], first["source"]) == (
        "临沂市",
        2015,
        2016,
        "linyi-report.txt",
    )
    assert (first["measure"], first["year_from"]) == ("share", None)
    assert "70.13%" in first["sentence"]
    target = client.get("/api/figures", query_string={"q": "驿站", "kind": "target"}).get_json()["results"][0]
    assert (target["value"], target["year"], target["report_year"], target["measure"]) == (50.0, 2016, 2016, "count")


def test_figures_filters_kind_and_place(designed_searcher):
    targets = designed_searcher.figures("驿站", filters={"kind": ["target"]})
    assert targets.total >= 1 and {hit.kind for hit in targets.hits} == {"target"}
    assert {hit.value for hit in targets.hits} >= {50.0}
    nothing = designed_searcher.figures("建会率", filters={"province": ["辽宁"]})
    assert nothing.total == 0


def test_money_keeps_its_unit_and_counts_are_expanded(designed_searcher):
    money = designed_searcher.figures("慰问金").hits[0]
    assert (money.value, money.unit) == (180.0, "万元")
    people = designed_searcher.figures("覆盖职工").hits[0]
    assert (people.value, people.unit) == (526000.0, "人")


@pytest.mark.parametrize(
    "query_string",
    ["q=工会&kind=maybe", "q=工会&sort=colour", "q=工会&page=x", "q=工会&year=20166"],
)
def test_bad_figure_parameters_get_400(client, query_string):
    response = client.get("/api/figures?" + query_string)
    assert response.status_code == 400 and "/" in response.get_json()["error"]


def test_figures_page_shows_the_table_and_escapes_the_query(client):
    body = client.get("/figures", query_string={"q": "建会率 <b>x</b>"}).get_data(as_text=True)
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body
    body = client.get("/figures?q=建会率&sort=value").get_data(as_text=True)
    assert "70.13 %" in body and "<mark>70.13</mark>" in body


def test_figures_page_has_a_pager_only_beyond_one_page(client):
    body = client.get("/figures", query_string={"q": "职工", "per_page": "1"}).get_data(as_text=True)
    assert '<nav class="pager"' in body and "page=2" in body
    body = client.get("/figures", query_string={"q": "职工", "per_page": "100"}).get_data(as_text=True)
    assert '<nav class="pager"' not in body


def test_figure_exports(client):
    csv_text = client.get("/figures.csv?q=建会率").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("指标,数值,单位") and "70.13" in csv_text
    sheet = load_workbook(io.BytesIO(client.get("/figures.xlsx?q=建会率").data)).active
    assert sheet["A1"].value == "指标" and sheet["B2"].value == "70.13"
    assert client.get("/figures.csv").status_code == 400


def _figure(indicator: str, value: float, unit: str, kind: str, city: str, year: str, measure: str) -> FigureHit:
    return FigureHit(
        indicator=indicator,
        value=value,
        unit=unit,
        approx="",
        kind=kind,
        year=year,
        province="山东省",
        city=city,
        doc_id=f"{city}-{year}",
        title="工作报告",
        source=f"{city}-{year}.txt",
        sentence=f"{indicator}{value:g}{unit}",
        passage_id=f"{city}-{year}-{kind}",
        ordinal=0,
        date="",
        score=1.0,
        measure=measure,
    )


LINYI_ACTUAL = _figure("建会率", 70.13, "%", "actual", "临沂市", "2016", "share")
JINING_ACTUAL = _figure("建会率", 85.0, "%", "actual", "济宁市", "2017", "share")
JINING_TARGET = _figure("建会率", 90.0, "%", "target", "济宁市", "2017", "share")
LINYI_MONEY = _figure("慰问金", 180.0, "万元", "actual", "临沂市", "2016", "level")
# The same indicator and unit, but a change (提高5%): never a bar beside the levels.
LINYI_GROWTH = _figure("建会率", 5.0, "%", "actual", "临沂市", "2015", "change")


def test_comparison_charts_the_commonest_indicator_of_one_measure():
    hits = [JINING_TARGET, LINYI_MONEY, LINYI_ACTUAL, LINYI_GROWTH, JINING_ACTUAL]
    chart = compare(hits, link=lambda hit: f"/doc/{hit.doc_id}")
    assert chart == Comparison(
        indicator="建会率",
        unit="%",
        bars=(  # by year, place, kind; the widest bar is the largest value
            ChartBar("临沂市 2016", 70.13, "actual", 0.0, 327.3, "/doc/临沂市-2016"),
            ChartBar("济宁市 2017", 85.0, "actual", 22.0, 396.7, "/doc/济宁市-2017"),
            ChartBar("济宁市 2017", 90.0, "target", 44.0, 420.0, "/doc/济宁市-2017"),
        ),
        height=66,
        measure="share",
    )


def test_comparison_needs_two_values_of_one_indicator():
    assert compare([LINYI_ACTUAL, LINYI_MONEY]) is None
    assert compare([]) is None


@pytest.fixture(scope="module")
def chart_client(tmp_path_factory):
    """Return a client over two reports that give 建会率 three times: 临沂 (actual), 济宁 (actual and target)."""
    base = tmp_path_factory.mktemp("chart")
    documents = base / "documents"
    documents.mkdir()
    (documents / "jining-2017.txt").write_text(
        "济宁市总工会工作报告\n（2017年1月10日）\n一、工作回顾\n全市建会率达到85%。\n"
        "二、主要任务\n力争全市建会率达到90%。\n",
        encoding="utf-8",
    )
    (documents / "jining-2018.txt").write_text(
        "济宁市总工会工作报告\n（2018年1月12日）\n一、2017年工作回顾\n全市建会率达到92%，提高7个百分点。\n",
        encoding="utf-8",
    )
    (documents / "linyi-2016.txt").write_text(
        "临沂市总工会工作报告\n（2016年2月20日）\n一、工作回顾\n全市建会率达到70.13%。\n", encoding="utf-8"
    )
    build(documents, base / "index")
    return create_app({"TESTING": True, "INDEX_DIR": str(base / "index")}).test_client()


def test_figures_page_draws_the_comparison_chart(chart_client):
    body = chart_client.get("/figures", query_string={"q": "建会率"}).get_data(as_text=True)
    assert "“建会率”各地各年比较（%，比率）" in body
    chart = body[body.index('aria-label="指标比较图"') : body.index("</svg>")]
    titles = re.findall(r"<rect [^>]*><title>([^<]*)</title>", chart)
    # Each figure in the year it is about: a review of 2015 in 临沂's 2016 report, 济宁's 2016 review and 2017
    # target in its 2017 report, its 2017 review in the 2018 one; the 7-point change is not a bar.
    assert titles == [
        "临沂市 2015：70.13 %（实际）",
        "济宁市 2016：85 %（实际）",
        "济宁市 2017：92 %（实际）",
        "济宁市 2017：90 %（目标）",
    ]
    pairs = re.findall(
        r"<tr><td>([^<]*)</td><td>(\d+)</td><td>[^<]*</td><td><a [^>]*>([^<]*)</a></td><td><a [^>]*>([^<]*)</a>", body
    )
    assert pairs == [("山东省 · 济宁市", "2017", "90 %", "92 %")]


def test_api_pairs_the_target_for_a_year_with_the_actual_reported_for_it(chart_client):
    data = chart_client.get("/api/figures/pairs", query_string={"q": "建会率", "city": "济宁"}).get_json()
    assert data["total"] == 1
    pair = data["pairs"][0]
    assert (pair["city"], pair["year"], pair["unit"], pair["measure"]) == ("济宁市", 2017, "%", "share")
    assert (pair["target"]["value"], pair["target"]["report_year"]) == (90.0, 2017)
    assert (pair["actual"]["value"], pair["actual"]["report_year"]) == (92.0, 2018)
    assert pair["difference"] == 2.0
    assert chart_client.get("/api/figures/pairs", query_string={"q": "建会率", "city": "临沂"}).get_json()["total"] == 0
    bad = chart_client.get("/api/figures/pairs", query_string={"q": "建会率", "measure": "<x>"})
    assert bad.status_code == 400 and "measure" in bad.get_json()["error"]


def test_cli_figures_json(designed_index, capsys):
    assert indexer_main(["figures", "建会率", "--index", str(designed_index), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["results"][0]["value"] == 70.13


def test_figures_sorted_by_value_come_largest_first(seed_searcher):
    result = seed_searcher.figures("职工", sort="value", per_page=50)
    values = [hit.value for hit in result.hits]
    assert len(values) > 10 and len(set(values)) > 5
    assert values == sorted(values, reverse=True)


def test_a_pair_keeps_to_one_order_of_magnitude():
    from indexer.query.figure_pairs import _best_pair

    five_years = _figure("城镇新增就业", 5000.0, "万人", "target", "", "2020", "count")  # a five-year target
    one_year = _figure("城镇新增就业", 900.0, "万人", "target", "", "2020", "count")
    actual = _figure("城镇新增就业", 1186.0, "万人", "actual", "", "2020", "count")
    pair = _best_pair([five_years, one_year], [actual])
    assert (pair.target.value, pair.actual.value) == (900.0, 1186.0)
