"""Figures through the API, the 指标 page, the exports and the command line."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from indexer.__main__ import main as indexer_main
from webapp import create_app
from webapp.figure_views import compare

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
    assert (first["city"], first["year"], first["source"]) == ("临沂市", 2016, "linyi-report.txt")
    assert "70.13%" in first["sentence"]


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


def test_comparison_needs_two_values_of_one_indicator(designed_searcher):
    hits = list(designed_searcher.figures("慰问", per_page=100).hits)
    chart = compare(hits)
    if chart is not None:
        assert len(chart.bars) >= 2 and len({(bar.label, bar.value) for bar in chart.bars}) == len(chart.bars)
    assert compare(hits[:1]) is None


def test_cli_figures_json(designed_index, capsys):
    assert indexer_main(["figures", "建会率", "--index", str(designed_index), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["results"][0]["value"] == 70.13


def test_figures_sorted_by_value_come_largest_first(seed_searcher):
    result = seed_searcher.figures("职工", sort="value", per_page=50)
    values = [hit.value for hit in result.hits]
    assert len(values) > 10 and len(set(values)) > 5
    assert values == sorted(values, reverse=True)
