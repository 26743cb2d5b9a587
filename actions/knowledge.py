"""Knowledge actions: sourced answers from content/knowledge, tailored to slot `role`.

Content is loaded when the action server imports this module, so broken content
stops the server at start with a clear error. After editing content, restart the
action server; no retraining is needed. VEIVISER_KNOWLEDGE_DIR overrides the
content directory.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from veiviser.knowledge import (
    ANSWERABLE_INTENTS,
    KnowledgeBase,
    Reply,
    contact_button,
    load_knowledge,
    menu,
    render_answer,
    render_more,
)
from veiviser.knowledge.render import UNSURE_TEXT
from veiviser.profile import normalise_role

CONTENT_DIR_ENV = "VEIVISER_KNOWLEDGE_DIR"
LAST_ENTRY_SLOT = "last_knowledge_entry"
ROLE_SLOT = "role"
MEASURES_INTENT = "ask_measures_for_role"
ROLE_INTENT = "inform_role"
ASK_ROLE_RESPONSE = "utter_ask_role"  # domain/profile.yml: role quick replies


def load_content() -> KnowledgeBase:
    return load_knowledge(os.environ.get(CONTENT_DIR_ENV) or None)


KNOWLEDGE = load_content()


def current_role(tracker: Tracker) -> Optional[str]:
    """A role given in the latest message wins over the remembered slot."""
    for value in tracker.get_latest_entity_values(ROLE_SLOT):
        role = normalise_role(value)
        if role:
            return role
    return normalise_role(tracker.get_slot(ROLE_SLOT))


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _say(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(**reply.as_kwargs())


class _UsesKnowledge:
    """Mixin (not an Action, so rasa-sdk does not register it): content to answer from."""

    def __init__(self, knowledge: Optional[KnowledgeBase] = None) -> None:
        self.knowledge = knowledge or KNOWLEDGE


class ActionAnswerKnowledge(_UsesKnowledge, Action):
    """Answer the latest knowledge intent; ask for the role where it matters."""

    def name(self) -> Text:
        return "action_answer_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = latest_intent(tracker)
        if intent == ROLE_INTENT:
            # The user picked a role after a general answer on measures.
            intent = MEASURES_INTENT
        if intent not in ANSWERABLE_INTENTS:
            _say(dispatcher, menu(self.knowledge, UNSURE_TEXT))
            return []

        role = current_role(tracker)
        entry = self.knowledge.find(intent, role)
        if entry is None:  # unreachable with validated content
            _say(dispatcher, menu(self.knowledge, UNSURE_TEXT))
            return []
        reply = render_answer(self.knowledge, entry)

        if intent == MEASURES_INTENT and role is None:
            _say(dispatcher, Reply(reply.text))
            dispatcher.utter_message(response=ASK_ROLE_RESPONSE)
        else:
            place = contact_button(next(tracker.get_latest_entity_values("municipality"), None))
            if place is not None:
                reply = Reply(reply.text, reply.buttons + (place,))
            _say(dispatcher, reply)
        return [SlotSet(LAST_ENTRY_SLOT, entry.id)]


class ActionAnswerMore(_UsesKnowledge, Action):
    """Continue the last answer ("Les mer"), or offer topics if there is none."""

    def name(self) -> Text:
        return "action_answer_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        entry = self.knowledge.by_id(tracker.get_slot(LAST_ENTRY_SLOT))
        if entry is None:
            _say(dispatcher, menu(self.knowledge))
            return []
        _say(dispatcher, render_more(self.knowledge, entry))
        # Once the continuation is shown, a further "mer" offers the topic menu.
        return [SlotSet(LAST_ENTRY_SLOT, None)] if entry.les_mer else []
