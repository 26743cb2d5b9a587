"""Actions of the handoff capability (issue 6, docs/HANDOFF.md).

action_request_handoff: on request_human, queue a live case and pause the
bot when an advisor can take it; otherwise say why and offer a callback.
validate_callback_form / action_submit_callback: the callback request.
The data lives in veiviser.handoff; this module reads the tracker and writes
events and messages.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from veiviser.contacts import Found, get_resolver
from veiviser.handoff import availability, cases, messages, notify
from veiviser.profile import normalise_role

logger = logging.getLogger(__name__)

FORM_SLOTS = (
    "callback_role", "callback_municipality", "callback_contact",
    "callback_time", "callback_description", "callback_consent",
)
MAX_FREE_TEXT = 500
AFFIRM, DENY = "affirm", "deny"
LIVE_CHANNEL = "socketio"  # veiviser.channels.socketio.CHANNEL_NAME
# socket.io custom message: emitted as bot_uttered with this payload (docs/HANDOFF.md).
WAITING_SIGNAL = {"data": {"metadata": {"from": "veiviser", "handoff": "waiting"}}}


class ActionRequestHandoff(Action):
    def name(self) -> Text:
        return "action_request_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[EventType]:
        try:
            now = availability.check()
        except Exception:  # a broken database or hours file must not hide the alternatives
            logger.exception("handoff availability check failed")
            dispatcher.utter_message(text="Jeg kan ikke koble deg til en veileder akkurat nå.")
            dispatcher.utter_message(response="utter_request_human")
            return []
        if not now.open_now:
            dispatcher.utter_message(
                text=f"Chatten med veileder er stengt nå. Den er åpen {now.hours}."
            )
            dispatcher.utter_message(response="utter_request_human")
            return []
        if not now.live:
            dispatcher.utter_message(text="Ingen veileder er logget inn i chatten akkurat nå.")
            dispatcher.utter_message(response="utter_request_human")
            return []
        if tracker.get_latest_input_channel() != LIVE_CHANNEL:
            # Only the web chat's socket can receive an advisor's messages.
            dispatcher.utter_message(text="Du kan snakke med en veileder i chatten på nettsiden, men ikke her.")
            dispatcher.utter_message(response="utter_request_human")
            return []
        queue = cases.open_live_case(tracker.sender_id)
        dispatcher.utter_message(text=messages.queued(max(queue.position, 1), queue.reference))
        # Tells the web widget to stop expecting the bot's reply (no typing
        # indicator, no "svarer ikke" notice) while the user waits for a person.
        dispatcher.utter_message(json_message=WAITING_SIGNAL)
        # Paused now, before any advisor can write: the bot never answers
        # at the same time as the advisor (security case 35).
        return [ConversationPaused()]


def _text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def _intent(tracker: Tracker) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def _free_text(value: Any) -> Optional[str]:
    text = " ".join(str(value or "").split())
    return text if 2 <= len(text) <= MAX_FREE_TEXT else None


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_callback_form"

    def validate_callback_role(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        role = normalise_role(str(value or ""))
        if role is None:
            dispatcher.utter_message(response="utter_callback_role_invalid")
        return {"callback_role": role}

    def validate_callback_municipality(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        result = get_resolver().resolve(str(value or ""), answering=True)
        if isinstance(result, Found):
            return {"callback_municipality": result.municipality.name}
        dispatcher.utter_message(response="utter_callback_municipality_invalid")
        return {"callback_municipality": None}

    def validate_callback_contact(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        # The channel's raw-text hook stored the detail before redaction; the
        # slot only records which kind it is.
        kind = cases.draft_contact_kind(tracker.sender_id)
        if kind is None:
            dispatcher.utter_message(response="utter_callback_contact_invalid")
        return {"callback_contact": kind}

    def validate_callback_time(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = _free_text(value)
        if text is None:
            dispatcher.utter_message(response="utter_callback_text_invalid")
        return {"callback_time": text}

    def validate_callback_description(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = _free_text(value)
        if text is None:
            dispatcher.utter_message(response="utter_callback_text_invalid")
        return {"callback_description": text}

    def validate_callback_consent(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        intent = _intent(tracker)
        if intent == AFFIRM:
            return {"callback_consent": "ja"}
        if intent == DENY:
            return {"callback_consent": "nei"}
        dispatcher.utter_message(response="utter_callback_consent_invalid")
        return {"callback_consent": None}


class ActionSubmitCallback(Action):
    def name(self) -> Text:
        return "action_submit_callback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[EventType]:
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if tracker.get_slot("callback_consent") != "ja":
            cases.discard_draft(tracker.sender_id)
            dispatcher.utter_message(response="utter_callback_declined")
            return reset
        callback = cases.submit_callback(
            tracker.sender_id,
            role=tracker.get_slot("callback_role") or "annet",
            municipality=tracker.get_slot("callback_municipality") or "",
            preferred_time=tracker.get_slot("callback_time") or "",
            description=tracker.get_slot("callback_description") or "",
        )
        if callback is None:
            dispatcher.utter_message(response="utter_callback_failed")
            return reset
        notified = notify.notify_new_callback(callback)
        dispatcher.utter_message(
            text=(
                f"Takk. Forespørselen er registrert med saksnummer {callback.reference}. "
                f"En veileder tar kontakt på {'telefon' if callback.contact_kind == 'telefon' else 'e-post'} "
                "så snart som mulig, og tar hensyn til tidspunktet du ønsket. Oppgi saksnummeret hvis du "
                "kontakter oss om saken. Er noen i fare nå, ring 112."
            )
        )
        if not notified:
            logger.warning("callback %s stored, but the advisors were not notified by e-mail", callback.id)
        return reset
