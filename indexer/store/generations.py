"""Index generations: each build writes a fresh folder; ``current`` points at the one in use.

Layout of an index directory::

    index/
      current -> gen-20261120T231500-4f2a   (symlink, replaced atomically)
      gen-…/                                  Whoosh files, manifest.json, duplicates.json, docs/<doc_id>.json

Readers follow ``current``; a build swaps it only once its generation is complete, so no reader ever
sees a half-built index. Old generations are kept a while for readers still on them.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import time
import uuid
from pathlib import Path

CURRENT = "current"
MANIFEST = "manifest.json"
DUPLICATES = "duplicates.json"
DOCS_DIR = "docs"
_KEEP_OLD_GENERATIONS = 2
_PARTIAL_GENERATION_AGE = 600  # seconds


def current_generation(index_dir: Path) -> Path | None:
    """Return the folder of the index generation in use, or None."""
    link = Path(index_dir) / CURRENT
    if not link.is_symlink() and not link.is_dir():
        return None
    target = link.resolve()
    return target if (target / MANIFEST).is_file() else None


def read_manifest(generation: Path) -> dict:
    """Return the manifest of an index generation."""
    return json.loads((generation / MANIFEST).read_text(encoding="utf-8"))


def write_text(path: Path, text: str) -> None:
    """Write a file of a generation by atomic replacement (it may be a hard link shared with the previous one)."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def new_generation_name() -> str:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
    return f"gen-{stamp}-{uuid.uuid4().hex[:6]}"


def swap_current(index_dir: Path, generation: Path) -> None:
    temporary = index_dir / f".current-{uuid.uuid4().hex}"
    os.symlink(generation.name, temporary)
    os.replace(temporary, index_dir / CURRENT)


def remove_old_generations(index_dir: Path, keep: Path) -> None:
    """Keep the newest complete generations for readers still on them; drop the rest.

    A folder without a manifest is what a killed build left behind; it is removed once it is
    old enough not to be another build still running.
    """
    now = time.time()
    complete, partial = [], []
    for path in index_dir.glob("gen-*"):
        if path.is_dir() and path != keep:
            (complete if (path / MANIFEST).is_file() else partial).append(path)
    complete.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    stale = [path for path in partial if now - path.stat().st_mtime > _PARTIAL_GENERATION_AGE]
    for old in complete[_KEEP_OLD_GENERATIONS:] + stale:
        shutil.rmtree(old, ignore_errors=True)
    for link in index_dir.glob(".current-*"):
        if link.is_symlink() and now - link.lstat().st_mtime > _PARTIAL_GENERATION_AGE:
            link.unlink(missing_ok=True)


def link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(source, destination)
