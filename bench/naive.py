"""The design card read literally, for side-by-side comparison in bench/speed.py.

jieba's ``ChineseAnalyzer`` on Whoosh defaults, one document per non-empty line, the query parsed by
Whoosh's QueryParser, highlights by re-tokenising the stored text, served by Flask's development server.

Usage:
    python bench/naive.py build DOCUMENTS INDEX
    python bench/naive.py serve INDEX PORT
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")


def build(documents: Path, index_dir: Path) -> int:
    """Index every non-empty line of every readable file; return the number of lines indexed."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields, index

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from indexer.ingest.read import ReadError, read_file

    schema = fields.Schema(
        path=fields.ID(stored=True),
        line=fields.NUMERIC(stored=True),
        content=fields.TEXT(analyzer=ChineseAnalyzer(), stored=True),
    )
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), schema)
    count = 0
    with ix.writer() as writer:
        for folder, _, names in os.walk(documents):
            for name in sorted(names):
                path = Path(folder) / name
                try:
                    text = read_file(path).text
                except ReadError:
                    continue
                for number, line in enumerate(text.splitlines()):
                    if line.strip():
                        writer.add_document(path=str(path), line=number, content=line.strip())
                        count += 1
    return count


def serve(index_dir: Path, port: int) -> None:
    """Serve /api/search with Flask's development server."""
    from flask import Flask, jsonify, request
    from whoosh import index
    from whoosh.qparser import QueryParser

    ix = index.open_dir(str(index_dir))
    app = Flask(__name__)

    @app.get("/api/search")
    def search():
        with ix.searcher() as searcher:
            query = QueryParser("content", ix.schema).parse(request.args.get("q", ""))
            results = searcher.search(query, limit=10)
            return jsonify(
                {
                    "total": len(results),
                    "results": [
                        {"path": hit["path"], "text": hit["content"], "snippet": hit.highlights("content")}
                        for hit in results
                    ],
                }
            )

    app.run(host="127.0.0.1", port=port, threaded=True)


if __name__ == "__main__":
    if sys.argv[1] == "build":
        print(build(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        serve(Path(sys.argv[2]), int(sys.argv[3]))
