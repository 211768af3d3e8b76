"""Kind: whether a figure is a target ("target") or an achievement ("actual").

Parts: ``section_kind`` (the kind a section heading implies: 工作安排 → target, 工作回顾 →
actual) → ``figure_kind`` (a target when the sentence states a plan: 力争, 确保, 拟, 年内, 目标 …,
or a rule: 应当, 不得少于; else the section's kind; else actual) → ``is_benchmark`` (a requirement
quoted for comparison, 超过了省总提出的65%的要求, is a target inside an actual sentence) and
``BASELINE_AFTER`` (the baseline of a plan, 在…10个…的基础上, is actual).
"""

from __future__ import annotations

import re

from indexer.ingest.figures.words import clean, strip_trailing

ACTUAL = "actual"
TARGET = "target"

_TARGET_MARKERS = re.compile(
    r"力争|(?<!为)确保(?!了)|目标|(?<![模比])拟(?!定)|预计|力求|年内|应当|不得|不少于|不低于|不超过|必须|"
    r"年底前|到年底|今年底|到本年底|到\d{4}年|计划(?:在|于|到|用|新建|建设|完成|开展|举办|投入|发放|培训|组织|实施)|"
    r"(?<![重主需只纲必首摘提紧显想])要(?![求约点素害闻职件员案务])|"
    r"将(?=[于在要会继进着开通采举组推加建实完达力争努重紧以对按大深广积切认逐率启])"
)
_PAST_MARKERS = re.compile(r"已|(?<![为])了(?!解)|截至|截止|目前|去年|累计|先后|期间|以来|共有|共计|\d{4}年")
_BENCHMARK_BEFORE = re.compile(r"(?:要求|提出|下达|规定|标准|目标)的?$")
_BENCHMARK_AFTER = re.compile(r"^的?(?:要求|目标|任务|标准)")
BASELINE_AFTER = re.compile(r"^[^，,；]*基础上")
_WEAK_PLAN_START = re.compile(r"^(?:[■●◆\s]|[一二三四五六七八九十]+是)*(?:加大|做好|抓好|继续|进一步|着力|全力|力争)")
_SECTION_TARGET = re.compile(r"安排|任务|要点|工作思路|打算|计划|下一步|今后|展望|目标|年内|重点工作|总体要求")
_SECTION_ACTUAL = re.compile(r"回顾|总结|成绩|成效|进展|情况|过去(?:的)?[一五]年|[一五]年来|工会工作$")


def heading_kind(heading: str) -> str | None:
    """Return the kind one heading implies: 工作安排 → target, 工作回顾 → actual, else None."""
    if _SECTION_TARGET.search(heading):
        return TARGET
    if _SECTION_ACTUAL.search(heading):
        return ACTUAL
    return None


def section_kind(section: str) -> str | None:
    """Return the kind a section path implies: the outermost heading with a signal decides
    (一、2015年主要工作回顾 › 1、创新思路 → actual)."""
    return next((kind for kind in map(heading_kind, section.split("›")) if kind), None)


def figure_kind(sentence: str, clause: tuple[int, int], default_kind: str | None) -> str:
    """Return the kind of a figure from the target markers around its clause."""
    clause_start, clause_end = clause
    markers = [match.start() for match in _TARGET_MARKERS.finditer(sentence)]
    clause_past = bool(_PAST_MARKERS.search(sentence, clause_start, clause_end))
    if any(clause_start <= marker < clause_end for marker in markers):
        return TARGET
    if any(marker < clause_start for marker in markers) and not clause_past:
        return TARGET
    if any(marker >= clause_end for marker in markers) and not _PAST_MARKERS.search(sentence):
        return TARGET
    if default_kind:
        return default_kind
    if _WEAK_PLAN_START.match(sentence) and not _PAST_MARKERS.search(sentence):
        return TARGET
    return ACTUAL


_PLAN_PAST = re.compile(r"已|截至|截止|去年|上年|(?<![为])了(?!解)|累计已|目前|基础上")
_REVIEW_TARGET = re.compile(r"力争|(?<!为)确保(?!了)|目标(?:是|为)|计划(?:在|于|到|用)")
_FUTURE_YEAR = re.compile(r"(?:到|至|在)((?:19|20)\d\d)年")


def stance_kind(
    sentence: str, clause: tuple[int, int], stance_kind: str, review_year: int | None, year: int | None = None
) -> str:
    """Return the kind of a figure in a passage whose stance is known: the section first, wording second.

    In a plan, a figure is a target unless its clause speaks of the past (已, 截至, 去年, 在…基础上); in
    a review it is an actual (预计…完成 included) unless its clause sets a goal (力争, 确保, 到2025年 after
    the reviewed year).
    """
    clause_start, clause_end = clause
    text = sentence[clause_start:clause_end]
    if stance_kind == "plan":
        past = year is not None and review_year is not None and year <= review_year  # 2005年…增长57.3%
        return ACTUAL if past or _PLAN_PAST.search(text) else TARGET
    future = any(review_year is not None and int(year) > review_year for year in _FUTURE_YEAR.findall(text))
    return TARGET if future or _REVIEW_TARGET.search(text) else ACTUAL


def is_benchmark(raw_before: str, after_text: str) -> bool:
    """Say whether the number is a requirement quoted for comparison (省总提出的65%的要求)."""
    return bool(_BENCHMARK_BEFORE.search(strip_trailing(clean(raw_before))) or _BENCHMARK_AFTER.match(after_text))
