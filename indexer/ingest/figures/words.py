"""The figure extractor's vocabulary and the jieba reading of the words around a number.

Parts: the word lists (units, verbs, nouns: data in ``indexer/data/figures/``; the fillers are
patterns and stay here) → ``tagged_words`` (jieba words with their part-of-speech flags, our verbs
joined when jieba cuts them into characters) → ``clean`` (quotes dropped) and ``strip_leading`` /
``strip_trailing`` (filler words dropped at the ends of a phrase, cut only between jieba words) →
``is_verb``.

jieba (the project's user dictionary, HMM off) only tags the short phrases around each number,
so the cost follows the figures.
"""

from __future__ import annotations

import functools
import re

import jieba.posseg

from indexer.ingest.wordlists import word_list, word_set, word_table
from indexer.text.analysis import segmenter

# The word lists are data (indexer/data/figures/, each file says what it is for and where it comes from).
UNITS = {unit: unit for unit in word_list("figures/units")} | word_table("figures/unit_aliases")
DURATIONS = word_set("figures/durations")
SMALL_CHINESE_UNITS = word_set("figures/small_chinese_units")
_LIGHT_VERBS = word_set("figures/light_verbs")
MEANING_VERBS = word_set("figures/meaning_verbs")
VERBS = _LIGHT_VERBS | MEANING_VERBS
CHANGE_TO = word_set("figures/change_to_verbs")
NOMINAL_VERBS = word_set("figures/nominal_verbs")
GENERIC_NOUNS = word_set("figures/generic_nouns")
MODIFIERS = word_set("figures/modifiers")
VALUE_WORDS = word_set("figures/value_words")
ADVERBS = word_set("figures/adverbs")
NOUN_FLAGS = word_set("figures/noun_flags")
HARD_STOP_FLAGS = word_list("figures/hard_stop_flags")
PREPOSITIONS = word_set("figures/prepositions")
STOP_WORDS = word_set("figures/stop_words")
TOTALS = word_set("figures/totals")
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
    r"有|共有|共计|共|计|合计|总计|累计|约|大约|近|将近|接近|超过|突破|逾|超|不足|不到|已|了|到|在|全市|全省|我市|全区|全县|和|及|与|"
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
