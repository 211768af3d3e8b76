"""Compare our matcher's answer with Whoosh's (tests and ``bench/matcher.py``)."""

from __future__ import annotations

import math

import numpy as np


def agrees(top_n: list[tuple[float, int]], scored: tuple[np.ndarray, np.ndarray], tolerance: float = 1e-9) -> bool:
    """Return whether (scores, numbers) is Whoosh's ``top_n``: the same passages, the same scores, its order.

    Scores agree to ``tolerance`` (relative); the order is Whoosh's except among passages whose scores
    differ by less than that (sums of the same term scores in another order differ in the last bits).
    """
    scores, numbers = scored
    theirs = {number: score for score, number in top_n}
    if len(theirs) != len(numbers) or set(theirs) != set(numbers.tolist()):
        return False
    if not all(
        math.isclose(theirs[n], s, rel_tol=tolerance) for s, n in zip(scores.tolist(), numbers.tolist(), strict=True)
    ):
        return False
    in_our_order = [theirs[number] for number in numbers.tolist()]
    pairs = zip(in_our_order, in_our_order[1:], strict=False)
    return all(a >= b or math.isclose(a, b, rel_tol=tolerance) for a, b in pairs)
