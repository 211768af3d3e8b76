"""Read files and write them as new segments: the work of one build process, and of two in parallel.

Parts:

* ``index_files`` — one process's share: each file read into documents (``ingest``), each document's
  passages and figures written into new segments of the passage and figure indexes
  (``SegmentBuilder``, a segment closed every ``SEGMENT_POSTINGS`` postings), its record saved; returns
  the manifest entries, the files skipped with their reasons and the new, uncommitted segments.
* ``partition`` — files split into shares of about equal bytes.
* ``index_in_parallel`` — one worker process per share (jieba loaded once in each), progress relayed,
  results returned in share order; a worker that fails stops the build with its traceback.
"""

from __future__ import annotations

import json
import multiprocessing
import queue as queue_module
import traceback
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.ingest import corrections, duplicates
from indexer.ingest.documents import Document, load_documents
from indexer.ingest.read import ReadError, source_name
from indexer.store.generations import DOCS_DIR, write_text
from indexer.store.rows import document_record, figure_fields, passage_fields
from indexer.store.schema import FIGURES_INDEX, figure_codec, passage_codec
from indexer.store.segments import SegmentBuilder

# Tokens and postings a process keeps in memory before it writes a segment: about 12 bytes each as they
# are collected, about 40 while the segment is grouped and written.
SEGMENT_POSTINGS = 16_000_000


class SegmentSeries:
    """New segments of one index, written by one process; a segment is closed every so many postings."""

    def __init__(self, ix, codec):
        self._ix = ix
        self._codec = codec
        self._builder: SegmentBuilder | None = None
        self.done: list = []

    def add(self, row: dict) -> None:
        """Add one row of field values (empty values left out)."""
        if self._builder is None:
            self._builder = SegmentBuilder(self._ix.storage, self._ix.indexname, self._ix.schema, self._codec)
        self._builder.add_document({key: value for key, value in row.items() if value != ""})
        if self._builder.posting_count >= SEGMENT_POSTINGS:
            self.done.append(self._builder.finish())
            self._builder = None

    def finish(self) -> list:
        """Write the last segment; return every segment written."""
        if self._builder is not None:
            self.done.append(self._builder.finish())
            self._builder = None
        return self.done


def index_files(paths: list[Path], documents_dir: Path, generation: Path, hashes: dict, report) -> dict:
    """Read, analyse and write the files given into new segments of a generation (one process's share).

    Returns the manifest entries, the skipped files and the new (uncommitted) segments.
    """
    passages = SegmentSeries(whoosh_index.open_dir(str(generation)), passage_codec())
    figures = SegmentSeries(whoosh_index.open_dir(str(generation), indexname=FIGURES_INDEX), figure_codec())
    files: dict = {}
    skipped: list[tuple[str, str]] = []
    read = 0
    fixes = corrections.read_corrections(documents_dir)
    for path in paths:
        source = source_name(path, documents_dir)
        try:
            documents = [
                corrections.apply(document, fixes.get(document.doc_id))
                for document in load_documents(path, documents_dir)
            ]
        except ReadError as error:
            documents, reason = [], str(error)
        else:
            reason = "" if documents else "no text found / 未找到正文"
        if reason:
            skipped.append((source, reason))
            files[source] = {"sha1": hashes[source], "documents": [], "skipped": reason}
        else:
            files[source] = {"sha1": hashes[source]} | _index_documents(documents, passages, figures, generation)
            read += 1
        report(source)
    return {
        "files": files,
        "skipped": skipped,
        "read": read,
        "segments": passages.finish(),
        "figure_segments": figures.finish(),
    }


def _index_documents(
    documents: list[Document], passages: SegmentSeries, figures: SegmentSeries, generation: Path
) -> dict:
    """Add a file's documents to the segments and save their records; return the file's manifest entry."""
    figure_count = 0
    for document in documents:
        for row in passage_fields(document):
            passages.add(row)
        for row in figure_fields(document):
            figures.add(row)
            figure_count += 1
        record_path = generation / DOCS_DIR / f"{document.doc_id}.json"
        write_text(record_path, json.dumps(document_record(document), ensure_ascii=False))
    return {
        "documents": [document.doc_id for document in documents],
        "passages": sum(len(document.passages) for document in documents),
        "figures": figure_count,
        "sketches": {document.doc_id: duplicates.sketch(document.text) for document in documents},
        "lengths": {document.doc_id: len(document.text) for document in documents},
        "dated": {document.doc_id: bool(document.date) for document in documents},
    }


def _worker(number: int, paths: list[Path], documents_dir: Path, generation: Path, hashes: dict, queue) -> None:
    try:
        report = lambda source: queue.put(("read", source))  # noqa: E731
        result = index_files(paths, documents_dir, generation, hashes, report)
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        queue.put(("error", number, traceback.format_exc()))
    else:
        queue.put(("done", number, result))


def partition(sizes: dict[Path, int], parts: int) -> list[list[Path]]:
    """Split files (path → bytes, in index order) into shares of about equal bytes, largest first to the
    lightest share; keep the order within each share."""
    shares: list[list[Path]] = [[] for _ in range(parts)]
    loads = [0] * parts
    order = {path: number for number, path in enumerate(sizes)}
    for path in sorted(sizes, key=lambda path: (-sizes[path], order[path])):
        lightest = loads.index(min(loads))
        shares[lightest].append(path)
        loads[lightest] += sizes[path]
    return [sorted(share, key=order.__getitem__) for share in shares if share]


def index_in_parallel(
    shares: list[list[Path]],
    documents_dir: Path,
    generation: Path,
    hashes: dict,
    progress,
    total: int,
) -> list[dict]:
    """Run one worker process per share; relay progress; return their results in share order."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_worker, args=(number, share, documents_dir, generation, hashes, queue), daemon=True)
        for number, share in enumerate(shares)
    ]
    for worker in workers:
        worker.start()
    results: dict[int, dict] = {}
    done = 0
    try:
        while len(results) < len(workers):
            try:
                message = queue.get(timeout=1.0)
            except queue_module.Empty:
                for number, worker in enumerate(workers):
                    if number not in results and worker.exitcode not in (None, 0):
                        raise RuntimeError(
                            f"indexing worker {number} stopped with exit code {worker.exitcode} / 索引子进程异常退出"
                        ) from None
                continue
            if message[0] == "read":
                done += 1
                progress(done, total, message[1])
            elif message[0] == "done":
                results[message[1]] = message[2]
            else:
                raise RuntimeError(f"indexing worker {message[1]} failed / 索引子进程出错:\n{message[2]}")
    finally:
        for worker in workers:
            if worker.is_alive() and len(results) < len(workers):
                worker.terminate()
            worker.join()
    return [results[number] for number in range(len(workers))]
