"""Everyday questions: how they are read (question words, kind, place, year, keywords or a question) and
how they are answered (ranked by coverage, never empty when words match, law articles cited, what was
understood shown and removable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.query.index import Index
from indexer.query.passages import search_passages
from indexer.query.understand import understand
from indexer.text import lexicon
from webapp import create_app

from .conftest import build_from

LAW = (
    "中华人民共和国劳动合同法\n"
    "第八十二条 用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资。\n"
    "第八十三条 用人单位违反本法规定与劳动者约定试用期的，由劳动行政部门责令改正。\n"
    "第八十四条 用人单位违反本法规定，扣押劳动者居民身份证等证件的，由劳动行政部门责令限期退还劳动者本人。\n"
)
DOCUMENTS = {
    "law.md": LAW,
    "report.txt": (
        "滨州市政府工作报告\n（2023年1月10日）\n"
        "一、2022年工作回顾\n为既有多层住宅加装电梯120台，新建社区长者食堂40个，老年助餐服务覆盖全部街道。\n"
        "二、2023年工作安排\n新增普惠托位3000个。\n"
    ),
    "news.txt": (
        "临沂市总工会推进工资集体协商\n本报讯 临沂市总工会推进工资集体协商，覆盖职工52.6万人。\n"
        "企业劳动合同签订率达到98%，农民工工资支付有保障。\n"
    ),
}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    return build_from(tmp_path_factory.mktemp("questions"), DOCUMENTS)


@pytest.fixture(scope="module")
def handle(index_dir: Path):
    handle = Index(index_dir, cache_items=0).handle()
    yield handle
    handle.close()


@pytest.mark.parametrize(
    ("text", "kind", "frames"),
    [
        ("工资集体协商 农民工", "keyword", ()),
        ("别的城市是怎么给老房子装电梯的？", "precedent", ("别的城市", "是怎么")),
        ("老板不跟我签劳动合同，能不能要二倍工资？", "rule", ("能不能",)),
        ("2024年居民医保财政每人补助多少钱", "figure", ("多少钱",)),
        ("这些年国家给退休人员涨养老金是怎么安排的", "measure", ("这些年", "是怎么安排的")),
        ("农民工工资支付保障和劳动合同签订情况", "question", ()),
    ],
)
def test_questions_are_read_by_their_question_words(text, kind, frames):
    understood = understand(text)
    assert understood.kind == kind
    assert set(understood.frames) == set(frames)
    assert not {frame for frame in frames} & {concept.text for concept in understood.concepts}


def test_places_years_and_required_words_are_recognised():
    understood = understand("滨州 2023年 +职工书屋 老年助餐")
    assert understood.place is not None and understood.place.city == "滨州市"
    assert understood.years == ("2023",)
    assert [concept.text for concept in understood.concepts if concept.required] == ["职工书屋"]


def test_a_long_paste_keeps_its_heaviest_concepts_and_says_what_it_left_out():
    text = "，".join(
        ["工会", "职工", "劳动合同", "集体协商", "安全生产", "劳模", "工匠", "农民工", "女职工", "困难职工"] * 2
    )
    text += "，户外劳动者驿站，职工书屋，网上工会，技能竞赛，心理关爱"
    weights = {"户外劳动者驿站": 9.0, "工会": 0.5}
    understood = understand(text, weigh=lambda concept, times: weights.get(concept.text, 1.0) * times, max_concepts=5)
    assert len(understood.concepts) == 5 and "户外劳动者驿站" in {concept.text for concept in understood.concepts}
    assert "工会" in understood.left_out and len(understood.left_out) == len(set(understood.left_out))


def test_a_question_nothing_matches_whole_is_still_answered(handle):
    result = search_passages(handle, "进厂三个多月了，老板一直拖着不跟我签劳动合同，我能找他要什么说法？")
    assert result.total > 0 and result.hits
    assert result.hits[0].article == "《中华人民共和国劳动合同法》第八十二条"  # a rule question: the law first
    assert "签劳动合同" in result.hits[0].matched  # through the law's words: 订立书面劳动合同
    assert result.understood["kind"] == "rule"


def test_a_law_article_is_shown_whole_and_articles_of_one_law_follow_one_another(handle):
    result = search_passages(handle, "劳动者 用人单位 劳动行政部门")
    articles = [hit.article for hit in result.hits if hit.article]
    assert len(articles) == 3  # more than the three passages a report may show
    whole = next(hit for hit in result.hits if hit.article.endswith("第八十四条"))
    assert "<mark>" in whole.snippet and whole.snippet.startswith("第八十四条") and whole.snippet.endswith("本人。")


def test_keywords_rank_passages_holding_every_word_first_and_say_what_the_best_lacks(handle):
    both = search_passages(handle, "工资集体协商 农民工")
    assert both.hits[0].source == "news.txt" and set(both.hits[0].matched) == {"工资集体协商", "农民工"}
    assert both.dropped == ()
    apart = search_passages(handle, "工资集体协商 加装电梯")  # no passage holds both
    assert apart.total >= 2 and apart.dropped  # what the best passage lacks is said
    assert set(apart.hits[0].matched) < {"工资集体协商", "加装电梯"}
    required = search_passages(handle, "+工资集体协商 加装电梯")  # the user says what must be there
    assert {hit.source for hit in required.hits} == {"news.txt"}


def test_everyday_words_find_the_documents_words_through_the_thesaurus(handle, monkeypatch):
    monkeypatch.setattr(lexicon, "colloquial", lambda: {"老房子装电梯": ("既有多层住宅加装电梯", "加装电梯")})
    from indexer.query import parse

    for cached in (parse._phrase_pattern, parse._colloquial_table):
        cached.cache_clear()
        monkeypatch.setattr(parse, cached.__name__, cached)
    try:
        result = search_passages(handle, "别的城市是怎么给老房子装电梯的")
        assert result.hits and result.hits[0].source == "report.txt"
        concept = next(c for c in result.understood["concepts"] if c["text"] == "老房子装电梯")
        assert concept["expansions"] == ["既有多层住宅加装电梯", "加装电梯"]
        removed = search_passages(
            handle, "别的城市是怎么给老房子装电梯的", without=("既有多层住宅加装电梯", "加装电梯")
        )
        left = next(c for c in removed.understood["concepts"] if c["text"] == "老房子装电梯")
        assert left["expansions"] == [] and removed.understood["concepts"] != result.understood["concepts"]
        # Found now only through the phrase's own words (电梯), which weigh less.
        assert not removed.hits or removed.hits[0].score < result.hits[0].score
    finally:
        parse._phrase_pattern.cache_clear()
        parse._colloquial_table.cache_clear()


@pytest.mark.parametrize(
    ("question", "phrase", "said"),
    [
        ("老板一直拖着不跟我签劳动合同，我能找他要什么说法？", "不签合同", True),  # 跟我 between 不 and 签
        ("公司一直没给我交社保，能辞职吗", "没交社保", True),
        ("公司说试用期不给交社保，对吗", "不交社保", True),
        ("合同还没到期就让我走", "合同到期", False),  # negation in between: the opposite
        ("公司和工会签的集体合同", "公司工会", False),  # a conjunction joins two things
        ("公司和工会签的集体合同", "签合同", False),  # 的: the contract is another thing
        ("交不了住房公积金", "交不了房", False),  # 房 alone inside 住房 is not the phrase's word
    ],
)
def test_an_everyday_phrase_is_heard_with_words_in_between(question, phrase, said):
    from indexer.query import parse

    concepts = parse.parse_query(question).concepts
    assert (phrase in {concept.text for concept in concepts}) is said
    if said:
        concept = next(concept for concept in concepts if concept.text == phrase)
        assert concept.expansions == parse._expansions_of(phrase) != ()


def test_a_phrase_said_with_words_in_between_finds_the_article(handle):
    result = search_passages(handle, "老板一直拖着不跟我签劳动合同，我能找他要什么说法？")
    assert result.hits[0].article and "第八十二条" in result.hits[0].article
    assert "不签合同" in result.hits[0].matched


def test_with_nothing_found_the_unmatched_concepts_and_nearby_searches_are_said(handle):
    result = search_passages(handle, "工资集体协商", filters={"city": ["滨州"]})
    assert result.total == 0
    assert ("工资集体协商", 1) in result.suggestions  # the same search without the filter
    nowhere = search_passages(handle, "龘龘龘")
    assert nowhere.total == 0 and nowhere.unmatched == ("龘",)


def test_the_page_shows_what_was_understood_and_removes_an_expansion_in_one_click(index_dir: Path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    page = client.get("/?q=老板不签劳动合同能不能要二倍工资").get_data(as_text=True)
    assert "理解为" in page and "法规条文问题" in page and "未作检索词：能不能" in page
    assert "《中华人民共和国劳动合同法》第八十二条" in page
    data = client.get("/api/search?q=老板不签劳动合同能不能要二倍工资").get_json()
    assert data["understood"]["kind"] == "rule" and data["results"][0]["matched"]
    synonyms = [word for concept in data["understood"]["concepts"] for word in concept["synonyms"]]
    if synonyms:  # each is a link that searches again without it
        assert "without=" in page
        again = client.get(
            "/api/search", query_string={"q": "老板不签劳动合同能不能要二倍工资", "without": synonyms[0]}
        )
        assert synonyms[0] not in [w for c in again.get_json()["understood"]["concepts"] for w in c["synonyms"]]


def test_in_a_spoken_question_quotes_stress_words_and_demand_nothing_exact():
    understood = understand("国家这些年在“最低工资”这件事上有过哪些规定和调整？")
    assert not any(concept.exact or concept.required for concept in understood.concepts)
    assert {"最低", "工资"} <= {concept.text for concept in understood.concepts}
    assert "在" not in {concept.text for concept in understood.concepts}  # a filler between frames
    assert understand('"职工书屋"').concepts[0].exact  # typed as a search: as written


def test_a_year_is_held_by_that_year_s_documents_and_the_country_by_national_ones(handle):
    from indexer.query import rank

    ranked = rank.rank(handle, understand("2023年 老年助餐"))
    assert ranked.concepts[0].text == "2023年"
    held = {number for number, bits in zip(ranked.numbers.tolist(), ranked.bits.tolist(), strict=True) if bits & 1}
    assert held == set(handle.passages_of_year("2023").nonzero()[0].tolist()) and held  # the report of 2023
    country = rank.rank(handle, understand("国家 劳动合同"))
    assert country.found[0]  # the national law holds 国家 though it never says it
