"""Search core: phrases, substrings, numbers, filters, facets, relaxation, snippets, paging."""

from __future__ import annotations

import re

import numpy as np
import pytest
from whoosh import query as Q

from indexer.query.cache import MatchCache
from indexer.query.highlight import highlight, match_spans, snippet
from indexer.query.parse import Concept, QueryError, parse_query
from indexer.query.passages import RELATED_TERMS
from indexer.query.searcher import Searcher
from indexer.store.build import build


def _texts(result) -> list[str]:
    return [hit.text for hit in result.hits]


def test_quoted_phrase_finds_seed_000(seed_searcher):
    result = seed_searcher.search('"工资集体协商"')
    assert result.total > 0
    assert all("工资集体协商" in hit.text or "工资集体协商" in hit.title + hit.section for hit in result.hits)
    assert "000_90a0c92dbe5569c3.txt" in {hit.source for hit in result.hits}


def test_substring_inside_a_jieba_word_is_found(designed_searcher):
    # 集体协 is no jieba word; the bigram channel finds it inside 工资集体协商.
    result = designed_searcher.search('"集体协"')
    assert [hit.source for hit in result.hits] == ["linyi-report.txt"]


@pytest.mark.parametrize("query", ["70.13", "70.13%", "７０．１３％", "52.6万"])
def test_numbers_with_and_without_units_and_full_width(designed_searcher, query):
    result = designed_searcher.search(query)
    assert result.total == 1
    assert "70.13%" in result.hits[0].text or "52.6万" in result.hits[0].text


def test_number_across_ocr_spacing_in_seed_001(seed_searcher):
    result = seed_searcher.search("96.9")
    assert result.hits and result.hits[0].source == "001_a3055cdec558e202.txt"
    assert "<mark>96.9</mark>" in result.hits[0].snippet


def test_single_character_query_is_searchable(designed_searcher):
    assert designed_searcher.search("驿").total >= 1


def test_filters_accept_short_forms_and_several_values(designed_searcher):
    linyi = designed_searcher.search("工会", filters={"city": ["临沂"]})
    assert linyi.total >= 1 and {hit.city for hit in linyi.hits} == {"临沂市"}
    both = designed_searcher.search("工会", filters={"city": ["临沂", "济宁"]})
    assert {hit.city for hit in both.hits} == {"临沂市", "济宁市"}
    shandong = designed_searcher.search("工会", filters={"province": ["山东"], "year": ["2018"]})
    assert {hit.source for hit in shandong.hits} == {"jining-news.txt"}


def test_facets_count_passages_of_all_matches(designed_searcher):
    result = designed_searcher.search("工会", per_page=1)
    assert len(result.hits) == 1
    cities = {value.value: value.count for value in result.facets["city"]}
    assert cities["临沂市"] + cities["济宁市"] <= result.total
    provinces = {value.value for value in result.facets["province"]}
    assert provinces == {"山东省", "辽宁省"}
    assert set(result.facets) == {"year", "province", "city", "topic", "doc_type"}


def test_relaxation_reports_the_dropped_word(designed_searcher):
    result = designed_searcher.search("送温暖 火星基地")
    assert result.total >= 1
    assert result.dropped == ("火星基地",) or "火星" in "".join(result.dropped)
    assert "送温暖" in "".join(result.parsed)


def test_question_words_do_not_block_a_match(designed_searcher):
    result = designed_searcher.search("临沂建了多少户外劳动者驿站")
    assert result.hits and result.hits[0].source == "linyi-report.txt"
    assert "多少" in result.dropped


def test_exclusion_and_or(designed_searcher):
    without = designed_searcher.search("工会 -助学")
    assert "jining-news.txt" not in {hit.source for hit in without.hits}
    either = designed_searcher.search("助学金 OR 驿站")
    assert {hit.source for hit in either.hits} == {"jining-news.txt", "linyi-report.txt"}


def test_title_field_prefix(designed_searcher):
    result = designed_searcher.search("标题:金秋助学")
    assert {hit.source for hit in result.hits} == {"jining-news.txt"}


def test_paging_is_clamped_and_consistent(seed_searcher):
    first = seed_searcher.search("工会", per_page=5)
    second = seed_searcher.search("工会", per_page=5, page=2)
    assert len(first.hits) == 5 and len(second.hits) == 5
    assert not {hit.id for hit in first.hits} & {hit.id for hit in second.hits}
    clamped = seed_searcher.search("工会", per_page=10_000, page=-3)
    assert (clamped.page, clamped.per_page) == (1, 100)


def test_sort_by_date_puts_newest_first(seed_searcher):
    result = seed_searcher.search("工会", sort="date", per_page=20)
    dates = [hit.date for hit in result.hits]
    assert len({date for date in dates if date}) >= 3 and "" in dates  # several dates, and undated passages
    assert dates == sorted(dates, reverse=True)  # newest first, undated ("") last
    by_relevance = [hit.date for hit in seed_searcher.search("工会", per_page=20).hits]
    assert by_relevance != sorted(by_relevance, reverse=True)  # so the order above is the sort's doing


def test_snippets_escape_document_text_and_mark_matches():
    text = "<script>alert(1)</script>工会开展送温暖活动。第二句。"
    html_snippet = snippet(text, ["送温暖"])
    assert "<script>" not in html_snippet
    assert "&lt;script&gt;" in html_snippet
    assert "<mark>送温暖</mark>" in html_snippet


def test_snippet_is_cut_at_sentence_ends():
    text = "第一句没有命中内容。" * 10 + "这里是工资集体协商的句子。" + "后面的句子。" * 30
    result = snippet(text, ["工资集体协商"], max_chars=40)
    assert "<mark>工资集体协商</mark>" in result
    assert result.startswith("…这里是") and result.rstrip("…").endswith("。")


def test_highlight_spans_follow_the_display_text_of_traditional_characters():
    text = "開展勞動競賽"
    spans = match_spans(text, ["劳动竞赛"])
    assert highlight(text, spans) == "開展<mark>勞動競賽</mark>"


def test_parse_query_reads_quotes_exclusions_fields_and_fillers():
    parsed = parse_query("“职工书屋” -农民工 标题:报告 哪些")
    assert parsed.concepts[0] == Concept("职工书屋", exact=True)
    assert parsed.concepts[1].text == "报告" and parsed.concepts[1].title_only
    assert [concept.text for concept in parsed.excluded] == ["农民工"]


def test_overlong_query_is_refused():
    with pytest.raises(QueryError):
        parse_query("工会" * 2001)  # a pasted page of 4 000 characters is the most read


def test_unknown_filter_and_bad_year_are_refused(designed_searcher):
    with pytest.raises(QueryError):
        designed_searcher.search("工会", filters={"colour": ["red"]})
    with pytest.raises(QueryError):
        designed_searcher.search("工会", filters={"year": ["twenty"]})


def test_traditional_query_finds_simplified_text(seed_searcher):
    result = seed_searcher.search("職工療休養基地")
    assert result.hits and "职工疗休养基地" in result.hits[0].text


def test_synonyms_are_searched_with_a_lower_weight(designed_docs, tmp_path):
    # synonyms.csv: 法援 is the everyday short form of 法律援助.
    assert "法律援助" in parse_query("法援").concepts[0].synonyms
    (designed_docs / "rizhao-news.txt").write_text(
        "日照市总工会法援工作站挂牌\n2019年3月5日，日照市总工会法援工作站挂牌，为农民工讨薪提供法援服务。\n",
        encoding="utf-8",
    )
    (designed_docs / "weihai-news.txt").write_text(
        "威海市总工会法律援助进工地\n2019年6月1日，威海市总工会开展法律援助进工地，为农民工讨薪提供法律援助服务。\n",
        encoding="utf-8",
    )
    build(designed_docs, tmp_path / "index")
    searcher = Searcher(tmp_path / "index")
    try:
        sources = [hit.source for hit in searcher.search("法援").hits]
        alone = searcher.search("法援", filters={"city": ["威海"]}).hits
    finally:
        searcher.close()
    assert sources == ["rizhao-news.txt", "weihai-news.txt"]  # the word itself first, then its synonym
    assert len(alone) == 1 and "法援" not in alone[0].text and "法律援助" in alone[0].text  # found by the synonym


@pytest.mark.parametrize(("query", "variant"), [("两公里", "2公里"), ("2公里", "两公里"), ("三百五十人", "350人")])
def test_numbers_with_measure_words_are_searched_both_ways(query, variant):
    concept = parse_query(query).concepts[0]
    assert concept.text == query and variant in concept.variants


def test_numeral_variant_finds_the_other_spelling(designed_searcher):
    result = designed_searcher.search("新建驿站五十个")
    assert result.hits and "50个" in result.hits[0].text
    assert re.search(r"<mark>[^<]*50个[^<]*</mark>", result.hits[0].snippet)


def test_results_are_grouped_by_document(seed_searcher):
    result = seed_searcher.search("职工", per_page=30)
    seen, order = set(), []
    for hit in result.hits:
        if hit.doc_id not in seen:
            seen.add(hit.doc_id)
            order.append(hit.doc_id)
    blocks = [hit.doc_id for hit in result.hits]
    assert blocks == [doc_id for doc_id in order for _ in range(blocks.count(doc_id))]  # contiguous blocks
    assert all(blocks.count(doc_id) <= 3 for doc_id in order)
    assert all(hit.doc_hits >= blocks.count(hit.doc_id) for hit in result.hits)
    assert result.documents >= len(order)


def test_filters_alone_browse_newest_first(designed_searcher):
    result = designed_searcher.search("", filters={"province": ["山东"]})
    assert result.total >= 2
    assert {hit.province for hit in result.hits} == {"山东省"}


def test_a_selected_facet_keeps_the_counts_of_its_other_values(designed_searcher):
    unfiltered = {value.value: value.count for value in designed_searcher.search("工会").facets["city"]}
    filtered = designed_searcher.search("工会", filters={"city": ["临沂"]})
    assert {value.value: value.count for value in filtered.facets["city"]} == unfiltered
    assert {hit.city for hit in filtered.hits} == {"临沂市"}
    provinces = {value.value for value in filtered.facets["province"]}
    assert provinces == {"山东省"}  # other facets are narrowed by the city filter


def test_a_single_character_cut_from_a_term_ranks_but_does_not_filter(designed_searcher):
    parsed = parse_query("稳就业")
    assert [(concept.text, concept.optional) for concept in parsed.concepts] == [("稳", True), ("就业", False)]
    assert not parse_query("稳 就业").concepts[0].optional  # typed on its own, it is required
    assert designed_searcher.search("驿新建").total >= 1  # 驿 optional: 新建 alone still matches


def _page(result) -> tuple:
    return (result.total, [(hit.id, round(hit.score, 6), hit.snippet) for hit in result.hits], result.facets)


def test_repeated_query_with_other_filters_and_pages_reuses_the_scoring(seed_index):
    cached, fresh = Searcher(seed_index), Searcher(seed_index, cache_items=0)  # fresh: scored from the index
    try:
        first = cached.search("职工 工资")
        matches = cached.handle().matches
        assert matches.misses == 1 and matches.hits == 0
        variations = [
            {"query": "职工 工资"},
            {"query": "职工 工资", "filters": {"city": ["滨州"]}},
            {"query": "职工 工资", "page": 2, "per_page": 5},
            {"query": "职工 工资", "sort": "date"},
        ]
        for variation in variations:
            query = variation.pop("query")
            again = cached.search(query, **variation)
            assert _page(again) == _page(fresh.search(query, **variation))
        assert matches.hits == len(variations) and matches.misses == 1
        assert _page(cached.search("职工 工资")) == _page(first) and first.total > 5
    finally:
        cached.close()
        fresh.close()


def _matches(*pairs: tuple[float, int]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([score for score, _ in pairs], dtype=float), np.array([number for _, number in pairs])


def _listed(entry) -> list[tuple[float, int]] | None:
    return None if entry is None else list(zip(entry[0].tolist(), entry[1].tolist(), strict=True))


def test_match_cache_drops_the_least_recently_used_beyond_its_bound():
    cache = MatchCache(max_items=5)
    cache.put("a", _matches((2.0, 1), (1.0, 2)), size=2)
    cache.put("b", _matches((3.0, 7), (1.5, 8), (0.5, 9)), size=3)
    assert _listed(cache.get("a")) == [(2.0, 1), (1.0, 2)]  # now the most recent
    cache.put("c", _matches((1.0, 3)), size=1)  # 6 items > 5: "b" (least recently used) goes
    assert cache.get("b") is None and cache.get("a") is not None and _listed(cache.get("c")) == [(1.0, 3)]
    cache.put("huge", _matches(*[(1.0, number) for number in range(6)]), size=6)  # larger than the bound: not kept
    assert cache.get("huge") is None and cache.get("a") is not None


def test_a_new_generation_starts_with_an_empty_match_cache(designed_docs, tmp_path):
    build(designed_docs, tmp_path / "index")
    searcher = Searcher(tmp_path / "index")
    try:
        assert searcher.search("劳动竞赛").total == 1
        (designed_docs / "more.txt").write_text("滨州市总工会开展劳动竞赛活动。\n", encoding="utf-8")
        build(designed_docs, tmp_path / "index")
        assert searcher.search("劳动竞赛").total == 2
        assert searcher.handle().matches.hits == 0
    finally:
        searcher.close()


def test_related_passages_come_from_other_documents_as_whoosh_ranks_them(seed_index):
    seed_searcher = Searcher(seed_index, cache_items=0)
    hit = seed_searcher.search("工资集体协商").hits[0]
    related = seed_searcher.related(hit.text, exclude_doc_id=hit.doc_id)
    doc_ids = [passage.doc_id for passage in related]
    assert related and hit.doc_id not in doc_ids and len(set(doc_ids)) == len(doc_ids)
    # The same more-like-this query through Whoosh's own matchers: the best passage of each other document.
    whoosh_searcher = seed_searcher.handle().searcher()
    key_terms = whoosh_searcher.key_terms_from_text("text", hit.text, numterms=RELATED_TERMS)
    query = Q.AndNot(
        Q.Or([Q.Term("text", term) for term, _ in key_terms if len(term) > 1]), Q.Term("doc_id", hit.doc_id)
    )
    expected, seen = [], set()
    copies = [Q.Term("doc_id", copy) for group in seed_searcher.handle().duplicates.values() for copy in group]
    for result in whoosh_searcher.search(query, mask=Q.Or(copies) if copies else None, limit=None):
        if result["doc_id"] not in seen:
            seen.add(result["doc_id"])
            expected.append((result["doc_id"], round(result.score, 6)))
    assert [(passage.doc_id, round(passage.score, 6)) for passage in related] == expected[: len(related)]


def test_warm_loads_what_every_search_shares(designed_index):
    searcher = Searcher(designed_index)
    try:
        handle = searcher.handle()
        handle.warm()
        # Loaded once, kept on the handle (cached properties), before any search asks for them.
        shared = {"facet_postings", "arrays", "copies", "figure_arrays", "figure_facets", "figure_value_places"}
        assert shared <= set(vars(handle))
        before = {name: vars(handle)[name] for name in shared}
        assert searcher.search("劳动竞赛").total == 1 and searcher.figures("建会率").total >= 1
        assert all(vars(handle)[name] is value for name, value in before.items())  # nothing loaded again
    finally:
        searcher.close()


def test_a_municipality_s_short_name_filters_its_city_too():
    from indexer.query.filters import normalise_filters

    assert normalise_filters({"city": ["重庆", "北京", "济宁"]}) == {"city": ("重庆市", "北京市", "济宁市")}
    assert normalise_filters({"province": ["重庆", "山东"]}) == {"province": ("重庆市", "山东省")}
