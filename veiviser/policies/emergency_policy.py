"""Dialogue policy that answers acute danger before anything else.

When the latest user message has the intent `report_emergency`, this policy
predicts, with full confidence and a priority above every other policy,
whatever the conversation was doing (a form included):

1. `utter_emergency` (call 112 now),
2. `utter_emergency_followup` (02800, PST, what to do afterwards),
3. `action_deactivate_loop` if a form was active, so it does not carry on
   asking questions on top of an emergency,
4. `action_listen`.

Every step is a response or a built-in action: the safety net works even
when the action server is down.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from veiviser.safety.emergency import EMERGENCY_INTENT

ANSWER = "utter_emergency"
FOLLOWUP = "utter_emergency_followup"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class EmergencyPolicy(Policy):
    """Deterministic, highest-priority handling of `report_emergency`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 7}

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        # Nothing to learn: the behaviour is fixed by design.
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        next_action = self._next_action(tracker)
        if next_action is None:
            return self._prediction(self._default_predictions(domain))
        return self._prediction(confidence_scores_for(next_action, 1.0, domain))

    @staticmethod
    def _next_action(tracker: DialogueStateTracker) -> Optional[Text]:
        if tracker.latest_message.intent.get("name") != EMERGENCY_INTENT:
            return None
        previous = tracker.latest_action_name
        if previous == ACTION_LISTEN_NAME:
            return ANSWER
        if previous == ANSWER:
            return FOLLOWUP
        if previous == FOLLOWUP and tracker.active_loop_name:
            return ACTION_DEACTIVATE_LOOP_NAME
        if previous in (FOLLOWUP, ACTION_DEACTIVATE_LOOP_NAME):
            return ACTION_LISTEN_NAME
        return None
