"""URL helpers (pure functions), presenters and exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from indexer.query.filters import FIGURE_FILTERS, MAX_PAGE, PASSAGE_FILTERS
from indexer.query.results import FacetValue, Hit, SearchResult
from webapp import export, presenters, urls
from webapp.figure_views import FIGURE_STATE


@pytest.mark.parametrize(
    ("pairs", "name", "value", "expected"),
    [
        ([("q", "工会")], "city", "临沂市", [("q", "工会"), ("city", "临沂市")]),
        ([("q", "工会"), ("city", "临沂市")], "city", "临沂市", [("q", "工会")]),
        (
            [("q", "工会"), ("city", "临沂市")],
            "city",
            "济宁市",
            [("q", "工会"), ("city", "临沂市"), ("city", "济宁市")],
        ),
        ([("q", "工会"), ("page", "3")], "year", "2015", [("q", "工会"), ("year", "2015")]),  # back to page 1
    ],
)
def test_toggle(pairs, name, value, expected):
    assert urls.toggle(pairs, name, value) == expected


def test_build_url_encodes_chinese_and_repeats_names():
    assert urls.build_url("/", [("q", "工会"), ("city", "a"), ("city", "b")]) == "/?q=%E5%B7%A5%E4%BC%9A&city=a&city=b"
    assert urls.build_url("/", []) == "/"


def test_state_pairs_keep_only_search_parameters():
    args = {"q": ["工会"], "city": ["临沂", "济宁"], "evil": ["x"], "page": ["2"]}
    assert urls.state_pairs(args) == [("q", "工会"), ("city", "临沂"), ("city", "济宁"), ("page", "2")]


def test_state_pairs_of_a_figure_search_keep_its_parameters_in_order():
    args = {"page": ["2"], "topic": ["帮扶"], "kind": ["target"], "q": ["建会率"], "unit": ["%"], "city": ["临沂"]}
    assert urls.state_pairs(args, FIGURE_STATE) == [
        ("q", "建会率"),
        ("city", "临沂"),
        ("kind", "target"),
        ("unit", "%"),
        ("page", "2"),
    ]


@pytest.mark.parametrize(
    ("filters", "parameters", "expected"),
    [
        ({}, PASSAGE_FILTERS, []),
        ({"doc_type": ("通知",)}, PASSAGE_FILTERS, [("type", "通知")]),
        (
            {"year": ["2016"], "city": ["临沂", "济宁"], "doc_type": ["通知"]},
            PASSAGE_FILTERS,
            [("year", "2016"), ("city", "临沂"), ("city", "济宁"), ("type", "通知")],
        ),
        ({"kind": ["target"], "unit": ["%"]}, FIGURE_FILTERS, [("kind", "target"), ("unit", "%")]),
    ],
)
def test_filter_pairs_write_each_field_as_its_parameter(filters, parameters, expected):
    assert urls.filter_pairs(filters, parameters) == expected


def _result(**changes) -> SearchResult:
    values = dict(
        query="工会",
        total=25,
        page=2,
        per_page=10,
        hits=(),
        facets={
            "year": [FacetValue("2016", 5), FacetValue("2015", 10)],
            "city": [FacetValue("临沂市", 7)],
            "province": [],
            "topic": [],
            "doc_type": [],
        },
        filters={"city": ("临沂市",)},
    )
    values.update(changes)
    return SearchResult(**values)


def test_facet_options_carry_count_selected_and_toggle_url():
    boxes = {box.name: box for box in presenters.facet_boxes(_result(), [("q", "工会"), ("city", "临沂")])}
    option = boxes["city"].options[0]
    assert (option.value, option.count, option.selected) == ("临沂市", 7, True)
    assert option.toggle_url == "/?q=%E5%B7%A5%E4%BC%9A"  # 临沂 was written in full, so it toggles off
    year = boxes["year"].options[0]
    assert not year.selected and "year=2016" in year.toggle_url


def test_facet_links_write_each_field_as_its_parameter():
    facets = {field: [FacetValue("2016", 1)] for field in PASSAGE_FILTERS.values()}
    boxes = presenters.facet_boxes(_result(facets=facets, filters={}), [("q", "工会")])
    assert [(box.name, box.label, box.options[0].toggle_url) for box in boxes] == [
        ("year", "年份", "/?q=%E5%B7%A5%E4%BC%9A&year=2016"),
        ("province", "省份", "/?q=%E5%B7%A5%E4%BC%9A&province=2016"),
        ("city", "城市", "/?q=%E5%B7%A5%E4%BC%9A&city=2016"),
        ("topic", "主题", "/?q=%E5%B7%A5%E4%BC%9A&topic=2016"),
        ("doc_type", "文种", "/?q=%E5%B7%A5%E4%BC%9A&type=2016"),
    ]


def test_chips_remove_one_value():
    chips = presenters.chips(_result(), [("q", "工会"), ("city", "临沂市")])
    assert [(chip.label, chip.value, chip.remove_url) for chip in chips] == [
        ("城市", "临沂市", "/?q=%E5%B7%A5%E4%BC%9A")
    ]


def test_pager_and_year_bars():
    pages = presenters.pages(_result(), [("q", "工会")])
    assert [(page.number, page.current) for page in pages] == [(1, False), (2, True), (3, False)]
    bars = presenters.year_bars(_result(), [("q", "工会")])
    assert [bar.year for bar in bars] == ["2015", "2016"]  # oldest on the left
    assert bars[0].height > bars[1].height


@pytest.mark.parametrize(
    ("page", "per_page", "total", "numbers", "current"),
    [
        (1, 10, 95, [1, 2, 3, 4, 5, 6, 7], 1),  # first page
        (5, 10, 95, [2, 3, 4, 5, 6, 7, 8], 5),  # middle: centred
        (10, 10, 95, [4, 5, 6, 7, 8, 9, 10], 10),  # last page: the window ends there
        (9, 10, 95, [4, 5, 6, 7, 8, 9, 10], 9),
        (1, 10, 10, [1], 1),  # one page only
        (1, 10, 0, [1], 1),  # nothing found
        (50, 10, 25, [1, 2, 3], None),  # beyond the end: the pages there are
        (MAX_PAGE, 1, 5000, list(range(MAX_PAGE - 6, MAX_PAGE + 1)), MAX_PAGE),  # no page past MAX_PAGE
        (MAX_PAGE + 3, 1, 5000, list(range(MAX_PAGE - 6, MAX_PAGE + 1)), None),
    ],
)
def test_page_links(page, per_page, total, numbers, current):
    links = presenters.page_links("/figures", [("q", "工会")], page=page, per_page=per_page, total=total)
    assert [link.number for link in links] == numbers
    assert [link.number for link in links if link.current] == ([current] if current else [])


def test_page_links_set_the_page_last_and_keep_the_rest():
    pairs = [("q", "工会"), ("page", "2"), ("sort", "date")]
    links = presenters.page_links("/", pairs, page=2, per_page=10, total=25)
    assert [link.url for link in links] == [f"/?q=%E5%B7%A5%E4%BC%9A&sort=date&page={number}" for number in (1, 2, 3)]


def test_passage_pager_reaches_the_listed_passages_only():
    pages = presenters.pages(_result(total=50_000, page=presenters.LISTED_PASSAGES // 10), [("q", "工会")])
    assert pages[-1].number == presenters.LISTED_PASSAGES // 10 and pages[-1].current


def _hit(text: str) -> Hit:
    return Hit(
        id="a-0",
        doc_id="a",
        title='=HYPERLINK("x")',
        source="x.txt",
        year="2015",
        province="山东省",
        city="临沂市",
        doc_type="工作报告",
        topics=("帮扶救助",),
        text=text,
        snippet="",
        score=1.0,
    )


def test_csv_export_has_a_bom_a_header_and_defuses_formulas():
    table = export.rows([_hit("慰问困难职工")], link=lambda hit: "http://x/doc/a")
    data = export.to_csv(table)
    assert data.startswith("\ufeff标题,文种".encode())
    assert "'=HYPERLINK" in data.decode("utf-8")


def test_xlsx_export_opens_with_the_same_rows():
    table = export.rows([_hit("慰问困难职工"), _hit("-1 是减号开头")], link=lambda hit: "http://x/doc/a")
    sheet = load_workbook(io.BytesIO(export.to_xlsx(table))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == export.COLUMNS
    assert rows[1][8] == "慰问困难职工" and rows[2][8] == "'-1 是减号开头"
