"""Clauses: the stretch of a sentence between two ，：；, where a figure's indicator and kind are read.

Parts: ``find_clause_start`` (after the last clause break; inside an open parenthesis, after it),
``find_clause_end`` (at the next clause break) and ``previous_clause``.
"""

from __future__ import annotations

import re

_CLAUSE_BREAK = re.compile(r"[，,：:；;。！？!?]")
_PAREN = re.compile(r"[（()）]")


def find_clause_start(sentence: str, position: int) -> tuple[int, int]:
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


def previous_clause(sentence: str, clause_start: int) -> str:
    """Return the clause that ends just before clause_start ("" for the first clause)."""
    if clause_start == 0:
        return ""
    return sentence[find_clause_start(sentence, clause_start - 1)[0] : clause_start - 1]


def find_clause_end(sentence: str, position: int) -> int:
    """Return where the clause holding position ends: at the next ，：；。 or the sentence end."""
    match = _CLAUSE_BREAK.search(sentence, position)
    return match.start() if match else len(sentence)
