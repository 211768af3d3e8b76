"""Building and updating the index: summary, skipped files, incremental updates, atomic swap."""

from __future__ import annotations

import os
import time
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.query.index import Index
from indexer.query.passages import search_passages
from indexer.query.searcher import Searcher
from indexer.store.build import build
from indexer.store.generations import CURRENT, current_generation, read_manifest
from indexer.store.schema import SCHEMA_VERSION


def _passage_sources(index_dir: Path) -> set[str]:
    ix = whoosh_index.open_dir(str(current_generation(index_dir)))
    with ix.searcher() as searcher:
        return {fields["source"] for fields in searcher.all_stored_fields()}


def test_full_build_reports_files_documents_and_skips(designed_docs: Path, tmp_path: Path):
    (designed_docs / "empty.txt").write_bytes(b"")
    (designed_docs / "picture.png").write_bytes(b"\x89PNG\r\n")
    summary = build(designed_docs, tmp_path / "index")
    assert summary.full_rebuild and not summary.up_to_date
    assert summary.files_seen == 5
    assert summary.files_read == 3
    assert summary.documents == 3
    assert summary.passages >= 5
    assert [source for source, _ in summary.skipped] == ["empty.txt", "picture.png"]
    assert "empty" in dict(summary.skipped)["empty.txt"]
    assert "unsupported" in dict(summary.skipped)["picture.png"]
    generation = current_generation(tmp_path / "index")
    assert (tmp_path / "index" / CURRENT).is_symlink()
    assert read_manifest(generation)["schema_version"] == SCHEMA_VERSION


def test_rebuild_of_unchanged_documents_reads_nothing(designed_docs: Path, tmp_path: Path):
    first = build(designed_docs, tmp_path / "index")
    second = build(designed_docs, tmp_path / "index")
    assert second.up_to_date
    assert second.files_read == 0
    assert second.index_path == first.index_path
    assert (second.documents, second.passages) == (first.documents, first.passages)


def test_update_reads_only_changed_files_and_drops_deleted_ones(designed_docs: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    first = build(designed_docs, index_dir)
    (designed_docs / "jining-news.txt").unlink()
    (designed_docs / "new.txt").write_text(
        "新增文档\n滨州市总工会建成职工驿站120个，服务户外劳动者。\n", encoding="utf-8"
    )
    second = build(designed_docs, index_dir)
    assert (second.files_read, second.files_unchanged, second.files_removed) == (1, 2, 1)
    assert second.index_path != first.index_path
    assert _passage_sources(index_dir) == {"linyi-report.txt", "liaoning-gbk.txt", "new.txt"}
    assert Searcher(index_dir).search('"职工驿站"').total == 1
    assert Searcher(index_dir).search("金秋助学").total == 0


def test_readers_keep_their_generation_while_a_new_one_is_swapped_in(designed_docs: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    build(designed_docs, index_dir)
    searcher = Searcher(index_dir)
    assert searcher.search("金秋助学").total >= 1
    old = searcher.generation
    (designed_docs / "jining-news.txt").unlink()
    build(designed_docs, index_dir)
    assert old.exists()  # the previous generation is kept for readers still on it
    assert searcher.search("金秋助学").total == 0  # and the searcher moved to the new one
    assert searcher.generation != old


def test_force_rebuilds_everything(designed_docs: Path, tmp_path: Path):
    build(designed_docs, tmp_path / "index")
    forced = build(designed_docs, tmp_path / "index", force=True)
    assert forced.full_rebuild and forced.files_read == 3


def test_a_file_that_cannot_be_read_does_not_stop_the_build(designed_docs: Path, tmp_path: Path):
    (designed_docs / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    os.symlink(designed_docs / "missing.txt", designed_docs / "dangling.txt")
    summary = build(designed_docs, tmp_path / "index")
    assert summary.documents == 3
    assert set(dict(summary.skipped)) == {"binary.txt", "dangling.txt"}


def test_progress_is_reported_for_each_file_read(designed_docs: Path, tmp_path: Path):
    calls = []
    build(designed_docs, tmp_path / "index", progress=lambda done, total, name: calls.append((done, total, name)))
    assert [(done, total) for done, total, _ in calls] == [(1, 3), (2, 3), (3, 3)]


def test_old_generations_and_leftovers_of_killed_builds_are_cleaned(designed_docs: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    build(designed_docs, index_dir)
    leftover = index_dir / "gen-00000000T000000-dead00"
    leftover.mkdir()
    (leftover / "MAIN_WRITELOCK").write_text("")
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    fresh = index_dir / "gen-99999999T000000-busy00"  # maybe another build running now: kept
    fresh.mkdir()
    for number in range(4):
        (designed_docs / f"extra-{number}.txt").write_text(
            f"第{number}篇\n工会开展活动{number}次。\n", encoding="utf-8"
        )
        build(designed_docs, index_dir)
    generations = {path.name for path in index_dir.glob("gen-*")}
    assert leftover.name not in generations and fresh.name in generations
    complete = [path for path in index_dir.glob("gen-*") if (path / "manifest.json").exists()]
    assert len(complete) == 3  # the current one and two for readers still on them


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_an_update_links_unchanged_segments_and_leaves_the_previous_generation_intact(
    designed_docs: Path, tmp_path: Path
):
    index_dir = tmp_path / "index"
    build(designed_docs, index_dir)
    previous = current_generation(index_dir)
    before = _snapshot(previous)
    (designed_docs / "jining-news.txt").write_text("济宁市总工会开展职工书屋建设。\n", encoding="utf-8")
    (designed_docs / "new.txt").write_text("滨州市总工会推进户外劳动者驿站建设。\n", encoding="utf-8")
    build(designed_docs, index_dir)
    generation = current_generation(index_dir)
    assert generation != previous
    assert _snapshot(previous) == before  # nothing written through a shared link
    segment_files = [path for path in previous.glob("MAIN_*.pst")]
    assert segment_files
    for path in segment_files:
        assert (generation / path.name).stat().st_ino == path.stat().st_ino  # linked, not copied
    searcher = Searcher(index_dir)
    try:
        assert searcher.search("金秋助学").total == 0 and searcher.search("职工书屋").total == 1
        assert searcher.search("户外劳动者驿站").total == 2
    finally:
        searcher.close()


class _FakeSegment:
    def __init__(self, documents: int):
        self.documents = documents

    def doc_count_all(self) -> int:
        return self.documents


def test_big_segments_are_never_merged():
    from indexer.store.commit import merge_small

    # 27 segments of ~38 k passages (a million in all) and two small ones: Whoosh's MERGE_SMALL would
    # merge 25 of them here (its threshold grows with the segment count); ours leaves them all.
    segments = [_FakeSegment(38_000 + number) for number in range(27)] + [_FakeSegment(5), _FakeSegment(40)]
    assert merge_small(writer=None, segments=segments) == segments


def test_a_handle_keeps_its_generation_while_a_new_one_is_swapped_in(designed_docs: Path, tmp_path: Path):
    index_dir = tmp_path / "index"
    build(designed_docs, index_dir)
    index = Index(index_dir, cache_items=0)
    try:
        handle = index.handle()  # what a request pins before it searches
        (designed_docs / "jining-news.txt").unlink()
        build(designed_docs, index_dir)  # a build swaps in a generation without that document meanwhile
        during = search_passages(handle, "金秋助学")
        assert during.total >= 1
        assert handle.document(during.hits[0].doc_id)["title"] == during.hits[0].title  # the same generation
        assert search_passages(index.handle(), "金秋助学").total == 0  # the next request is on the new one
        assert index.handle().generation != handle.generation
    finally:
        index.close()


def test_a_second_build_waits_for_the_first(tmp_path):
    import fcntl
    import threading

    from indexer.store.build import BUILD_LOCK

    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "a.txt").write_text("标题\n全市工会推进工资集体协商。\n", encoding="utf-8")
    index = tmp_path / "index"
    index.mkdir()
    finished = threading.Event()
    with open(index / BUILD_LOCK, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build holds the index
        worker = threading.Thread(target=lambda: (build(documents, index), finished.set()))
        worker.start()
        assert not finished.wait(0.5)  # it waits
    worker.join(timeout=60)
    assert finished.is_set() and build(documents, index).up_to_date
