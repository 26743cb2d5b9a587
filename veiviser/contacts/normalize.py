"""Folding and tokenising for the place resolver.

Folding is veiviser.text.fold (lower case, ø→o, å→a, accents and Sami
diacritics removed, invisible characters dropped, "aa" read as å) with one
difference: æ (and Swedish ä) stays one letter instead of becoming "ae". Typo
distances are counted on folded names, and a typo in "Tysvær" or "Herøy"
typed as "Heræy" should cost one edit, not two. Names with æ are indexed
under their "ae" spelling too, so "baerum" still matches Bærum exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from veiviser import text as shared_text

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str, read_aa_as_a_ring: bool = True) -> str:
    """Fold one word or phrase to its comparison key (see module docstring)."""
    lowered = text.lower().replace("ä", "æ")
    parts = (shared_text.fold(part, read_aa_as_a_ring) for part in lowered.split("æ"))
    return " ".join("æ".join(parts).split())


@dataclass(frozen=True)
class Token:
    """One word of a message: as written and folded."""

    raw: str
    key: str
    sentence_start: bool


def tokenize(text: str) -> list[Token]:
    """Split a message into word tokens (hyphens and punctuation separate words).

    `sentence_start` marks the first word of the message and words after
    . ! ? or a line break, where a capital letter says nothing about a name.
    Invisible format characters (zero-width space, bidi marks) are dropped
    first, so they cannot split a name.
    """
    text = "".join(ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch) != "Cf")
    tokens: list[Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        gap = text[previous_end : match.start()]
        sentence_start = not tokens or any(ch in ".!?\n" for ch in gap)
        key = fold(match.group())
        if key:
            tokens.append(Token(match.group(), key, sentence_start))
        previous_end = match.end()
    return tokens


def name_keys(name: str) -> set[str]:
    """All keys under which a place name is indexed.

    "Nord-Aurdal" gives "nord aurdal" and "nordaurdal"; "Herøy (Nordland)"
    gives "heroy nordland" and "heroynordland"; "Bærum" gives "bærum" and "baerum".
    """
    words = [fold(match.group()) for match in _TOKEN.finditer(name)]
    words = [word for word in words if word]
    keys = {" ".join(words), "".join(words)} if words else set()
    return keys | {key.replace("æ", "ae") for key in keys}
