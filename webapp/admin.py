"""The admin pages (``/admin``, Chinese): log in with the token once, then upload, correct, delete and restore.

Only when writes are on (``staff.init_app``). Logging in sets a session cookie (HttpOnly, SameSite=Strict) and a
CSRF token; every form carries it, and the page's script sends it as ``X-CSRF-Token`` with each change to the API.
"""

from __future__ import annotations

import secrets

from flask import current_app, redirect, render_template, request, session, url_for

from indexer.store.generations import read_manifest
from webapp import staff
from webapp.handles import handle
from webapp.params import integer

DOCUMENTS_PER_PAGE = 50
ACTIONS = {
    "upload": "上传",
    "correct": "修改",
    "delete": "删除",
    "restore": "恢复",
    "catch-up": "启动时补建",
    "login": "登录",
}
STATES = {"queued": "排队中", "running": "进行中", "done": "完成", "failed": "失败"}


def _csrf() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def login_page():
    """Show the login form, or log in with the token (the form's CSRF token checked first)."""
    error = ""
    if request.method == "POST":
        if not staff.csrf_ok(request.form.get("csrf", "")):
            error = "表单已过期，请重试 / the form expired: try again"
        elif staff.token_matches(request.form.get("token", "").strip()):
            session.clear()
            session["admin"] = True
            session["csrf"] = secrets.token_urlsafe(32)
            staff.audit("session", "login", {})
            return redirect(url_for("admin_page"))
        else:
            error = "令牌不正确 / wrong token"
    return render_template("admin_login.html", csrf=_csrf(), error=error), 401 if error else 200


def logout():
    """End the session (a form post with the CSRF token)."""
    if staff.csrf_ok(request.form.get("csrf", "")):
        session.clear()
    return redirect(url_for("login_page"))


def admin_page():
    """List the documents with their metadata, the jobs, the trash and the audit log."""
    if not session.get("admin"):
        return redirect(url_for("login_page"))
    index = handle()
    doc_ids = index.facet_postings.documents
    page = integer(request.args, "page", default=1, low=1, high=max(1, -(-len(doc_ids) // DOCUMENTS_PER_PAGE)))
    records = [
        index.document(doc_id) for doc_id in doc_ids[(page - 1) * DOCUMENTS_PER_PAGE : page * DOCUMENTS_PER_PAGE]
    ]
    files = read_manifest(index.generation).get("files", {})
    jobs = staff.state()["jobs"].jobs()[:20]
    library = staff.state()["library"]
    return render_template(
        "admin.html",
        csrf=_csrf(),
        records=[record for record in records if record],
        figures={source: entry.get("figures", 0) for source, entry in files.items()},
        total=len(doc_ids),
        page=page,
        pages=-(-len(doc_ids) // DOCUMENTS_PER_PAGE),
        jobs=jobs,
        trash=library.trashed(),
        audit=library.audit_lines(50),
        actions=ACTIONS,
        states=STATES,
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
    )


def init_app(app) -> None:
    """Register the admin pages."""
    app.add_url_rule("/admin/login", view_func=login_page, methods=["GET", "POST"])
    app.add_url_rule("/admin/logout", view_func=logout, methods=["POST"])
    app.add_url_rule("/admin", view_func=admin_page, methods=["GET"])
