"""Rasa NLU component that forces the `report_emergency` intent.

It runs last in the pipeline, after the intent classifier and the fallback
classifier, and overrides their result when either

* the deterministic detector (`veiviser.safety.emergency`) finds acute
  danger in the text, or
* the classifier ranked `report_emergency` at or above `classifier_threshold`
  (the fallback classifier may have replaced it with `nlu_fallback`).

The threshold is low on purpose: a missed emergency is far worse than a
false alarm (docs/EMERGENCY.md has the measured trade-off).
The original ranking is kept for analysis.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from veiviser.safety.emergency import EMERGENCY_INTENT, assess


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class EmergencyGuard(GraphComponent, IntentClassifier):
    """Makes sure no message about acute danger is classified as anything else."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"classifier_threshold": 0.3}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._classifier_threshold = float(config["classifier_threshold"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EmergencyGuard":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            reason = self._reason(message)
            if reason is None:
                continue
            message.set(
                INTENT,
                {"name": EMERGENCY_INTENT, "confidence": 1.0},
                add_to_output=True,
            )
            message.set("emergency_reason", reason, add_to_output=True)
        return messages

    def _reason(self, message: Message) -> Text | None:
        text = message.get(TEXT) or ""
        assessment = assess(text)
        if assessment.is_emergency:
            return f"rule:{assessment.reason}"
        for ranked in message.get(INTENT_RANKING_KEY) or []:
            if (
                ranked.get("name") == EMERGENCY_INTENT
                and ranked.get("confidence", 0.0) >= self._classifier_threshold
            ):
                return "classifier"
        return None
