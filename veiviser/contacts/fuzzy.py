"""Bounded typo matching: edit distance with transpositions, and a deletion index.

The index follows the symmetric-delete idea: every key is stored under each
string obtained by deleting up to `max_distance` characters, and a query looks
up its own deletions. Two strings within edit distance d always share such a
deletion string, so the few candidates found are then checked exactly. Lookup
cost depends on the query length only, not on the number of names.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Iterable


def allowed_distance(key: str) -> int:
    """How many typos a name of this length may carry and still match.

    Short names get none (too many ordinary words lie one letter away from
    "Os", "Nes" or "Lom"); five to eight letters get one; longer names two.
    """
    length = len(key.replace(" ", ""))
    if length < 5:
        return 0
    if length < 9:
        return 1
    return 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, or limit + 1 once it exceeds limit.

    Counts insertions, deletions, substitutions and swaps of two neighbouring
    letters ("Kristiansnad" is one edit from "Kristiansand").
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def deletions(key: str, depth: int) -> set[str]:
    """The key itself and every string made by deleting up to `depth` characters."""
    result = {key}
    for count in range(1, min(depth, len(key)) + 1):
        for positions in combinations(range(len(key)), count):
            result.add("".join(ch for i, ch in enumerate(key) if i not in positions))
    return result


class DeletionIndex:
    """Finds the stored keys within their allowed distance of a query."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._buckets: dict[str, set[str]] = defaultdict(set)
        for key in keys:
            for variant in deletions(key, allowed_distance(key)):
                self._buckets[variant].add(key)

    def matches(self, query: str) -> dict[str, int]:
        """Stored keys within their own allowed distance of `query`, with distances.

        An exact match is left out: callers look those up directly.
        """
        # A query one letter shorter than a five-letter name can still match it,
        # and one of seven letters can be two edits from a nine-letter name.
        if len(query) < 4:
            return {}
        depth = 2 if len(query) >= 7 else 1
        candidates: set[str] = set()
        for variant in deletions(query, depth):
            candidates |= self._buckets.get(variant, set())
        found: dict[str, int] = {}
        for key in candidates:
            limit = allowed_distance(key)
            if key == query or limit == 0:
                continue
            distance = edit_distance(query, key, limit)
            if distance <= limit:
                found[key] = distance
        return found
