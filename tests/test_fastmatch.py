"""The numpy matcher over postings arrays gives Whoosh's own matches, scores and order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from indexer.query.phrase import ContiguousPhrase
from whoosh import index as whoosh_index
from whoosh import query as Q

from indexer.query import fastmatch, figure_search
from indexer.query.figure_search import SORTS, search_figures
from indexer.query.searcher import Searcher, parse_query
from indexer.store import postarrays
from indexer.store.build import build
from indexer.store.generations import current_generation
from indexer.store.schema import (
    ARRAY_FIELDS,
    ARRAY_ONLY_FIELDS,
    FIGURE_ARRAY_FIELDS,
    FIGURE_ARRAY_ONLY_FIELDS,
    FIGURES_INDEX,
)

from .conftest import SEEDS, SHARED

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


def _queries() -> list[str]:
    found = list(QUERIES)
    dev = SHARED / "eval" / "dev-queries.jsonl"
    if dev.exists():
        found += [json.loads(line)["q"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    return found


def _whoosh_queries(searcher: Searcher):
    """Yield (text, Whoosh query) as the search composes them: required words, then with all words optional."""
    for text in _queries():
        parsed = parse_query(text)
        if not parsed.concepts:
            continue
        required = [concept for concept in parsed.concepts if not concept.optional] or parsed.concepts
        yield text, searcher._compose(parsed, required, [])
        if len(required) > 1:
            yield text + " (relaxed)", searcher._compose(parsed, required[:1], required[1:])


def _compare(searcher: Searcher) -> tuple[int, int]:
    """Compare both matchers on every query; return (queries compared, matches compared)."""
    whoosh_searcher = searcher.searcher()
    queries = matches = 0
    for text, whoosh_query in _whoosh_queries(searcher):
        theirs = whoosh_searcher.search(whoosh_query, limit=None, terms=False).top_n
        # Every query the search composes is the fast matcher's (single characters too: prefixes).
        ours = fastmatch.FastMatcher(searcher.arrays(), whoosh_searcher).scored(whoosh_query)
        assert fastmatch.agrees(theirs, ours), (text, theirs[:5], ours[:5])
        queries += 1
        matches += len(theirs)
    return queries, matches


def test_fast_matcher_equals_whoosh_on_the_seed_index(reference_seed_index: Path):
    queries, matches = _compare(Searcher(reference_seed_index, cache_items=0))
    assert queries >= len(QUERIES)
    assert matches > 500


def _compare_key_terms(searcher: Searcher) -> int:
    """Compare more-like-this key terms of passages, the arrays' statistics against Whoosh's."""
    whoosh_searcher = searcher.searcher()
    matcher = fastmatch.FastMatcher(searcher.arrays(), whoosh_searcher)
    compared = 0
    for number in range(0, whoosh_searcher.doc_count_all(), 7):
        text = whoosh_searcher.stored_fields(number).get("text", "")
        theirs = whoosh_searcher.key_terms_from_text("text", text, numterms=12)
        assert matcher.key_terms("text", text, 12) == theirs, number
        compared += len(theirs)
    return compared


def test_key_terms_from_the_arrays_are_whoosh_s(reference_seed_index: Path):
    assert _compare_key_terms(Searcher(reference_seed_index, cache_items=0)) > 200


def test_fast_matcher_leaves_out_deleted_passages(designed_docs: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    build(designed_docs, index_dir, reference=True)
    (designed_docs / "jining-news.txt").write_text("济宁市总工会开展送温暖活动\n慰问困难职工。\n", encoding="utf-8")
    build(designed_docs, index_dir, reference=True)
    searcher = Searcher(index_dir, cache_items=0)
    with whoosh_index.open_dir(str(current_generation(index_dir))).reader() as reader:
        assert any(leaf.has_deletions() for leaf, _ in reader.leaf_readers())
    whoosh_searcher = searcher.searcher()
    for text in ("困难职工", "金秋助学", "总工会", "送温暖"):
        query = searcher._compose(parse_query(text), parse_query(text).concepts, [])
        theirs = whoosh_searcher.search(query, limit=None, terms=False).top_n
        assert fastmatch.agrees(theirs, fastmatch.FastMatcher(searcher.arrays(), whoosh_searcher).scored(query)), text
    assert searcher.search("金秋助学").total == 0
    assert searcher.search("送温暖").total >= 2


def derive_missing_arrays(generation: Path) -> int:
    """Write the arrays of segments that lack them, read back from their Whoosh postings; return how many.

    Possible where Whoosh holds the postings: a reference build.
    """
    written = 0
    for indexname, fields, only in (
        (None, ARRAY_FIELDS, ARRAY_ONLY_FIELDS),
        (FIGURES_INDEX, FIGURE_ARRAY_FIELDS, FIGURE_ARRAY_ONLY_FIELDS),
    ):
        with whoosh_index.open_dir(str(generation), indexname=indexname).reader() as reader:
            for leaf, segment, _ in postarrays.segments(reader):
                path = generation / postarrays.file_name(segment)
                if not path.exists():
                    if not all(name in leaf.indexed_field_names() for name in only):
                        raise RuntimeError(f"segment {segment.segment_id()} has lost its postings arrays")
                    postarrays.write(path, leaf.doc_count_all(), postarrays.derive(leaf, fields))
                    written += 1
    return written


_ARRAY_KEYS = (
    "keys",
    "term_ends",
    "blob",
    "post_starts",
    "docnums",
    "tfs",
    "pos_starts",
    "positions",
    "lengths",
    "by_term",
)


def _arrays_of(path: Path) -> dict:
    postings = postarrays.SegmentPostings(path)
    out = {}
    for name, field in postings.fields.items():
        for key in _ARRAY_KEYS:
            out[name, key] = np.asarray(field.whole(key)).astype(np.int64)
    return out


def test_arrays_read_back_from_whoosh_equal_the_arrays_written(reference_seed_index: Path, tmp_path: Path):
    generation = tmp_path / "generation"
    shutil.copytree(current_generation(reference_seed_index), generation)
    written = sorted(generation.glob(f"*.{postarrays.SUFFIX}"))
    assert any(path.name.startswith(FIGURES_INDEX) for path in written)
    assert any(not path.name.startswith(FIGURES_INDEX) for path in written)
    originals = {path.name: _arrays_of(path) for path in written}
    for path in written:
        path.unlink()
    assert derive_missing_arrays(generation) == len(written)
    for path in written:
        derived = _arrays_of(path)
        assert derived.keys() == originals[path.name].keys()
        expected = FIGURE_ARRAY_FIELDS if path.name.startswith(FIGURES_INDEX) else ARRAY_FIELDS
        assert {name for name, _ in derived} == set(expected)
        for key, values in originals[path.name].items():
            assert np.array_equal(derived[key], values), key


def _grow_by_small_builds(tmp_path: Path, reference: bool) -> tuple[Path, Path]:
    """Build the seeds, then one small file per build (each a small segment; one file changed each time,
    leaving deletions behind) until small segments are merged; return (documents, index)."""
    documents = tmp_path / "documents"
    documents.mkdir()
    index_dir = tmp_path / "index"
    for name in sorted(path.name for path in SEEDS.iterdir() if path.is_file()):
        shutil.copy(SEEDS / name, documents / name)
    build(documents, index_dir, reference=reference)
    builds = 0
    segments: list = []
    while builds < len(segments) + 1 and builds < 12:
        builds += 1
        for number in {1, builds}:
            (documents / f"note-{number}.txt").write_text(
                f"第{number}号通知（第{builds}版）\n全市各级工会推进工资集体协商，建会率达到{60 + builds}%。\n",
                encoding="utf-8",
            )
        build(documents, index_dir, reference=reference)
        with whoosh_index.open_dir(str(current_generation(index_dir))).reader() as reader:
            segments = [leaf.segment() for leaf, _ in reader.leaf_readers()]
    assert len(segments) < builds + 1, (builds, len(segments))  # some were merged
    generation = current_generation(index_dir)
    assert all((generation / postarrays.file_name(segment)).exists() for segment in segments)
    return documents, index_dir


def test_merged_segments_get_arrays_whoosh_agrees_with(tmp_path: Path):
    _, index_dir = _grow_by_small_builds(tmp_path, reference=True)
    queries, matches = _compare(Searcher(index_dir, cache_items=0))
    assert queries >= len(QUERIES) and matches > 500
    assert _compare_key_terms(Searcher(index_dir, cache_items=0)) > 200  # summed over segments
    # The arrays merged from the small segments' arrays are those read back from Whoosh's merge.
    generation = tmp_path / "copy"
    shutil.copytree(current_generation(index_dir), generation)
    written = {path.name: _arrays_of(path) for path in generation.glob(f"*.{postarrays.SUFFIX}")}
    for path in generation.glob(f"*.{postarrays.SUFFIX}"):
        path.unlink()
    assert derive_missing_arrays(generation) == len(written)
    for name, arrays in written.items():
        derived = _arrays_of(generation / name)
        assert derived.keys() == arrays.keys()
        for key, values in arrays.items():
            assert np.array_equal(derived[key], values), (name, key)


def test_an_index_grown_by_merged_updates_finds_what_a_fresh_build_finds(tmp_path: Path):
    documents, index_dir = _grow_by_small_builds(tmp_path, reference=False)
    fresh_dir = tmp_path / "fresh"
    build(documents, fresh_dir)
    grown, fresh = Searcher(index_dir, cache_items=0), Searcher(fresh_dir, cache_items=0)
    compared = 0
    for text in [*QUERIES, "第1号通知", "第12号通知"]:
        ours, theirs = grown.search(text, per_page=50).as_dict(), fresh.search(text, per_page=50).as_dict()
        assert ours["total"] == theirs["total"], text
        # Document numbers differ (other segments), and scores a little (deleted passages still count in
        # Whoosh's statistics until merged away): the passages found are the same.
        assert {hit["id"] for hit in ours["results"]} == {hit["id"] for hit in theirs["results"]}, text
        compared += ours["total"]
    assert compared > 500


PREFIX_QUERIES = [
    Q.Or([Q.Term("grams", "职"), Q.Prefix("grams", "职")]),
    Q.And([Q.Prefix("grams", "建", boost=0.5), Q.Term("text", "工会")]),
    Q.Prefix("head_grams", "总"),
    Q.Prefix("grams", "龘"),  # no term has it
]


def _prefix_with(reader, fieldname: str, expansions: int) -> str:
    for term in reader.lexicon(fieldname):
        first = term.decode("utf-8")[0]
        if len(list(reader.expand_prefix(fieldname, first))) == expansions:
            return first
    raise AssertionError(f"no prefix with {expansions} terms")


@pytest.mark.parametrize(
    ("documents", "too_many"),
    [(None, 1024), (10_000, 1024), (10_000, 3)],
    ids=["small index: constant score", "big index: scored", "too many terms: constant score"],
)
def test_prefix_queries_are_scored_as_whoosh_scores_them(reference_seed_index: Path, monkeypatch, documents, too_many):
    searcher = Searcher(reference_seed_index, cache_items=0)  # its own: Whoosh caches idf per searcher
    whoosh_searcher = searcher.searcher()
    reader = whoosh_searcher.reader()
    queries = [
        *PREFIX_QUERIES,
        Q.Prefix("grams", _prefix_with(reader, "grams", 1), boost=0.5),
        Q.Prefix("grams", _prefix_with(reader, "grams", 2), boost=0.5),  # Whoosh scores two terms anyway
        Q.Prefix("text", "工"),
    ]
    # Whoosh ORs a prefix's terms with one constant score in segments of up to 5 000 documents (the
    # seeds) or from TOO_MANY_CLAUSES terms on; otherwise it sums their BM25F scores.
    if documents:
        monkeypatch.setattr(type(whoosh_searcher), "doc_count_all", lambda self: documents)
        for segment in searcher.arrays().segments:  # Whoosh decides by the segment's size
            monkeypatch.setattr(segment.postings, "doc_count", documents)
    monkeypatch.setattr(Q.Or, "TOO_MANY_CLAUSES", too_many)
    compared = 0
    for query in queries:
        theirs = whoosh_searcher.search(query, limit=None, terms=False).top_n
        ours = fastmatch.FastMatcher(searcher.arrays(), whoosh_searcher).scored(query)
        assert fastmatch.agrees(theirs, ours), query
        compared += len(theirs)
    assert compared > 100
    searcher.close()


def test_unsupported_queries_are_scored_by_whoosh(reference_seed_index: Path):
    searcher = Searcher(reference_seed_index, cache_items=0)
    whoosh_searcher = searcher.searcher()
    wildcard = Q.Wildcard("grams", "职?")
    with pytest.raises(fastmatch.Unsupported):
        fastmatch.FastMatcher(searcher.arrays(), whoosh_searcher).scored(wildcard)
    theirs = whoosh_searcher.search(wildcard, limit=None, terms=False).top_n
    assert theirs and fastmatch.agrees(theirs, searcher.scored(wildcard))


def test_a_segment_without_arrays_falls_back_to_whoosh(reference_seed_index: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    shutil.copytree(reference_seed_index, index_dir, symlinks=True)
    generation = current_generation(index_dir)
    for path in generation.glob(f"*.{postarrays.SUFFIX}"):
        path.unlink()
    searcher = Searcher(index_dir, cache_items=0)
    assert not searcher.arrays().complete
    query = ContiguousPhrase("grams", ["集体", "体协", "协商"])
    theirs = searcher.searcher().search(query, limit=None, terms=False).top_n
    assert theirs and fastmatch.agrees(theirs, searcher.scored(query))
    assert searcher.search("工资集体协商").total > 0


def test_agrees_tells_a_different_ranking_from_a_near_tie():
    theirs = [(3.0, 7), (2.0 + 1e-15, 4), (2.0, 9), (1.0, 1)]

    def ours(*pairs):
        return np.array([score for score, _ in pairs]), np.array([number for _, number in pairs])

    assert fastmatch.agrees(theirs, ours((3.0, 7), (2.0, 4), (2.0, 9), (1.0, 1)))
    assert fastmatch.agrees(theirs, ours((3.0, 7), (2.0, 9), (2.0 + 1e-15, 4), (1.0, 1)))  # a near tie
    assert not fastmatch.agrees(theirs, ours((3.0, 7), (1.0, 1), (2.0, 4), (2.0, 9)))  # out of order
    assert not fastmatch.agrees(theirs, ours((3.0, 7), (2.0, 4), (2.0, 9)))  # one missing
    assert not fastmatch.agrees(theirs, ours((3.0, 7), (2.0, 4), (2.0, 9), (1.1, 1)))  # another score


FIGURE_CASES = [
    ("建会率", {}, 1),
    ("滨州 建会率", {}, 1),
    ("工资集体协商", {}, 1),
    ("职工", {}, 1),
    ("职工", {}, 2),
    ("职工", {}, 999),  # past the last page: Whoosh's page number is the last one
    ("职工", {"city": ["滨州"]}, 1),
    ("职工", {"kind": ["target"], "year": ["2016"]}, 1),
    ("农民工 工资", {}, 1),
    ("会员 -农民工", {}, 1),
    ("困难职工 帮扶 资金", {}, 1),
    ("新建驿站", {}, 1),
    ("不存在的说法 建会率", {}, 1),  # relaxed
    ("不存在的说法", {}, 1),
    ("率", {}, 1),  # one character: a prefix
    ("率", {"city": ["滨州"]}, 1),
    ("", {"city": ["滨州"]}, 1),  # browsing by filters: every figure
    ("", {"year": ["2015", "2019"]}, 2),
]


def _figure_pages(searcher: Searcher, sort: str) -> list[dict]:
    pages = []
    for text, filters, page in FIGURE_CASES:
        pages.append(search_figures(searcher, text, filters=filters, page=page, sort=sort).as_dict())
    for text in ("职工", "工会", "会"):  # long pages: the whole order
        pages.append(search_figures(searcher, text, per_page=100, sort=sort).as_dict())
    return pages


@pytest.mark.parametrize("sort", ["relevance", "value", "year", "place"])
def test_figure_pages_are_whoosh_s_own(reference_seed_index: Path, monkeypatch, sort: str):
    seed_searcher = Searcher(reference_seed_index, cache_items=0)
    ours = _figure_pages(seed_searcher, sort)
    monkeypatch.setattr(figure_search, "_fast_page", lambda *args: None)  # Whoosh's search_page answers
    theirs = _figure_pages(seed_searcher, sort)
    assert ours == theirs
    assert sum(page["total"] for page in ours) > 300 and any(page["relaxed"] for page in ours)
    assert any(hit["year"] is None for page in ours for hit in page["results"])  # figures with no year too


def test_figure_pages_of_several_segments_are_whoosh_s_own(tmp_path: Path, monkeypatch):
    _, index_dir = _grow_by_small_builds(tmp_path, reference=True)
    searcher = Searcher(index_dir, cache_items=0)
    with whoosh_index.open_dir(str(current_generation(index_dir)), indexname=FIGURES_INDEX).reader() as reader:
        assert len(reader.leaf_readers()) > 1
    ours = {sort: _figure_pages(searcher, sort) for sort in SORTS}
    monkeypatch.setattr(figure_search, "_fast_page", lambda *args: None)
    assert ours == {sort: _figure_pages(searcher, sort) for sort in SORTS}


def test_an_index_that_lost_its_arrays_says_so_and_the_next_build_rebuilds_it(tmp_path: Path, caplog):
    documents, index_dir = tmp_path / "documents", tmp_path / "index"
    shutil.copytree(SEEDS, documents)
    build(documents, index_dir)
    intact = Searcher(index_dir, cache_items=0).search("工资集体协商").total
    for path in current_generation(index_dir).glob(f"MAIN*.{postarrays.SUFFIX}"):
        path.unlink()
    searcher = Searcher(index_dir, cache_items=0)
    with caplog.at_level("ERROR", logger="indexer.query.fastmatch"):
        assert not searcher.arrays().complete
    assert "rebuild the index with --force" in caplog.text
    # Whoosh holds no postings of the passage channels: the search answers, with nothing.
    assert searcher.search("工资集体协商").total == 0
    summary = build(documents, index_dir)  # nothing changed, but an arrays file is missing
    assert summary.full_rebuild and not summary.up_to_date
    assert Searcher(index_dir, cache_items=0).search("工资集体协商").total == intact > 0


@pytest.mark.parametrize("damage", ["truncate", "garble", "empty"])
def test_a_damaged_arrays_file_falls_back_to_whoosh(reference_seed_index: Path, tmp_path: Path, damage: str):
    index_dir = tmp_path / "index"
    shutil.copytree(reference_seed_index, index_dir, symlinks=True)
    generation = current_generation(index_dir)
    expected = Searcher(reference_seed_index, cache_items=0).search("工资集体协商").as_dict()
    for path in generation.glob(f"MAIN*.{postarrays.SUFFIX}"):
        data = path.read_bytes()
        path.unlink()  # a new inode: the seed index's file stays as it was
        path.write_bytes(
            {"truncate": data[: len(data) // 2], "garble": b"FASTPST1" + b"\xff" * 64, "empty": b""}[damage]
        )
    searcher = Searcher(index_dir, cache_items=0)
    assert not searcher.arrays().complete
    found = searcher.search("工资集体协商").as_dict()
    assert found["total"] == expected["total"] > 0
    assert [hit["id"] for hit in found["results"]] == [hit["id"] for hit in expected["results"]]


def test_every_term_is_found_at_its_number(seed_index: Path):
    found = 0
    for path in current_generation(seed_index).glob(f"*.{postarrays.SUFFIX}"):
        for field in postarrays.SegmentPostings(path).fields.values():
            ends = field.term_ends.tolist()
            for number, end in enumerate(ends):
                term = field.blob[(ends[number - 1] if number else 0) : end].tobytes()
                assert field.find(term) == number
                found += 1
            assert field.find("不在索引里的词语".encode()) == -1
    assert found > 10_000
