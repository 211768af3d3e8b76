"""Finding the document files: linked folders are read, loops end, each real file is read once."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from indexer.ingest.files import file_hash, scan
from indexer.query.searcher import Searcher
from indexer.store.build import build

REPORT = "报告\n滨州市总工会新建职工驿站50个，标记词LINKEDSHARE。\n"


@pytest.fixture
def share(tmp_path: Path) -> Path:
    """Return a folder outside the documents folder, as an office share mounted elsewhere."""
    folder = tmp_path / "share"
    (folder / "2023").mkdir(parents=True)
    (folder / "年度报告.txt").write_text(REPORT, encoding="utf-8")
    (folder / "2023" / "总结.txt").write_text("总结\n工会开展送温暖活动。\n", encoding="utf-8")
    return folder


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "本地.txt").write_text("本地\n工会开展劳动竞赛。\n", encoding="utf-8")
    return folder


def _sources(files: list[Path], root: Path) -> list[str]:
    return [path.relative_to(root).as_posix() for path in files]


def test_a_linked_folder_is_read_under_its_link_name(documents: Path, share: Path):
    os.symlink(share, documents / "报告")
    files, skipped = scan(documents)
    assert _sources(files, documents) == ["本地.txt", "报告/年度报告.txt", "报告/2023/总结.txt"]
    assert skipped == []


def test_a_linked_folder_is_indexed_and_found(documents: Path, share: Path, tmp_path: Path):
    os.symlink(share, documents / "报告")
    summary = build(documents, tmp_path / "index")
    assert (summary.files_read, summary.skipped) == (3, [])
    hits = Searcher(tmp_path / "index").search("LINKEDSHARE")
    assert hits.total == 1
    assert hits.hits[0].source == "报告/年度报告.txt"


def test_links_back_up_end_the_walk_with_each_file_once(documents: Path, share: Path):
    os.symlink(share, documents / "报告")
    os.symlink("..", share / "2023" / "up")  # into the share's top: a loop through the link
    os.symlink(".", documents / "self")
    os.symlink(documents, share / "back")  # from the share back to the documents folder
    files, skipped = scan(documents)
    assert _sources(files, documents) == ["本地.txt", "报告/年度报告.txt", "报告/2023/总结.txt"]
    assert dict(skipped) == {
        "self": "link to a folder above it (a loop), not followed / 目录链接指向上级目录（循环），未跟随",
        "报告/back": "link to a folder above it (a loop), not followed / 目录链接指向上级目录（循环），未跟随",
        "报告/2023/up": "link to a folder above it (a loop), not followed / 目录链接指向上级目录（循环），未跟随",
    }


def test_two_links_to_one_folder_read_it_once_under_the_first_name(documents: Path, share: Path):
    os.symlink(share, documents / "a-报告")
    os.symlink(share, documents / "b-报告")
    os.symlink(share / "2023", documents / "c-2023")  # a folder inside the one already linked
    files, skipped = scan(documents)
    assert _sources(files, documents) == ["本地.txt", "a-报告/年度报告.txt", "a-报告/2023/总结.txt"]
    assert skipped == [
        ("b-报告", "same folder as a-报告, read once / 与 a-报告 是同一目录，只读一次"),
        ("c-2023", "same folder as a-报告/2023, read once / 与 a-报告/2023 是同一目录，只读一次"),
    ]


def test_the_first_name_is_the_first_in_the_walk_depth_first(documents: Path, share: Path):
    os.symlink(share / "2023", documents / "a-2023")
    os.symlink(share, documents / "b-报告")
    files, skipped = scan(documents)
    assert _sources(files, documents) == ["本地.txt", "a-2023/总结.txt", "b-报告/年度报告.txt"]
    assert skipped == [("b-报告/2023", "same folder as a-2023, read once / 与 a-2023 是同一目录，只读一次")]


def test_a_file_reached_twice_is_read_once(documents: Path, share: Path):
    os.symlink(share / "年度报告.txt", documents / "报告链接.txt")
    os.symlink(documents / "本地.txt", documents / "本地副本.txt")
    files, skipped = scan(documents)
    assert _sources(files, documents) == ["报告链接.txt", "本地.txt"]  # names in code point order
    assert skipped == [("本地副本.txt", "same file as 本地.txt, read once / 与 本地.txt 是同一文件，只读一次")]


def test_hidden_broken_and_unsupported_entries_are_skipped_as_before(documents: Path, share: Path):
    (documents / ".hidden").mkdir()
    (documents / ".hidden" / "secret.txt").write_text("隐藏\n", encoding="utf-8")
    (documents / ".notes.txt").write_text("隐藏\n", encoding="utf-8")
    os.symlink(share, documents / ".linked")
    os.symlink(documents / "missing.txt", documents / "dangling.txt")
    (documents / "picture.png").write_bytes(b"\x89PNG\r\n")
    files, skipped = scan(documents)
    assert _sources(files, documents) == ["本地.txt"]
    assert skipped == [
        ("dangling.txt", "broken symbolic link / 符号链接无效"),
        ("picture.png", "unsupported file type .png / 不支持的文件类型"),
    ]


def test_file_hash_is_the_sha1_of_the_bytes(documents: Path):
    path = documents / "本地.txt"
    assert file_hash(path) == hashlib.sha1(path.read_bytes()).hexdigest()
    path.write_text("本地\n工会开展劳动竞赛，有改动。\n", encoding="utf-8")
    assert file_hash(path) == hashlib.sha1(path.read_bytes()).hexdigest()
