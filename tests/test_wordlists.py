"""The ingest word lists kept as data: their loader, and the files themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.ingest import wordlists
from indexer.text.lexicon import DATA_DIR

LIST_FILES = sorted([*DATA_DIR.glob("figures/*.txt"), *DATA_DIR.glob("metadata/*.txt")])


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    """Point the loader at an empty folder, its caches cleared before and after."""
    monkeypatch.setattr(wordlists, "DATA_DIR", tmp_path)
    wordlists.word_list.cache_clear()
    wordlists.word_table.cache_clear()
    yield tmp_path
    wordlists.word_list.cache_clear()
    wordlists.word_table.cache_clear()


def test_a_list_is_read_in_order_without_its_comments(data_dir: Path):
    (data_dir / "sample.txt").write_text("# what it is for\n# Source: here\n全市\n我市\n\n全 州\n", encoding="utf-8")
    assert wordlists.word_list("sample") == ("全市", "我市", "全", "州")
    assert wordlists.word_set("sample") == frozenset({"全市", "我市", "全", "州"})


def test_an_alternation_keeps_the_order_and_escapes_what_regexes_read(data_dir: Path):
    (data_dir / "units.txt").write_text("个百分点\n%\n1+3\n", encoding="utf-8")
    assert wordlists.alternation("units") == r"个百分点|%|1\+3"
    assert re.fullmatch(wordlists.alternation("units"), "1+3")


def test_a_table_maps_its_first_column_to_its_second(data_dir: Path):
    (data_dir / "aliases.csv").write_text("written,recorded\n百分点,个百分点\n千米, 公里\n", encoding="utf-8")
    assert wordlists.word_table("aliases") == {"百分点": "个百分点", "千米": "公里"}


def test_the_shipped_lists_are_all_there():
    assert {path.relative_to(DATA_DIR).as_posix() for path in LIST_FILES} >= {
        "figures/light_verbs.txt",
        "figures/units.txt",
        "metadata/body_suffixes.txt",
        "metadata/citing_words.txt",
    }
    assert wordlists.word_table("figures/unit_aliases")["百分点"] == "个百分点"


@pytest.mark.parametrize("path", LIST_FILES, ids=lambda path: path.relative_to(DATA_DIR).as_posix())
def test_each_shipped_list_says_its_source_and_holds_distinct_words(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    words = [line for line in lines if not line.startswith("#")]
    assert lines[0].startswith("# ")  # what the list is for comes first
    assert any(line.startswith("# Source:") for line in comments)
    assert words and all(word and word == word.strip() and " " not in word for word in words)
    assert len(words) == len(set(words)), [word for word in words if words.count(word) > 1]
