"""Compose chat replies (text, source lines, quick replies) from entries."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from .model import HUMAN_INTENT, HUMAN_INTENTS, LEGAL_INTENTS, Entry, KnowledgeBase

MORE_PAYLOAD = "/ask_more"
MORE_TITLE = "Les mer"
LEGAL_NOTE = (
    "Dette er veiledning, ikke juridisk rådgivning. "
    "Er du i tvil, spør leder eller virksomhetens jurist."
)
NO_MORE_TEXT = "Jeg har ikke mer om dette her. Se lenkene nedenfor for mer."
MENU_TEXT = "Hva vil du vite mer om? Velg et tema, eller skriv spørsmålet ditt."
UNSURE_TEXT = "Jeg er ikke sikker på hva du lurer på. Velg et tema, eller skriv spørsmålet ditt på en annen måte."
MENU_INTENTS = (
    "ask_warning_signs",
    "ask_steps_when_worried",
    "ask_confidentiality",
    "ask_rvts",
    "ask_action_plan",
)
_PLACE = re.compile(r"^[^\W\d_]+(?:[ \-'][^\W\d_]+)*$")
MAX_PLACE_CHARS = 40


@dataclass(frozen=True)
class Button:
    title: str
    payload: str

    def as_dict(self) -> Dict[str, str]:
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Tuple[Button, ...] = ()

    def as_kwargs(self) -> Dict[str, Any]:
        """Arguments for CollectingDispatcher.utter_message."""
        return {"text": self.text, "buttons": [b.as_dict() for b in self.buttons]}


def intent_payload(intent: str, entities: Optional[Dict[str, str]] = None) -> str:
    suffix = json.dumps(entities, ensure_ascii=False, separators=(",", ":")) if entities else ""
    return f"/{intent}{suffix}"


def source_block(entry: Entry) -> str:
    checked = entry.verified.strftime("%d.%m.%Y")
    if len(entry.sources) == 1:
        return f"Kilde (kontrollert {checked}): {entry.sources[0]}"
    lines = "\n".join(f"- {url}" for url in entry.sources)
    return f"Kilder (kontrollert {checked}):\n{lines}"


def _needs(entry: Entry, intents: Iterable[str]) -> bool:
    return any(intent in entry.intents for intent in intents)


def step_buttons(kb: KnowledgeBase, entry: Entry) -> List[Button]:
    """Next steps written in the content, plus a human advisor where required."""
    steps = list(entry.next_steps)
    if _needs(entry, HUMAN_INTENTS) and HUMAN_INTENT not in steps:
        steps.append(HUMAN_INTENT)
    return [Button(kb.label(step), intent_payload(step)) for step in steps]


def _compose(kb: KnowledgeBase, entry: Entry, body: str, with_more: bool) -> Reply:
    parts = [body]
    if _needs(entry, LEGAL_INTENTS):
        parts.append(LEGAL_NOTE)
    parts.append(source_block(entry))
    buttons = [Button(MORE_TITLE, MORE_PAYLOAD)] if with_more else []
    buttons.extend(step_buttons(kb, entry))
    return Reply("\n\n".join(parts), tuple(buttons))


def render_answer(kb: KnowledgeBase, entry: Entry) -> Reply:
    """The short answer, its sources, and quick replies ("Les mer" first if any)."""
    return _compose(kb, entry, entry.text, with_more=bool(entry.les_mer))


def render_more(kb: KnowledgeBase, entry: Entry) -> Reply:
    """The continuation of an entry; without one, a pointer to its sources."""
    if entry.les_mer:
        return _compose(kb, entry, entry.les_mer, with_more=False)
    return _compose(kb, entry, NO_MORE_TEXT, with_more=False)


def menu(kb: KnowledgeBase, text: str = MENU_TEXT) -> Reply:
    return Reply(text, tuple(Button(kb.label(i), intent_payload(i)) for i in MENU_INTENTS))


def contact_button(place: Optional[str]) -> Optional[Button]:
    """A quick reply that asks the contacts capability about a named place."""
    if not place or len(place) > MAX_PLACE_CHARS or not _PLACE.match(place.strip()):
        return None
    place = place.strip()
    return Button(f"Hvem kontakter jeg i {place}?", intent_payload("ask_contact", {"municipality": place}))
