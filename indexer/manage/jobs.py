"""Background builds for staff changes: one build at a time, the others queued, each with its progress.

A ``Job`` is what a write asked for (an upload, a correction, a deletion, a restore, the catch-up at start);
``JobQueue`` runs them one after the other in one worker thread, each as an incremental build of the documents
folder in its own process (``python -m indexer build``: the server's interpreter stays with the searches, which
keep reading the previous generation until the build switches
``current`` at its end). Nothing needs saving for a crash: what was written into the documents folder is on disk
(``ingest.uploads.write_atomic``), and the catch-up job queued when the server starts indexes whatever the
index does not have yet. Job ids are random; finished jobs are kept for an hour (at most ``KEEP_JOBS``).
"""

from __future__ import annotations

import json
import logging
import queue
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

KEEP_JOBS = 500
_PROGRESS = re.compile(r"indexing (\d+)/(\d+) files")
_log = logging.getLogger("webapp.jobs")


@dataclass
class Job:
    """One queued or running build, and what it did."""

    id: str
    action: str
    state: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int = 0
    summary: dict = field(default_factory=dict)
    created: float = field(default_factory=time.time)

    def as_dict(self) -> dict:
        """Return the JSON shape of /api/jobs/ID."""
        return {
            "id": self.id,
            "action": self.action,
            "state": self.state,
            "progress": {"done": self.done, "total": self.total},
            "summary": self.summary,
        }


class JobQueue:
    """Run incremental builds of one documents folder into one index, one at a time, in a worker thread."""

    def __init__(self, documents_dir: Path, index_dir: Path) -> None:
        self.documents_dir = Path(documents_dir)
        self.index_dir = Path(index_dir)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job] = queue.Queue()
        self._worker = threading.Thread(target=self._run, name="build-jobs", daemon=True)
        self._worker.start()

    def submit(self, action: str, summary: dict | None = None) -> Job:
        """Queue a build for an action; return its job."""
        job = Job(secrets.token_hex(8), action, summary=dict(summary or {}))
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        """Return a job by id, None when unknown."""
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        """Return the jobs kept, newest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda job: -job.created)

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait until every queued job has finished (tests, shutdown); return whether they did in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                busy = any(job.state in ("queued", "running") for job in self._jobs.values())
            if not busy:
                return True
            time.sleep(0.05)
        return False

    def _forget_old(self) -> None:
        finished = [job for job in self._jobs.values() if job.state in ("done", "failed")]
        finished.sort(key=lambda job: job.created)
        hour_ago = time.time() - 3600
        for job in finished[: max(0, len(self._jobs) - KEEP_JOBS)] + [
            job for job in finished if job.created < hour_ago
        ]:
            self._jobs.pop(job.id, None)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            job.state = "running"
            try:
                self._build(job)
            except Exception as error:  # noqa: BLE001 - a failed build is reported on its job, never raised
                _log.exception("build job %s (%s) failed", job.id, job.action)
                job.summary = {**job.summary, "error": f"{type(error).__name__}: {error}"[:500]}
                job.state = "failed"
            finally:
                self._queue.task_done()

    def _build(self, job: Job) -> None:
        """Run ``python -m indexer build`` in its own process (searches keep this one's interpreter to
        themselves), reading its progress lines and its JSON summary."""
        command = [sys.executable, "-m", "indexer", "build", "--documents", str(self.documents_dir),
                   "--index", str(self.index_dir), "--json"]  # fmt: skip
        errors = []
        # The summary goes to a file, not a pipe: a long one must never wait on a reader busy with stderr.
        with tempfile.TemporaryFile("w+", encoding="utf-8") as summary_file:
            with subprocess.Popen(
                command, stdout=summary_file, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace"
            ) as process:
                for line in process.stderr:
                    found = _PROGRESS.search(line)
                    if found:
                        job.done, job.total = int(found[1]), int(found[2])
                    else:
                        errors.append(line.rstrip())
            summary_file.seek(0)
            output = summary_file.read()
        try:
            summary = json.loads(output)
        except json.JSONDecodeError:
            raise RuntimeError("; ".join(errors[-3:]) or f"build exited with {process.returncode}") from None
        job.summary = {**job.summary, **_summary(summary)}
        if process.returncode and errors:
            job.summary["warning"] = "; ".join(errors[-3:])[:500]
        job.done = job.total = max(job.total, job.summary["read"])
        job.state = "done"


def _summary(summary: dict) -> dict:
    """Return the parts of a build's JSON summary a job reports."""
    return {
        "read": summary.get("files_read", 0),
        "unchanged": summary.get("files_unchanged", 0),
        "removed": summary.get("files_removed", 0),
        "skipped": [{"file": item["source"], "reason": item["reason"]} for item in summary.get("skipped", [])],
        "documents": summary.get("documents", 0),
        "passages": summary.get("passages", 0),
        "seconds": round(summary.get("seconds", 0.0), 2),
    }
