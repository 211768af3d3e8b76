"""The numpy matcher and Whoosh's own matchers, on the same production index: the same passages, scores, order.

Whoosh reads the text channels' postings through our codec (``store.codec``) and scores them with our
ranking model (``scoring.ChannelBM25F``); the numpy matcher (``query.match``) reads the same arrays.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.qparser import QueryParser

from indexer.query import match, rank
from indexer.query.index import Index
from indexer.query.searcher import Searcher
from indexer.query.understand import understand
from indexer.store import postarrays
from indexer.store.build import build
from indexer.store.codec import IndexDamaged
from indexer.store.generations import current_generation
from indexer.store.schema import FIGURES_INDEX
from indexer.text.normalise import search_form
from webapp import create_app

from .conftest import SEEDS, SHARED
from .oracle import agrees

QUERIES = [
    "工资集体协商",
    "户外劳动者驿站",
    "农民工 工资",
    "职工代表大会",
    "劳动合同 试用期",
    "女职工 特殊保护",
    "困难职工 帮扶",
    '"职工之家"',
    "工会 -经费",
    "标题:工会",
    "建会率 70.13%",
    "2023年",
    "三八红旗手",
    "劳模 工匠 创新",
    "不存在的说法",
    "新就业形态劳动者 权益",
    "工会工会",
    "职工 OR 工人",
    "职",  # one character: every bigram it starts (a prefix)
    "会 标题:总",
]


def test_agrees_tells_a_different_ranking_from_a_near_tie():
    theirs = [(3.0, 7), (2.0 + 1e-15, 4), (2.0, 9), (1.0, 1)]

    def ours(*pairs):
        return np.array([score for score, _ in pairs]), np.array([number for _, number in pairs])

    assert agrees(theirs, ours((3.0, 7), (2.0, 4), (2.0, 9), (1.0, 1)))
    assert agrees(theirs, ours((3.0, 7), (2.0, 9), (2.0 + 1e-15, 4), (1.0, 1)))  # a near tie
    assert not agrees(theirs, ours((3.0, 7), (1.0, 1), (2.0, 4), (2.0, 9)))  # out of order
    assert not agrees(theirs, ours((3.0, 7), (2.0, 4), (2.0, 9)))  # one missing
    assert not agrees(theirs, ours((3.0, 7), (2.0, 4), (2.0, 9), (1.1, 1)))  # another score


def _queries() -> list[str]:
    found = list(QUERIES)
    for name in ("dev-queries.jsonl", "dev-questions.jsonl"):
        dev = SHARED / "eval" / name
        if dev.exists():
            found += [json.loads(line)["q"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    return found


def _ranked_queries(texts):
    """Yield (text, Whoosh query) of every query the ranking evaluates for each text."""
    for text in texts:
        for number, query in enumerate(rank.queries(understand(text))):
            yield f"{text} #{number}", query


def _composed():
    """Yield (text, Whoosh query) as the search evaluates them, for the listed and the development queries."""
    yield from _ranked_queries(_queries())


def _compare(index_dir: Path, queries) -> tuple[int, int]:
    """Compare both matchers on every query; return (queries compared, matches compared)."""
    handle = Index(index_dir, cache_items=0).handle()
    whoosh_searcher = handle.searcher()
    compared = matches = 0
    for text, whoosh_query in queries:
        theirs = whoosh_searcher.search(whoosh_query, limit=None, terms=False).top_n
        ours = match.FastMatcher(handle.arrays, whoosh_searcher).scored(whoosh_query)  # never Unsupported here
        assert agrees(theirs, ours), (text, theirs[:5], ours[0][:5], ours[1][:5])
        compared += 1
        matches += len(theirs)
    return compared, matches


def test_both_matchers_agree_on_the_seed_index(seed_index: Path):
    compared, matches = _compare(seed_index, _composed())
    assert compared >= len(QUERIES) and matches > 500


def test_both_matchers_agree_on_the_designed_index(designed_index: Path):
    compared, matches = _compare(designed_index, _composed())
    assert compared >= len(QUERIES) and matches > 20


def test_whoosh_s_own_query_parser_finds_phrases_in_the_production_index(seed_index: Path):
    handle = Index(seed_index).handle()
    searcher = handle.searcher()
    texts = {number: search_form(fields.get("text", "")) for number, fields in enumerate(searcher.all_stored_fields())}
    for phrase in ("职工书屋", "工资集体协商", "户外劳动者", "建会率"):
        query = QueryParser("grams", handle.passages.schema).parse(f'"{phrase}"')
        assert isinstance(query, Q.Phrase)
        found = {hit.docnum for hit in searcher.search(query, limit=None)}
        holding = {number for number, text in texts.items() if phrase in text.replace(" ", "")}
        assert found == holding and found, phrase
        words = QueryParser("text", handle.passages.schema).parse(f'"{phrase}"')
        assert {hit.docnum for hit in searcher.search(words, limit=None)} <= holding


def test_whoosh_s_reader_lists_terms_and_postings_of_every_positional_field(seed_index: Path):
    handle = Index(seed_index).handle()  # held: a handle no one holds closes its searchers
    reader = handle.searcher().reader()
    for fieldname in ("text", "grams", "head", "head_grams"):
        terms = list(reader.lexicon(fieldname))
        assert len(terms) > 100 and terms == sorted(terms), fieldname
        term = terms[len(terms) // 2]
        matcher = reader.postings(fieldname, term)
        assert matcher.supports("positions")
        ids = list(matcher.all_ids())
        assert ids and ids == sorted(ids) and len(ids) == reader.doc_frequency(fieldname, term)
    assert reader.frequency("text", "工会".encode()) >= reader.doc_frequency("text", "工会".encode()) > 10
    assert list(reader.expand_prefix("grams", "协")) and all(
        term.startswith("协".encode()) for term in reader.expand_prefix("grams", "协")
    )


def test_both_matchers_leave_out_deleted_passages(designed_docs: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    build(designed_docs, index_dir)
    (designed_docs / "jining-news.txt").write_text("济宁市总工会开展送温暖活动\n慰问困难职工。\n", encoding="utf-8")
    build(designed_docs, index_dir)
    with whoosh_index.open_dir(str(current_generation(index_dir))).reader() as reader:
        assert any(leaf.has_deletions() for leaf, _ in reader.leaf_readers())
    queries = list(_ranked_queries([*QUERIES, "金秋助学", "送温暖"]))
    _compare(index_dir, queries)
    searcher = Searcher(index_dir, cache_items=0)
    assert searcher.search("金秋助学").total == 0
    assert searcher.search("送温暖").total >= 2


def _grow_by_small_builds(tmp_path: Path) -> tuple[Path, Path]:
    """Build the seeds, then one small file per build (each a small segment; one file changed each time,
    leaving deletions behind) until small segments are merged; return (documents, index)."""
    documents = tmp_path / "documents"
    documents.mkdir()
    index_dir = tmp_path / "index"
    for name in sorted(path.name for path in SEEDS.iterdir() if path.is_file()):
        shutil.copy(SEEDS / name, documents / name)
    build(documents, index_dir)
    builds = 0
    segments: list = []
    while builds < len(segments) + 1 and builds < 12:
        builds += 1
        for number in {1, builds}:
            (documents / f"note-{number}.txt").write_text(
                f"第{number}号通知（第{builds}版）\n全市各级工会推进工资集体协商，建会率达到{60 + builds}%。\n",
                encoding="utf-8",
            )
        build(documents, index_dir)
        with whoosh_index.open_dir(str(current_generation(index_dir))).reader() as reader:
            segments = [leaf.segment() for leaf, _ in reader.leaf_readers()]
    assert len(segments) < builds + 1, (builds, len(segments))  # some were merged
    generation = current_generation(index_dir)
    assert all((generation / postarrays.file_name(segment)).exists() for segment in segments)
    return documents, index_dir


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> tuple[Path, Path]:
    return _grow_by_small_builds(tmp_path_factory.mktemp("grown"))


def test_merged_segments_agree_and_find_what_a_fresh_build_finds(grown, tmp_path: Path):
    documents, index_dir = grown
    compared, matches = _compare(index_dir, _composed())
    assert compared >= len(QUERIES) and matches > 500
    fresh_dir = tmp_path / "fresh"
    build(documents, fresh_dir)
    grown_searcher, fresh = Searcher(index_dir, cache_items=0), Searcher(fresh_dir, cache_items=0)
    total = 0
    for text in [*QUERIES, "第1号通知", "第12号通知"]:
        ours, theirs = grown_searcher.search(text, per_page=50).as_dict(), fresh.search(text, per_page=50).as_dict()
        assert ours["total"] == theirs["total"], text
        # Document numbers differ (other segments), and scores a little (deleted passages still count in
        # the statistics until merged away): the passages found are the same.
        assert {hit["id"] for hit in ours["results"]} == {hit["id"] for hit in theirs["results"]}, text
        total += ours["total"]
    assert total > 500


def _prefix_with(reader, fieldname: str, expansions: int) -> str:
    for term in reader.lexicon(fieldname):
        first = term.decode("utf-8")[0]
        if len(list(reader.expand_prefix(fieldname, first))) == expansions:
            return first
    raise AssertionError(f"no prefix with {expansions} terms")


def test_prefixes_score_the_sum_of_their_terms_in_both_matchers(seed_index: Path, grown):
    for index_dir in (seed_index, grown[1]):
        handle = Index(index_dir).handle()
        reader = handle.searcher().reader()
        queries = [
            Q.Or([Q.Term("grams", "职"), Q.Prefix("grams", "职", constantscore=False)]),
            Q.And([Q.Prefix("grams", "建", constantscore=False), Q.Term("text", "工会")]),
            Q.Prefix("head_grams", "总", constantscore=False),
            Q.Prefix("grams", "龘", constantscore=False),  # no term has it
            Q.Prefix("grams", _prefix_with(reader, "grams", 2), constantscore=False),
            Q.Prefix("text", "工", constantscore=False),
            Q.Or([Q.Term("grams", "职"), Q.Prefix("grams", "职", constantscore=False)], boost=0.5),
        ]
        compared, matches = _compare(index_dir, [(repr(query), query) for query in queries])
        assert matches > 100


def test_what_the_numpy_matcher_does_not_evaluate_whoosh_answers_from_the_same_postings(seed_index: Path):
    handle = Index(seed_index, cache_items=0).handle()
    searcher = handle.searcher()
    for query in (
        Q.Wildcard("grams", "职?"),
        Q.Prefix("grams", "职"),  # constant-score: not our ranking model, so Whoosh scores it
        Q.Or([Q.Term("text", "工会"), Q.Term("text", "职工")], minmatch=2),
        Q.Phrase("grams", ["集体", "协商"], slop=2),
    ):
        with pytest.raises(match.Unsupported):
            match.FastMatcher(handle.arrays, searcher).scored(query)
        theirs = searcher.search(query, limit=None, terms=False).top_n
        assert theirs and agrees(theirs, match.scored(handle.arrays, searcher, query)), query


def _figure_pages(searcher: Searcher, sort: str) -> list[dict]:
    cases = [
        ("建会率", {}, 1),
        ("滨州 建会率", {}, 1),
        ("职工", {}, 2),
        ("职工", {}, 999),  # past the last page: the last page
        ("职工", {"city": ["滨州"]}, 1),
        ("职工", {"kind": ["target"], "year": ["2016"]}, 1),
        ("会员 -农民工", {}, 1),
        ("不存在的说法 建会率", {}, 1),  # relaxed
        ("率", {}, 1),  # one character: a prefix
        ("", {"city": ["滨州"]}, 1),  # browsing by filters: every figure
    ]
    pages = [searcher.figures(text, filters=filters, page=page, sort=sort).as_dict() for text, filters, page in cases]
    pages += [searcher.figures(text, per_page=100, sort=sort).as_dict() for text in ("职工", "工会", "会")]
    return pages


@pytest.mark.parametrize("sort", ["relevance", "value", "year", "place"])
def test_figure_pages_are_the_same_when_whoosh_matches(seed_index: Path, monkeypatch, sort: str):
    ours = _figure_pages(Searcher(seed_index, cache_items=0), sort)

    def unsupported(self, query):
        raise match.Unsupported("forced: Whoosh's matchers answer")

    monkeypatch.setattr(match.FastMatcher, "scored", unsupported)
    theirs = _figure_pages(Searcher(seed_index, cache_items=0), sort)
    for mine, whoosh_s in zip(ours, theirs, strict=True):
        assert [hit["indicator"] for hit in mine["results"]] == [hit["indicator"] for hit in whoosh_s["results"]]
        assert (mine["total"], mine["page"], mine["facets"]) == (
            whoosh_s["total"],
            whoosh_s["page"],
            whoosh_s["facets"],
        )
    assert sum(page["total"] for page in ours) > 300 and any(page["relaxed"] for page in ours)


def test_an_index_that_lost_its_arrays_says_so_and_the_next_build_rebuilds_it(tmp_path: Path, caplog):
    documents, index_dir = tmp_path / "documents", tmp_path / "index"
    shutil.copytree(SEEDS, documents)
    build(documents, index_dir)
    intact = Searcher(index_dir, cache_items=0).search("工资集体协商").total
    for path in current_generation(index_dir).glob(f"MAIN*.{postarrays.SUFFIX}"):
        path.unlink()
    with caplog.at_level("ERROR"), pytest.raises(IndexDamaged, match="索引已损坏"):
        Searcher(index_dir, cache_items=0).search("工资集体协商")  # an error, never an empty answer
    with whoosh_index.open_dir(str(current_generation(index_dir))).searcher() as searcher, pytest.raises(IndexDamaged):
        searcher.search(Q.Term("text", "工会"))  # Whoosh's own reader says so too
    assert "unusable" in caplog.text  # logged for whoever runs the server
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    answer = client.get("/api/search?q=工资集体协商")
    assert answer.status_code == 503 and "重新构建" in answer.get_json()["error"]
    assert client.get("/?q=工资集体协商").status_code == 503
    summary = build(documents, index_dir)  # nothing changed, but an arrays file is missing
    assert summary.full_rebuild and not summary.up_to_date
    assert Searcher(index_dir, cache_items=0).search("工资集体协商").total == intact > 0


@pytest.mark.parametrize("damage", ["truncate", "garble", "empty"])
def test_a_damaged_arrays_file_is_an_error_not_an_empty_answer(seed_index: Path, tmp_path: Path, damage: str):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir, symlinks=True)
    generation = current_generation(index_dir)
    for path in generation.glob(f"{FIGURES_INDEX}*.{postarrays.SUFFIX}"):
        data = path.read_bytes()
        path.unlink()  # a new inode: the seed index's file stays as it was
        path.write_bytes(
            {"truncate": data[: len(data) // 2], "garble": b"FASTPST1" + b"\xff" * 64, "empty": b""}[damage]
        )
    searcher = Searcher(index_dir, cache_items=0)
    assert searcher.search("工资集体协商").total > 0  # the passages' arrays are intact
    with pytest.raises(IndexDamaged):
        searcher.figures("建会率")


def test_every_term_is_found_at_its_number(seed_index: Path):
    found = 0
    for path in current_generation(seed_index).glob(f"*.{postarrays.SUFFIX}"):
        for field in postarrays.SegmentPostings(path).fields.values():
            ends = field.term_ends.tolist()
            for number, end in enumerate(ends):
                term = field.blob[(ends[number - 1] if number else 0) : end].tobytes()
                assert field.find(term) == number
                found += 1
            assert field.find(b"\xff not a term") == -1
    assert found > 1000


CORPUS = SHARED / "corpus"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")
def test_both_matchers_agree_on_the_corpus_index(tmp_path: Path):
    build(CORPUS, tmp_path / "index")
    queries = list(_composed())
    corpus_queries = SHARED / "eval" / "dev-corpus-queries.jsonl"
    texts = [json.loads(line)["q"] for line in corpus_queries.read_text(encoding="utf-8").splitlines()]
    queries += list(_ranked_queries(texts))
    compared, matches = _compare(tmp_path / "index", queries)
    assert compared >= len(QUERIES) and matches > 10_000
