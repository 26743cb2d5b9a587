"""The user's role (where they work), normalised to one of a few values.

Users say "jeg er lærar", "jobber i barnehagen", "NAV-veileder her". The
role slot holds one of ROLES; answers elsewhere are tailored to it.
"""
from __future__ import annotations

import re
from typing import Dict, Optional, Tuple

from veiviser.text import fold

# Slot value -> how Veiviser refers to the role in a sentence.
ROLES: Dict[str, str] = {
    "skole": "deg som jobber i skolen",
    "barnehage": "deg som jobber i barnehage",
    "barnevern": "deg som jobber i barnevernet",
    "nav": "deg som jobber i NAV",
    "helse": "deg som jobber i helsetjenesten",
    "kriminalomsorg": "deg som jobber i kriminalomsorgen",
    "kommune": "deg som jobber i kommunen",
    "politi": "deg som jobber i politiet",
    "annet": "deg",
}

# Folded word stems that point to a role; checked in this order, so the more
# specific ("barnevern" before "barn", "helsesykepleier" before "skole").
_KEYWORDS: Tuple[Tuple[str, str], ...] = (
    ("barnevern", r"barnevern\w*|bvt|barneverns\w*"),
    ("barnehage", r"barnehag\w*|bhg|barnehagelaerer\w*|styrer i barnehage\w*|pedagogisk leiar|pedagogisk leder"),
    ("kriminalomsorg", r"kriminalomsorg\w*|fengsel\w*|fengsl\w*|friomsorg\w*|fangevokter\w*|betjent"),
    ("nav", r"nav|nav-\w*|navkontor\w*|sosialkontor\w*"),
    ("helse", r"helse\w*|lege|legen|fastlege|sykepleier\w*|sjukepleiar\w*|psykolog\w*|jordmor|bup|dps|legevakt\w*"),
    ("politi", r"politi\w*|lensmann\w*"),
    ("skole", r"skole\w*|skule\w*|laerer\w*|laerar\w*|lektor\w*|rektor\w*|kontaktlaerer\w*|miljoterapeut\w*|radgiver\w*|radgjevar\w*|elev\w*|undervis\w*|sfo|aks"),
    ("kommune", r"kommune\w*|kommunal\w*|slt\w*|slt-koordinator|ungdomsarbeider\w*|fritidsklubb\w*|flyktningtjeneste\w*|introduksjonsprogram\w*|kulturskole"),
    ("annet", r"annet|anna|frivillig\w*|forelder|foreldre|mor|far|privatperson"),
)
_COMPILED = tuple((role, re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")) for role, pattern in _KEYWORDS)


def normalise_role(text: Optional[str]) -> Optional[str]:
    """Map a role as the user wrote it (or a slot value) to a value in ROLES."""
    if not text:
        return None
    folded = fold(text).strip()
    if folded in ROLES:
        return folded
    for role, pattern in _COMPILED:
        if pattern.search(folded):
            return role
    return None


def describe_role(role: Optional[str]) -> str:
    """'deg som jobber i skolen' for a known role, 'deg' otherwise."""
    return ROLES.get(role or "", "deg")
