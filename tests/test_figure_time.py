"""Figures on any report: where a passage stands (review or plan), the year a figure is about, what it
measures, and the names of growth lists (分别, 由…到…). Designed reports, one rule each."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from indexer.ingest.figures import ACTUAL, TARGET, ReportTime, extract_figures, figures_by_passage


@dataclass(frozen=True)
class Passage:
    text: str
    section: str = ""


def report_figures(passages: list[Passage], date: str, year: int, *, report: bool = True) -> list[tuple]:
    """Return (indicator, value, unit, kind, year, year_from, measure, approx) of a designed report's figures."""
    time = ReportTime.of(date, year, report=report)
    return [
        (f.indicator, f.value, f.unit, f.kind, f.year, f.year_from, f.measure, f.approx)
        for found in figures_by_passage(passages, time)
        for f in found
    ]


def test_a_report_of_january_reviews_the_year_before_and_plans_its_own():
    assert ReportTime.of("2023-01-10", 2023) == ReportTime(2023, 2022, 2023, 2023, False)
    # Delivered in December, it reviews its own year and plans the next.
    assert ReportTime.of("2022-12-11", 2023) == ReportTime(2022, 2022, 2023, 2023, False)
    assert ReportTime.of("", 2016) == ReportTime(2016, 2015, 2016, 2016, False)  # no date: the year it plans
    assert ReportTime.of("", None) == ReportTime(None, None, None)


def test_review_figures_are_the_past_years_and_plan_figures_this_years():
    passages = [
        Passage("过去一年，全市地区生产总值达到1.2万亿元，比上年增长5.2%。"),
        Passage("一般公共预算收入增长4.5%。"),  # no target word, but in the review: actual
        Passage("预计全年一般公共预算收入达到150亿元。"),  # 预计 in a review: an estimate of the result
        Passage("今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业5万人。"),
        Passage("一般公共预算收入增长4.5%。"),  # the same words in the plan: a target
        Passage("完成棚户区改造3000套。", section="三、2023年重点工作"),
    ]
    found = report_figures(passages, "2023-01-10", 2023)
    assert found == [
        ("地区生产总值", 12000.0, "亿元", ACTUAL, 2022, None, "level", ""),
        ("地区生产总值比上年增长", 5.2, "%", ACTUAL, 2022, None, "change", ""),
        ("一般公共预算收入增长", 4.5, "%", ACTUAL, 2022, None, "change", ""),
        ("一般公共预算收入", 150.0, "亿元", ACTUAL, 2022, None, "level", "预计"),
        ("地区生产总值增长", 5.0, "%", TARGET, 2023, None, "change", "约"),
        ("城镇新增就业", 50000.0, "人", TARGET, 2023, None, "count", ""),
        ("一般公共预算收入增长", 4.5, "%", TARGET, 2023, None, "change", ""),
        ("棚户区改造", 3000.0, "套", TARGET, 2023, None, "count", ""),
    ]


def test_the_year_written_in_the_clause_wins():
    passages = [
        Passage("过去五年，累计新增城镇就业52万人，城镇化率提高到58%。", section="一、过去五年工作回顾"),
        Passage("“十三五”期间，全市地区生产总值年均增长6.5%。"),
        Passage("到2025年，城镇化率达到65%。", section="二、今后五年的目标任务"),
        Passage("去年全市接待游客1200万人次。", section="三、今年工作安排"),
        Passage("2005年与2000年相比，国内生产总值增长57.3%。", section="三、今年工作安排"),
        Passage("与2020年相比，职工人数增加2000人。", section="三、今年工作安排"),
    ]
    found = [(row[0], row[3], row[4], row[5]) for row in report_figures(passages, "2023-01-10", 2023)]
    assert found == [
        ("新增城镇就业", ACTUAL, 2022, 2018),  # a five-year total: the period
        ("城镇化率", ACTUAL, 2022, None),  # a level reached: the period's last year
        ("地区生产总值年均增长", ACTUAL, 2020, 2016),  # “十三五”: 2016—2020
        ("城镇化率", TARGET, 2025, None),
        ("接待游客", ACTUAL, 2022, None),  # 去年 in a plan: the past, the year before delivery
        ("国内生产总值增长", ACTUAL, 2005, 2001),  # a change over 2001—2005
        ("职工人数增加", TARGET, 2023, None),  # 与2020年相比: a baseline, not the figure's year
    ]


def test_a_news_story_keeps_its_own_year_and_its_wording_decides_the_kind():
    passages = [Passage("今年以来，全市新建驿站30个。"), Passage("下一步，力争年底前再建20个。")]
    found = [(row[1], row[3], row[4]) for row in report_figures(passages, "2019-11-02", 2019, report=False)]
    assert found == [(30.0, ACTUAL, 2019), (20.0, TARGET, 2019)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全社会固定资产投资增长10%。", [("全社会固定资产投资增长", "change")]),  # not 增长增长
        ("城镇化率58%。", [("城镇化率", "share")]),
        ("新建学校20所。", [("学校", "count")]),
        ("粮食产量减少到300万吨。", [("粮食产量", "level")]),  # a new level, not a decrease
        ("城镇登记失业率由4.5%下降到3.9%。", [("城镇登记失业率", "share"), ("城镇登记失业率", "share")]),
        ("研发投入强度提高0.2个百分点。", [("研发投入强度提高", "change")]),
        ("年收入突破400亿元。", [("年收入", "level")]),
        (
            "城乡居民人均可支配收入分别增长8%和9%。",
            [("城镇居民人均可支配收入", "change"), ("农村居民人均可支配收入", "change")],
        ),
    ],
)
def test_what_is_measured_and_its_name(text, expected):
    assert [(f.indicator, f.measure) for f in extract_figures(text)] == expected


def test_an_amount_in_wanyi_yuan_is_read_in_yi_yuan():
    assert [(f.value, f.unit) for f in extract_figures("全年国内生产总值达到18.23万亿元。")] == [(182300.0, "亿元")]


def test_from_a_to_b_gives_both_values_with_their_years():
    text = "非煤电产业增加值增幅由2015年的-17.4%提高到21.3%；城镇化率由2015年的52.6%提高到2020年的60.5%。"
    found = [(f.indicator, f.value, f.year, f.measure) for f in extract_figures(text)]
    assert found == [
        ("非煤电产业增加值增幅", -17.4, 2015, "change"),  # a negative growth rate, the year it was
        ("非煤电产业增加值增幅", 21.3, None, "change"),  # no time given: the year is the report's to say
        ("城镇化率", 52.6, 2015, "share"),
        ("城镇化率", 60.5, 2020, "share"),
    ]
    assert [f.value for f in extract_figures("资助标准3000-5000元。")] == [3000, 5000]  # a range, not -5000


def test_a_five_year_review_dates_the_start_of_from_to_and_reads_what_a_change_reaches():
    passages = [
        Passage(
            "服务业占地区生产总值比重由37.3%提高到53%。煤层气年抽采量由42.8亿立方米增加到101亿立方米。"
            "规模以上工业企业实现利润增长3.9倍，达到1248.1亿元，是2010年的4.9倍。",
            section="一、“十二五”时期国民经济和社会发展回顾",
        )
    ]
    found = [(row[0], row[1], row[2], row[4], row[6]) for row in report_figures(passages, "2016-01-27", 2016)]
    assert found[:6] == [
        ("服务业占地区生产总值比重", 37.3, "%", 2010, "share"),  # where the period began
        ("服务业占地区生产总值比重", 53.0, "%", 2015, "share"),
        ("煤层气年抽采量", 42.8, "亿立方米", 2010, "level"),  # volumes keep 亿 as money does
        ("煤层气年抽采量", 101.0, "亿立方米", 2015, "level"),
        ("规模以上工业企业实现利润增长", 3.9, "倍", 2015, "change"),
        ("规模以上工业企业实现利润", 1248.1, "亿元", 2015, "level"),  # 达到: the level the change reached
    ]
    assert found[6][1:] == (4.9, "倍", 2015, "change")  # 是2010年的: a baseline, not the figure's year
