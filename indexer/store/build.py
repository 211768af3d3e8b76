"""Build or update the index: files → documents → passages → a fresh index folder, swapped in atomically.

Layout of an index directory::

    index/
      current -> gen-20261120T231500-4f2a   (symlink, replaced atomically)
      gen-…/                                  Whoosh files, manifest.json, docs/<doc_id>.json

A build reads only files whose content hash changed since the current
generation (and always everything when the schema version changed). It copies
the current generation (hard links: Whoosh never rewrites a segment file, and
files this module rewrites are replaced), deletes and re-adds what changed, commits, and only
then points ``current`` at the new folder, so a reader never sees a half-built
index. Unreadable files are skipped with their reason; the build goes on.

The files to read are split into two shares of about equal size, one per worker
process (one process for small updates). A worker reads, analyses and writes its
share as new Whoosh segments (``segments.SegmentBuilder``); the parent then
commits the deletions and all new segments in one table of contents.
"""

from __future__ import annotations

import datetime
import json
import multiprocessing
import queue as queue_module
import shutil
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from indexer.ingest import duplicates
from indexer.ingest.documents import Document, load_documents
from indexer.ingest.figures import figures_by_passage
from indexer.ingest.files import file_hash, scan
from indexer.ingest.read import ReadError, source_name
from indexer.store import postarrays
from indexer.store.generations import (
    DOCS_DIR,
    DUPLICATES,
    MANIFEST,
    current_generation,
    link_or_copy,
    new_generation_name,
    read_manifest,
    remove_old_generations,
    swap_current,
    write_text,
)
from indexer.store.schema import (
    ARRAY_FIELDS,
    ARRAY_ONLY_FIELDS,
    FIGURE_ARRAY_FIELDS,
    FIGURE_ARRAY_ONLY_FIELDS,
    FIGURES_INDEX,
    SCHEMA_VERSION,
    make_figure_schema,
    make_schema,
)
from indexer.store.segments import SegmentBuilder

# Both cores read and index (jieba and our segment writer are pure Python: processes, not threads);
# below a few MB one process is quicker than starting two.
_WORKERS = 2
_PARALLEL_MIN_BYTES = 2 << 20
# Tokens and postings a process keeps in memory before it writes a segment: about 12 bytes each as they
# are collected, about 40 while the segment is grouped and written.
_SEGMENT_POSTINGS = 16_000_000
# Segments of fewer passages are merged into one once there are this many of them.
_SMALL_SEGMENT_DOCS = 2_000
_MERGE_SMALL_AT = 8

Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, name: str) -> None:
    return None


@dataclass
class BuildSummary:
    """What a build did, for the CLI summary and for tests."""

    index_path: str = ""
    files_seen: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    documents: int = 0
    passages: int = 0
    figures: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    up_to_date: bool = False
    full_rebuild: bool = False

    def as_dict(self) -> dict:
        """Return the summary as JSON-ready data."""
        return {
            "index_path": self.index_path,
            "files_seen": self.files_seen,
            "files_read": self.files_read,
            "files_unchanged": self.files_unchanged,
            "files_removed": self.files_removed,
            "documents": self.documents,
            "passages": self.passages,
            "figures": self.figures,
            "skipped": [{"source": source, "reason": reason} for source, reason in self.skipped],
            "seconds": round(self.seconds, 3),
            "up_to_date": self.up_to_date,
            "full_rebuild": self.full_rebuild,
        }


def _document_fields(document: Document) -> dict:
    """Return the fields every passage and every figure of a document carries."""
    return {
        "doc_id": document.doc_id,
        "source": document.source,
        "title": document.title,
        "date": document.date or "",
        "year": str(document.year) if document.year else "",
        "province": document.province,
        "city": document.city,
    }


def passage_fields(document: Document) -> list[dict]:
    """Return the Whoosh field values of each passage of a document."""
    rows = []
    common = _document_fields(document)
    for passage in document.passages:
        # The heading channel: title, section path and place on every passage (三明 政府工作报告);
        # the header lines (occasion, byline: 在三明市…大会上) only on the first, as they are long.
        header = document.header if passage.ordinal == 0 else ()
        head = "\n".join(
            part for part in (document.title, *header, passage.section, document.province, document.city) if part
        )
        rows.append(
            {
                **common,
                "id": passage.id,
                "ordinal": passage.ordinal,
                "issuer": document.issuer,
                "section": passage.section,
                "doc_type": document.doc_type,
                "topic": ",".join(passage.topics),
                "topic_evidence": list(passage.topic_evidence),
                "start": passage.start,
                "text": passage.text,
                "grams": passage.text,
                "head": head,
                "head_grams": head,
            }
        )
    return rows


def figure_fields(document: Document) -> list[dict]:
    """Return the Whoosh field values of each figure of a document's passages."""
    rows = []
    common = _document_fields(document)
    context = " ".join(
        part for part in (document.title, document.province, document.city, str(document.year or "")) if part
    )
    for passage, found in zip(document.passages, figures_by_passage(document.passages), strict=True):
        for number, figure in enumerate(found):
            rows.append(
                {
                    **common,
                    "id": f"{passage.id}#{number}",
                    "passage_id": passage.id,
                    "ordinal": passage.ordinal,
                    "kind": figure.kind,
                    "unit": figure.unit,
                    "approx": figure.approx,
                    "value": float(figure.value),
                    "indicator": figure.indicator,
                    "indicator_grams": figure.indicator,
                    "context": context,
                    "sentence": figure.sentence,
                    "start": figure.start,
                    "end": figure.end,
                }
            )
    return rows


class _Segments:
    """New segments of one index, written by one process; a segment is closed every so many postings."""

    def __init__(self, ix, array_fields: tuple[str, ...] = (), array_only: tuple[str, ...] = ()):
        self._ix = ix
        self._array_fields = array_fields
        self._array_only = array_only
        self._builder: SegmentBuilder | None = None
        self.done: list = []

    def add(self, row: dict) -> None:
        if self._builder is None:
            self._builder = SegmentBuilder(
                self._ix.storage,
                self._ix.indexname,
                self._ix.schema,
                array_fields=self._array_fields,
                array_only=self._array_only,
            )
        self._builder.add_document({key: value for key, value in row.items() if value != ""})
        if self._builder.posting_count >= _SEGMENT_POSTINGS:
            self.done.append(self._builder.finish())
            self._builder = None

    def finish(self) -> list:
        if self._builder is not None:
            self.done.append(self._builder.finish())
            self._builder = None
        return self.done


def _index_files(
    paths: list[Path], documents_dir: Path, generation: Path, hashes: dict, report, reference: bool = False
) -> dict:
    """Read, analyse and write the files given into new segments of a generation (one process's share).

    Returns the manifest entries, the skipped files and the new (uncommitted) segments.
    """
    array_only = () if reference else ARRAY_ONLY_FIELDS
    passages = _Segments(whoosh_index.open_dir(str(generation)), ARRAY_FIELDS, array_only)
    figures = _Segments(
        whoosh_index.open_dir(str(generation), indexname=FIGURES_INDEX),
        FIGURE_ARRAY_FIELDS,
        () if reference else FIGURE_ARRAY_ONLY_FIELDS,
    )
    files: dict = {}
    skipped: list[tuple[str, str]] = []
    read = 0
    for path in paths:
        source = source_name(path, documents_dir)
        try:
            documents = load_documents(path, documents_dir)
        except ReadError as error:
            documents, reason = [], str(error)
        else:
            reason = "" if documents else "no text found / 未找到正文"
        if reason:
            skipped.append((source, reason))
            files[source] = {"sha1": hashes[source], "documents": [], "skipped": reason}
            report(source)
            continue
        figure_count = 0
        for document in documents:
            for row in passage_fields(document):
                passages.add(row)
            for row in figure_fields(document):
                figures.add(row)
                figure_count += 1
            record_path = generation / DOCS_DIR / f"{document.doc_id}.json"
            write_text(record_path, json.dumps(_document_record(document), ensure_ascii=False))
        files[source] = {
            "sha1": hashes[source],
            "documents": [document.doc_id for document in documents],
            "passages": sum(len(document.passages) for document in documents),
            "figures": figure_count,
            "sketches": {document.doc_id: duplicates.sketch(document.text) for document in documents},
            "lengths": {document.doc_id: len(document.text) for document in documents},
            "dated": {document.doc_id: bool(document.date) for document in documents},
        }
        read += 1
        report(source)
    return {
        "files": files,
        "skipped": skipped,
        "read": read,
        "segments": passages.finish(),
        "figure_segments": figures.finish(),
    }


def _worker(
    number: int, paths: list[Path], documents_dir: Path, generation: Path, hashes: dict, reference: bool, queue
) -> None:
    try:
        report = lambda source: queue.put(("read", source))  # noqa: E731
        result = _index_files(paths, documents_dir, generation, hashes, report, reference)
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        queue.put(("error", number, traceback.format_exc()))
    else:
        queue.put(("done", number, result))


def _partition(sizes: dict[Path, int], parts: int) -> list[list[Path]]:
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


def _index_in_parallel(
    shares: list[list[Path]],
    documents_dir: Path,
    generation: Path,
    hashes: dict,
    progress: Progress,
    total: int,
    reference: bool = False,
) -> list[dict]:
    """Run one worker process per share; relay progress; return their results in share order."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(
            target=_worker, args=(number, share, documents_dir, generation, hashes, reference, queue), daemon=True
        )
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


def _merge_small(writer, segments: list, fields: tuple[str, ...], merged: list) -> list:
    """Merge the small segments once there are several; return the segments kept as they are.

    Each update adds a small segment; merging them keeps their number bounded. Whoosh's MERGE_SMALL
    compares the running total of documents with a Fibonacci number of the segment count, which at
    twenty-odd big segments merges nearly all of them (a million passages through Whoosh's writer).
    Whoosh merges what its segments hold; the merged postings arrays (some fields have no other
    postings) are appended to ``merged`` as (documents, field arrays), written once Whoosh has
    committed the merged segment.
    """
    small = [segment for segment in segments if segment.doc_count_all() < _SMALL_SEGMENT_DOCS]
    if len(small) < _MERGE_SMALL_AT:
        return list(segments)
    folder = Path(writer.storage.folder)
    sources = []
    try:
        for segment in small:
            deleted = sorted(segment.deleted_docs()) if segment.has_deletions() else []
            postings = postarrays.SegmentPostings(folder / postarrays.file_name(segment))
            sources.append((postings, np.array(deleted, dtype=np.int64)))
        merged.append(postarrays.merge(sources, fields))
    finally:
        for postings, _ in sources:
            postings.close()
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in small]


def _commit(writer, new_segments: list, fields: tuple[str, ...]) -> None:
    """Commit a writer's deletions with the new segments added (small old segments merged)."""
    merged: list = []
    writer.commit(
        mergetype=lambda writer, segments: _merge_small(writer, segments, fields, merged) + list(new_segments)
    )
    if merged:
        doc_count, arrays = merged[0]
        segment = writer.newsegment
        if segment.doc_count_all() != doc_count:
            raise RuntimeError(f"merged segment has {segment.doc_count_all()} documents, its arrays {doc_count}")
        postarrays.write(Path(writer.storage.folder) / postarrays.file_name(segment), doc_count, arrays)


def _has_all_arrays(generation: Path) -> bool:
    """Return whether every segment of a generation has its postings arrays file (else: rebuild)."""
    for indexname in (None, FIGURES_INDEX):
        try:
            with whoosh_index.open_dir(str(generation), indexname=indexname).reader() as reader:
                if not all(
                    (generation / postarrays.file_name(segment)).is_file()
                    for _, segment, _ in postarrays.segments(reader)
                ):
                    return False
        except (OSError, ValueError, whoosh_index.EmptyIndexError):
            return False
    return True


def _document_record(document: Document) -> dict:
    record = document.summary(with_text=True)
    record["header"] = list(document.header)
    record["passage_spans"] = [
        {
            "id": passage.id,
            "ordinal": passage.ordinal,
            "start": passage.start,
            "length": len(passage.text),
            "section": passage.section,
        }
        for passage in document.passages
    ]
    return record


def build(
    documents_dir: Path,
    index_dir: Path,
    *,
    force: bool = False,
    progress: Progress = _no_progress,
    workers: int | None = None,
    reference: bool = False,
) -> BuildSummary:
    """Build or update the index of documents_dir in index_dir; return what was done.

    ``workers``: processes that read and index (default: two when there is enough to read, else one).
    ``reference``: Whoosh gets the postings of every field, ``ARRAY_ONLY_FIELDS`` too (slower): an index
    to check the fast matcher against Whoosh with (tests, ``bench/matcher.py``).
    """
    started = time.perf_counter()
    documents_dir, index_dir = Path(documents_dir), Path(index_dir)
    if not documents_dir.is_dir():
        raise FileNotFoundError(f"documents folder not found / 找不到文档目录: {documents_dir}")
    index_dir.mkdir(parents=True, exist_ok=True)
    summary = BuildSummary()
    files, skipped_now = scan(documents_dir)
    summary.files_seen = len(files) + len(skipped_now)
    hashes = {source_name(path, documents_dir): file_hash(path) for path in files}

    previous = current_generation(index_dir)
    old_manifest = read_manifest(previous) if previous else {}
    reusable = (
        not force
        and previous is not None
        and old_manifest.get("schema_version") == SCHEMA_VERSION
        and old_manifest.get("reference", False) == reference
        and _has_all_arrays(previous)
    )
    old_files: dict = old_manifest.get("files", {}) if reusable else {}
    unchanged = {source for source, digest in hashes.items() if old_files.get(source, {}).get("sha1") == digest}
    removed = set(old_files) - set(hashes)
    summary.full_rebuild = not reusable
    if reusable and len(unchanged) == len(hashes) and not removed:
        summary.up_to_date = True
        summary.index_path = str(previous)
        summary.files_unchanged = len(unchanged)
        _count_from_manifest(summary, old_manifest)
        summary.skipped = sorted(set(map(tuple, old_manifest.get("skipped_files", []))) | set(skipped_now))
        summary.seconds = time.perf_counter() - started
        return summary

    generation = index_dir / new_generation_name()
    if reusable:
        # Hard links, not copies: Whoosh never rewrites a segment file, and everything a build rewrites
        # here is replaced (new inode), so the previous generation stays intact for its readers.
        shutil.copytree(previous, generation, copy_function=link_or_copy, ignore=shutil.ignore_patterns("*WRITELOCK"))
        ix = whoosh_index.open_dir(str(generation))
        figures_ix = whoosh_index.open_dir(str(generation), indexname=FIGURES_INDEX)
    else:
        generation.mkdir()
        (generation / DOCS_DIR).mkdir()
        ix = whoosh_index.create_in(str(generation), make_schema())
        figures_ix = whoosh_index.create_in(str(generation), make_figure_schema(), indexname=FIGURES_INDEX)

    new_files: dict = {}
    skipped = list(skipped_now)
    to_read = [path for path in files if source_name(path, documents_dir) not in unchanged]
    # compound=False: one file per part, read with seek+read; a compound segment is mmapped whole by
    # every searcher (one per serving thread), which multiplies the worker's resident memory.
    writer, figures_writer = ix.writer(compound=False), figures_ix.writer(compound=False)
    try:
        for source in sorted(removed | {source_name(p, documents_dir) for p in to_read}):
            if source in old_files:
                writer.delete_by_term("source", source)
                figures_writer.delete_by_term("source", source)
                for doc_id in old_files[source].get("documents", []):
                    (generation / DOCS_DIR / f"{doc_id}.json").unlink(missing_ok=True)
        for source in unchanged:
            new_files[source] = old_files[source]
            if "skipped" in old_files[source]:
                skipped.append((source, old_files[source]["skipped"]))
        sizes = {path: path.stat().st_size for path in to_read}
        processes = workers if workers is not None else (_WORKERS if sum(sizes.values()) >= _PARALLEL_MIN_BYTES else 1)
        shares = _partition(sizes, max(1, processes))
        if len(shares) > 1:
            results = _index_in_parallel(shares, documents_dir, generation, hashes, progress, len(to_read), reference)
        else:
            reported = iter(range(1, len(to_read) + 1))
            report = lambda source: progress(next(reported), len(to_read), source)  # noqa: E731
            results = [_index_files(to_read, documents_dir, generation, hashes, report, reference)]
        for result in results:
            new_files.update(result["files"])
            skipped.extend(result["skipped"])
            summary.files_read += result["read"]
        _commit(writer, [segment for result in results for segment in result["segments"]], ARRAY_FIELDS)
        _commit(
            figures_writer,
            [segment for result in results for segment in result["figure_segments"]],
            FIGURE_ARRAY_FIELDS,
        )
    except BaseException:
        for open_writer in (writer, figures_writer):
            if not open_writer.is_closed:
                open_writer.cancel()
        raise

    manifest = {
        "schema_version": SCHEMA_VERSION,
        "reference": reference,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "documents_dir": str(documents_dir.resolve()),
        "files": new_files,
        "skipped_files": sorted(skipped),
    }
    write_text(generation / MANIFEST, json.dumps(manifest, ensure_ascii=False))
    write_duplicates(generation, new_files)
    swap_current(index_dir, generation)
    remove_old_generations(index_dir, generation)

    summary.index_path = str(generation)
    summary.files_unchanged = len(unchanged)
    summary.files_removed = len(removed)
    summary.skipped = sorted(skipped)
    _count_from_manifest(summary, manifest)
    summary.seconds = time.perf_counter() - started
    return summary


def write_duplicates(generation: Path, files: dict) -> dict[str, list[str]]:
    """Group near-duplicate documents of all files and save canonical → copies in the generation."""
    sketches, ranks = {}, {}
    for entry in files.values():
        sketches.update(entry.get("sketches", {}))
        for doc_id, length in entry.get("lengths", {}).items():
            # The canonical copy: a dated one first (its metadata is richer), then the longest.
            ranks[doc_id] = (entry.get("dated", {}).get(doc_id, False), length)
    groups = duplicates.group(sketches, ranks)
    write_text(generation / DUPLICATES, json.dumps({"groups": groups}, ensure_ascii=False))
    return groups


def _count_from_manifest(summary: BuildSummary, manifest: dict) -> None:
    files = manifest.get("files", {}).values()
    summary.documents = sum(len(entry.get("documents", [])) for entry in files)
    summary.passages = sum(entry.get("passages", 0) for entry in files)
    summary.figures = sum(entry.get("figures", 0) for entry in files)
