"""Serve the web app with waitress: ``python -m webapp --index DIR --host 127.0.0.1 --port 5000``."""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time
from pathlib import Path

import waitress

from indexer.query.cache import MATCH_CACHE_ITEMS
from indexer.query.index import IndexMissing
from indexer.text.analysis import segmenter
from webapp import create_app


def _raise_open_file_limit() -> None:
    """Allow as many open files as the system lets us: every serving thread's searcher opens each segment's files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))
        except (ValueError, OSError):
            logging.getLogger("webapp").warning("could not raise the open-file limit above %d", soft)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m webapp", description="工会政策知识库检索 — web server")
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--cache-items",
        type=int,
        default=MATCH_CACHE_ITEMS,
        help="scored passages kept for repeated queries, 12 bytes each (0: no cache)",
    )
    parser.add_argument("--documents", type=Path, help="the documents folder staff add to (with --admin-token-file)")
    parser.add_argument("--admin-token-file", type=Path, help="a file holding the admin token: turns writes on")
    parser.add_argument("--max-upload-mb", type=int, default=50, help="largest upload accepted, in MB")
    args = parser.parse_args(argv)
    if bool(args.documents) != bool(args.admin_token_file):
        parser.error("--documents and --admin-token-file go together / 两个参数需同时给出")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.index.exists() and not args.documents:
        print(f"error: no index at {args.index}; run: python -m indexer build --index {args.index}", file=sys.stderr)
        return 2
    app = create_app(
        {
            "INDEX_DIR": str(args.index),
            "MATCH_CACHE_ITEMS": args.cache_items,
            "DOCUMENTS_DIR": str(args.documents) if args.documents else None,
            "ADMIN_TOKEN_FILE": str(args.admin_token_file) if args.admin_token_file else None,
            "MAX_UPLOAD_MB": max(1, args.max_upload_mb),
        }
    )
    started = time.perf_counter()
    # Open the index and load what every search shares (facets, postings arrays, figures) before the
    # first request, and jieba's dictionaries once, not on a user's request.
    try:
        app.extensions["index"].handle().warm()
    except IndexMissing:
        logging.getLogger("webapp").info("no index yet: the first build job makes it")
    segmenter()
    logging.getLogger("webapp").info("index loaded in %.1f s", time.perf_counter() - started)
    logging.getLogger("webapp").info("serving %s on http://%s:%d", args.index, args.host, args.port)
    _raise_open_file_limit()
    # poll(), not select(): select() fails on descriptors above 1024, which a large index (many segments,
    # each file opened by every thread's searcher) reaches; the server then stopped.
    waitress.serve(
        app, host=args.host, port=args.port, threads=args.threads, ident="union-search", asyncore_use_poll=True
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
