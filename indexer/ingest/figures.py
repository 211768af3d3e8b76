"""Quantitative indicators (figures) in union report text: 建会率 70.13 %, 慰问金 180 万元.

Parts, in the order they run:

* ``_sentences`` — cut the passage at 。！？； (and line ends); a figure keeps its sentence.
* ``_quantities`` — one regex finds number + multiplier + approximation + unit
  (1.1万人次, 650余家, 两万余人, 三千元, 70.13%, 2.3个百分点); ``_is_figure`` then
  rejects what only looks like a number: years (2015年), dates (10月30日),
  ordinals (第三届, 十四届四次, 十九大), document numbers (〔2015〕12号), phone
  numbers, names in quotes or titles (“五一”, “1+3”, 《…》), hotline numbers
  (12351热线) and idioms (万家, 百人以上企业).
* ``_value_and_unit`` — people and things are expanded to the base unit
  (1.1万人次 → 11000 人次); money keeps 万元 / 亿元 (1078.46万元 → 1078.46 万元).
* ``_indicator`` — the noun phrase before the number, with subjects (全市各级工会),
  adverbs (共, 累计) and light verbs (发放, 筹集, 组建) stripped; verbs that change
  what is counted (慰问, 覆盖, 资助, 发展) are kept; when nothing is left, the
  measured noun after the unit (组建20支职工技术服务队 → 职工技术服务队).
* ``_kind`` — "target" when the sentence states a plan (力争, 确保, 拟, 年内, 目标 …)
  or a rule (应当, 不得少于), or the passage sits in a plan section, else "actual";
  a requirement quoted as a benchmark (超过了省总提出的65%的要求) is a target inside
  an actual sentence, and the baseline of a plan (在…10个…的基础上) is actual.
* ``figures_by_passage`` — runs ``extract_figures`` over a document's passages with
  the kind their section headings imply (``section_kind``: 工作安排 → target,
  工作回顾 → actual), carried over to the untitled sections that follow a heading.

Conventions:

* ``approx`` is one of 余, 多, 近, 约, 超过, 以上 or "" — 几 and 多 → 多; 左右, 大约 → 约;
  逾, 超 → 超过; 将近, 接近, 不足, 不到 → 近.
* A range (3000元到5000元, 3000—5000元, 2--4户) is two figures with the same indicator
  suffixed （下限） and （上限）, each with the range's unit.
* A list with 分别 (签订率和覆盖率分别为85%和92%) gives each figure its own subject;
  均 over rates (建会率和入会率均达到98%以上) gives one figure per rate.
* ``start``/``end`` cover the quantity as written, number to unit (``text[start:end]``
  is "1.1万人次", "650余家", "70.13%"); a prefix such as 近 or 超过 lies outside.

The word lists below (units, verbs, fillers, target words) are domain knowledge kept
next to the functions that read them; jieba (the project's user dictionary, HMM off)
only tags the short phrases around each number, so the cost follows the figures.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import jieba.posseg

from indexer.text.analysis import segmenter

ACTUAL = "actual"
TARGET = "target"


@dataclass(frozen=True)
class Figure:
    """One quantitative indicator in a sentence."""

    indicator: str
    value: float
    unit: str
    approx: str
    kind: str
    sentence: str
    start: int
    end: int


class _PassageLike(Protocol):
    text: str
    section: str


# ---------------------------------------------------------------- numbers and units


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
_UNITS = {unit: unit for unit in _UNIT_WORDS} | {
    "百分点": "个百分点",
    "千米": "公里",
    "个班次": "班次",
    "个工作日": "工作日",
}
_DURATIONS = _word_set("年 个月 周 天 工作日 个工作日 小时")
_UNIT_PATTERN = "|".join(re.escape(unit) for unit in sorted(_UNITS, key=len, reverse=True))
_CHINESE_DIGITS = "〇零一二两三四五六七八九十百千万亿"
_QUANTITY = re.compile(
    r"(?<![\d.A-Za-z])"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?|[" + _CHINESE_DIGITS + r"]+)"
    r"(?P<approx1>余|多|几)?"
    r"(?P<multiplier>万|亿|千)?"
    r"(?P<approx2>余|多)?"
    r"(?P<unit>" + _UNIT_PATTERN + r")?"
    r"(?P<suffix>以上|左右)?"
)
_RANGE_JOINER = re.compile(r"\s*(?:-{1,2}|—{1,2}|–|~|～|－|至|到)\s*")
_APPROX_PREFIXES = (
    ("将近", "近"),
    ("接近", "近"),
    ("不足", "近"),
    ("不到", "近"),
    ("大约", "约"),
    ("超过", "超过"),
    ("近", "近"),
    ("约", "约"),
    ("逾", "超过"),
    ("超", "超过"),
)
_APPROX_WORDS = {"余": "余", "多": "多", "几": "多", "以上": "以上", "左右": "约"}

_DIGIT_VALUES = dict(zip("〇零一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_SMALL_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
_BIG_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}


def _chinese_value(numeral: str) -> int | None:
    """Return the value of a Chinese numeral (两万五千 → 25000), None when it is not one (五一, 十二五)."""
    total = section = 0
    digit: int | None = None
    last_small = 10**9
    for char in numeral:
        if char in _DIGIT_VALUES:
            if digit:  # two digits in a row: 五一, 三八, 十二五
                return None
            digit = _DIGIT_VALUES[char]
        elif char in _SMALL_MULTIPLIERS:
            multiplier = _SMALL_MULTIPLIERS[char]
            if multiplier >= last_small:
                return None
            section += (1 if digit is None else digit) * multiplier
            digit, last_small = None, multiplier
        else:
            section += digit or 0
            if char == "亿":  # 亿 scales everything before it
                total = (total + (section or 1)) * _BIG_MULTIPLIERS[char]
            else:
                total += (section or 1) * _BIG_MULTIPLIERS[char]
            section, digit, last_small = 0, None, 10**9
    if digit and last_small < 10**9 and last_small >= 100:
        return None  # 三百五: colloquial, not worth guessing
    return total + section + (digit or 0)


# ------------------------------------------------------------------- what is not a figure

_NAME_SPANS = re.compile(r"“[^”“]{1,15}”|\"[^\"]{1,15}\"|‘[^’]{1,15}’|「[^」]{1,15}」|《[^》]*》|〔[^〕]*〕|\[\d{4}\]")
_MEETING_AFTER_TIMES = re.compile(r"(?:全委|全会|全体|执委|常委|会议|代表大会|党代会|委员会)")
_TIME_FRAME_AFTER_YEAR = re.compile(r"(?:来|内|以来|前|后|间|中|度|初|底|末|里|之)")
_DURATION_BEFORE_YEAR = re.compile(r"(?:为期|历时|长达|满|工龄)$")
_TIME_LIMIT_AFTER = re.compile(r"(?:内|以内|之内|前|以前|后|以后|之后|之前)")
_COUNT_NOUN_BEFORE = re.compile(r"(?:总数|人数|户数|家数|会员数|组织数|个数|数量|总量|数)(?:为|达|达到|是)?$")
_PEOPLE_AFTER = re.compile(r"(?:职工|会员|农民工|员工|劳动者|群众|人)")
_SIZE_CLASS_AFTER = re.compile(r"的?(?:工业)?(?:项目|企业|产业|重大|重点)")
_QUALIFIER_AFTER = re.compile(r"的?(?:企业|单位|公司|规模|\d|[一二三四五六七八九十])")
# 两个全覆盖, 三个代表, 四个标准化: a small Chinese count before one of these is a slogan, not a statistic
_SLOGAN_AFTER_GE = re.compile(
    r"(?:方面|代表|务必|一流|环节|层面|全覆盖|普遍|严禁|走在前列|重点|有|确保|自信|意识|维护|文明|基本|标准化|结合|转变|"
    r"提升|坚持|注重|突出|建设|机制|体系|平台|品牌|工程|行动|中心|服务|着力|规定|原则|制度|要求|措施|注意|纪律|任务|活动)"
)
_SMALL_CHINESE_UNITS = frozenset({"名", "人", "人次", "户", "家", "项", "个", "元"})


def _name_spans(sentence: str) -> list[tuple[int, int]]:
    return [match.span() for match in _NAME_SPANS.finditer(sentence)]


@dataclass
class _Quantity:
    """A matched number with its parts, before it becomes a Figure."""

    start: int  # number start, in the sentence
    end: int  # end of unit / suffix
    number: str  # as written: 1.1, 两万, 十
    value: float  # of the number alone
    approx: str
    prefix: str  # an approximation written before the number (近, 超过), "" when none
    multiplier: str  # 万, 亿, 千 or ""
    chinese: bool
    unit_written: str
    range_role: str = ""  # "", "low", "high"


def _read_quantity(match: re.Match, sentence: str) -> _Quantity | None:
    number = match["number"]
    chinese = not number[0].isdigit()
    if chinese:
        value = _chinese_value(number)
        if value is None:
            return None
    else:
        value = float(number.replace(",", ""))
    before = sentence[: match.start()]
    prefix, prefix_approx = next(((p, mapped) for p, mapped in _APPROX_PREFIXES if before.endswith(p)), ("", ""))
    approx = _APPROX_WORDS.get(match["approx1"] or match["approx2"] or match["suffix"] or "", "") or prefix_approx
    return _Quantity(
        start=match.start(),
        end=match.end(),
        number=number,
        value=value,
        approx=approx,
        prefix=prefix,
        multiplier=match["multiplier"] or "",
        chinese=chinese,
        unit_written=match["unit"] or "",
    )


def _value_and_unit(quantity: _Quantity) -> tuple[float, str]:
    """Return (value, unit): counts expanded to the base unit, money kept in 万元 / 亿元."""
    value, written = quantity.value, quantity.unit_written
    multiplier = quantity.multiplier
    if written == "美元":
        return (value, multiplier + "美元") if multiplier in ("万", "亿") else (value, "美元")
    if written == "元":
        if multiplier in ("万", "亿"):
            return value, multiplier + "元"
        if multiplier == "千":
            return value * 1000, "元"
        if quantity.chinese and quantity.number[-1] in "万亿" and value:
            scale = _BIG_MULTIPLIERS[quantity.number[-1]]
            return value / scale, quantity.number[-1] + "元"
        return value, "元"
    scale = {"万": 10_000, "亿": 100_000_000, "千": 1000}.get(multiplier, 1)
    return value * scale, _UNITS.get(written, "")


def _is_figure(quantity: _Quantity, sentence: str, names: list[tuple[int, int]]) -> bool:
    """Say whether a matched quantity is a statistic rather than a year, date, ordinal or name."""
    start, end = quantity.start, quantity.end
    before, after = sentence[:start], sentence[end:]
    number, unit = quantity.number, quantity.unit_written
    if before.endswith("第") or before.endswith("+") or after.startswith("+"):
        return False
    if any(low <= start < high for low, high in names):
        return False
    if after[:1].isascii() and after[:1].isalpha():
        return False
    if not quantity.chinese and len(number) > 1 and number[0] == "0" and "." not in number:
        return False
    if unit == "年" or (not unit and after.startswith("年")):
        if not quantity.chinese and len(number) == 4 and number[:2] in ("19", "20"):
            return False  # a calendar year
        if quantity.chinese or _TIME_FRAME_AFTER_YEAR.match(after) or not _DURATION_BEFORE_YEAR.search(before):
            return False
    if unit == "周" and after.startswith("年"):
        return False  # 成立70周年: an anniversary
    if unit in _DURATIONS and _TIME_LIMIT_AFTER.match(after):
        return False  # 十五个工作日内, 6个月内: a time limit, not a quantity
    if unit == "次" and (_MEETING_AFTER_TIMES.match(after) or before.endswith("届")):
        return False  # 十四届四次全委会
    if unit in ("人", "名") and quantity.approx == "以上" and _QUALIFIER_AFTER.match(after):
        return False  # 200人以上的企业: a size class
    if unit == "元" and quantity.approx == "以上" and _SIZE_CLASS_AFTER.match(after):
        return False  # 10亿元以上项目: a size class
    if quantity.chinese:
        if quantity.value == 1 and not quantity.multiplier:
            return False  # 一线, 一次, 一批: never a statistic worth a record
        bare = number in ("万", "千", "百", "亿")
        if bare and not quantity.approx:
            return False  # 万家, 千家万户, 百人以上
        small = quantity.value < 10 and not quantity.approx and not quantity.multiplier
        if small and (unit not in _SMALL_CHINESE_UNITS or (unit in ("个", "项") and _SLOGAN_AFTER_GE.match(after))):
            return False
        if unit in ("个月", "天", "周", "小时"):
            return False
    if not unit:
        # 工会组织数2170: a bare count right after the name of a count
        return not quantity.chinese and bool(_COUNT_NOUN_BEFORE.search(before)) and not after[:1].isalnum()
    return True


def _quantities(sentence: str) -> list[_Quantity]:
    """Return the figures' quantities in a sentence, ranges split into low and high."""
    names = _name_spans(sentence)
    raw: list[_Quantity] = []
    for match in _QUANTITY.finditer(sentence):
        quantity = _read_quantity(match, sentence)
        if quantity is None:
            continue
        counted = quantity.multiplier or quantity.approx
        if not quantity.unit_written and counted and _PEOPLE_AFTER.match(sentence, quantity.end):
            quantity.unit_written = "人"  # 十几万职工, 10万以上职工
        raw.append(quantity)
    result: list[_Quantity] = []
    index = 0
    while index < len(raw):
        quantity = raw[index]
        following = raw[index + 1] if index + 1 < len(raw) else None
        joiner = following and _RANGE_JOINER.fullmatch(sentence[quantity.end : following.start])
        if (
            following is not None
            and joiner
            and quantity.unit_written in ("", following.unit_written)
            and not quantity.multiplier
            and quantity.value < following.value
        ):
            quantity.unit_written = following.unit_written
            quantity.multiplier = following.multiplier
            if _is_figure(following, sentence, names):
                quantity.range_role, following.range_role = "low", "high"
                result.extend([quantity, following])
            index += 2
            continue
        if _is_figure(quantity, sentence, names):
            result.append(quantity)
        index += 1
    return result


# ------------------------------------------------------------------------ indicators


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
_MEANING_VERBS = _word_set(
    """
    慰问 走访慰问 看望慰问 覆盖 涵盖 涉及 资助 救助 帮扶 帮扶救助 帮助 培训 走访 接待 调处 参加 参与 发展 解决
    采纳 整改 督促整改 受益 惠及 吸纳 安置 排查 征求 转载 报道 批示 维权 化解 调解 受理 办结 挽回 追回 入会
    参评 参赛 报名 参训 受到 收看
    """
)
_VERBS = _LIGHT_VERBS | _MEANING_VERBS
_CHANGE_TO = _word_set("提高到 提高至 增加到 增至 提升到 提升至 降低到 降至 下降到")
# Verbs that are nouns after a noun: 重点项目建设, 技术合作组织, 技术帮扶等服务.
_NOMINAL_VERBS = _word_set("建设 创建 组织 帮扶 服务 培训 管理 发展 救助")
_GENERIC_NOUNS = _word_set(
    """
    职工 企业 单位 人员 会员 工会 家庭 隐患 项目 活动 资金 群众 学生 同学 人 个人 问题 意见 建议 组织 农民工 女职工
    户 款物 经费 案件 对象
    """
)
_MODIFIERS = _word_set("市级 省级 县级 区级 国家级 全国 市直 省直 其中 各级 全市 全省 市县 省市")
_PLACE_LIST = re.compile(r"^[省市县区乡镇村、和及与两三四五级]+$")
_VALUE_WORDS = _word_set("价值 折价 总价值 金额")
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
_QUOTE_CHARS = '“”"‘’「」『』*'
_QUOTES = re.compile("[" + re.escape(_QUOTE_CHARS) + "]")
_QUOTED_NAME = re.compile(r"[“\"「]([^”\"」]{1,20})[”\"」]")
_ENUMERATION_START = re.compile(r"^[、和及与]")
_DEMONSTRATIVE = re.compile(r"(?:这|那|该|此|上述|前述|上述[^，,]{0,8}的)$")
_COPULA_SUBJECT = re.compile(r"(?:率|数|额|量|比例|比重|总数|总额|人数|金额|标准)$")
_ADVERBS = _word_set("定期 集中 统一 积极 主动 共同 分别 全部 陆续 先后 均 都")
_NOUN_FLAGS = _word_set("n nr ns nt nz ng vn an b j l i eng z s zg")
_HARD_STOP_FLAGS = ("d", "p", "c", "u", "f", "r", "y", "e", "o", "t")
_PREPOSITIONS = _word_set("在 为 对 向 给 从 于 把 将 经 由 按 按照 通过 依托 围绕 替")
_STOP_WORDS = _word_set("中 等 和 及 与 或 为 在 上 内 里 以 的 了 着 其中 左右 不等 以上 被")
_PUNCTUATION = frozenset("、，,；;：:。！？!?")
_CONTAINER_END = re.compile(r"(?:电视台|报社|网站|局|厅|委)$")


@functools.lru_cache(maxsize=1)
def _pos_tokenizer() -> jieba.posseg.POSTokenizer:
    return jieba.posseg.POSTokenizer(segmenter())


@functools.lru_cache(maxsize=32768)
def _words(phrase: str) -> tuple[tuple[str, str], ...]:
    """Return jieba (word, flag) pairs; single characters that spell one of our verbs (选+树) are joined.

    The HMM for unknown words is off: it costs two thirds of the time and the verbs
    it would find are in the lexicon above.
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
            if len(chunk) == width and len(word) <= width + 1 and word in _VERBS:
                joined.append((word, "v"))
                index += width
                break
        else:
            joined.append(pairs[index])
            index += 1
    return tuple(joined)


def _clean(phrase: str) -> str:
    return _QUOTES.sub("", phrase).strip()


def _strip_leading(text: str) -> str:
    """Drop filler words from the start of text, cutting only between jieba words (和谐 keeps its 和)."""
    match = _LEADING_FILLER.match(text)
    if not match:
        return text
    cut = boundary = 0
    for word, _ in _words(text):
        boundary += len(word)
        if boundary > match.end():
            break
        cut = boundary
    return text[cut:]


def _strip_trailing(text: str) -> str:
    """Drop filler words from the end of text, cutting only between jieba words."""
    match = _TRAILING_FILLER.search(text)
    if not match:
        return text
    boundary = len(text)
    for word, _ in reversed(_words(text)):
        if boundary - len(word) < match.start():
            break
        boundary -= len(word)
    return text[:boundary]


def _is_verb(word: str, flag: str) -> bool:
    return word in _VERBS or (flag.startswith("v") and flag != "vn")


@dataclass(frozen=True)
class _Before:
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
    for index in range(len(words) - 1, -1, -1):
        word = words[index][0]
        if word not in _VERBS:
            continue
        after_noun = index + 1 < len(words) and (words[index + 1][1] in _NOUN_FLAGS or words[index + 1][0] in "等、（(")
        nominal = (
            word in _NOMINAL_VERBS
            and index > 0
            and (words[index - 1][1] in _NOUN_FLAGS or words[index - 1][1] == "b")
            and (after_noun or (index + 1 == len(words) and word == "组织"))
        )
        if not nominal:
            return index
    return -1


def _before(phrase: str) -> _Before:
    """Read the phrase between the previous figure (or clause start) and the number."""
    last_digit = max((index for index, char in enumerate(phrase) if char.isdigit()), default=-1)
    raw = phrase[last_digit + 1 :]
    if last_digit >= 0:
        raw = re.sub(
            r"^(?:年度|年|月份|月|日|[^、，,]{0,2}[、，,])", "", raw
        )  # 2007年城镇居民人均可支配收入 → 城镇居民人均可支配收入
    phrase = _clean(raw)
    ends_with_quote = raw.rstrip()[-1:] in '”"' and "、" in raw
    defer = phrase.endswith("等") or ends_with_quote or len(phrase) > 24
    relative = phrase.endswith(("的", "的有"))
    if phrase.endswith(("对", "向", "给", "替")) or (phrase.endswith("为") and not _COPULA_SUBJECT.search(phrase[:-1])):
        defer = True
    phrase = _strip_trailing(phrase)
    words = _words(phrase)
    verb_at = _last_verb(words)
    verb = words[verb_at][0] if verb_at >= 0 else ""
    rest = words[verb_at + 1 :]
    adjacent = not _strip_trailing("".join(word for word, _ in rest))
    cut = max((index for index, (word, _) in enumerate(rest) if word in _PREPOSITIONS), default=-1)
    subject = _strip_leading("".join(word for word, _ in rest[:cut])) if cut > 0 else ""
    if subject.endswith(("率", "数")):  # 建制率在国有企业保持100%: the rate, not the place
        return _Before(subject, verb, False)
    remainder = _strip_trailing(_strip_leading("".join(word for word, _ in rest[cut + 1 :])))
    remainder_words = _words(remainder)
    if (
        remainder_words
        and remainder not in ("率", "数")
        and all(_is_verb(word, flag) for word, flag in remainder_words)
    ):
        verb, remainder, remainder_words, adjacent = remainder, "", (), True
    if remainder.endswith("的"):
        relative, remainder = True, ""
    if len(remainder) == 1 and remainder not in "率数":
        remainder = ""  # 分赴7市11个县: the 市 left by a number that is not a figure
    if remainder in ("率", "数", "额") and verb:
        remainder, verb = verb + remainder, ""  # 开展率
    if remainder in _VALUE_WORDS:
        return _Before(verb=verb, value_of=True, defer=True)
    if verb in _CHANGE_TO and not remainder and verb_at > 0:
        subject = _strip_leading("".join(word for word, _ in words[:verb_at]))
        if subject.endswith(("率", "数", "额", "标准", "比重")):
            return _Before(subject, verb, adjacent)  # 贡献率提高到50%以上 → 贡献率
    if verb in _CHANGE_TO and "每" in remainder and verb_at > 0:
        subject = _strip_leading("".join(word for word, _ in words[:verb_at]))
        return _Before(remainder + subject, verb, adjacent)  # 标准提高到本科生每人5000元 → 本科生每人标准
    if remainder in _MODIFIERS or _PLACE_LIST.match(remainder) or re.fullmatch("每.{1,2}", remainder):
        modifier = "" if remainder in ("其中", "各级", "全市", "全省") else remainder
        return _Before(verb=verb, adjacent=adjacent, modifier=modifier, relative=relative)
    if not remainder:
        return _Before(verb=verb, adjacent=adjacent, relative=relative, defer=defer)
    container = remainder_words[-1][1] in ("ns", "nt") or bool(_CONTAINER_END.search(remainder))
    if verb and (verb in _MEANING_VERBS or remainder in _GENERIC_NOUNS):
        remainder = verb + remainder
    return _Before(remainder, verb, adjacent, "", relative, defer, container)


@dataclass(frozen=True)
class _After:
    """The noun written after a unit, and the verb phrase that follows it."""

    noun: str = ""
    length: int = 0  # characters of the text the noun spans
    phrase: str = ""  # verb phrase after the noun (1000多人参加 → 参加), "" when none
    direct: bool = False  # the noun follows the unit at once (3个党支部), not after 的


def _after(text: str) -> _After:
    """Read the measured noun after the unit: 组建20支职工技术服务队 → 职工技术服务队, 44家“工友创业园”."""
    lead = re.match(r"(?:不等的|左右的|的)?", text).end()
    quoted = _QUOTED_NAME.match(text, lead)
    if quoted:
        tail = _noun_run(text[quoted.end() :])
        return _After(_clean(quoted.group(1)) + tail[0], quoted.end() + tail[1], direct=lead == 0)
    noun, length, rest, by_number = _noun_run(text[lead:])
    phrase = ""
    if rest and not by_number and (_is_verb(*rest[0]) or (noun and rest[0][1] == "a")):
        for position, (word, _) in enumerate(rest):
            next_word = rest[position + 1][0] if position + 1 < len(rest) else ""
            if word == "、" and next_word and not next_word[0].isdigit():
                phrase += word  # 荣获全国、省和市“五一”劳动奖章
                continue
            if word[0].isdigit() or word in _PUNCTUATION or (phrase and word == "并"):
                if word[0].isdigit():
                    phrase = ""
                break
            if len(_clean(phrase + word)) > 16:
                phrase = phrase.rsplit("、", 1)[0]  # cut a long list at an item boundary
                break
            phrase += word
    if not noun and not phrase:
        relative = re.match(r"([^，,、的\d]{2,8})的", text[lead:])  # 确保21家尚未建会的完成建会任务
        if relative:
            return _After("", 0, relative.group(1))
    return _After(
        noun, lead + length if noun else 0, _clean(phrase).rstrip("、的").removesuffix("了"), direct=lead == 0
    )


def _noun_run(text: str) -> tuple[str, int, tuple[tuple[str, str], ...], bool]:
    """Return (noun, characters spanned, the words after it, stopped by a number) at the start of text."""
    words = _words(text[:30])
    index = 0
    position = 0
    while index < len(words) and (words[index][1] == "r" or words[index][0] in _QUOTE_CHARS):
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
        elif word in _QUOTE_CHARS:
            if _clean("".join(kept_word for kept_word, _, _ in kept)) in _GENERIC_NOUNS:
                break  # 11个单位“滨州市五一劳动奖状”: the quoted name is another object
            position += len(word)
            index += 1
            continue
        elif word[0].isdigit() or _numeral_word(word):
            by_number = True
            break
        elif word in _PUNCTUATION or word in _STOP_WORDS or flag.startswith(_HARD_STOP_FLAGS) or flag == "x":
            break
        elif word in _VERBS:
            # 帮扶措施已推进: a verb before a noun that is itself a subject
            noun_phrase = not kept and following in _NOUN_FLAGS and after_following.startswith(("d", "p", "v"))
            if not noun_phrase:
                break
        elif flag not in _NOUN_FLAGS and flag[:1] not in ("v", "a", "m", "q"):
            break
        position += len(word)
        kept.append((word, flag, position))
        index += 1
    stop_word = words[start_index + len(kept)][0] if start_index + len(kept) < len(words) else ""
    if len(kept) == 1 and kept[0][1].startswith("v") and kept[0][0] not in _VERBS and stop_word in ("为", "的"):
        pass  # 请50名处长为振兴发展献计献策: jieba tags 处长 as a verb
    else:
        while kept and (
            (kept[-1][1][:1] in ("v", "a", "d", "m") and kept[-1][1] != "vn")
            or kept[-1][0] in _ADVERBS
            or (kept[-1][1] == "vn" and len(kept) > 1 and stop_word in ("或", "和"))
        ):
            kept.pop()  # 单身职工报名 → 单身职工; 33个市直部门（单位）调整或配备 → 市直部门（单位）
    if kept and kept[-1][0] == "基础" and index < len(words) and words[index][0] == "上":
        kept.pop()  # 10个劳模创新工作室基础上
    if by_number and len(kept) > 1:
        kept = kept[:1]  # 99个单位困难职工610人: 单位 is this number's, 困难职工 the next one's
    end = kept[-1][2] if kept else start
    rest = words[start_index + len(kept) :] if kept else words[start_index:]
    return _clean(text[start:end]), end, rest, by_number


def _numeral_word(word: str) -> bool:
    """Say whether a jieba word starts with a Chinese count (七个, 十二项) rather than 一线, 一些."""
    digits = re.match("[" + _CHINESE_DIGITS + "]+", word)
    value = _chinese_value(digits.group()) if digits else None
    bare = digits is not None and digits.group() in ("万", "千", "百", "亿")  # 千部 is OCR for 干部
    return value is not None and value >= 2 and not bare and word[digits.end() :] in _UNITS


def _trailing_noun(clause: str) -> str:
    """Return the noun phrase a clause ends with (进行了巡回宣讲 → 巡回宣讲), "" when it ends otherwise."""
    words = _words(_clean(clause))
    kept: list[str] = []
    for word, flag in reversed(words):
        if word in _VERBS or word in _STOP_WORDS or word in _PUNCTUATION or not (flag in _NOUN_FLAGS or flag == "v"):
            break
        kept.insert(0, word)
    phrase = "".join(kept)
    return phrase if 2 <= len(phrase) <= 10 else ""


def _head_noun(indicator: str) -> str:
    """Return the head noun of an indicator: 百人以上企业 → 企业."""
    words = _words(indicator)
    head = words[-1][0] if words else ""
    generic = next((noun for noun in sorted(_GENERIC_NOUNS, key=len, reverse=True) if head.endswith(noun)), "")
    return generic if generic and len(head) > 5 else head


# ------------------------------------------------------------------------------ kind

_TARGET_MARKERS = re.compile(
    r"力争|(?<!为)确保(?!了)|目标|(?<![模比])拟(?!定)|预计|力求|年内|应当|不得|不少于|不低于|不超过|必须|"
    r"年底前|到年底|今年底|到本年底|到\d{4}年|计划(?:在|于|到|用|新建|建设|完成|开展|举办|投入|发放|培训|组织|实施)|"
    r"(?<![重主需只纲必首摘提紧显想])要(?![求约点素害闻职件员案务])|"
    r"将(?=[于在要会继进着开通采举组推加建实完达力争努重紧以对按大深广积切认逐率启])"
)
_PAST_MARKERS = re.compile(r"已|(?<![为])了(?!解)|截至|截止|目前|去年|累计|先后|期间|以来|共有|共计|\d{4}年")
_BENCHMARK_BEFORE = re.compile(r"(?:要求|提出|下达|规定|标准|目标)的?$")
_BENCHMARK_AFTER = re.compile(r"^的?(?:要求|目标|任务|标准)")
_BASELINE_AFTER = re.compile(r"^[^，,；]*基础上")
_WEAK_PLAN_START = re.compile(r"^(?:[■●◆\s]|[一二三四五六七八九十]+是)*(?:加大|做好|抓好|继续|进一步|着力|全力|力争)")
_SECTION_TARGET = re.compile(r"安排|任务|要点|工作思路|打算|计划|下一步|今后|展望|目标|年内")
_SECTION_ACTUAL = re.compile(r"回顾|总结|成绩|成效|进展|情况|工会工作$")


def section_kind(section: str) -> str | None:
    """Return the kind a section heading implies: 工作安排 → target, 工作回顾 → actual, else None.

    The outermost heading with a signal decides (一、2015年主要工作回顾 › 1、创新思路 → actual).
    """
    for heading in section.split("›"):
        if _SECTION_TARGET.search(heading):
            return TARGET
        if _SECTION_ACTUAL.search(heading):
            return ACTUAL
    return None


def _kind(sentence: str, clause: tuple[int, int], default_kind: str | None) -> str:
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


# ------------------------------------------------------------------------- sentences

_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_CLAUSE_BREAK = re.compile(r"[，,：:；;。！？!?]")
_PAREN = re.compile(r"[（()）]")
_GROUP = re.compile(r"(?P<word>分别|(?<![年平人])均)(?:为|是|达到|达|占|有|超过|在|增长|提高|下降|增加|减少)?$")
_SUBJECT_SPLIT = re.compile(r"和|及|与|、")
_LIST_JOINER = re.compile(r"[、和及与]")
_TOTALS = _word_set("总数 总量 总额 总计 累计 合计")
_CHANGE = re.compile(r"^(?:同比|比上年|较上年|年均|[比较].{1,5})?(?:增长|下降|提高|增加|减少|增幅|降幅|上涨)$")


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield start, match.end()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def _clause_start(sentence: str, position: int) -> tuple[int, int]:
    """Return where the clause holding position starts, and where its open parenthesis is (-1 if none).

    The clause starts after the last ，：; a number inside （共12个） starts its clause at the paren.
    """
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence, 0, position):
        start = match.end()
    open_parens: list[int] = []
    for match in _PAREN.finditer(sentence, start, position):
        if match[0] in "（(":
            open_parens.append(match.start())
        elif open_parens:
            open_parens.pop()
    if open_parens:
        return open_parens[-1] + 1, open_parens[-1]
    return start, -1


def _previous_clause(sentence: str, clause_start: int) -> str:
    """Return the clause that ends just before clause_start ("" for the first clause)."""
    if clause_start == 0:
        return ""
    return sentence[_clause_start(sentence, clause_start - 1)[0] : clause_start - 1]


def _clause_end(sentence: str, position: int) -> int:
    match = _CLAUSE_BREAK.search(sentence, position)
    return match.start() if match else len(sentence)


def extract_figures(text: str, *, default_kind: str | None = None) -> list[Figure]:
    """Return every figure in text, in order; default_kind is the kind its section implies, if known."""
    figures: list[Figure] = []
    for sentence_start, sentence_end in _sentences(text):
        sentence = text[sentence_start:sentence_end]
        stripped = sentence.strip()
        if not stripped:
            continue
        offset = sentence_start + sentence.index(stripped[0])
        figures.extend(_sentence_figures(stripped, offset, default_kind))
    return figures


@dataclass
class _Reading:
    """What the figures read so far in a sentence leave for the next one."""

    consumed: int = 0  # where the previous figure's words end
    previous_end: int = -1  # where the previous quantity ends
    previous_indicator: str = ""
    group_subject: str = ""  # subject of the last 分别 / 均 group, for a benchmark after it
    clause_verb: str = ""
    clause_start: int = -1
    pending: list[str] = field(default_factory=list)  # subjects of a 分别 list still to hand out
    previous_clause: str = ""  # the clause before the current one


def _sentence_figures(sentence: str, offset: int, default_kind: str | None) -> list[Figure]:
    quantities = _quantities(sentence)
    figures: list[Figure] = []
    reading = _Reading()
    names: list[str] = []
    for position, quantity in enumerate(quantities):
        clause_start, paren = _clause_start(sentence, quantity.start)
        if clause_start != reading.clause_start:
            reading.clause_verb, reading.clause_start = "", clause_start
            reading.previous_clause = _previous_clause(sentence, clause_start)
        raw_before = sentence[max(clause_start, reading.consumed) : quantity.start - len(quantity.prefix)]
        tail_end = quantities[position + 1].end if quantity.range_role == "low" else quantity.end
        after_text = sentence[tail_end : _clause_end(sentence, tail_end)]
        if quantity.range_role != "high":
            names = _names(sentence, quantities, position, raw_before, after_text, reading)
            if not names[0] and paren >= 0:  # 全省工会工作创新奖（共12个）
                outer_start, _ = _clause_start(sentence, paren)
                names = [_before(sentence[outer_start:paren]).indicator]
            if (
                not names[0]
                and reading.previous_end == quantity.start - len(quantity.prefix)
                and reading.previous_indicator
            ):
                names = [reading.previous_indicator]  # 举办各类活动88场次5.35万人次
        after = _after(after_text)
        reading.consumed = tail_end + after.length
        reading.previous_end = quantity.end
        if not names[0] or quantity.range_role == "low":
            if names[0]:
                reading.previous_indicator = names[0]
            continue
        clause = (clause_start, _clause_end(sentence, quantity.end))
        kind = _kind(sentence, clause, default_kind)
        if _benchmark(raw_before, after_text):
            kind = TARGET
        elif _BASELINE_AFTER.match(after_text):
            kind = ACTUAL
        reading.previous_indicator = names[0]
        members = [quantities[position - 1], quantity] if quantity.range_role == "high" else [quantity]
        for member in members:
            value, unit = _value_and_unit(member)
            suffix = {"low": "（下限）", "high": "（上限）"}.get(member.range_role, "")
            for name in names:
                figures.append(
                    Figure(
                        indicator=name + suffix,
                        value=float(round(value, 6)),
                        unit=unit,
                        approx=member.approx,
                        kind=kind,
                        sentence=sentence,
                        start=offset + member.start,
                        end=offset + member.end,
                    )
                )
    return figures


def _benchmark(raw_before: str, after_text: str) -> bool:
    """Say whether the number is a requirement quoted for comparison (省总提出的65%的要求)."""
    return bool(_BENCHMARK_BEFORE.search(_strip_trailing(_clean(raw_before))) or _BENCHMARK_AFTER.match(after_text))


def _names(
    sentence: str, quantities: Sequence[_Quantity], position: int, raw_before: str, after_text: str, reading: _Reading
) -> list[str]:
    """Return the indicator(s) of one quantity: one name, or one per subject of a 均 group."""
    cleaned = _clean(raw_before)
    if reading.pending and cleaned.strip("、和及与,， ") == "":
        return [reading.pending.pop(0)]
    reading.pending = []
    if _DEMONSTRATIVE.search(cleaned):
        return [""]  # 这两个会议, 上述四个单位: a reference back, not a statistic
    group = _GROUP.search(cleaned)
    if group:
        subject_text = cleaned[: group.start()]
        subject = _clean(_strip_trailing(_strip_leading(subject_text)))
        parts = [part for part in (_clean(part) for part in _SUBJECT_SPLIT.split(subject)) if part]
        reading.group_subject = subject
        if group["word"] == "分别":
            listed = 1 + _list_length(sentence, quantities, position)
            if len(parts) == listed > 1:
                reading.pending = parts[1:]
                return [parts[0]]
            if subject:
                return [subject]
        elif len(parts) > 1 and len({part[-1] for part in parts}) == 1 and parts[0][-1] in "率数":
            return parts  # 建会率和入会率均达到98%以上
        elif subject:
            return [subject]
    if _benchmark(raw_before, after_text) and (reading.group_subject or reading.previous_indicator):
        return [reading.group_subject or reading.previous_indicator]
    before = _before(raw_before)
    if before.verb:
        reading.clause_verb = before.verb
    after = _after(after_text)
    listed = _list_length(sentence, quantities, position)
    # 分别给予1.5万元、1万元、0.6万元的资金补助: the noun after the list is every member's
    if listed and not after.noun:
        last = quantities[position + listed]
        list_after = _after(sentence[last.end : _clause_end(sentence, last.end)])
        after = list_after if list_after.noun else after
    following = quantities[position + 1] if position + 1 < len(quantities) else None
    next_noun = ""
    if following is not None and _clause_end(sentence, quantities[position].end) > following.start:
        next_noun = _after(sentence[following.end : _clause_end(sentence, following.end)]).noun
        if not after.noun and not after.phrase and following.start == quantities[position].end:
            after = _after(sentence[following.end : _clause_end(sentence, following.end)])  # 举办了2天4场联谊活动
    indicator = _indicator(before, cleaned, after, next_noun, reading)
    if _CHANGE.match(indicator) and reading.previous_indicator:
        indicator = reading.previous_indicator + indicator  # 投入资金54万元，同比增长31%
    elif indicator in _TOTALS and reading.previous_indicator:
        # 新增上市公司27家、总数达283家 → 上市公司总数
        indicator = re.sub("^(?:新增|新建|新)", "", reading.previous_indicator) + indicator
    return [indicator]


def _list_length(sentence: str, quantities: Sequence[_Quantity], position: int) -> int:
    """Count the quantities joined to this one by 、和及与 (the rest of a list)."""
    count = 0
    previous = quantities[position]
    for following in quantities[position + 1 :]:
        between = _clean(sentence[previous.end : following.start])
        if not between or between.strip("、和及与 ") or not _LIST_JOINER.search(between):
            break
        count += 1
        previous = following
    return count


def _indicator(before: _Before, cleaned_before: str, after: _After, next_noun: str, reading: _Reading) -> str:
    measured = after.noun
    if measured in _MODIFIERS and next_noun:
        # 全市1个市级、7个县级职工服务中心 → 市级职工服务中心
        modifier = next((word for word in _MODIFIERS if next_noun.startswith(word)), "")
        if modifier:
            measured += next_noun.removeprefix(modifier)
    if measured in _GENERIC_NOUNS and after.phrase:
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
        if _ENUMERATION_START.match(cleaned_before) and reading.clause_verb and before.indicator in _GENERIC_NOUNS:
            return reading.clause_verb + before.indicator  # 覆盖企业13687家、职工116万人 → 覆盖职工
        return before.indicator
    if measured:
        if before.modifier:
            return before.modifier + measured
        if before.verb in _MEANING_VERBS or (before.adjacent and len(before.verb) > 1 and measured in _GENERIC_NOUNS):
            return before.verb + measured  # 覆盖职工, 投入11.9万元资金
        return measured
    if cleaned_before.startswith("已") and reading.previous_indicator:
        return reading.previous_indicator + _strip_trailing(cleaned_before)  # 帮扶措施已推进和落实203项
    if before.verb in _MEANING_VERBS and before.adjacent and reading.previous_indicator:
        return reading.previous_indicator + before.verb  # 新建工会361家，涵盖653家 → 新建工会涵盖
    if before.verb in ("举办", "开展", "进行", "组织") and reading.previous_clause:
        return _trailing_noun(reading.previous_clause) or before.verb  # 进行了巡回宣讲，累计举办20余场
    if after.phrase:
        return after.phrase  # 1000多人参加
    previous = reading.previous_indicator
    if before.relative and previous:
        own = _strip_trailing(_strip_leading(cleaned_before))
        if own.endswith("的"):
            return own + _head_noun(previous)  # 百人以上企业中已建立工会组织的682家 → …的企业
    if before.modifier and previous:
        return before.modifier + _strip_leading(previous).removeprefix(before.modifier)
    per_unit = re.search(r"每(?:人|名|户|个|家|位|月|年)", cleaned_before)
    if before.verb and per_unit:
        return per_unit.group() + before.verb  # 对困难职工子女每人资助3000—5000元 → 每人资助
    return before.verb


def figures_by_passage(passages: Iterable[_PassageLike]) -> list[list[Figure]]:
    """Return the figures of each passage of one document, in order.

    A section heading that announces a plan (二、2015年的主要工作安排) makes its
    figures targets; headings without a signal inherit the kind of the section
    before them, so the numbered items under a plan heading stay targets.
    """
    result: list[list[Figure]] = []
    current: str | None = None
    last_section: str | None = None
    for passage in passages:
        if passage.section != last_section:
            found = section_kind(passage.section) if passage.section else None
            if found is not None or not passage.section:
                current = found
            last_section = passage.section
        result.append(extract_figures(passage.text, default_kind=current))
    return result
