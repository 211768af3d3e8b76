"""One place that turns errors into responses: JSON for /api, a page otherwise; never a stack trace."""

from __future__ import annotations

import logging

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.query.parse import QueryError
from indexer.store.codec import IndexDamaged

log = logging.getLogger(__name__)

_MESSAGES = {
    400: "请求参数有误 / bad request",
    404: "未找到 / not found",
    405: "不支持的请求方法 / method not allowed",
    413: "请求过大 / request too large",
    503: "索引不可用，请先构建索引 / index not available, build it first",
    "damaged": "索引已损坏，请重新构建（python -m indexer build）/ index damaged, rebuild it (python -m indexer build)",
    500: "服务器内部错误 / internal server error",
}


def _respond(status: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify({"error": message}), status
    return render_template("error.html", status=status, message=message), status


def init_app(app) -> None:
    """Register the error handlers on the app."""

    @app.errorhandler(QueryError)
    def query_error(error):
        return _respond(400, str(error))

    @app.errorhandler(FileNotFoundError)
    def no_index(error):
        log.error("index not available: %s", error)
        return _respond(503, _MESSAGES[503])

    @app.errorhandler(IndexDamaged)
    def damaged_index(error):
        log.error("index damaged: %s", error)
        return _respond(503, _MESSAGES["damaged"])

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.response is not None:  # abort(response): the response made for it
            return error.response
        status = error.code or 500
        if status == 413 and "staff" in current_app.extensions and request.path == "/api/documents":
            limit = current_app.config["MAX_UPLOAD_MB"]
            return _respond(413, f"文件过大：每次上传最多 {limit:g} MB / too large: at most {limit:g} MB per upload")
        return _respond(status, _MESSAGES.get(status, error.name))

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("unhandled error on %s", request.path)
        return _respond(500, _MESSAGES[500])
