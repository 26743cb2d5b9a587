"""Actions for the user's role (slot `role`)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from veiviser.profile import describe_role, normalise_role


class ActionSetRole(Action):
    """Normalises the role the user gave and remembers it."""

    def name(self) -> Text:
        return "action_set_role"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        given = next(tracker.get_latest_entity_values("role"), None)
        role = normalise_role(given) or normalise_role(tracker.latest_message.get("text"))
        if role is None:
            dispatcher.utter_message(response="utter_ask_role")
            return []
        dispatcher.utter_message(
            text=f"Takk. Da tilpasser jeg svarene til {describe_role(role)}."
        )
        return [SlotSet("role", role)]
