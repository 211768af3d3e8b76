"""Command line: ``python -m indexer build | search | inspect`` (parse arguments, call the core, print)."""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

DEFAULT_DOCUMENTS = Path("documents")
DEFAULT_INDEX = Path("index")


class ProgressBar:
    """Draw a one-line progress bar on stderr (only when it is a terminal, else a line every 10 %)."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.interactive = stream.isatty()
        self.last_decile = -1

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.interactive:
            width = 30
            filled = int(width * done / max(total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[-40:]:<40}")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
            return
        decile = int(10 * done / max(total, 1))
        if decile != self.last_decile or done == total:
            self.last_decile = decile
            self.stream.write(f"indexing {done}/{total} files ({100 * done // max(total, 1)}%)\n")
            self.stream.flush()


def _command_build(args) -> int:
    from indexer.store.build import build

    try:
        summary = build(args.documents, args.index, force=args.force, progress=ProgressBar())
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=1))
    else:
        state = (
            "up to date / 索引已是最新" if summary.up_to_date else ("full build" if summary.full_rebuild else "update")
        )
        print(f"index: {summary.index_path} ({state})")
        print(
            f"files: {summary.files_seen} seen, {summary.files_read} read, {summary.files_unchanged} unchanged, "
            f"{summary.files_removed} removed, {len(summary.skipped)} skipped"
        )
        for source, reason in summary.skipped:
            print(f"  skipped {source}: {reason}")
        print(
            f"documents: {summary.documents}, passages: {summary.passages}, figures: {summary.figures}, "
            f"seconds: {summary.seconds:.2f}"
        )
    if summary.documents == 0:
        print("error: nothing could be indexed / 没有可索引的文档", file=sys.stderr)
        return 1
    if args.strict and summary.skipped:
        return 1
    return 0


def _filters(args, parameters: dict[str, str]) -> dict[str, list[str]]:
    """Return the filters given on the command line: field → values (``parameters``: option → field)."""
    return {field: getattr(args, option) for option, field in parameters.items() if getattr(args, option)}


def _run_query(run, query_error: type[Exception]):
    """Return run()'s result, or None after printing why the query or the index could not be used."""
    try:
        return run()
    except (query_error, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return None


def _print_json(result) -> int:
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
    return 0


def _command_search(args) -> int:
    from indexer.query.filters import PASSAGE_FILTERS
    from indexer.query.parse import QueryError
    from indexer.query.searcher import Searcher

    filters = _filters(args, PASSAGE_FILTERS)
    result = _run_query(
        lambda: Searcher(args.index).search(args.query, filters=filters, page=args.page, per_page=args.per_page),
        QueryError,
    )
    if result is None:
        return 2
    if args.json:
        return _print_json(result)
    print(f"{result.total} passages / 共 {result.total} 段  ({result.seconds * 1000:.0f} ms)")
    print(
        f"searched: {' '.join(result.parsed)}" + (f"   dropped: {' '.join(result.dropped)}" if result.dropped else "")
    )
    for number, hit in enumerate(result.hits, start=(result.page - 1) * result.per_page + 1):
        place = " ".join(part for part in (hit.province, hit.city, hit.year) if part)
        print(f"\n{number}. {hit.title}  [{hit.doc_type}] {place}  ({hit.source})")
        text = hit.snippet.replace("<mark>", "【").replace("</mark>", "】")
        print(f"   {html.unescape(text)}")
    return 0


def _command_figures(args) -> int:
    from indexer.query.filters import FIGURE_FILTERS
    from indexer.query.parse import QueryError
    from indexer.query.searcher import Searcher

    filters = _filters(args, FIGURE_FILTERS)
    result = _run_query(
        lambda: Searcher(args.index).figures(
            args.query, filters=filters, page=args.page, per_page=args.per_page, sort=args.sort
        ),
        QueryError,
    )
    if result is None:
        return 2
    if args.json:
        return _print_json(result)
    print(f"{result.total} figures / 共 {result.total} 项指标")
    for hit in result.hits:
        place = " ".join(part for part in (hit.province, hit.city, hit.year) if part) or "全国"
        kind = "目标" if hit.kind == "target" else "实际"
        print(f"{hit.indicator}\t{hit.approx}{hit.value:g} {hit.unit}\t{kind}\t{place}\t{hit.title}")
        print(f"    {hit.sentence}")
    return 0


def _command_inspect(args) -> int:
    from indexer.ingest.documents import load_documents
    from indexer.ingest.files import scan
    from indexer.ingest.read import ReadError

    status = 0
    for given in args.paths:
        path = Path(given)
        if path.is_dir():
            files, skipped = scan(path)
            root = path
        else:
            files, skipped, root = [path], [], path.parent
        for source, reason in skipped:
            print(f"skipped {source}: {reason}", file=sys.stderr)
        for file in files:
            try:
                documents = load_documents(file, root)
            except ReadError as error:
                print(f"skipped {file}: {error}", file=sys.stderr)
                status = 1
                continue
            for document in documents:
                print(json.dumps(document.summary(with_text=args.text), ensure_ascii=False))
    return status


def main(argv: list[str] | None = None) -> int:
    """Run the indexer command line."""
    from indexer.query.figure_search import SORTS as FIGURE_SORTS
    from indexer.query.filters import FIGURE_FILTERS, PASSAGE_FILTERS

    parser = argparse.ArgumentParser(prog="python -m indexer", description="工会政策知识库检索 — indexer")
    commands = parser.add_subparsers(dest="command", required=True)

    build_parser = commands.add_parser("build", help="build or update the index / 构建或更新索引")
    build_parser.add_argument("--documents", type=Path, default=DEFAULT_DOCUMENTS)
    build_parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    build_parser.add_argument("--force", action="store_true", help="rebuild everything")
    build_parser.add_argument("--strict", action="store_true", help="exit non-zero when any file was skipped")
    build_parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    build_parser.set_defaults(run=_command_build)

    search_parser = commands.add_parser("search", help="search the index / 检索")
    search_parser.add_argument("query")
    search_parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    for name in PASSAGE_FILTERS:
        search_parser.add_argument(f"--{name}", action="append", default=[])
    search_parser.add_argument("--page", type=int, default=1)
    search_parser.add_argument("--per-page", type=int, default=10)
    search_parser.add_argument("--json", action="store_true")
    search_parser.set_defaults(run=_command_search)

    figures_parser = commands.add_parser("figures", help="look up figures and targets / 查指标")
    figures_parser.add_argument("query")
    figures_parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    for name in FIGURE_FILTERS:
        figures_parser.add_argument(f"--{name}", action="append", default=[])
    figures_parser.add_argument("--sort", default="relevance", choices=FIGURE_SORTS)
    figures_parser.add_argument("--page", type=int, default=1)
    figures_parser.add_argument("--per-page", type=int, default=20)
    figures_parser.add_argument("--json", action="store_true")
    figures_parser.set_defaults(run=_command_figures)

    inspect_parser = commands.add_parser("inspect", help="print document metadata (no index needed) / 查看元数据")
    inspect_parser.add_argument("paths", nargs="+")
    inspect_parser.add_argument("--json", action="store_true", help="one JSON object per line (the default)")
    inspect_parser.add_argument("--text", action="store_true", help="include the normalised text")
    inspect_parser.set_defaults(run=_command_inspect)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
