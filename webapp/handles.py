"""The index generation a request reads, pinned once per request.

The first search of a request takes the handle of the generation current then (``Index.handle``) and
keeps it in Flask's ``g``: a page's searches, its document, related passages and copies are then all
read from one generation, also when a build swaps in a new one meanwhile.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, g

from indexer.query.index import Index, IndexHandle


def handle() -> IndexHandle:
    """Return this request's index handle (opened on first use)."""
    if "index_handle" not in g:
        g.index_handle = current_app.extensions["index"].handle()
    return g.index_handle


def init_app(app) -> None:
    """Open the app's index directory (``INDEX_DIR``) and release each request's handle at its end."""
    app.extensions["index"] = Index(
        Path(app.config["INDEX_DIR"]), cache_items=max(0, int(app.config["MATCH_CACHE_ITEMS"]))
    )

    @app.teardown_appcontext
    def release(_error) -> None:
        g.pop("index_handle", None)
