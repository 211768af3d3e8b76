"""Read what a user typed: text → ``ParsedQuery`` (concepts, exclusions, proximity phrases).

Parts:

* ``parse_query`` — quoted phrases, ``-词`` exclusions, ``+词`` required words, ``OR`` groups, a
  ``标题:`` field prefix; each unquoted term normalised (``normalise_query``) and cut into words by
  jieba, synonym keys, everyday phrases of the colloquial thesaurus and numbers with their measure word
  kept whole.
* ``Concept`` — one thing asked for: its text (search form), variants written otherwise (两公里 /
  2公里, 三明 / 三明市: full weight), synonyms from ``data/synonyms.csv`` and the documents' words for
  an everyday phrase from ``data/colloquial.csv`` (expansions; both at a lower weight), whether it is
  exact (quoted), required (``+``), title-only, an OR group, or optional (one character cut from a
  longer term).
* Question words and fillers (``data/stopwords.txt``) are reported in ``ignored``, never searched.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from indexer.text import analysis, lexicon, places
from indexer.text.normalise import NUMBER_WITH_MEASURE, normalise_query, numeral_variants, search_form

MAX_QUERY_CHARS = 4000  # a pasted page still answers (cut to its main concepts)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"'})
_TOKEN = re.compile(r'([-+＋]?)(?:([^\s:："]+)[:：])?("[^"]*"?|[^\s"]+)')
_TITLE_FIELDS = {"标题", "title", "题目"}
_TEXT_FIELDS = {"正文", "text", "内容"}


class QueryError(ValueError):
    """A query or parameter that cannot be searched; the message is for the user (Chinese / English)."""


@dataclass(frozen=True)
class Concept:
    """One thing the user asked for: a word or phrase, its synonyms, where to look."""

    text: str  # search form
    exact: bool = False  # quoted: match as written
    synonyms: tuple[str, ...] = ()  # other words for it: searched with a lower weight
    variants: tuple[str, ...] = ()  # the same words written otherwise (两公里 / 2公里): full weight
    title_only: bool = False
    alternatives: tuple[Concept, ...] = ()  # an OR group
    optional: bool = False  # a single character cut from a longer term (稳 of 稳就业): ranks, never filters
    required: bool = False  # the user asked for it (+词): only passages holding it
    expansions: tuple[str, ...] = ()  # how documents say an everyday phrase (老楼装电梯 → 既有住宅加装电梯)
    parts: tuple[str, ...] = ()  # the words of an everyday phrase (签劳动合同 → 劳动合同), a lower weight

    def needles(self) -> list[str]:
        """Return the strings to highlight for this concept."""
        found = [self.text, *self.variants, *self.synonyms, *self.expansions]
        for alternative in self.alternatives:
            found.extend(alternative.needles())
        return [needle for needle in found if needle]

    def label(self) -> str:
        """Return how the concept is shown in ``parsed``."""
        if self.alternatives:
            return " OR ".join(alternative.label() for alternative in self.alternatives)
        label = f'"{self.text}"' if self.exact else self.text
        if self.optional:
            label = f"({label})"
        if self.title_only:
            label = f"标题:{label}"
        if self.required:
            label = f"+{label}"
        if self.variants or self.synonyms or self.expansions:
            label += "(" + "|".join((*self.variants, *self.synonyms, *self.expansions)) + ")"
        return label

    def forms(self) -> tuple[str, ...]:
        """Return the texts searched at full weight: the concept as written and its variants."""
        return (self.text, *self.variants)


@dataclass(frozen=True)
class ParsedQuery:
    """A query after parsing: required concepts, exclusions and whole-term phrases for proximity."""

    concepts: tuple[Concept, ...]
    excluded: tuple[Concept, ...] = ()
    phrases: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()  # question words and fillers


def _protected_spans(term: str) -> list[re.Match]:
    """Return the parts of a term kept whole: everyday phrases and synonym keys, then numbers with their
    measure word (the longest first where they overlap)."""
    found: list[re.Match] = []
    for pattern in (_phrase_pattern(), NUMBER_WITH_MEASURE):
        for match in pattern.finditer(term) if pattern else ():
            if all(match.end() <= other.start() or match.start() >= other.end() for other in found):
                found.append(match)
    return sorted(found, key=lambda match: match.start())


def _segment_term(term: str) -> list[str]:
    """Split a query term into words: synonym keys and numbers with units kept whole, the rest cut by jieba."""
    words: list[str] = []
    position = 0
    for match in _protected_spans(term):
        if match.start() > position:
            words.extend(analysis.words(term[position : match.start()]))
        words.append(match.group())
        position = match.end()
    if position < len(term):
        words.extend(analysis.words(term[position:]))
    return words


@functools.lru_cache(maxsize=1)
def _phrase_pattern() -> re.Pattern | None:
    keys = {search_form(key) for key in (*lexicon.synonyms(), *lexicon.colloquial()) if len(key) >= 2}
    ordered = sorted(keys, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


# An everyday phrase said with words in between (不跟我签劳动合同 holds 不签合同; 没给我交社保 holds 没交社保):
# each gap at most _GAP characters starting where jieba cuts the question, the phrase ending at a cut, no
# negation, conjunction or 的 (合同还没到期 is not 合同到期; 公司和工会 is not 公司工会).
_GAP = 3
_GAP_BREAKERS = frozenset("的不没未无非别和与及或、，。？！；：,.?!;: ")


def _gapped_phrases(term: str) -> list[str]:
    """Return the everyday phrases (three characters or more) said in the term with words in between."""
    cuts = {0, len(term)}
    for _, start, end in analysis.word_spans(term):
        cuts.update((start, end))
    found = []
    for key in _gapped_keys():
        if key in term or key[0] not in term or key[-1] not in term:
            continue
        if _gapped_match(term, key, cuts):
            found.append(key)
    return found


def _gapped_match(term: str, key: str, cuts: set[int]) -> bool:
    for start in (index for index, char in enumerate(term) if char == key[0] and index in cuts):
        position, gapped, ok = start + 1, False, True
        for index in range(1, len(key)):
            if position < len(term) and term[position] == key[index]:
                position += 1
                continue
            found = term.find(key[index], position, position + _GAP + 1)
            gap = term[position:found]
            # After a gap the phrase goes on at a cut, or with two of its characters (劳动|合同, not 住|房).
            resumes = found in cuts or term[found : found + 2] == key[index : index + 2]
            if found < 0 or position not in cuts or not resumes or _GAP_BREAKERS.intersection(gap):
                ok = False
                break
            position, gapped = found + 1, True
        if ok and gapped and position in cuts:
            return True
    return False


@functools.lru_cache(maxsize=1)
def _gapped_keys() -> tuple[str, ...]:
    return tuple(sorted(key for key in _colloquial_table() if len(key) >= 3))


def _parts_of(phrase: str) -> tuple[str, ...]:
    """Return the content words of a phrase kept whole (签劳动合同 → 劳动合同), less one-character ones."""
    stops = lexicon.stop_words()
    words = [word for word in analysis.words(phrase) if len(word) > 1 and word not in stops and word != phrase]
    return tuple(dict.fromkeys(words))


def _expansions_of(word: str) -> tuple[str, ...]:
    return tuple(official for official in _colloquial_table().get(word, ()) if official != word)


@functools.lru_cache(maxsize=1)
def _colloquial_table() -> dict[str, tuple[str, ...]]:
    return {
        search_form(key): tuple(search_form(value) for value in values) for key, values in lexicon.colloquial().items()
    }


def _synonyms_of(word: str) -> tuple[str, ...]:
    table = _synonym_table()
    return tuple(alternative for alternative in table.get(word, ()) if alternative != word)


@functools.lru_cache(maxsize=1)
def _synonym_table() -> dict[str, tuple[str, ...]]:
    return {
        search_form(key): tuple(search_form(value) for value in values) for key, values in lexicon.synonyms().items()
    }


def _term_concepts(raw: str, *, title_only: bool, required: bool = False) -> tuple[list[Concept], list[str], str]:
    """Return (concepts, ignored words, whole term) for one unquoted term."""
    term = normalise_query(raw)
    words = _segment_term(term)
    stops = lexicon.stop_words()
    content = [word for word in words if word not in stops]
    ignored = [word for word in words if word in stops]
    unique = list(dict.fromkeys(content))
    concepts = [
        Concept(
            word,
            synonyms=tuple(synonym for synonym in _synonyms_of(word) if synonym not in _expansions_of(word)),
            variants=tuple(dict.fromkeys([*numeral_variants(word), *places.place_name_variants(word)])),
            expansions=_expansions_of(word),
            parts=_parts_of(word) if _expansions_of(word) else (),
            title_only=title_only,
            required=required,
            # One Chinese character cut from a longer term is a weak, costly filter (every bigram
            # it starts); the whole term as written still ranks first through the proximity phrase.
            optional=len(unique) > 1 and len(word) == 1 and not word.isascii(),
        )
        for word in unique
    ]
    for key in _gapped_phrases(term):
        said = {form for concept in concepts for form in (*concept.forms(), *concept.synonyms, *concept.expansions)}
        if key not in unique and _expansions_of(key) and not set(_expansions_of(key)) <= said:
            concepts.append(Concept(key, expansions=_expansions_of(key), parts=_parts_of(key), title_only=title_only))
    return concepts, ignored, term


def parse_query(text: str) -> ParsedQuery:
    """Parse what a user typed into concepts, exclusions and proximity phrases."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"查询太长（最多 {MAX_QUERY_CHARS} 个字符）/ query too long (at most {MAX_QUERY_CHARS} characters)"
        )
    text = text.translate(_QUOTES)
    groups: list[list[Concept]] = []
    excluded: list[Concept] = []
    phrases: list[str] = []
    ignored: list[str] = []
    join_next = False
    for match in _TOKEN.finditer(text):
        sign, field_name, body = match.groups()
        negative, required = sign == "-", sign in ("+", "＋")
        if body == "OR" and not sign and not field_name:
            join_next = bool(groups)
            continue
        title_only = (field_name or "").lower() in _TITLE_FIELDS
        if field_name and not title_only and field_name.lower() not in _TEXT_FIELDS:
            body = f"{field_name}:{body}"  # not a field we know: search the text as typed
        if body.startswith('"'):
            phrase = normalise_query(body.strip('"'))
            found = [Concept(phrase, exact=True, title_only=title_only, required=required)] if phrase else []
            whole = ""
        else:
            found, dropped_words, whole = _term_concepts(body, title_only=title_only, required=required)
            ignored.extend(dropped_words)
        if not found:
            continue
        if negative:
            excluded.extend(found)
            continue
        if len(found) > 1 and whole:
            phrases.append(whole)
        if join_next and groups:
            previous = groups.pop()
            groups.append([Concept(previous[-1].text, alternatives=(*_flatten(previous), *found))])
        else:
            groups.extend([concept] for concept in found)
        join_next = False
    concepts = tuple(dict.fromkeys(group[0] for group in groups))
    if not concepts and not excluded and ignored:  # nothing but question words (的): search them after all
        concepts, ignored = tuple(Concept(word) for word in dict.fromkeys(ignored)), []
    return ParsedQuery(concepts, tuple(excluded), tuple(dict.fromkeys(phrases)), tuple(dict.fromkeys(ignored)))


def _flatten(group: list[Concept]) -> list[Concept]:
    flat = []
    for concept in group:
        flat.extend(concept.alternatives or (concept,))
    return flat
