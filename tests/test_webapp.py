"""The JSON API and the HTML page: shape, filters, 400s with messages, no 500s, escaping, headers."""

from __future__ import annotations

import pytest
from flask import request

from indexer.query.filters import FIGURE_FILTERS, PASSAGE_FILTERS
from webapp import create_app

RESULT_FIELDS = {
    "id",
    "doc_id",
    "title",
    "source",
    "year",
    "province",
    "city",
    "doc_type",
    "topics",
    "text",
    "snippet",
    "score",
}


@pytest.fixture
def client(designed_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(designed_index)})
    return app.test_client()


def test_api_search_shape(client):
    response = client.get("/api/search", query_string={"q": "工资集体协商"})
    assert response.status_code == 200
    data = response.get_json()
    assert {"query", "total", "page", "per_page", "results", "facets", "parsed", "dropped"} <= set(data)
    assert data["query"] == "工资集体协商" and data["total"] >= 1
    assert set(data["results"][0]) >= RESULT_FIELDS
    first = data["results"][0]
    assert (first["source"], first["city"], first["province"], first["year"]) == (
        "linyi-report.txt",
        "临沂市",
        "山东省",
        2016,
    )
    assert set(data["facets"]) == {"year", "province", "city", "topic", "doc_type"}
    assert all(set(item) == {"value", "count"} for item in data["facets"]["city"])


def test_api_filters_accept_short_forms_and_repeated_values(client):
    data = client.get("/api/search?q=工会&city=临沂&city=济宁").get_json()
    assert {result["city"] for result in data["results"]} == {"临沂市", "济宁市"}
    data = client.get("/api/search?q=工会&province=辽宁&type=通知").get_json()
    assert {result["source"] for result in data["results"]} == {"liaoning-gbk.txt"}


@pytest.mark.parametrize(
    "query_string",
    ["q=工会&page=abc", "q=工会&per_page=1.5", "q=工会&sort=price", "q=工会&year=twenty", "q=" + "工" * 4001],
)
def test_bad_parameters_get_400_with_a_bilingual_message(client, query_string):
    response = client.get("/api/search?" + query_string)
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert "/" in message and any("\u4e00" <= char <= "\u9fff" for char in message)


@pytest.mark.parametrize(
    "query_string",
    [
        "q=%22",
        "q=OR",
        "q=-",
        "q=标题:",
        "q=AND OR NOT",
        "q=*?",
        "q=%00%01",
        "q=工会&page=-5&per_page=0",
        "q=工会&page=99999999999999999999",
        "q=工会&city=火星",
        "q=%ED%A0%80",
        "q=((((",
        "q=-工会",
    ],
)
def test_odd_input_never_gives_a_server_error(client, query_string):
    response = client.get("/api/search?" + query_string)
    assert response.status_code in (200, 400)
    assert response.is_json


def test_page_numbers_are_clamped(client):
    data = client.get("/api/search?q=工会&page=0&per_page=1000").get_json()
    assert (data["page"], data["per_page"]) == (1, 100)


def test_html_page_escapes_the_query_and_sends_security_headers(client):
    response = client.get("/", query_string={"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_html_page_shows_highlighted_results(client):
    body = client.get("/?q=金秋助学").get_data(as_text=True)
    assert "<mark>金秋助学" in body
    assert "济宁市" in body


@pytest.mark.parametrize("parameter", list(PASSAGE_FILTERS))
def test_search_box_keeps_each_filter_under_its_parameter(client, parameter):
    body = client.get("/", query_string={"q": "工会", parameter: "2016"}).get_data(as_text=True)
    assert f'<input type="hidden" name="{parameter}" value="2016">' in body


@pytest.mark.parametrize("parameter", list(FIGURE_FILTERS))
def test_figure_search_box_keeps_each_filter_under_its_parameter(client, parameter):
    value = {"kind": "target", "measure": "count"}.get(parameter, "2016")
    body = client.get("/figures", query_string={"q": "驿站", parameter: value}).get_data(as_text=True)
    assert f'<input type="hidden" name="{parameter}" value="{value}">' in body


def test_unknown_route_gives_404_page_not_trace(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_missing_index_gives_503_json(tmp_path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")})
    response = app.test_client().get("/api/search?q=工会")
    assert response.status_code == 503
    assert "error" in response.get_json()


def test_help_page_documents_the_query_syntax(client):
    body = client.get("/help").get_data(as_text=True)
    for syntax in ('"职工书屋"', "-农民工", " OR ", "标题:"):
        assert syntax in body


def test_document_page_shows_metadata_text_and_highlights(client, designed_searcher):
    doc_id = designed_searcher.search("金秋助学").hits[0].doc_id
    response = client.get(f"/doc/{doc_id}", query_string={"q": "金秋助学", "p": "0"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "济宁市总工会开展金秋助学活动" in body and "jining-news.txt" in body
    assert "<mark>金秋助学" in body


@pytest.mark.parametrize("doc_id", ["../../etc/passwd", "0123456789abcdef", "ABCDEF0123456789", "%2e%2e", "x" * 300])
def test_document_route_accepts_only_known_ids(client, doc_id):
    response = client.get(f"/doc/{doc_id}")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_export_needs_a_search_and_returns_files(client):
    assert client.get("/export.csv").status_code == 400
    csv_response = client.get("/export.csv?q=工会&city=临沂")
    assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
    assert "attachment" in csv_response.headers["Content-Disposition"]
    xlsx = client.get("/export.xlsx?q=工会")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_bad_parameters_render_a_friendly_400_page(client):
    response = client.get("/?q=工会&page=abc")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "出错了" in body and "page" in body


@pytest.mark.parametrize(
    "path", ["/static/../../etc/passwd", "/static/..%2f..%2fetc%2fpasswd", "/static/%2e%2e/app.py"]
)
def test_static_route_rejects_path_traversal(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.data


@pytest.fixture
def body_client(designed_index):
    """Return a client of the app with a test-only route that reads the request body."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(designed_index)})

    def echo_size():
        return {"bytes": len(request.get_data())}

    for path in ("/api/echo", "/echo"):
        app.add_url_rule(path, endpoint=path, view_func=echo_size, methods=["POST"])
    return app.test_client()


def test_request_bodies_are_capped(body_client):
    over = b"x" * (64 * 1024 + 1)
    response = body_client.post("/api/echo", data=over)
    assert response.status_code == 413
    assert response.get_json() == {"error": "请求过大 / request too large"}
    page = body_client.post("/echo", data=over)
    assert page.status_code == 413 and "请求过大 / request too large" in page.get_data(as_text=True)
    assert body_client.post("/api/echo", data=b"x" * (64 * 1024)).get_json() == {"bytes": 64 * 1024}


def test_posting_to_a_search_route_gives_405_not_a_trace(client):
    response = client.post("/api/search", data=b"q=x")
    assert response.status_code == 405
    assert response.get_json() == {"error": "不支持的请求方法 / method not allowed"}


def test_static_assets_are_cacheable(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200 and "max-age=3600" in response.headers["Cache-Control"]
    response.close()
