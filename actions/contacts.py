"""Actions of the contacts capability: "Hvem kontakter jeg?".

Flow (data/rules/contacts.yml): ask_contact or inform_municipality starts
contacts_form, whose only slot is `municipality`. validate_contacts_form reads
the place from the latest message (whole text, NLU entity as a second
opinion); if it is known, or was given earlier, the form ends at once and
action_answer_contact answers. Otherwise action_ask_municipality asks, saying
why: a name shared by two municipalities (buttons with the counties), a
typo as close to two names ("Kristiansnd": Kristiansand or Kristiansund?), a
county, or a name it did not find. A corrected typo is answered at once, and
the answer says how it was read ("Jeg tolket «Kristiansnad» som …").

The logic lives in veiviser.contacts; this module only reads the tracker and
writes events and messages.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from veiviser.contacts import (
    Ambiguous,
    Found,
    Municipality,
    NotFound,
    Resolution,
    compose_answer,
    compose_question,
    get_directory,
    get_resolver,
)
from veiviser.contacts.answer import Message
from veiviser.profile import normalise_role

FORM = "contacts_form"
SLOT = "municipality"
CANDIDATES_SLOT = "municipality_candidates"
NOT_FOUND_SLOT = "municipality_not_found"
ROLE_SLOT = "role"  # owned by the profile capability
ENTITY = "municipality"
PLACE_INTENTS = {"ask_contact", "inform_municipality"}
# Intents a reply to "which municipality?" may get when NLU misses a place ("Kristiansnad").
ANSWER_INTENTS = PLACE_INTENTS | {None, "nlu_fallback"}
# Intents that must leave the form to their own capability, even if they name a place.
ESCAPE_INTENTS = {"report_emergency", "request_human", "restart"}

# Load and validate content/contacts/ when the action server imports this
# module: a broken data file stops the server at start, not mid-conversation.
get_resolver()


def _asking_for_place(tracker: Tracker) -> bool:
    return tracker.active_loop_name == FORM and tracker.get_slot("requested_slot") == SLOT


def _asked_for_place_before_latest_message(tracker: Tracker) -> bool:
    """True when the latest user message answered "which municipality?" (the form may have ended since)."""
    asking = answered = False
    for event in tracker.events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "requested_slot":
            asking = event.get("value") == SLOT
        elif kind == "active_loop" and event.get("name") != FORM:
            asking = False
        elif kind == "user":
            answered = asking
    return answered


def _pending_candidates(tracker: Tracker) -> list[Municipality]:
    directory = get_directory()
    names = tracker.get_slot(CANDIDATES_SLOT) or []
    return [m for m in (directory.municipality(name) for name in names) if m is not None]


def read_place(tracker: Tracker, answering: Optional[bool] = None) -> Optional[Resolution]:
    """The place named in the latest user message, or None if it names none.

    A text that matches nothing counts as an attempt at a place (and gets
    "Jeg fant ikke …") only when it is written like a place name or tagged as
    one by NLU, when NLU read the message as inform_municipality, or when it
    answers our question; otherwise the form lets other rules answer.
    """
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    if intent in ESCAPE_INTENTS:
        return None
    entities = [e.get("value") for e in message.get("entities") or [] if e.get("entity") == ENTITY]
    if answering is None:
        answering = _asking_for_place(tracker)
    result = get_resolver().resolve_message(
        message.get("text") or "", entities, within=_pending_candidates(tracker), answering=answering
    )
    if isinstance(result, NotFound) and not (result.county or result.place):
        answer_like = intent == "inform_municipality" or (answering and intent in ANSWER_INTENTS)
        if not (result.query and (result.name_like or answer_like)):
            return None
    return result


def _slot_values(municipality: Optional[Municipality], candidates: Any = None, not_found: Any = None) -> dict:
    return {
        SLOT: municipality.name if municipality else None,
        CANDIDATES_SLOT: candidates,
        NOT_FOUND_SLOT: not_found,
    }


def _utter(dispatcher: CollectingDispatcher, message: Message) -> None:
    dispatcher.utter_message(text=message.text, buttons=list(message.buttons) or None)


class ValidateContactsForm(FormValidationAction):
    def name(self) -> str:
        return "validate_contacts_form"

    async def extract_municipality(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Offer the place in the latest message for validation (nothing if it names none)."""
        result = read_place(tracker)
        if result is None:
            return {}
        if isinstance(result, Found):
            return {SLOT: result.municipality.name}
        return {SLOT: result.query or tracker.latest_message.get("text")}

    def validate_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Keep only a real municipality name; otherwise note why for the next question."""
        directory = get_directory()
        known = directory.municipality(value) if isinstance(value, str) else None
        if known is not None:
            return _slot_values(known)
        result = read_place(tracker) or NotFound(query=value if isinstance(value, str) else None)
        if isinstance(result, Found):
            return _slot_values(result.municipality)
        if isinstance(result, Ambiguous):
            return _slot_values(None, candidates=[m.name for m in result.candidates])
        return _slot_values(None, not_found=result.query or value)


class ActionAskMunicipality(Action):
    """Asks which municipality, with buttons when choosing between candidates."""

    def name(self) -> str:
        return "action_ask_municipality"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        resolution: Optional[Resolution] = None
        candidates = _pending_candidates(tracker)
        not_found = tracker.get_slot(NOT_FOUND_SLOT)
        if candidates:
            resolution = Ambiguous(query="", candidates=tuple(candidates))
        elif not_found:
            again = get_resolver().resolve(not_found)
            resolution = again if isinstance(again, NotFound) else NotFound(query=not_found)
        _utter(dispatcher, compose_question(get_directory(), resolution))
        return []


class ActionAnswerContact(Action):
    """Answers with the police district, RVTS centre and contacts for the municipality."""

    def name(self) -> str:
        return "action_answer_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        directory = get_directory()
        latest = read_place(tracker, answering=_asked_for_place_before_latest_message(tracker))
        municipality = directory.municipality(tracker.get_slot(SLOT) or "")
        if municipality is None and isinstance(latest, Found):
            municipality = latest.municipality  # reached without the form
        if municipality is None:
            _utter(dispatcher, compose_question(directory, latest))
            return [SlotSet(slot, value) for slot, value in _slot_values(None).items()]

        named_now = latest if isinstance(latest, Found) and latest.municipality is municipality else None
        # "jeg er lærer i Bodø" read as a place: the role it names counts too.
        role_now = normalise_role(next(tracker.get_latest_entity_values("role"), None))
        role = role_now or tracker.get_slot(ROLE_SLOT)
        answer = compose_answer(
            directory,
            municipality,
            role=role,
            remembered=named_now is None and _value_before_latest_message(tracker) == municipality.name,
            former=named_now.former if named_now else None,
            typed=named_now.typed if named_now else None,
        )
        for message in answer.messages:
            _utter(dispatcher, message)
        events = [SlotSet(slot, value) for slot, value in _slot_values(municipality).items()]
        if role_now and role_now != tracker.get_slot(ROLE_SLOT):
            events.append(SlotSet(ROLE_SLOT, role_now))
        return events


def _value_before_latest_message(tracker: Tracker) -> Optional[str]:
    """The municipality slot as it was before the latest user message."""
    before_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            before_latest = True
        elif before_latest and event.get("event") == "slot" and event.get("name") == SLOT:
            value = event.get("value")
            return value if isinstance(value, str) else None
    return None
