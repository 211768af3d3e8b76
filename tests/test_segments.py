"""The fast segment writer against Whoosh's own writer, and the two-process build against the one-process build."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer.ingest.documents import load_documents
from indexer.query.searcher import Searcher
from indexer.store import indexing
from indexer.store.build import build
from indexer.store.generations import current_generation
from indexer.store.rows import figure_fields, passage_fields
from indexer.store.schema import FIGURES_INDEX, figure_codec, make_figure_schema, make_schema, passage_codec
from indexer.store.segments import SegmentBuilder

from .conftest import SEEDS


def _seed_rows(make_rows) -> list[dict]:
    rows = []
    for path in sorted(SEEDS.iterdir()):
        for document in load_documents(path, SEEDS):
            rows.extend({key: value for key, value in row.items() if value != ""} for row in make_rows(document))
    return rows


def _whoosh_writer_index(folder: Path, schema, rows: list[dict], codec):
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema)
    with ix.writer(codec=codec) as writer:
        for row in rows:
            writer.add_document(**row)
    return ix


@contextlib.contextmanager
def _write_all(tmp_path: Path, schema, rows: list[dict], codec):
    """Index rows three ways; yield their readers: SegmentBuilder through our codec, Whoosh's own writer
    through our codec, and Whoosh's own writer and codec (postings in Whoosh's blocks: the reference)."""
    ours = tmp_path / "ours"
    ours.mkdir()
    ours_ix = whoosh_index.create_in(str(ours), schema)
    builder = SegmentBuilder(ours_ix.storage, ours_ix.indexname, ours_ix.schema, codec)
    for row in rows:
        builder.add_document(row)
    segment = builder.finish()
    ours_ix.writer(codec=codec).commit(mergetype=lambda writer, segments: [segment])
    whoosh_ix = _whoosh_writer_index(tmp_path / "whoosh-writer", schema, rows, codec)
    theirs_ix = _whoosh_writer_index(tmp_path / "theirs", schema, rows, None)
    with ours_ix.reader() as ours_reader, whoosh_ix.reader() as whoosh_reader, theirs_ix.reader() as theirs_reader:
        yield ours_reader, whoosh_reader, theirs_reader


def _postings(reader, fieldname: str, term: bytes) -> list:
    matcher = reader.postings(fieldname, term)
    fmt = reader.schema[fieldname].format
    rows = []
    while matcher.is_active():
        value = matcher.value_as("positions") if fmt.supports("positions") else None
        rows.append((matcher.id(), matcher.weight(), value))
        matcher.next()
    return rows


@pytest.mark.parametrize(
    ("schema", "make_rows", "codec"),
    [(make_schema, passage_fields, passage_codec), (make_figure_schema, figure_fields, figure_codec)],
)
def test_segment_builder_and_whoosh_s_writer_write_what_whoosh_writes(tmp_path: Path, schema, make_rows, codec):
    rows = _seed_rows(make_rows)
    assert len(rows) > 100
    with _write_all(tmp_path, schema(), rows, codec()) as (ours, whoosh_writer, theirs):
        assert set(codec().array_fields) <= set(ours.indexed_field_names())
        _assert_same_index(ours, theirs, len(rows))
        _assert_same_index(whoosh_writer, theirs, len(rows))


def _assert_same_index(ours, theirs, count: int) -> None:
    assert ours.doc_count() == theirs.doc_count() == count
    terms = list(theirs.all_terms())
    assert list(ours.all_terms()) == terms
    for fieldname, term in terms:
        assert _postings(ours, fieldname, term) == _postings(theirs, fieldname, term), (fieldname, term)
        ours_info, theirs_info = ours.term_info(fieldname, term), theirs.term_info(fieldname, term)
        for statistic in ("weight", "doc_frequency", "min_length", "max_length", "max_weight", "min_id", "max_id"):
            assert getattr(ours_info, statistic)() == getattr(theirs_info, statistic)(), (fieldname, term, statistic)
    scorable = [name for name, field in theirs.schema.items() if field.scorable]
    for docnum in range(theirs.doc_count()):
        assert ours.stored_fields(docnum) == theirs.stored_fields(docnum)
        for name in scorable:
            assert ours.doc_field_length(docnum, name) == theirs.doc_field_length(docnum, name)
    for name in scorable:
        assert ours.field_length(name) == theirs.field_length(name)
        assert ours.max_field_length(name) == theirs.max_field_length(name)
    for name, field in theirs.schema.items():
        if field.column_type:
            assert list(ours.column_reader(name)) == list(theirs.column_reader(name)), name


def test_segment_builder_splits_long_posting_lists_into_blocks(tmp_path: Path):
    rows = [{"id": f"p{number}", "text": f"工资集体协商 第{number}次", "grams": "协商"} for number in range(300)]
    with _write_all(tmp_path, make_schema(), rows, passage_codec()) as (ours, _, theirs):
        term = "工资集体协商".encode()
        assert len(_postings(ours, "text", term)) == 300
        assert _postings(ours, "text", term) == _postings(theirs, "text", term)
        assert [docnum for docnum, _, _ in _postings(ours, "grams", "协商".encode())] == list(range(300))


def _results(index_dir: Path, query: str, **filters) -> tuple[list[tuple[str, str]], int, dict]:
    searcher = Searcher(index_dir)
    try:
        result = searcher.search(query, filters=filters, per_page=50)
        return [(hit.id, hit.snippet) for hit in result.hits], result.total, result.facets
    finally:
        searcher.close()


def test_two_worker_build_finds_what_one_process_finds(tmp_path: Path):
    documents = tmp_path / "documents"
    shutil.copytree(SEEDS, documents)
    one = build(documents, tmp_path / "one", workers=1)
    two = build(documents, tmp_path / "two", workers=2)
    assert (two.documents, two.passages, two.figures) == (one.documents, one.passages, one.figures)
    assert two.files_read == one.files_read == len(list(SEEDS.iterdir()))
    for query, filters in [("工资集体协商", {}), ("建会率", {"city": ["滨州"]}), ("户外劳动者", {}), ("农民工", {})]:
        ids_one, total_one, facets_one = _results(tmp_path / "one", query, **filters)
        ids_two, total_two, facets_two = _results(tmp_path / "two", query, **filters)
        assert total_two == total_one > 0
        assert sorted(ids_two) == sorted(ids_one)
        assert facets_two == facets_one
    # Both processes wrote segments of both indexes.
    generation = current_generation(tmp_path / "two")
    for indexname in ("MAIN", FIGURES_INDEX):
        with whoosh_index.open_dir(str(generation), indexname=indexname).reader() as reader:
            assert len(reader.leaf_readers()) == 2


def test_a_failing_worker_fails_the_build_and_keeps_the_index(tmp_path: Path, monkeypatch):
    documents = tmp_path / "documents"
    shutil.copytree(SEEDS, documents)
    build(documents, tmp_path / "index", workers=2)
    before = current_generation(tmp_path / "index")
    (documents / "new.txt").write_text("新就业形态劳动者权益保障\n", encoding="utf-8")
    (documents / "another.txt").write_text("职工书屋建设\n", encoding="utf-8")

    def broken(path, root):
        raise MemoryError("simulated")

    monkeypatch.setattr(indexing, "load_documents", broken)  # forked workers inherit it
    with pytest.raises(RuntimeError, match="indexing worker"):
        build(documents, tmp_path / "index", workers=2)
    assert current_generation(tmp_path / "index") == before
