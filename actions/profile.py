"""Actions for the user's role (slot `role`)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from veiviser.contacts import Found, get_resolver
from veiviser.profile import describe_role, normalise_role

MUNICIPALITY_SLOT = "municipality"  # owned by the contacts capability


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
        events: List[Dict[Text, Any]] = [SlotSet("role", role)]
        place = named_municipality(tracker)
        if place is None:
            dispatcher.utter_message(text=f"Takk. Da tilpasser jeg svarene til {describe_role(role)}.")
        else:
            # "jeg jobber på en skole i Bodø": remember the place too, so
            # "hvem kontakter jeg?" is answered for it without asking again.
            dispatcher.utter_message(
                text=f"Takk. Da tilpasser jeg svarene til {describe_role(role)}, "
                f"og jeg husker at du jobber i {place} kommune."
            )
            events.append(SlotSet(MUNICIPALITY_SLOT, place))
        return events


def named_municipality(tracker: Tracker) -> Optional[Text]:
    """The one municipality the latest message names, when NLU tagged a place
    and the contacts resolver is sure which municipality it is; else None."""
    message = tracker.latest_message or {}
    places = [e.get("value") for e in message.get("entities") or [] if e.get("entity") == "municipality"]
    if not places:
        return None
    result = get_resolver().resolve_message(message.get("text") or "", places)
    return result.municipality.name if isinstance(result, Found) else None
