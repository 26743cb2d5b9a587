"""Unicode normalisation of what a user typed, before any other check.

NFKC folds look-alikes (fullwidth ``／restart`` becomes ``/restart``);
zero-width characters and bidi controls are removed, because they change
how text looks without changing what a filter sees (security cases 4, 23).
"""
from __future__ import annotations

import re
import unicodedata

# Zero-width space/joiners, word joiner, BOM, soft hyphen; bidi embeddings,
# overrides and isolates (U+202A-202E, U+2066-2069) and LRM/RLM/ALM.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# C0/C1 control characters other than tab and newline.
_CONTROL = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f]")


def normalize(text: str) -> str:
    """NFKC, without invisible and control characters, trimmed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return text.strip()


def is_blank(text: str) -> bool:
    """True when nothing visible is left after normalisation."""
    return normalize(text) == ""
