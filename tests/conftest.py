"""Shared fixtures: a small designed document folder, the seed documents, and indexes built from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.query.searcher import Searcher
from indexer.store.build import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "documents"
SHARED = ROOT.parent / "shared"

DESIGNED = {
    "linyi-report.txt": (
        "临沂市总工会工作报告\n"
        "——在市总工会十四届五次全委会议上的工作报告\n"
        "（2016年2月20日）\n"
        "同志们：\n"
        "一、2015年工作回顾\n"
        "全市各级工会深入推进工资集体协商，签订集体合同3120份，覆盖职工52.6万人，建会率达到70.13%。\n"
        "开展“送温暖”活动，慰问困难职工1200户，发放慰问金180万元。\n"
        "二、2016年主要任务\n"
        "推进户外劳动者驿站建设，新建驿站50个，方便环卫工人、快递员等户外劳动者歇脚饮水。\n"
    ),
    "jining-news.txt": (
        "济宁市总工会开展金秋助学活动\n"
        "本报记者 张三\n"
        "2018年9月1日，济宁市总工会举行金秋助学金发放仪式，为326名困难职工子女发放助学金98万元。\n"
        "市总工会负责人表示，将持续做好困难职工帮扶工作。\n"
    ),
    "liaoning-gbk.txt": (
        "辽宁省直机关工会关于开展劳动竞赛的通知\n"
        "各有关单位：\n"
        "为深入开展劳动竞赛，弘扬劳模精神和工匠精神，省直机关工会决定在全省开展“安康杯”竞赛活动。"
        "大连、沈阳等地的经验值得学习。\n"
    ),
}


def build_from(base: Path, documents: dict[str, str]) -> Path:
    """Write documents (file name → text) below base and build their index; return the index folder."""
    folder = base / "documents"
    folder.mkdir()
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    build(folder, base / "index")
    return base / "index"


def write_designed(folder: Path) -> Path:
    """Write the designed documents into folder (the GBK one in GBK bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in DESIGNED.items():
        encoding = "gbk" if "gbk" in name else "utf-8"
        (folder / name).write_bytes(text.encode(encoding))
    return folder


@pytest.fixture
def designed_docs(tmp_path: Path) -> Path:
    """Return a fresh folder holding the designed documents."""
    return write_designed(tmp_path / "documents")


@pytest.fixture(scope="session")
def designed_index(tmp_path_factory) -> Path:
    """Return an index built once from the designed documents."""
    base = tmp_path_factory.mktemp("designed")
    documents = write_designed(base / "documents")
    build(documents, base / "index")
    return base / "index"


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """Return an index built once from a copy of the five seed reports."""
    base = tmp_path_factory.mktemp("seeds")
    documents = base / "documents"
    shutil.copytree(SEEDS, documents)
    build(documents, base / "index")
    return base / "index"


@pytest.fixture(scope="session")
def seed_searcher(seed_index: Path) -> Searcher:
    """Return a searcher over the seed index."""
    return Searcher(seed_index)


@pytest.fixture(scope="session")
def designed_searcher(designed_index: Path) -> Searcher:
    """Return a searcher over the designed index."""
    return Searcher(designed_index)
