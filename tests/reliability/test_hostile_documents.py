"""A build over a folder of designed bad files completes, says why it skipped each, indexes the good ones."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pypdf

from indexer.ingest.read import MAX_UNZIPPED_BYTES
from tests.conftest import ROOT

GOOD = "正常文件\n滨州市总工会开展职工驿站建设，新建驿站50个，标记词GOODFILE。\n"


def _hostile_folder(folder: Path) -> dict[str, str]:
    """Write the bad files; return name → the reason (a fragment) the build must give, or "" if indexed."""
    folder.mkdir()
    expected = {}

    def write(name: str, data: bytes | str, reason: str) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected[name] = reason

    write("good.txt", GOOD, "")
    write("empty.txt", b"", "empty")
    write("bom-only.txt", b"\xef\xbb\xbf", "empty")
    write("binary.txt", bytes(range(256)) * 40, "binary")
    write("truncated-utf8.txt", "截断的文件：工会开展劳动竞赛，评选先进集体和个人。".encode()[:-2], "")
    write("huge.txt", ("工会开展职工驿站建设，新建驿站50个。" * 100 + "\n").encode() * 9000, "too large")
    write("deep.html", "<div>" * 10_000 + "<p>深层嵌套页面里的工会正文，标记词DEEPNEST。</p>" + "</div>" * 10_000, "")
    write(
        "xss.html",
        "<html><head><title>标题<script>alert(1)</script></title></head><body>"
        "<p onclick='alert(2)'>工会开展职工书屋建设，标记词XSSPAGE。<a href='javascript:alert(3)'>链接</a></p>"
        "<script>alert(4)</script><img src=x onerror=alert(5)><iframe src='javascript:alert(6)'></iframe></body></html>",
        "",
    )
    write("not-a-zip.docx", b"this is plain text pretending to be a Word file", "not a valid .docx")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (MAX_UNZIPPED_BYTES + 1))
    write("bomb.docx", bomb.getvalue(), "zip bomb")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    write("encrypted.pdf", encrypted.getvalue(), "encrypted")
    write("corrupt.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R", "corrupt PDF")
    write("名字 with spaces & 符号#%.txt", "奇怪的文件名\n工会开展送温暖活动，标记词ODDNAME。\n", "")
    odd = os.fsdecode(b"gbk-\xb9\xa4\xbb\xe1.txt")  # 工会 in GBK bytes: not UTF-8
    (folder / odd).write_text("GBK文件名\n工会开展金秋助学活动，标记词GBKNAME。\n", encoding="utf-8")
    expected["gbk-工会.txt"] = ""
    os.symlink("loop", folder / "loop")
    expected["loop"] = "broken symbolic link"
    os.symlink(".", folder / "self")  # followed like any folder link, but it leads back: skipped once
    expected["self"] = "link to a folder above it (a loop)"
    return expected


def test_build_over_hostile_files(tmp_path: Path):
    expected = _hostile_folder(tmp_path / "documents")
    result = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "%M",
            sys.executable,
            "-m",
            "indexer",
            "build",
            "--documents",
            str(tmp_path / "documents"),
            "--index",
            str(tmp_path / "index"),
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    skipped = {item["source"]: item["reason"] for item in summary["skipped"]}
    for name, reason in expected.items():
        if reason:
            assert reason in skipped.get(name, ""), (name, skipped.get(name))
        else:
            assert name not in skipped, (name, skipped[name])
    assert summary["documents"] == sum(1 for reason in expected.values() if not reason)
    peak_mb = int(result.stderr.strip().splitlines()[-1]) / 1024
    assert peak_mb < 600, f"build used {peak_mb:.0f} MB"

    from indexer.query.searcher import Searcher

    searcher = Searcher(tmp_path / "index")
    for marker in ("GOODFILE", "DEEPNEST", "XSSPAGE", "ODDNAME", "GBKNAME"):
        assert searcher.search(marker).total == 1, marker
    xss = searcher.search("XSSPAGE").hits[0]
    assert "alert" not in xss.text and "javascript" not in xss.text
