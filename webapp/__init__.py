"""Flask web app: the JSON API and the HTML search page over an index built by ``indexer``."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from indexer.query.cache import MATCH_CACHE_ITEMS


class SafeJSONProvider(DefaultJSONProvider):
    """JSON with ``<``, ``>`` and ``&`` escaped (\\u003c …): a hostile query echoed in an answer is never markup,
    even where a browser sniffs the answer as HTML. These characters only occur inside JSON strings."""

    ensure_ascii = False

    def dumps(self, obj, **kwargs) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


class _App(Flask):
    json_provider_class = SafeJSONProvider


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; ``INDEX_DIR`` names the index directory, ``MATCH_CACHE_ITEMS`` bounds the match cache."""
    app = _App(__name__)
    app.config.from_mapping(
        INDEX_DIR="index",
        MATCH_CACHE_ITEMS=MATCH_CACHE_ITEMS,
        MAX_CONTENT_LENGTH=64 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=3600,  # static assets: cached for an hour
    )
    if test_config:
        app.config.update(test_config)
    from webapp import errors, figure_views, handles, place_views, staff, views

    handles.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    figure_views.init_app(app)
    place_views.init_app(app)
    documents, token_file = app.config.get("DOCUMENTS_DIR"), app.config.get("ADMIN_TOKEN_FILE")
    staff.init_app(
        app,
        documents=Path(documents) if documents else None,
        token_file=Path(token_file) if token_file else None,
        max_upload_mb=int(app.config.get("MAX_UPLOAD_MB") or 50),
    )
    return app
