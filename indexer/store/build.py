"""Build or update the index: files → documents → passages → a fresh index generation, swapped in atomically.

A build reads only files whose content hash changed since the current generation (and everything when
the schema version changed or the previous generation cannot be reused). Its steps:

1. ``_plan`` — scan the documents folder, hash the files, compare with the current generation's manifest;
2. ``_start_generation`` — a new generation folder: the current one copied (hard links: Whoosh never
   rewrites a segment file, and files rewritten here are replaced), or empty indexes;
3. ``_index_changes`` — delete what changed or went, read and write what is new as segments (two worker
   processes when there is enough to read, ``indexing``), commit them (``commit``: small segments merged);
4. ``_finish_generation`` — the manifest and duplicate groups written, ``current`` swapped to the new
   generation (a reader never sees a half-built index), old generations removed.

Unreadable files are skipped with their reason; the build goes on.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.ingest import corrections, duplicates
from indexer.ingest.files import file_hash, scan
from indexer.ingest.read import source_name
from indexer.store import postarrays
from indexer.store.commit import commit
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
from indexer.store.indexing import index_files, index_in_parallel, partition
from indexer.store.schema import (
    FIGURES_INDEX,
    SCHEMA_VERSION,
    figure_codec,
    make_figure_schema,
    make_schema,
    passage_codec,
)

_log = logging.getLogger("indexer.store.build")
# Both cores read and index (jieba and our segment writer are pure Python: processes, not threads);
# below a few MB one process is quicker than starting two.
_WORKERS = 2
_PARALLEL_MIN_BYTES = 2 << 20

Progress = Callable[[int, int, str], None]
BUILD_LOCK = ".build.lock"


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


@dataclass
class _Plan:
    """What a build finds before it writes anything: the files, what changed, what can be reused."""

    files: list[Path]
    skipped_now: list[tuple[str, str]]
    hashes: dict[str, str]
    previous: Path | None
    old_manifest: dict
    reusable: bool
    unchanged: set[str]
    removed: set[str]

    @property
    def old_files(self) -> dict:
        return self.old_manifest.get("files", {}) if self.reusable else {}

    @property
    def up_to_date(self) -> bool:
        return self.reusable and len(self.unchanged) == len(self.hashes) and not self.removed


def _plan(documents_dir: Path, index_dir: Path, *, force: bool) -> _Plan:
    files, skipped_now = scan(documents_dir)
    fixes = corrections.read_corrections(documents_dir)
    # A file's corrections count in its hash: when they change, the file is read again.
    hashes = {
        source: file_hash(path) + corrections.digest(fixes, source)
        for path in files
        for source in (source_name(path, documents_dir),)
    }
    previous = current_generation(index_dir)
    old_manifest = read_manifest(previous) if previous else {}
    reusable = (
        not force
        and previous is not None
        and old_manifest.get("schema_version") == SCHEMA_VERSION
        and _readable(previous)
    )
    old_files = old_manifest.get("files", {}) if reusable else {}
    unchanged = {source for source, digest in hashes.items() if old_files.get(source, {}).get("sha1") == digest}
    return _Plan(files, skipped_now, hashes, previous, old_manifest, reusable, unchanged, set(old_files) - set(hashes))


def _readable(generation: Path) -> bool:
    """Return whether a generation's indexes open and every segment has its arrays file (else: rebuild)."""
    for indexname in (None, FIGURES_INDEX):
        try:
            with whoosh_index.open_dir(str(generation), indexname=indexname).reader() as reader:
                for _, segment, _ in postarrays.segments(reader):
                    if not (generation / postarrays.file_name(segment)).is_file():
                        _log.error("%s has no postings arrays file: the index is rebuilt", segment.segment_id())
                        return False
        except Exception as error:  # noqa: BLE001 - any reason it cannot be read means: build it anew
            _log.warning("previous index generation %s cannot be reused (%s): full rebuild", generation, error)
            return False
    return True


def _start_generation(index_dir: Path, plan: _Plan) -> tuple[Path, object, object]:
    """Return a new generation folder with its passage and figure indexes (the previous one copied, or empty)."""
    generation = index_dir / new_generation_name()
    if plan.reusable:
        # Hard links, not copies: Whoosh never rewrites a segment file, and everything a build rewrites
        # here is replaced (new inode), so the previous generation stays intact for its readers.
        shutil.copytree(
            plan.previous, generation, copy_function=link_or_copy, ignore=shutil.ignore_patterns("*WRITELOCK")
        )
        return (
            generation,
            whoosh_index.open_dir(str(generation)),
            whoosh_index.open_dir(str(generation), indexname=FIGURES_INDEX),
        )
    generation.mkdir()
    (generation / DOCS_DIR).mkdir()
    return (
        generation,
        whoosh_index.create_in(str(generation), make_schema()),
        whoosh_index.create_in(str(generation), make_figure_schema(), indexname=FIGURES_INDEX),
    )


def _index_changes(
    plan: _Plan, documents_dir: Path, generation: Path, indexes: tuple, *, progress: Progress, workers: int | None
) -> tuple[dict, list[tuple[str, str]], int]:
    """Delete what changed or went, index what is new, commit; return (manifest files, skipped, files read)."""
    passages, figures = indexes
    # compound=False: one file per part, read with seek+read; a compound segment is mmapped whole by
    # every searcher (one per serving thread), which multiplies the worker's resident memory.
    writer = passages.writer(compound=False, codec=passage_codec())
    figures_writer = figures.writer(compound=False, codec=figure_codec())
    to_read = [path for path in plan.files if source_name(path, documents_dir) not in plan.unchanged]
    files: dict = {}
    skipped = list(plan.skipped_now)
    read = 0
    try:
        for source in sorted(plan.removed | {source_name(path, documents_dir) for path in to_read}):
            if source in plan.old_files:
                writer.delete_by_term("source", source)
                figures_writer.delete_by_term("source", source)
                for doc_id in plan.old_files[source].get("documents", []):
                    (generation / DOCS_DIR / f"{doc_id}.json").unlink(missing_ok=True)
        for source in plan.unchanged:
            files[source] = plan.old_files[source]
            if "skipped" in files[source]:
                skipped.append((source, files[source]["skipped"]))
        new_passages, new_figures = [], []
        for result in _read_files(to_read, documents_dir, generation, plan.hashes, progress, workers):
            files.update(result["files"])
            skipped.extend(result["skipped"])
            read += result["read"]
            new_passages.extend(result["segments"])
            new_figures.extend(result["figure_segments"])
        commit(writer, new_passages)
        commit(figures_writer, new_figures)
    except BaseException:
        for open_writer in (writer, figures_writer):
            if not open_writer.is_closed:
                open_writer.cancel()
        raise
    return files, skipped, read


def _read_files(
    to_read: list[Path], documents_dir: Path, generation: Path, hashes: dict, progress: Progress, workers: int | None
) -> list[dict]:
    """Read and write the files as new segments, in two processes when there is enough to read."""
    sizes = {path: path.stat().st_size for path in to_read}
    processes = workers if workers is not None else (_WORKERS if sum(sizes.values()) >= _PARALLEL_MIN_BYTES else 1)
    shares = partition(sizes, max(1, processes))
    if len(shares) > 1:
        return index_in_parallel(shares, documents_dir, generation, hashes, progress, len(to_read))
    reported = iter(range(1, len(to_read) + 1))
    report = lambda source: progress(next(reported), len(to_read), source)  # noqa: E731
    return [index_files(to_read, documents_dir, generation, hashes, report)]


def _finish_generation(index_dir: Path, documents_dir: Path, generation: Path, files: dict, skipped) -> dict:
    """Write the manifest and the duplicate groups, swap ``current`` to the generation; return the manifest."""
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "documents_dir": str(documents_dir.resolve()),
        "files": files,
        "skipped_files": sorted(skipped),
    }
    write_text(generation / MANIFEST, json.dumps(manifest, ensure_ascii=False))
    write_duplicates(generation, files)
    swap_current(index_dir, generation)
    remove_old_generations(index_dir, generation)
    return manifest


def build(
    documents_dir: Path,
    index_dir: Path,
    *,
    force: bool = False,
    progress: Progress = _no_progress,
    workers: int | None = None,
) -> BuildSummary:
    """Build or update the index of documents_dir in index_dir; return what was done.

    ``workers``: processes that read and index (default: two when there is enough to read, else one).
    One build at a time per index: a second waits for the first (a lock the system drops when a build's process
    dies, so a killed build never blocks the next).
    """
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(index_dir) / BUILD_LOCK, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build(Path(documents_dir), Path(index_dir), force=force, progress=progress, workers=workers)


def _build(
    documents_dir: Path, index_dir: Path, *, force: bool, progress: Progress, workers: int | None
) -> BuildSummary:
    started = time.perf_counter()
    documents_dir, index_dir = Path(documents_dir), Path(index_dir)
    if not documents_dir.is_dir():
        raise FileNotFoundError(f"documents folder not found / 找不到文档目录: {documents_dir}")
    index_dir.mkdir(parents=True, exist_ok=True)
    plan = _plan(documents_dir, index_dir, force=force)
    summary = BuildSummary(files_seen=len(plan.files) + len(plan.skipped_now), full_rebuild=not plan.reusable)
    summary.files_unchanged = len(plan.unchanged)
    if plan.up_to_date:
        summary.up_to_date = True
        summary.index_path = str(plan.previous)
        _count_from_manifest(summary, plan.old_manifest)
        summary.skipped = sorted(set(map(tuple, plan.old_manifest.get("skipped_files", []))) | set(plan.skipped_now))
        summary.seconds = time.perf_counter() - started
        return summary
    generation, *indexes = _start_generation(index_dir, plan)
    files, skipped, summary.files_read = _index_changes(
        plan, documents_dir, generation, tuple(indexes), progress=progress, workers=workers
    )
    manifest = _finish_generation(index_dir, documents_dir, generation, files, skipped)
    summary.index_path = str(generation)
    summary.files_removed = len(plan.removed)
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
