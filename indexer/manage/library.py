"""The documents folder as staff change it: add files, correct metadata, move files to the trash and back, log it.

``Library`` does what a write asks in the folder (never outside it) and nothing else: files through
``ingest.uploads`` (sniffed, safely named, written whole, copies reported), corrections through
``ingest.corrections`` (validated, kept in the folder's corrections file), deletions moved into the trash folder,
never deleted. Every change is appended to the audit log beside the documents (``AUDIT_LOG``: when, who, from
where, what). The builds that follow are the caller's (``jobs.JobQueue``).
"""

from __future__ import annotations

import datetime
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from indexer.ingest import corrections
from indexer.ingest.uploads import TRASH, UploadRejected, store, write_atomic

AUDIT_LOG = ".audit.log"


class LibraryError(ValueError):
    """A change that cannot be made; ``field`` names what is wrong, the message is Chinese / English."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Upload:
    """What became of the files of one upload."""

    accepted: list[dict]  # {"name", "stored_as"}
    rejected: list[dict]  # {"name", "error"}


class Library:
    """One documents folder, changed by one writer at a time."""

    def __init__(self, documents_dir: Path) -> None:
        self.folder = Path(documents_dir)
        self.trash = self.folder / TRASH
        self._lock = threading.Lock()

    def remove_partial_files(self) -> None:
        """Remove what a crash left half-written (hidden ``.NAME.part`` files): never half a file among the documents."""
        for leftover in self.folder.glob(".*.part"):
            leftover.unlink(missing_ok=True)

    def add(self, files: list[tuple[str, bytes]]) -> Upload:
        """Store each (name, bytes): accepted under a safe name, or rejected with the reason (a copy included)."""
        accepted, rejected = [], []
        with self._lock:
            for name, data in files:
                try:
                    stored = store(self.folder, name, data)
                except UploadRejected as error:
                    rejected.append({"name": name, "error": str(error)})
                    continue
                if stored.copy_of:
                    message = f"与已有文件 {stored.name} 相同，未重复保存 / a copy of {stored.name}, not stored twice"
                    rejected.append({"name": name, "error": message})
                else:
                    accepted.append({"name": name, "stored_as": stored.name})
        return Upload(accepted, rejected)

    def correct(self, doc_id: str, source: str, changes) -> dict:
        """Keep a document's corrected metadata (None removes a field); return the changes as kept."""
        try:
            clean = corrections.validate(changes)
        except corrections.CorrectionError as error:
            raise LibraryError(error.field, str(error)) from None
        with self._lock:
            updated = corrections.merge(corrections.read_corrections(self.folder), doc_id, source, clean)
            text = json.dumps(updated, ensure_ascii=False, indent=1)
            write_atomic(self.folder / corrections.CORRECTIONS_FILE, text.encode("utf-8"))
        return clean

    def delete(self, source: str) -> str:
        """Move a document's file into the trash folder; return its path there."""
        gone = LibraryError("doc_id", "文档的文件已不在文档目录中 / the document's file is no longer there")
        with self._lock:
            path = self.folder / source
            try:
                if not _inside(path, self.folder) or not path.is_file():
                    raise gone
                target = _free(self.trash / source)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
            except OSError:  # gone meanwhile, or a name the system refuses
                raise gone from None
        return target.relative_to(self.trash).as_posix()

    def trashed(self) -> list[str]:
        """Return the files in the trash folder (restorable), by path."""
        if not self.trash.is_dir():
            return []
        return sorted(path.relative_to(self.trash).as_posix() for path in self.trash.rglob("*") if path.is_file())

    def restore(self, name) -> str:
        """Move a file from the trash folder back; return where it went (a free name when its own is taken)."""
        missing = LibraryError("file", "回收站中没有这个文件 / no such file in the trash")
        if not isinstance(name, str) or not name or len(name) > 1000 or "\x00" in name:
            raise missing
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise missing
        with self._lock:
            path = self.trash / relative
            try:
                if not _inside(path, self.trash) or not path.is_file():
                    raise missing
                target = _free(self.folder / relative)
                if not _inside(target, self.folder) or _inside(target, self.trash):
                    raise missing
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
            except OSError:
                raise missing from None
        return target.relative_to(self.folder).as_posix()

    def audit(self, who: str, remote: str, action: str, details: dict) -> None:
        """Append one line to the audit log (who: ``token``; never the token itself)."""
        line = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "who": who,
            "from": remote,
            "action": action,
            **details,
        }
        with self._lock, open(self.folder / AUDIT_LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps(line, ensure_ascii=False) + "\n")
            log.flush()
            os.fsync(log.fileno())

    def audit_lines(self, limit: int = 200) -> list[dict]:
        """Return the latest lines of the audit log, newest first."""
        path = self.folder / AUDIT_LOG
        if not path.is_file():
            return []
        found = []
        for line in reversed(path.read_text(encoding="utf-8", errors="replace").splitlines()[-limit:]):
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by a crash
        return found


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _free(path: Path) -> Path:
    """Return path, or path with -2, -3 … when it is taken."""
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate
