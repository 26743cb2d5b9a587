"""Typed model of the knowledge content and lookups by intent and role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Dict, Optional, Tuple

from veiviser.profile import ROLES as PROFILE_ROLES

# Intents whose answers come from content (docs/ARCHITECTURE.md, knowledge).
ANSWERABLE_INTENTS: Tuple[str, ...] = (
    "ask_action_plan",
    "ask_measures_for_role",
    "ask_rvts",
    "ask_warning_signs",
    "ask_steps_when_worried",
    "ask_anonymous_discussion",
    "ask_confidentiality",
    "ask_duty_to_avert",
    "ask_duty_to_report_cps",
    "ask_exit_work",
    "ask_pst",
)
# ask_more continues the last answer; no content entry answers it directly.
MORE_INTENT = "ask_more"
KNOWLEDGE_INTENTS: Tuple[str, ...] = ANSWERABLE_INTENTS + (MORE_INTENT,)

# Values of the slot `role`, owned by the profile capability (veiviser.profile).
ROLES: Tuple[str, ...] = tuple(PROFILE_ROLES)
ALL_ROLES = "all"

# Intents of other capabilities that an answer may offer as a next step,
# with the quick-reply title shown for them.
EXTERNAL_STEPS: Dict[str, str] = {
    "ask_contact": "Hvem kontakter jeg?",
    "request_human": "Snakk med et menneske",
}
HUMAN_INTENT = "request_human"

# Complex situations: the answer always offers a human advisor.
HUMAN_INTENTS = frozenset(
    {
        "ask_steps_when_worried",
        "ask_confidentiality",
        "ask_duty_to_avert",
        "ask_duty_to_report_cps",
    }
)
# Legal topics: the answer always carries the "not legal advice" note.
LEGAL_INTENTS = frozenset(
    {"ask_confidentiality", "ask_duty_to_avert", "ask_duty_to_report_cps"}
)

CONFIDENCE_VALUES = ("V", "V2")


@dataclass(frozen=True)
class Entry:
    """One sourced answer, as written in content/knowledge/*.yaml."""

    id: str
    topic: str
    intents: Tuple[str, ...]
    roles: Tuple[str, ...]
    text: str
    sources: Tuple[str, ...]
    verified: date
    confidence: str
    les_mer: Optional[str] = None
    label: Optional[str] = None
    next_steps: Tuple[str, ...] = ()
    origin: str = ""

    @property
    def is_general(self) -> bool:
        return self.roles == (ALL_ROLES,)

    def answers(self, intent: str) -> bool:
        return intent in self.intents


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries, validated; lookups never fail for an answerable intent."""

    entries: Tuple[Entry, ...]

    def by_id(self, entry_id: Optional[str]) -> Optional[Entry]:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return None

    def general(self, intent: str) -> Optional[Entry]:
        for entry in self.entries:
            if entry.is_general and entry.answers(intent):
                return entry
        return None

    def find(self, intent: str, role: Optional[str] = None) -> Optional[Entry]:
        """The entry for `intent`, preferring one written for `role`."""
        if role and role != ALL_ROLES:
            for entry in self.entries:
                if entry.answers(intent) and role in entry.roles:
                    return entry
        return self.general(intent)

    def has_role_variants(self, intent: str) -> bool:
        return any(e.answers(intent) and not e.is_general for e in self.entries)

    def label(self, intent: str) -> str:
        """Quick-reply title for an intent offered as a next step."""
        if intent in EXTERNAL_STEPS:
            return EXTERNAL_STEPS[intent]
        entry = self.general(intent)
        if entry is None or not entry.label:
            raise KeyError(f"no label for intent {intent!r}")
        return entry.label
