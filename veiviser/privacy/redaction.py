"""Redaction of identifiers in user text, before anything is stored or logged.

Each detected identifier is replaced by a typed Norwegian placeholder:

| kind | placeholder | what is found |
|---|---|---|
| ``fnr`` | ``[fødselsnummer]`` | 11-digit national identity and D-numbers, spaced ``311299 56715``, ``311299-56715``, ``31.12.99 567 15``; no checksum check (the 2032 rule changes it) |
| ``phone`` | ``[telefonnummer]`` | 8-digit Norwegian numbers, with or without +47/0047, spaced or not; never 110, 112, 113, 02800, 116 111, 116 123 |
| ``email`` | ``[e-post]`` | e-mail addresses |
| ``address`` | ``[adresse]`` | street name + house number, postcode + place |
| ``name`` | ``[navn]`` | person names (:mod:`veiviser.privacy.names`) |
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import FrozenSet, List, Pattern, Set, Tuple

from veiviser.privacy.names import find_names

PLACEHOLDERS = {
    "fnr": "[fødselsnummer]",
    "phone": "[telefonnummer]",
    "email": "[e-post]",
    "address": "[adresse]",
    "name": "[navn]",
}

# Numbers that must never be redacted: emergency and help lines.
PROTECTED_NUMBERS: FrozenSet[str] = frozenset({"110", "112", "113", "02800", "116111", "116123"})

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+", re.UNICODE)
# 11 digits, optionally split after the date (6), or as dd.mm.yy + 3 + 2.
_FNR = re.compile(
    r"(?<![\d+])(?:"
    r"\d{6}[ \t.\-]?\d{5}"
    r"|\d{2}[ .\-]\d{2}[ .\-]\d{2}[ .\-]?\d{3}[ .\-]?\d{2}"
    r"|\d{6}[ .\-]\d{3}[ .\-]\d{2}"
    r")(?![\d])"
)
# Norwegian phone numbers: an optional +47/0047/(+47) prefix, then 8 digits
# as written in Norway: 41234567, 412 34 567, 41 23 45 67, 4123 4567.
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\(?\+|\b00)\s?47\)?[\s.\-]?)?"
    r"(?:\d{8}|\d{3}[ .\-]\d{2}[ .\-]\d{3}|\d{2}[ .\-]\d{2}[ .\-]\d{2}[ .\-]\d{2}"
    r"|\d{4}[ .\-]\d{4}|\d{3}[ .\-]\d{5})(?!\d)"
)
_STREET_SUFFIXES = (
    r"gata|gaten|gate|veien|vegen|vei|veg|alléen|allé|bakken|svingen|stien|brygga|bryggen"
    r"|torget|kroken|løkka|tunet|terrassen"
)
# "Storgata 12", "storgata 12b", "Kong Oscars gate 5 B", "Thorvald Meyers gate 12".
_STREET = re.compile(
    r"(?:\b(?:[A-ZÆØÅ][\wæøåÆØÅ'.-]*\s+){1,3}(?:gate|gata|gt\.|vei|veg|allé|plass|terrasse)"
    r"|\b[A-ZÆØÅa-zæøå][a-zæøå'-]{2,}?(?:" + _STREET_SUFFIXES + r"))"
    r"\s+\d{1,4}(?:(?:[A-Za-z]|\s[A-Z])(?![\wæøå]))?"
)
# "0155 Oslo", "5003 Bergen".
_POSTCODE = re.compile(r"(?<![\d\w])\d{4}\s+[A-ZÆØÅ][\wæøåÆØÅ-]+(?:\s+[A-ZÆØÅ][\wæøåÆØÅ-]+)?")
# Words before a four-digit number that make it a year, not a postcode.
_YEAR_CUES = re.compile(
    r"(?:\bi|\når|\bfra|\btil|\bsiden|\binnen|\bhøsten|\bvåren|\bsommeren|\bvinteren|\bjuli"
    r"|\bjanuar|\bfebruar|\bmars|\bapril|\bmai|\bjuni|\baugust|\bseptember|\boktober"
    r"|\bnovember|\bdesember|\bskoleåret|\bper|\bkl\.?|\bklokka)\s*$",
    re.IGNORECASE,
)
_ADJACENT_ADDRESSES = re.compile(r"\[adresse\](?:\s*,\s*|\s+)\[adresse\]")


@dataclass
class Redaction:
    """The redacted text and the kinds of identifiers that were removed."""

    text: str
    kinds: Set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _sub(pattern: Pattern[str], kind: str, text: str, kinds: Set[str], keep=None) -> str:
    def replace(match: "re.Match[str]") -> str:
        if keep is not None and keep(match):
            return match.group(0)
        kinds.add(kind)
        return PLACEHOLDERS[kind]

    return pattern.sub(replace, text)


def _keep_phone(match: "re.Match[str]") -> bool:
    digits = _digits(match.group(0))
    if digits.startswith("0047"):
        digits = digits[4:]
    elif digits.startswith("47") and len(digits) == 10:
        digits = digits[2:]
    return digits in PROTECTED_NUMBERS


def _keep_postcode(text: str):
    def keep(match: "re.Match[str]") -> bool:
        return bool(_YEAR_CUES.search(text[: match.start()]))

    return keep


def _replace_spans(text: str, spans: List[Tuple[int, int]], placeholder: str) -> str:
    parts, last = [], 0
    for start, end in sorted(spans):
        parts.append(text[last:start])
        parts.append(placeholder)
        last = end
    parts.append(text[last:])
    return "".join(parts)


def redact(text: str) -> Redaction:
    """Replaces identifiers in ``text`` with typed placeholders."""
    kinds: Set[str] = set()
    out = _sub(_EMAIL, "email", text or "", kinds)
    out = _sub(_FNR, "fnr", out, kinds)
    out = _sub(_PHONE, "phone", out, kinds, keep=_keep_phone)
    out = _sub(_STREET, "address", out, kinds)
    out = _sub(_POSTCODE, "address", out, kinds, keep=_keep_postcode(out))
    out = _ADJACENT_ADDRESSES.sub(PLACEHOLDERS["address"], out)
    spans = find_names(out)
    if spans:
        kinds.add("name")
        out = _replace_spans(out, spans, PLACEHOLDERS["name"])
    return Redaction(out, kinds)


def redact_text(text: str) -> str:
    return redact(text).text
