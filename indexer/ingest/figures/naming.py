"""Naming: the indicator of each quantity of a sentence, from its own words and its neighbours'.

Parts: ``Reading`` (what the figures read so far in a sentence leave for the next one) →
``indicator_names`` (one name, or one per subject: 分别 hands the subjects of a list out in order,
签订率和覆盖率分别为85%和92%; 均 over rates gives each rate, 建会率和入会率均达到98%以上;
a change 同比增长31% or a total 总数达283家 takes the previous indicator) → ``_indicator``
(the words before the number, the measured noun after its unit, or the previous clause's noun).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from indexer.ingest.figures import clauses
from indexer.ingest.figures.kind import is_benchmark
from indexer.ingest.figures.phrases import After, Before, head_noun, read_after, read_before, trailing_noun
from indexer.ingest.figures.quantities import Quantity
from indexer.ingest.figures.timing import FROM_START
from indexer.ingest.figures.words import (
    GENERIC_NOUNS,
    MEANING_VERBS,
    MODIFIERS,
    TOTALS,
    clean,
    strip_leading,
    strip_trailing,
)

_GROUP = re.compile(r"(?P<word>分别|(?<![年平人])均)(?:为|是|达到|达|占|有|超过|在|增长|提高|下降|增加|减少)?$")
_SUBJECT_SPLIT = re.compile(r"和|及|与|、")
_LIST_JOINER = re.compile(r"[、和及与]")
_CHANGE = re.compile(r"^(?:同比|比上年|较上年|年均|[比较].{1,5})?(?:增长|下降|提高|增加|减少|增幅|降幅|上涨)$")
_ENUMERATION_START = re.compile(r"^[、和及与]")
_FROM_TO = re.compile(
    r"^(?:下降|增加|提高|减少|增长|上升|降低|提升|扩大|缩小|调整|上调|下调)(?:到|至)(?:(?:19|20)\d\d年(?:底|末)?的?)?$"
)
_FROM_YEAR = re.compile(r"^(?P<subject>.+?)" + FROM_START)
_REACHES = re.compile(r"^(?:达到|达|突破|超过|增至|增加到|提高到|提升到|上升到|扩大到)$")
_FROM = re.compile(FROM_START)
_CHANGE_END = re.compile(r"(?:同比|比上年|较上年|年均)?(?:增长|下降|提高|增加|减少|增幅|降幅|上涨)$")
_DEMONSTRATIVE = re.compile(r"(?:这|那|该|此|上述|前述|上述[^，,]{0,8}的)$")


@dataclass
class Reading:
    """What the figures read so far in a sentence leave for the next one."""

    consumed: int = 0  # where the previous figure's words end
    previous_end: int = -1  # where the previous quantity ends
    previous_indicator: str = ""
    group_subject: str = ""  # subject of the last 分别 / 均 group, for a benchmark after it
    clause_verb: str = ""
    clause_start: int = -1
    pending: list[str] = field(default_factory=list)  # subjects of a 分别 list still to hand out
    previous_clause: str = ""  # the clause before the current one
    previous_before: str = ""  # the words before the previous quantity (失业率由 of 由4.5%下降到3.9%)
    previous_measure: str = ""  # level, change, share or count of the previous figure


def indicator_names(
    sentence: str, quantities: Sequence[Quantity], position: int, raw_before: str, after_text: str, reading: Reading
) -> list[str]:
    """Return the indicator(s) of one quantity: one name, or one per subject of a 均 group."""
    cleaned = clean(raw_before)
    if reading.pending and cleaned.strip("、和及与,， ") == "":
        return [reading.pending.pop(0)]
    reading.pending = []
    if reading.previous_indicator and _FROM_TO.match(cleaned) and _FROM.search(reading.previous_before):
        return [reading.previous_indicator]  # 失业率由4.5%下降到3.9% → 失业率 3.9%
    from_year = _FROM_YEAR.match(cleaned)
    if from_year:  # 增幅由2016年的5.6%提高到91.4% → 增幅 5.6%; 比重由42.4%提高到53.2% → 比重 42.4%
        subject = clean(strip_trailing(strip_leading(from_year["subject"])))
        if subject:
            return [subject]
    if reading.previous_indicator and _REACHES.match(cleaned):
        return [_CHANGE_END.sub("", reading.previous_indicator)]  # 利润增长3.9倍，达到1248.1亿元 → 利润
    if _DEMONSTRATIVE.search(cleaned):
        return [""]  # 这两个会议, 上述四个单位: a reference back, not a statistic
    group = _GROUP.search(cleaned)
    if group:
        subject_text = cleaned[: group.start()]
        subject = clean(strip_trailing(strip_leading(subject_text)))
        parts = [part for part in (clean(part) for part in _SUBJECT_SPLIT.split(subject)) if part]
        reading.group_subject = subject
        if group["word"] == "分别":
            listed = 1 + _list_length(sentence, quantities, position)
            if len(parts) == listed > 1:
                reading.pending = parts[1:]
                return [parts[0]]
            if listed == 2 and subject.startswith("城乡居民"):  # 城乡居民人均可支配收入分别增长8%和9%
                rest = subject.removeprefix("城乡居民")
                reading.pending = ["农村居民" + rest]
                return ["城镇居民" + rest]
            if subject:
                reading.pending = [subject] * (listed - 1)  # one subject, several values: each has it
                return [subject]
        elif len(parts) > 1 and len({part[-1] for part in parts}) == 1 and parts[0][-1] in "率数":
            return parts  # 建会率和入会率均达到98%以上
        elif subject:
            return [subject]
    if is_benchmark(raw_before, after_text) and (reading.group_subject or reading.previous_indicator):
        return [reading.group_subject or reading.previous_indicator]
    before = read_before(raw_before)
    if before.verb:
        reading.clause_verb = before.verb
    after = read_after(after_text)
    listed = _list_length(sentence, quantities, position)
    # 分别给予1.5万元、1万元、0.6万元的资金补助: the noun after the list is every member's
    if listed and not after.noun:
        last = quantities[position + listed]
        list_after = read_after(sentence[last.end : clauses.find_clause_end(sentence, last.end)])
        after = list_after if list_after.noun else after
    following = quantities[position + 1] if position + 1 < len(quantities) else None
    next_noun = ""
    if following is not None and clauses.find_clause_end(sentence, quantities[position].end) > following.start:
        next_noun = read_after(sentence[following.end : clauses.find_clause_end(sentence, following.end)]).noun
        if not after.noun and not after.phrase and following.start == quantities[position].end:
            after = read_after(
                sentence[following.end : clauses.find_clause_end(sentence, following.end)]
            )  # 举办了2天4场联谊活动
    indicator = _indicator(before, cleaned, after, next_noun, reading)
    if _CHANGE.match(indicator) and reading.previous_indicator:
        # 投入资金54万元，同比增长31%; 国内生产总值增长57.3%，年均增长9.5% → 国内生产总值年均增长
        indicator = _CHANGE_END.sub("", reading.previous_indicator) + indicator
    elif indicator in TOTALS and reading.previous_indicator:
        # 新增上市公司27家、总数达283家 → 上市公司总数
        indicator = re.sub("^(?:新增|新建|新)", "", reading.previous_indicator) + indicator
    return [indicator]


def _list_length(sentence: str, quantities: Sequence[Quantity], position: int) -> int:
    """Count the quantities joined to this one by 、和及与 (the rest of a list)."""
    count = 0
    previous = quantities[position]
    for following in quantities[position + 1 :]:
        between = clean(sentence[previous.end : following.start])
        if not between or between.strip("、和及与 ") or not _LIST_JOINER.search(between):
            break
        count += 1
        previous = following
    return count


def _indicator(before: Before, cleaned_before: str, after: After, next_noun: str, reading: Reading) -> str:
    """Return the indicator of one quantity from the phrase before it, the noun after it and what came before."""
    measured = after.noun
    if measured in MODIFIERS and next_noun:
        # 全市1个市级、7个县级职工服务中心 → 市级职工服务中心
        modifier = next((word for word in MODIFIERS if next_noun.startswith(word)), "")
        if modifier:
            measured += next_noun.removeprefix(modifier)
    if measured in GENERIC_NOUNS and after.phrase:
        measured += after.phrase  # 1000余家单位10万余名职工参与各种形式的劳动竞赛
    if before.value_of and measured:
        return measured + "价值"  # 发放价值3万余元扶贫物资 → 扶贫物资价值
    short_before = len(before.indicator) <= 12 and "、" not in before.indicator
    if (
        before.indicator
        and measured
        and not before.defer
        and (before.container or (after.direct and short_before and 2 <= len(after.noun) <= 3))
        and before.indicator != before.verb + measured
    ):
        return before.indicator + measured  # 临沂电视台3个频道, 市总机关和直属事业单位3个党支部
    if before.indicator and not ((before.defer and measured) or (after.direct and len(measured) > 1)):
        if _ENUMERATION_START.match(cleaned_before) and reading.clause_verb and before.indicator in GENERIC_NOUNS:
            return reading.clause_verb + before.indicator  # 覆盖企业13687家、职工116万人 → 覆盖职工
        return before.indicator
    if measured:
        if before.modifier:
            return before.modifier + measured
        if before.verb in MEANING_VERBS or (before.adjacent and len(before.verb) > 1 and measured in GENERIC_NOUNS):
            return before.verb + measured  # 覆盖职工, 投入11.9万元资金
        return measured
    if cleaned_before.startswith("已") and reading.previous_indicator:
        return reading.previous_indicator + strip_trailing(cleaned_before)  # 帮扶措施已推进和落实203项
    if before.verb in MEANING_VERBS and before.adjacent and reading.previous_indicator:
        return reading.previous_indicator + before.verb  # 新建工会361家，涵盖653家 → 新建工会涵盖
    if before.verb in ("举办", "开展", "进行", "组织") and reading.previous_clause:
        return trailing_noun(reading.previous_clause) or before.verb  # 进行了巡回宣讲，累计举办20余场
    if after.phrase:
        return after.phrase  # 1000多人参加
    previous = reading.previous_indicator
    if before.relative and previous:
        own = strip_trailing(strip_leading(cleaned_before))
        if own.endswith("的"):
            return own + head_noun(previous)  # 百人以上企业中已建立工会组织的682家 → …的企业
    if before.modifier and previous:
        return before.modifier + strip_leading(previous).removeprefix(before.modifier)
    per_unit = re.search(r"每(?:人|名|户|个|家|位|月|年)", cleaned_before)
    if before.verb and per_unit:
        return per_unit.group() + before.verb  # 对困难职工子女每人资助3000—5000元 → 每人资助
    return before.verb
