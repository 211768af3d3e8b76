"""Indicators: what the words before a number and after its unit say about it.

Parts: ``read_before`` (the phrase between the previous figure or the clause start and the
number, as a ``Before``: its noun phrase with subjects such as 全市各级工会, adverbs such as
共 and 累计 and light verbs such as 发放, 筹集 and 组建 stripped; the verb that changes what is
counted (慰问, 覆盖, 资助, 发展) kept) → ``read_after`` (the measured noun after the unit, as an
``After``: 组建20支职工技术服务队 → 职工技术服务队, and the verb phrase after it) → ``trailing_noun``
and ``head_noun`` (the noun a clause ends with, the head of an indicator).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.ingest.figures.words import (
    ADVERBS,
    CHANGE_TO,
    GENERIC_NOUNS,
    HARD_STOP_FLAGS,
    MEANING_VERBS,
    MODIFIERS,
    NOMINAL_VERBS,
    NOUN_FLAGS,
    PREPOSITIONS,
    PUNCTUATION,
    QUOTE_CHARS,
    STOP_WORDS,
    UNITS,
    VALUE_WORDS,
    VERBS,
    clean,
    is_verb,
    strip_leading,
    strip_trailing,
    tagged_words,
)
from indexer.ingest.wordlists import alternation
from indexer.text.numerals import NUMERAL_CHARACTERS, numeral_value

_PLACE_LIST = re.compile(r"^[省市县区乡镇村、和及与两三四五级]+$")
_QUOTED_NAME = re.compile(r"[“\"「]([^”\"」]{1,20})[”\"」]")
_COPULA_SUBJECT = re.compile(f"(?:{alternation('figures/measure_endings')})$")
_CONTAINER_END = re.compile(f"(?:{alternation('figures/container_ends')})$")


@dataclass(frozen=True)
class Before:
    """What the phrase before a number says about it."""

    indicator: str = ""  # the noun phrase, "" when none
    verb: str = ""  # the verb that produced the number, "" when none
    adjacent: bool = False  # nothing but filler between the verb and the number
    modifier: str = ""  # a lone modifier (其中市级14家, 每人) waiting for a noun
    relative: bool = False  # the phrase ends with 的 (已建立工会组织的682家)
    defer: bool = False  # the noun after the number names the thing better (为1877名职工, 北京、广东等16个省)
    container: bool = False  # the phrase names a place holding the things counted (临沂电视台3个频道)
    value_of: bool = False  # 价值3万余元扶贫物资: the number is the value of the noun after it


def _last_verb(words: Sequence[tuple[str, str]]) -> int:
    """Return the index of the last verb that produced the number (a verb used as a noun is skipped), -1 if none."""
    for index in range(len(words) - 1, -1, -1):
        word = words[index][0]
        if word not in VERBS:
            continue
        after_noun = index + 1 < len(words) and (words[index + 1][1] in NOUN_FLAGS or words[index + 1][0] in "等、（(")
        nominal = (
            word in NOMINAL_VERBS
            and index > 0
            and (words[index - 1][1] in NOUN_FLAGS or words[index - 1][1] == "b")
            and (after_noun or (index + 1 == len(words) and word == "组织"))
        )
        if not nominal:
            return index
    return -1


_GROWTH_VERBS = frozenset(("增长", "下降", "提高", "增加", "减少", "上涨", "降低", "上升", "回落"))


def read_before(phrase: str) -> Before:
    """Read the phrase between the previous figure (or clause start) and the number."""
    last_digit = max((index for index, char in enumerate(phrase) if char.isdigit()), default=-1)
    raw = phrase[last_digit + 1 :]
    if last_digit >= 0:
        raw = re.sub(
            r"^(?:年度|年|月份|月|日|[^、，,]{0,2}[、，,])", "", raw
        )  # 2007年城镇居民人均可支配收入 → 城镇居民人均可支配收入
    phrase = clean(raw)
    ends_with_quote = raw.rstrip()[-1:] in '”"' and "、" in raw
    defer = phrase.endswith("等") or ends_with_quote or len(phrase) > 24
    relative = phrase.endswith(("的", "的有"))
    if phrase.endswith(("对", "向", "给", "替")) or (phrase.endswith("为") and not _COPULA_SUBJECT.search(phrase[:-1])):
        defer = True
    new_level = phrase.endswith(("到", "至"))  # 减少到300万吨: a new level
    phrase = strip_trailing(phrase)
    words = tagged_words(phrase)
    if len(words) > 1 and words[-1][0] in _GROWTH_VERBS:
        subject = strip_leading("".join(word for word, _ in words[:-1]))
        if subject and new_level:
            return Before(subject, words[-1][0], True)  # 粮食产量减少到300万吨 → 粮食产量
        if subject:  # 全社会固定资产投资增长10% → 全社会固定资产投资增长 (比上年增长: the previous indicator's)
            return Before(subject + words[-1][0], "", False)
    verb_at = _last_verb(words)
    verb = words[verb_at][0] if verb_at >= 0 else ""
    rest = words[verb_at + 1 :]
    adjacent = not strip_trailing("".join(word for word, _ in rest))
    cut = max((index for index, (word, _) in enumerate(rest) if word in PREPOSITIONS), default=-1)
    subject = strip_leading("".join(word for word, _ in rest[:cut])) if cut > 0 else ""
    if subject.endswith(("率", "数")):  # 建制率在国有企业保持100%: the rate, not the place
        return Before(subject, verb, False)
    remainder = strip_trailing(strip_leading("".join(word for word, _ in rest[cut + 1 :])))
    remainder_words = tagged_words(remainder)
    if remainder_words and remainder not in ("率", "数") and all(is_verb(word, flag) for word, flag in remainder_words):
        verb, remainder, remainder_words, adjacent = remainder, "", (), True
    if remainder.endswith("的"):
        relative, remainder = True, ""
    if len(remainder) == 1 and remainder not in "率数":
        remainder = ""  # 分赴7市11个县: the 市 left by a number that is not a figure
    if remainder in ("率", "数", "额") and verb:
        remainder, verb = verb + remainder, ""  # 开展率
    if remainder in VALUE_WORDS:
        return Before(verb=verb, value_of=True, defer=True)
    if verb in CHANGE_TO and not remainder and verb_at > 0:
        subject = strip_leading("".join(word for word, _ in words[:verb_at]))
        if subject.endswith(("率", "数", "额", "标准", "比重")):
            return Before(subject, verb, adjacent)  # 贡献率提高到50%以上 → 贡献率
    if verb in CHANGE_TO and "每" in remainder and verb_at > 0:
        subject = strip_leading("".join(word for word, _ in words[:verb_at]))
        return Before(remainder + subject, verb, adjacent)  # 标准提高到本科生每人5000元 → 本科生每人标准
    if remainder in MODIFIERS or _PLACE_LIST.match(remainder) or re.fullmatch("每.{1,2}", remainder):
        modifier = "" if remainder in ("其中", "各级", "全市", "全省") else remainder
        return Before(verb=verb, adjacent=adjacent, modifier=modifier, relative=relative)
    if not remainder:
        return Before(verb=verb, adjacent=adjacent, relative=relative, defer=defer)
    container = remainder_words[-1][1] in ("ns", "nt") or bool(_CONTAINER_END.search(remainder))
    if verb and (verb in MEANING_VERBS or remainder in GENERIC_NOUNS):
        remainder = verb + remainder
    return Before(remainder, verb, adjacent, "", relative, defer, container)


@dataclass(frozen=True)
class After:
    """The noun written after a unit, and the verb phrase that follows it."""

    noun: str = ""
    length: int = 0  # characters of the text the noun spans
    phrase: str = ""  # verb phrase after the noun (1000多人参加 → 参加), "" when none
    direct: bool = False  # the noun follows the unit at once (3个党支部), not after 的


def read_after(text: str) -> After:
    """Read the measured noun after the unit: 组建20支职工技术服务队 → 职工技术服务队, 44家“工友创业园”."""
    lead = re.match(r"(?:不等的|左右的|的)?", text).end()
    quoted = _QUOTED_NAME.match(text, lead)
    if quoted:
        tail = _noun_run(text[quoted.end() :])
        return After(clean(quoted.group(1)) + tail[0], quoted.end() + tail[1], direct=lead == 0)
    noun, length, rest, by_number = _noun_run(text[lead:])
    phrase = ""
    if rest and not by_number and (is_verb(*rest[0]) or (noun and rest[0][1] == "a")):
        for position, (word, _) in enumerate(rest):
            next_word = rest[position + 1][0] if position + 1 < len(rest) else ""
            if word == "、" and next_word and not next_word[0].isdigit():
                phrase += word  # 荣获全国、省和市“五一”劳动奖章
                continue
            if word[0].isdigit() or word in PUNCTUATION or (phrase and word == "并"):
                if word[0].isdigit():
                    phrase = ""
                break
            if len(clean(phrase + word)) > 16:
                phrase = phrase.rsplit("、", 1)[0]  # cut a long list at an item boundary
                break
            phrase += word
    if not noun and not phrase:
        relative = re.match(r"([^，,、的\d]{2,8})的", text[lead:])  # 确保21家尚未建会的完成建会任务
        if relative:
            return After("", 0, relative.group(1))
    return After(noun, lead + length if noun else 0, clean(phrase).rstrip("、的").removesuffix("了"), direct=lead == 0)


def _noun_run(text: str) -> tuple[str, int, tuple[tuple[str, str], ...], bool]:
    """Return (noun, characters spanned, the words after it, stopped by a number) at the start of text."""
    words = tagged_words(text[:30])
    index = 0
    position = 0
    while index < len(words) and (words[index][1] == "r" or words[index][0] in QUOTE_CHARS):
        position += len(words[index][0])
        index += 1
    start_index, start = index, position
    kept: list[tuple[str, str, int]] = []  # (word, flag, end position)
    depth = 0
    by_number = False
    while index < len(words):
        word, flag = words[index]
        following = words[index + 1][1] if index + 1 < len(words) else ""
        after_following = words[index + 2][1] if index + 2 < len(words) else ""
        if depth:
            depth += 1 if word in "（(" else 0
            depth -= 1 if word in "）)" else 0
        elif word in "（(" and kept:
            depth = 1
        elif word in QUOTE_CHARS:
            if clean("".join(kept_word for kept_word, _, _ in kept)) in GENERIC_NOUNS:
                break  # 11个单位“滨州市五一劳动奖状”: the quoted name is another object
            position += len(word)
            index += 1
            continue
        elif word[0].isdigit() or _numeral_word(word):
            by_number = True
            break
        elif word in PUNCTUATION or word in STOP_WORDS or flag.startswith(HARD_STOP_FLAGS) or flag == "x":
            break
        elif word in VERBS:
            # 帮扶措施已推进: a verb before a noun that is itself a subject
            noun_phrase = not kept and following in NOUN_FLAGS and after_following.startswith(("d", "p", "v"))
            if not noun_phrase:
                break
        elif flag not in NOUN_FLAGS and flag[:1] not in ("v", "a", "m", "q"):
            break
        position += len(word)
        kept.append((word, flag, position))
        index += 1
    stop_word = words[start_index + len(kept)][0] if start_index + len(kept) < len(words) else ""
    if len(kept) == 1 and kept[0][1].startswith("v") and kept[0][0] not in VERBS and stop_word in ("为", "的"):
        pass  # 请50名处长为振兴发展献计献策: jieba tags 处长 as a verb
    else:
        while kept and (
            (kept[-1][1][:1] in ("v", "a", "d", "m") and kept[-1][1] != "vn")
            or kept[-1][0] in ADVERBS
            or (kept[-1][1] == "vn" and len(kept) > 1 and stop_word in ("或", "和"))
        ):
            kept.pop()  # 单身职工报名 → 单身职工; 33个市直部门（单位）调整或配备 → 市直部门（单位）
    if kept and kept[-1][0] == "基础" and index < len(words) and words[index][0] == "上":
        kept.pop()  # 10个劳模创新工作室基础上
    if by_number and len(kept) > 1:
        kept = kept[:1]  # 99个单位困难职工610人: 单位 is this number's, 困难职工 the next one's
    end = kept[-1][2] if kept else start
    rest = words[start_index + len(kept) :] if kept else words[start_index:]
    return clean(text[start:end]), end, rest, by_number


def _numeral_word(word: str) -> bool:
    """Say whether a jieba word starts with a Chinese count (七个, 十二项) rather than 一线, 一些."""
    digits = re.match("[" + NUMERAL_CHARACTERS + "]+", word)
    value = numeral_value(digits.group()) if digits else None
    bare = digits is not None and digits.group() in ("万", "千", "百", "亿")  # 千部 is OCR for 干部
    return value is not None and value >= 2 and not bare and word[digits.end() :] in UNITS


def trailing_noun(clause: str) -> str:
    """Return the noun phrase a clause ends with (进行了巡回宣讲 → 巡回宣讲), "" when it ends otherwise."""
    words = tagged_words(clean(clause))
    kept: list[str] = []
    for word, flag in reversed(words):
        if word in VERBS or word in STOP_WORDS or word in PUNCTUATION or not (flag in NOUN_FLAGS or flag == "v"):
            break
        kept.insert(0, word)
    phrase = "".join(kept)
    return phrase if 2 <= len(phrase) <= 10 else ""


def head_noun(indicator: str) -> str:
    """Return the head noun of an indicator: 百人以上企业 → 企业."""
    words = tagged_words(indicator)
    head = words[-1][0] if words else ""
    generic = next((noun for noun in sorted(GENERIC_NOUNS, key=len, reverse=True) if head.endswith(noun)), "")
    return generic if generic and len(head) > 5 else head
