"""Finds and validates the contact detail a user gives for a callback."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

# Numbers that must never be stored as someone's contact detail.
EMERGENCY_NUMBERS = {"110", "112", "113", "116117", "116111", "02800"}
_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})(?![\w-])")
# Digits with optional spaces, dots or dashes between them, optionally +47 / 0047 first.
_PHONE = re.compile(r"(?<![\w+])((?:\+|00)?\d(?:[ .\-]?\d){2,13})(?!\w)")


@dataclass(frozen=True)
class ContactDetail:
    kind: str  # "telefon" or "e-post"
    value: str  # normalised: "+4791234567" or "navn@example.no"


def normalise_phone(text: str) -> Optional[str]:
    """A Norwegian number as +47 and 8 digits, or None (emergency numbers are None)."""
    digits = re.sub(r"[ .\-]", "", text.strip())
    if digits.startswith("+47"):
        digits = digits[3:]
    elif digits.startswith("0047"):
        digits = digits[4:]
    elif digits.startswith("+") or digits.startswith("00"):
        return None  # another country
    if not digits.isdigit() or digits in EMERGENCY_NUMBERS or len(digits) != 8:
        return None
    if digits[0] not in "2345679":  # 0, 1 and 8 do not start an ordinary 8-digit number
        return None
    return "+47" + digits


def find_contact(text: str) -> Optional[ContactDetail]:
    """The first e-mail address or valid Norwegian phone number in ``text``."""
    email = _EMAIL.search(text or "")
    if email:
        return ContactDetail("e-post", email.group(1).lower())
    for match in _PHONE.finditer(text or ""):
        phone = normalise_phone(match.group(1))
        if phone:
            return ContactDetail("telefon", phone)
    return None
