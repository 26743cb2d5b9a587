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


# -- how likely a typo is -----------------------------------------------------
#
# Several names often lie at the same edit distance from a typo ("marvik" is
# one edit from Narvik, Larvik and Malvik). Typing errors are not equally
# likely, though: a key next to the intended one, two swapped letters or a
# doubled letter dropped are common; an unrelated letter or a wrong first
# letter is rare. `typo_cost` weighs each edit by that, so the resolver can
# prefer the most plausible name and ask only when two remain close.

# Norwegian keyboard, folded like the index keys (ø→o, å→a; æ kept).
_KEYBOARD_ROWS = ("qwertyuiopå", "asdfghjkløæ", "zxcvbnm")
_VOWELS = frozenset("aeiouyæ")


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    fold_key = {"ø": "o", "å": "a"}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for r, row in enumerate(_KEYBOARD_ROWS):
        for i, key in enumerate(row):
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            # Rows are staggered: a key touches two keys above and two below.
            if r > 0:
                above = _KEYBOARD_ROWS[r - 1]
                near += [above[j] for j in (i, i + 1) if j < len(above)]
            if r + 1 < len(_KEYBOARD_ROWS):
                below = _KEYBOARD_ROWS[r + 1]
                near += [below[j] for j in (i - 1, i) if 0 <= j < len(below)]
            a = fold_key.get(key, key)
            for other in near:
                b = fold_key.get(other, other)
                if a != b:
                    neighbours[a].add(b)
                    neighbours[b].add(a)
    return {key: frozenset(value) for key, value in neighbours.items()}


KEYBOARD_NEIGHBOURS = _keyboard_neighbours()

# Costs of single edits (an unrelated substitution costs 1).
NEIGHBOUR_SUBSTITUTION = 0.5
VOWEL_SUBSTITUTION = 0.7
TRANSPOSITION = 0.5
DROPPED_DOUBLE = 0.3  # "sundal" for Sunndal
ADDED_DOUBLE = 0.3  # "hemmnes" for Hemnes
DELETION = 0.8
INSERTION = 0.8
NEIGHBOUR_INSERTION = 0.6  # the extra key sits next to the letter before or after it
FIRST_LETTER_PENALTY = 0.3  # the first letter of a name is seldom the mistake


def _substitution_cost(typed: str, meant: str) -> float:
    if typed == meant:
        return 0.0
    if typed in KEYBOARD_NEIGHBOURS.get(meant, ()):
        return NEIGHBOUR_SUBSTITUTION
    if typed in _VOWELS and meant in _VOWELS:
        return VOWEL_SUBSTITUTION
    return 1.0


def typo_cost(typed: str, meant: str) -> float:
    """Weighted edit distance from the name `meant` to what was `typed`.

    Lower is more plausible. Spaces count as letters.
    """
    n, m = len(typed), len(meant)
    inf = float("inf")
    d = [[inf] * (m + 1) for _ in range(n + 1)]
    d[0][0] = 0.0

    def penalty(i: int, j: int) -> float:
        return FIRST_LETTER_PENALTY if i == 0 and j == 0 else 0.0

    for i in range(n + 1):
        for j in range(m + 1):
            here = d[i][j]
            if here == inf:
                continue
            if i < n and j < m:  # keep or substitute
                cost = _substitution_cost(typed[i], meant[j])
                if cost:
                    cost += penalty(i, j)
                d[i + 1][j + 1] = min(d[i + 1][j + 1], here + cost)
            if j < m:  # a letter of the name is missing
                doubled = (j > 0 and meant[j - 1] == meant[j]) or (j + 1 < m and meant[j + 1] == meant[j])
                cost = DROPPED_DOUBLE if doubled else DELETION + penalty(i, j)
                d[i][j + 1] = min(d[i][j + 1], here + cost)
            if i < n:  # an extra letter was typed
                before = typed[i - 1] if i > 0 else ""
                after = typed[i + 1] if i + 1 < n else ""
                if typed[i] in (before, after):
                    cost = ADDED_DOUBLE
                elif before in KEYBOARD_NEIGHBOURS.get(typed[i], ()) or after in KEYBOARD_NEIGHBOURS.get(typed[i], ()):
                    cost = NEIGHBOUR_INSERTION + penalty(i, j)
                else:
                    cost = INSERTION + penalty(i, j)
                d[i + 1][j] = min(d[i + 1][j], here + cost)
            if i + 1 < n and j + 1 < m and typed[i] == meant[j + 1] and typed[i + 1] == meant[j] and typed[i] != typed[i + 1]:
                d[i + 2][j + 2] = min(d[i + 2][j + 2], here + TRANSPOSITION + penalty(i, j))
    return d[n][m]
