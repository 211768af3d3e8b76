"""Find the document files below a folder: the ones to read, and the ones skipped with their reason.

Parts: ``scan`` (a walk depth first, names in order; links to folders are followed, as offices link
shares into the documents folder: ``ln -s /mnt/share/报告 documents/报告`` is read as ``报告/…``) →
``_repeated_folder`` (why a folder reached a second time is not read again: a link back up to a
folder above it, a loop, or a second way to one folder) and ``_file_skip`` (a broken link, not a
regular file, an unsupported type, or a second way to one file) → ``file_hash`` (the SHA-1 a build
compares to see what changed). Each real folder and each real file is read once, under the name
(its path below the documents folder) it is first seen by; hidden files and folders are left out.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from indexer.ingest.read import SUPPORTED_SUFFIXES, source_name

_Identity = tuple[int, int]  # (device, inode) of what a path leads to, links followed


def _identity(path: Path) -> _Identity:
    status = path.stat()
    return status.st_dev, status.st_ino


def scan(documents_dir: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Return (files to read, files and folders skipped with reasons) below a folder, in a stable order."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    folders_read: dict[_Identity, str] = {}
    files_read: dict[_Identity, str] = {}
    # Depth first, names in order: "first seen" is this order. A folder is checked when the walk
    # reaches it, so a link that leads back is seen once and the walk goes no further there.
    for folder, subfolders, names in os.walk(documents_dir, followlinks=True):
        here = Path(folder)
        source = source_name(here, documents_dir)
        first = folders_read.setdefault(_identity(here), source)
        if first != source:
            skipped.append((source, _repeated_folder(here, first, Path(documents_dir))))
            subfolders[:] = []
            continue
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(name for name in names if not name.startswith(".")):
            path = here / name
            source = source_name(path, documents_dir)
            reason = _file_skip(path, files_read)
            if reason:
                skipped.append((source, reason))
            else:
                files_read[_identity(path)] = source
                files.append(path)
    return files, skipped


def _repeated_folder(folder: Path, first: str, documents_dir: Path) -> str:
    """Return why a folder reached a second time (read already as first) is not read again."""
    target = _identity(folder)
    for above in folder.parents:  # the folders the walk came through, up to the documents folder
        if _identity(above) == target:
            return "link to a folder above it (a loop), not followed / 目录链接指向上级目录（循环），未跟随"
        if above == documents_dir:
            break
    return f"same folder as {first}, read once / 与 {first} 是同一目录，只读一次"


def _file_skip(path: Path, files_read: dict[_Identity, str]) -> str:
    """Return why a file is not read ("" when it is)."""
    if path.is_symlink() and not path.exists():
        return "broken symbolic link / 符号链接无效"
    if not path.is_file():
        return "not a regular file / 不是普通文件"
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"unsupported file type {path.suffix or '(none)'} / 不支持的文件类型"
    first = files_read.get(_identity(path))
    if first is not None:
        return f"same file as {first}, read once / 与 {first} 是同一文件，只读一次"
    return ""


def file_hash(path: Path) -> str:
    """Return the SHA-1 of a file's bytes."""
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
