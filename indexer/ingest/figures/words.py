"""The figure extractor's vocabulary and the jieba reading of the words around a number.

Parts: the word lists (units, verbs, nouns, fillers) → ``tagged_words`` (jieba words with their
part-of-speech flags, our verbs joined when jieba cuts them into characters) → ``clean`` (quotes
dropped) and ``strip_leading`` / ``strip_trailing`` (filler words dropped at the ends of a phrase,
cut only between jieba words) → ``is_verb``.

jieba (the project's user dictionary, HMM off) only tags the short phrases around each number,
so the cost follows the figures.
"""

from __future__ import annotations

import functools
import re

import jieba.posseg

from indexer.text.analysis import segmenter


def _word_set(words: str) -> frozenset[str]:
    """Return the whitespace-separated words of a word list as a set."""
    return frozenset(words.split())


# Units recorded as written, and the written forms recorded as another (money goes with its multiplier).
_UNIT_WORDS = _word_set(
    """
    个百分点 % ‰ 平方公里 平方米 公里 亩 吨 公斤 米 人次 个次 场次 户次 家次 批次 班次 小时 个月 天 周 年 工作日 元 美元
    人 名 位 家 户 个 份 场 次 项 期 所 支 条 件 篇 处 座 间 张 套 台 辆 册 本 种 类 批 对 倍 部
    """
)
UNITS = {unit: unit for unit in _UNIT_WORDS} | {
    "百分点": "个百分点",
    "千米": "公里",
    "个班次": "班次",
    "个工作日": "工作日",
}
DURATIONS = _word_set("年 个月 周 天 工作日 个工作日 小时")
SMALL_CHINESE_UNITS = frozenset({"名", "人", "人次", "户", "家", "项", "个", "元"})

# Verbs that only say the number was produced: stripped (组建20支服务队 → 服务队), kept only
# right before a generic noun (筹集资金, 新建工会).
_LIGHT_VERBS = _word_set(
    """
    举办 开展 组织 精心组织 发放 现场发放 筹集 筹措 组建 建立 成立 签订 新签订 新建 创建 建设 建成 评选 评出 推荐
    推荐评选 提供 投入 投资 安排 列出 列入 征集 收到 播出 查出 发布 制定 引进 争取 协调 培育 命名 表彰 评选表彰
    命名表彰 授予 获得 荣获 获评 选树 完成 实现 达到 达成 提出 召开 聘请 设立 配备 订 拨出 给予 选取 组成 招聘
    授牌 挂牌 评选挂牌 赠送 送 送去 观看 有 共有 拥有 进行 举行 开通 印发 下发 编印 办理 报告 接受 现场接受 上报
    整合 划拨 推动 分赴 赴 达 列 评为 被评为 列为 确定 认定 审核 申报 补助 奖励 表扬 收缴 拨付 下拨 落实
    兑现 录入 提高到 提高至 增加到 增至 深入 走进 来到 前往 获 获得了 取得 推进 选派 派出 动员 吸引
    """
)
# Verbs that change what is counted: kept (慰问困难家庭, 覆盖职工, 发展会员, 资助困难职工子女).
MEANING_VERBS = _word_set(
    """
    慰问 走访慰问 看望慰问 覆盖 涵盖 涉及 资助 救助 帮扶 帮扶救助 帮助 培训 走访 接待 调处 参加 参与 发展 解决
    采纳 整改 督促整改 受益 惠及 吸纳 安置 排查 征求 转载 报道 批示 维权 化解 调解 受理 办结 挽回 追回 入会
    参评 参赛 报名 参训 受到 收看
    """
)
VERBS = _LIGHT_VERBS | MEANING_VERBS
CHANGE_TO = _word_set("提高到 提高至 增加到 增至 提升到 提升至 降低到 降至 下降到")
# Verbs that are nouns after a noun: 重点项目建设, 技术合作组织, 技术帮扶等服务.
NOMINAL_VERBS = _word_set("建设 创建 组织 帮扶 服务 培训 管理 发展 救助")
GENERIC_NOUNS = _word_set(
    """
    职工 企业 单位 人员 会员 工会 家庭 隐患 项目 活动 资金 群众 学生 同学 人 个人 问题 意见 建议 组织 农民工 女职工
    户 款物 经费 案件 对象
    """
)
MODIFIERS = _word_set("市级 省级 县级 区级 国家级 全国 市直 省直 其中 各级 全市 全省 市县 省市")
VALUE_WORDS = _word_set("价值 折价 总价值 金额")
ADVERBS = _word_set("定期 集中 统一 积极 主动 共同 分别 全部 陆续 先后 均 都")
NOUN_FLAGS = _word_set("n nr ns nt nz ng vn an b j l i eng z s zg")
HARD_STOP_FLAGS = ("d", "p", "c", "u", "f", "r", "y", "e", "o", "t")
PREPOSITIONS = _word_set("在 为 对 向 给 从 于 把 将 经 由 按 按照 通过 依托 围绕 替")
STOP_WORDS = _word_set("中 等 和 及 与 或 为 在 上 内 里 以 的 了 着 其中 左右 不等 以上 被")
TOTALS = _word_set("总数 总量 总额 总计 累计 合计")
PUNCTUATION = frozenset("、，,；;：:。！？!?")
QUOTE_CHARS = '“”"‘’「」『』*'
_QUOTES = re.compile("[" + re.escape(QUOTE_CHARS) + "]")
# Words that carry no meaning at the start of an indicator (cut only at a word boundary).
_LEADING_FILLER = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+条|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+是|\d+[、.]|"
    r"其中|此外|同时|另外|截至目前|截止目前|截至|截止|目前|去年|今年|当年|全年|上半年|下半年|全市各级工会|全市工会系统|"
    r"全市工会|各级工会|市总工会|市总|县总|省总|工会工委|市本级|我市|全市|全省|全区|全县|各县市区|先后|共计|共有|共|累计|"
    r"力争|确保|争取|力求|预计|拟|年底前|到年底|今年底|年内|明年|"
    r"总计|合计|新|已经|已|又|再|还|也|均|都|分别|为|对|向|给|和|及|与|等|各级|各类|各种|各项|每年|的|出|到|了|过|以下|中|"
    r"[、，,:：\s（）()])+"
)
_TRAILING_FILLER = re.compile(
    r"(?:分别为|分别是|分别达到|分别达|分别|均为|均达到|均达|均超过|均是|均|已达到|已经达到|已达|达到了|达到|达|为|是|"
    r"不得少于|不少于|不低于|不得低于|不超过|不得超过|不多于|不得多于|"
    r"有|共有|共计|共|计|合计|总计|累计|约|大约|近|将近|接近|超过|逾|超|不足|不到|已|了|到|在|全市|全省|我市|全区|全县|和|及|与|"
    r"[、，,:：\s])+$"
)


@functools.lru_cache(maxsize=1)
def _pos_tokenizer() -> jieba.posseg.POSTokenizer:
    """Return the part-of-speech tagger over the project's segmenter (its user dictionary)."""
    return jieba.posseg.POSTokenizer(segmenter())


@functools.lru_cache(maxsize=32768)
def tagged_words(phrase: str) -> tuple[tuple[str, str], ...]:
    """Return jieba (word, flag) pairs; single characters that spell one of our verbs (选+树) are joined.

    The HMM for unknown words is off: it costs two thirds of the time and the verbs
    it would find are in the word lists above.
    """
    if not phrase:
        return ()
    pairs = [(pair.word, pair.flag) for pair in _pos_tokenizer().cut(phrase, HMM=False)]
    joined: list[tuple[str, str]] = []
    index = 0
    while index < len(pairs):
        for width in (3, 2):
            chunk = pairs[index : index + width]
            word = "".join(part for part, _ in chunk)
            if len(chunk) == width and len(word) <= width + 1 and word in VERBS:
                joined.append((word, "v"))
                index += width
                break
        else:
            joined.append(pairs[index])
            index += 1
    return tuple(joined)


def clean(phrase: str) -> str:
    """Return a phrase without quotes and surrounding spaces."""
    return _QUOTES.sub("", phrase).strip()


def strip_leading(text: str) -> str:
    """Drop filler words from the start of text, cutting only between jieba words (和谐 keeps its 和)."""
    match = _LEADING_FILLER.match(text)
    if not match:
        return text
    cut = boundary = 0
    for word, _ in tagged_words(text):
        boundary += len(word)
        if boundary > match.end():
            break
        cut = boundary
    return text[cut:]


def strip_trailing(text: str) -> str:
    """Drop filler words from the end of text, cutting only between jieba words."""
    match = _TRAILING_FILLER.search(text)
    if not match:
        return text
    boundary = len(text)
    for word, _ in reversed(tagged_words(text)):
        if boundary - len(word) < match.start():
            break
        boundary -= len(word)
    return text[:boundary]


def is_verb(word: str, flag: str) -> bool:
    """Say whether a tagged word is a verb: one of ours, or tagged as one by jieba (a verbal noun is not)."""
    return word in VERBS or (flag.startswith("v") and flag != "vn")
