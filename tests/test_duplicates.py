"""Near-duplicate documents: one canonical document in results, the copies listed on its page."""

from __future__ import annotations

from pathlib import Path

from indexer.ingest.duplicates import group, near_duplicates, sketch
from indexer.query.searcher import Searcher
from indexer.store.build import build
from webapp import create_app

REPORT = "某市总工会工作报告\n（2016年2月20日）\n" + "".join(
    f"第{n}项工作：全市各级工会深入推进工资集体协商，签订集体合同{3000 + n}份，覆盖职工{50 + n}万人。\n"
    for n in range(1, 30)
)


def test_sketch_ignores_wrapping_spacing_and_punctuation():
    rewrapped = REPORT.replace("，", ", ").replace("\n", "\n\n")
    assert sketch(REPORT) == sketch(rewrapped)


def test_different_documents_are_not_duplicates():
    other = "".join(f"第{n}条 用人单位应当依法建立工会组织，支持工会开展第{n}项活动。\n" for n in range(1, 30))
    assert not near_duplicates(sketch(REPORT), sketch(other))


def test_a_short_notice_quoted_in_a_long_report_is_not_its_copy():
    notice = "".join(REPORT.splitlines(keepends=True)[2:8])
    assert not near_duplicates(sketch(notice), sketch(REPORT))


def test_group_picks_the_best_ranked_as_canonical():
    sketches = {
        "a": sketch(REPORT),
        "b": sketch(REPORT + "附件：名单。\n"),
        "c": sketch("完全不同的另一篇文章，讲的是安全生产月活动。" * 3),
    }
    lengths = {"a": len(REPORT), "b": len(REPORT) + 6, "c": 60}
    assert group(sketches, lengths) == {"b": ["a"]}
    dated_first = {"a": (True, len(REPORT)), "b": (False, len(REPORT) + 6), "c": (False, 60)}
    assert group(sketches, dated_first) == {"a": ["b"]}


def test_many_copies_of_one_document_are_one_group_compared_once_each(monkeypatch):
    import indexer.ingest.duplicates as duplicates_module

    calls = []

    def counting(first, second):
        calls.append((first, second))
        return near_duplicates(first, second)

    monkeypatch.setattr(duplicates_module, "near_duplicates", counting)
    sketches = {f"copy{number}": sketch(REPORT) for number in range(6)}
    sketches["other"] = sketch("完全不同的另一篇文章，讲的是安全生产月活动。" * 3)
    groups = group(sketches, {doc_id: 1 for doc_id in sketches})
    assert groups == {"copy0": [f"copy{number}" for number in range(1, 6)]}
    assert len(calls) == 5  # one comparison joins each copy; the other 10 pairs are already one group


def test_results_never_show_the_same_text_twice(tmp_path: Path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "report.txt").write_text(REPORT, encoding="utf-8")
    (documents / "report-copy.txt").write_text(REPORT.replace("\n", "\n\n").replace("，", ","), encoding="utf-8")
    (documents / "report-gbk.txt").write_bytes(REPORT.encode("gbk"))
    build(documents, tmp_path / "index")
    searcher = Searcher(tmp_path / "index")
    result = searcher.search("工资集体协商", per_page=50)
    assert len({hit.doc_id for hit in result.hits}) == 1
    texts = [hit.text for hit in result.hits]
    assert len(texts) == len(set(texts))
    canonical = result.hits[0].doc_id
    assert len(searcher.handle().copies_of(canonical)[1]) == 2
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    page = client.get(f"/doc/{canonical}").get_data(as_text=True)
    assert page.count("report") >= 3 and "副本" in page
