"""Document type and topics, from the rules and the taxonomy kept as data.

Parts: ``find_doc_type`` (rules from ``data/doctypes.csv`` over title, header and body start) and
``passage_topics`` / ``document_topics`` (the taxonomy in ``data/topics.csv``, matched through
``_topic_pattern``, one trie-shaped regex of every trigger phrase, with the phrase that triggered
each topic kept as evidence).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from indexer.text import lexicon
from indexer.text.normalise import search_form


def find_doc_type(*, title: str, head: str, body_start: str) -> str:
    """Return the document type from the rules in data/doctypes.csv (first match wins)."""
    regions = {"title": title, "head": f"{title}\n{head}", "body": body_start}
    for doc_type, where, phrase in lexicon.doc_type_rules():
        text = regions.get(where, "")
        if phrase.startswith("^"):
            if re.search(phrase, text, re.M):
                return doc_type
        elif phrase.endswith("$"):
            if any(line.rstrip().endswith(phrase[:-1]) for line in text.splitlines()):
                return doc_type
        elif phrase in text:
            return doc_type
    return "其他"


@functools.lru_cache(maxsize=1)
def _topic_pattern() -> tuple[re.Pattern, dict[str, list[str]]]:
    topics_by_phrase: dict[str, list[str]] = {}
    for topic, phrases in lexicon.topic_phrases().items():
        for phrase in phrases:
            topics_by_phrase.setdefault(search_form(phrase), []).append(topic)
    return re.compile(_trie_pattern(topics_by_phrase)), topics_by_phrase


def _trie_pattern(phrases) -> str:
    """Return a regex matching any of the phrases, the longest one where several start at a place.

    Written as a trie (工(?:会(?:经费|)|资)…): the regex engine reads each character once per place
    instead of trying hundreds of alternatives there (a fifth of the time to read a document).
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in node.items() if char]
        if "" in node:  # longer phrases first, then the one ending here
            return "(?:" + "|".join(branches) + "|)" if branches else ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


def passage_topics(text: str) -> dict[str, str]:
    """Return topic → the first phrase of the passage that triggered it."""
    pattern, topics_by_phrase = _topic_pattern()
    found: dict[str, str] = {}
    form = search_form(text)
    for match in pattern.finditer(form):
        for topic in topics_by_phrase[match.group()]:
            found.setdefault(topic, text[match.start() : match.end()])
    return found


def document_topics(per_passage: list[dict[str, str]], *, limit: int = 8) -> list[str]:
    """Roll passage topics up: topics seen in at least two passages (or the only ones)."""
    counts = Counter(topic for topics in per_passage for topic in topics)
    if not counts:
        return []
    keep = [topic for topic, count in counts.most_common() if count >= 2]
    if not keep:
        keep = [topic for topic, _ in counts.most_common(3)]
    return keep[:limit]
