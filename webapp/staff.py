"""Staff writes over HTTP: add, correct, remove and restore documents (``/api/documents``, ``/api/jobs``, ``/api/trash``).

On only when the server is started with ``--documents D --admin-token-file F``; the read-only server never loads
what writes need (``indexer.manage``, imported here only then). Every write needs ``Authorization: Bearer TOKEN``
(401 otherwise, changing nothing); the folder is changed by ``manage.library.Library`` and an incremental build is
queued (``manage.jobs.JobQueue``); each write is in the audit log beside the documents.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from flask import abort, current_app, jsonify, request, session

from webapp.handles import handle

MIN_TOKEN_CHARS = 16


def state() -> dict:
    staff = current_app.extensions.get("staff")
    if staff is None:
        abort(404)
    return staff


def token_matches(given: str) -> bool:
    """Say whether a token is the admin token (compared in constant time)."""
    return bool(given) and hmac.compare_digest(given.encode("utf-8"), state()["token"].encode("utf-8"))


def _who() -> str:
    """Return who asks: ``token`` (a Bearer token) or ``session`` (logged in on /admin; a change needs the
    session's CSRF token in ``X-CSRF-Token``). 401 without either, 403 for a session without its CSRF token."""
    header = request.headers.get("Authorization", "")
    if token_matches(header[7:].strip() if header.startswith("Bearer ") else ""):
        return "token"
    if session.get("admin"):
        if request.method == "GET" or csrf_ok(request.headers.get("X-CSRF-Token", "")):
            return "session"
        _fail(403, "CSRF 令牌无效，请刷新管理页面 / invalid CSRF token: reload the admin page")
    response = jsonify({"error": "需要有效的管理令牌 / a valid admin token is required"})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = "Bearer"
    abort(response)


def csrf_ok(given: str) -> bool:
    expected = session.get("csrf", "")
    return bool(expected) and bool(given) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _fail(status: int, message: str, field: str | None = None):
    body = {"error": message} | ({"field": field} if field else {})
    response = jsonify(body)
    response.status_code = status
    abort(response)


def audit(who: str, action: str, details: dict) -> None:
    state()["library"].audit(who, request.remote_addr or "", action, details)


def _json_body():
    """Return the request's JSON body (None when absent or not JSON); 400 for one nested too deep to read."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        _fail(400, "JSON 嵌套过深 / JSON nested too deep", "body")


def upload():
    """Store the uploaded files (form parts named ``file``) and queue their build: 202 with the job."""
    staff = state()
    request.max_content_length = staff["max_upload_bytes"]  # uploads only: the rest of the app keeps its 64 KB
    who = _who()
    parts = request.files.getlist("file")
    if not parts:
        _fail(400, "没有收到文件（表单字段应为 file）/ no file received (form field: file)", "file")
    done = staff["library"].add([(part.filename or "", part.read()) for part in parts])
    job = (
        staff["jobs"].submit("upload", {"files": [item["stored_as"] for item in done.accepted]})
        if done.accepted
        else None
    )
    audit(who, "upload", {"accepted": done.accepted, "rejected": done.rejected, "job": job.id if job else None})
    return jsonify({"job": job.id if job else None, "accepted": done.accepted, "rejected": done.rejected}), 202


def job_status(job_id: str):
    """Return a job's state, progress and summary."""
    _who()
    job = state()["jobs"].get(job_id)
    if job is None:
        _fail(404, "没有这个任务 / no such job")
    return jsonify(job.as_dict())


def _record(doc_id: str) -> dict:
    record = handle().document(doc_id) if 0 < len(doc_id) <= 64 else None
    if record is None:
        _fail(404, "没有这个文档 / no such document", "doc_id")
    return record


def correct(doc_id: str):
    """Keep a correction of a document's metadata (null removes one) and queue its build: 202 with the job."""
    who = _who()
    staff = state()
    record = _record(doc_id)
    try:
        changes = staff["library"].correct(doc_id, record["source"], _json_body())
    except staff["errors"] as error:
        _fail(400, str(error), error.field)
    job = staff["jobs"].submit("correct", {"doc_id": doc_id})
    audit(who, "correct", {"doc_id": doc_id, "source": record["source"], "changes": changes, "job": job.id})
    return jsonify({"job": job.id}), 202


def delete(doc_id: str):
    """Move a document's file to the trash folder and queue the build that drops it: 202 with the job."""
    who = _who()
    staff = state()
    record = _record(doc_id)
    try:
        in_trash = staff["library"].delete(record["source"])
    except staff["errors"] as error:
        _fail(409, str(error), error.field)
    job = staff["jobs"].submit("delete", {"doc_id": doc_id, "file": record["source"]})
    audit(who, "delete", {"doc_id": doc_id, "source": record["source"], "trash": in_trash, "job": job.id})
    return jsonify({"job": job.id, "trash": in_trash}), 202


def trash_list():
    """Return the files in the trash folder (restorable by their path there)."""
    _who()
    return jsonify({"files": state()["library"].trashed()})


def restore():
    """Move a file from the trash folder back (JSON ``{"file": its path in the trash}``) and queue its build."""
    who = _who()
    staff = state()
    body = _json_body()
    try:
        restored = staff["library"].restore(body.get("file", "") if isinstance(body, dict) else "")
    except staff["errors"] as error:
        _fail(400, str(error), error.field)
    job = staff["jobs"].submit("restore", {"file": restored})
    audit(who, "restore", {"file": restored, "job": job.id})
    return jsonify({"job": job.id, "restored_as": restored}), 202


def init_app(app, *, documents: Path | None, token_file: Path | None, max_upload_mb: int = 50) -> None:
    """Turn the staff writes on when both a documents folder and a token file are given (else read-only)."""
    if documents is None or token_file is None:
        return
    from indexer.manage.jobs import JobQueue
    from indexer.manage.library import Library, LibraryError

    token = Path(token_file).read_text(encoding="utf-8").strip()
    if len(token) < MIN_TOKEN_CHARS:
        raise ValueError(f"admin token too short (at least {MIN_TOKEN_CHARS} characters) / 管理令牌过短")
    library = Library(Path(documents))
    library.remove_partial_files()  # an upload cut by a crash
    jobs = JobQueue(Path(documents), Path(app.config["INDEX_DIR"]))
    app.extensions["staff"] = {"token": token, "library": library, "jobs": jobs, "errors": LibraryError}
    app.secret_key = secrets.token_bytes(32)  # sessions end with the process: log in again after a restart
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict")
    app.extensions["staff"]["max_upload_bytes"] = max_upload_mb * 1024 * 1024
    app.config["MAX_UPLOAD_MB"] = max_upload_mb
    app.add_url_rule("/api/documents", view_func=upload, methods=["POST"])
    app.add_url_rule("/api/documents/<doc_id>", view_func=correct, methods=["PATCH"])
    app.add_url_rule("/api/documents/<doc_id>", view_func=delete, methods=["DELETE"], endpoint="delete_document")
    app.add_url_rule("/api/jobs/<job_id>", view_func=job_status, methods=["GET"])
    app.add_url_rule("/api/trash", view_func=trash_list, methods=["GET"])
    app.add_url_rule("/api/trash/restore", view_func=restore, methods=["POST"])
    from webapp import admin

    admin.init_app(app)
    jobs.submit("catch-up")  # whatever the folder has that the index has not (after a crash, too)
