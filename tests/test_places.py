"""按地区 and 对比: the passages a search finds, grouped by place; where it started; places side by side."""

from __future__ import annotations

import csv
import io
import re

import pytest

from indexer.query.by_place import search_places
from indexer.query.index import Index
from indexer.query.passages import search_passages
from webapp import create_app

from .conftest import build_from

DOCUMENTS = {
    "zhengzhou-2021.txt": (
        "郑州市物业管理条例\n（2021年7月30日）\n"
        "第五十三条 鼓励和支持符合条件的既有住宅加装电梯。\n"
        "第五十四条 既有住宅加装电梯的具体办法由市人民政府另行制定。\n"
    ),
    "shantou-2023.txt": (
        "汕头市政府工作报告\n（2023年1月5日）\n"
        "一、2022年工作回顾\n完成老旧小区既有住宅加装电梯154部。\n"
        "二、2023年工作安排\n继续推进既有住宅加装电梯，新增完成100部以上。\n"
    ),
    "sichuan-2024.txt": (
        "四川省人民政府工作报告\n（2024年1月20日）\n全省既有住宅加装电梯3000部，支持县城既有住宅加装电梯。\n"
    ),
    "national-2020.txt": (
        "国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见\n（2020年7月10日）\n"
        "支持有条件的楼栋加装电梯，既有住宅加装电梯纳入改造内容。\n"
    ),
    "binzhou-2019.txt": ("滨州市总工会工作报告\n（2019年2月1日）\n全市工会推进工资集体协商，覆盖职工20万人。\n"),
}
QUERY = "既有住宅加装电梯"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return build_from(tmp_path_factory.mktemp("places"), DOCUMENTS)


@pytest.fixture(scope="module")
def handle(index_dir):
    return Index(index_dir).handle()


@pytest.fixture(scope="module")
def client(index_dir):
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


def test_places_hold_the_very_passages_the_search_counts(handle):
    places = search_places(handle, QUERY)
    search = search_passages(handle, QUERY)
    assert places.total == search.total == sum(place.passages for place in places.places)
    names = {place.name: place for place in places.places}
    assert set(names) == {"郑州市", "汕头市", "四川省", "全国"}  # 滨州 never speaks of it
    assert (names["全国"].level, names["四川省"].level, names["郑州市"].level) == ("national", "province", "city")
    for place in places.places:
        assert sum(count for _, count in place.years) == place.passages
        # The place's best passage is the first one the search ranks among that place's.
        filters = {"city": [place.city]} if place.city else {"province": [place.province or "全国"]}
        assert search_passages(handle, QUERY, filters=filters).hits[0].id == place.best["id"]
    assert names["汕头市"].passages == 2 and names["汕头市"].documents == 1
    assert names["汕头市"].years == ((2023, 2),)


def test_places_sort_by_first_year_and_by_documents(handle):
    first = [place.first_year for place in search_places(handle, QUERY, sort="first_year").places]
    assert first == sorted(first) and first[0] == 2020
    documents = [place.documents for place in search_places(handle, QUERY, sort="documents").places]
    assert documents == sorted(documents, reverse=True)


def test_where_it_started_lists_the_earliest_documents_first(handle):
    first = search_places(handle, QUERY).first
    assert [item["date"] for item in first] == sorted(item["date"] for item in first)
    assert first[0]["title"].startswith("国务院办公厅")


def test_the_national_filter_selects_documents_of_no_province(client):
    data = client.get("/api/search", query_string={"q": QUERY, "province": "全国"}).get_json()
    assert data["total"] >= 1 and {hit["province"] for hit in data["results"]} == {""}


def test_api_places_shape_and_errors(client):
    data = client.get("/api/places", query_string={"q": QUERY, "sort": "first_year"}).get_json()
    assert data["total_places"] == len(data["places"]) == 4
    assert set(data["places"][0]) >= {"province", "city", "level", "documents", "passages", "first_year", "last_year"}
    assert set(data["places"][0]["best"]) >= {"id", "doc_id", "title", "year", "snippet", "text", "source"}
    assert data["places"][0]["province"] == "全国" and data["places"][0]["first_year"] == 2020
    assert (
        sum(place["passages"] for place in data["places"])
        == client.get("/api/search", query_string={"q": QUERY}).get_json()["total"]
    )
    for bad in ({"q": QUERY, "sort": "x"}, {"q": QUERY, "year": "20x"}, {"q": QUERY, "colour": "red"}):
        response = client.get("/api/places", query_string=bad)
        assert response.status_code in (200, 400) and response.status_code != 500
    assert client.get("/api/places", query_string={"q": QUERY, "sort": "x"}).status_code == 400
    assert client.get("/api/places", query_string={"q": QUERY, "year": "20x"}).status_code == 400
    assert client.get("/api/places", query_string={"q": ""}).get_json()["total_places"] == 0
    # Past ``limit`` places keep their counts (they still add up) but carry no best passage.
    limited = client.get("/api/places", query_string={"q": QUERY, "limit": 1}).get_json()
    assert limited["places"][0]["best"] and all(place["best"] is None for place in limited["places"][1:])
    assert sum(place["passages"] for place in limited["places"]) == data["total"]
    hostile = client.get("/api/places", query_string={"q": "<script>alert(1)</script>" + QUERY})
    assert b"<script>" not in hostile.data and b"\\u003cscript\\u003e" in hostile.data  # the echo is escaped
    assert hostile.get_json()["query"].startswith("<script>")  # and reads back as typed
    assert all("<script>" not in place["best"]["snippet"] for place in hostile.get_json()["places"])


def test_places_page_counts_match_the_api_and_link_to_the_place(client):
    body = client.get("/places", query_string={"q": QUERY}).get_data(as_text=True)
    api = client.get("/api/places", query_string={"q": QUERY}).get_json()
    assert re.search(r'class="total-places">(\d+)<', body)[1] == str(api["total_places"])
    shown = [int(count) for count in re.findall(r'data-passages="(\d+)"', body)]
    assert shown == [place["passages"] for place in api["places"]]
    assert (
        "/?q=%E6%97%A2%E6%9C%89%E4%BD%8F%E5%AE%85%E5%8A%A0%E8%A3%85%E7%94%B5%E6%A2%AF&amp;city=%E6%B1%95%E5%A4%B4%E5%B8%82"
        in body
    )
    tiles = dict(re.findall(r'data-province="([^"]+)" data-count="(\d+)"', body))
    assert tiles["四川省"] == "1" and tiles["广东省"] == "2" and tiles["山东省"] == "0"


def test_compare_puts_places_side_by_side_and_exports(client):
    page = client.get("/compare", query_string={"q": QUERY, "place": ["广东省/汕头市", "河南省/郑州市"]}).get_data(
        as_text=True
    )
    assert page.count('class="compare-column"') == 2
    assert page.index('data-key="广东省/汕头市"') < page.index('data-key="河南省/郑州市"')
    assert "相关指标" in page  # 汕头's 154 部 and 100 部
    years = client.get("/compare", query_string={"q": QUERY, "cyear": ["2021", "2023"]})
    assert years.status_code == 200 and years.get_data(as_text=True).count('class="compare-column"') == 2
    one = client.get("/compare", query_string={"q": QUERY, "place": "广东省/汕头市"})
    assert one.status_code == 400 and "2–4" in one.get_data(as_text=True)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/compare.csv", query_string={"q": QUERY, "place": ["广东省/汕头市", "全国"]}).data.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0][:3] == ["对比项", "类别", "标题"]
    assert {row[0] for row in rows[1:]} == {"汕头市", "全国"}
    assert any(row[1] == "指标" and row[6] == "154" for row in rows[1:])
