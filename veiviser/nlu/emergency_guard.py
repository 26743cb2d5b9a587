"""Rasa NLU component that forces the `report_emergency` intent.

It runs last in the pipeline, after the intent classifier and the fallback
classifier, and overrides their result when either

* the deterministic detector (`veiviser.safety.emergency`) finds acute
  danger in the text, or
* the classifier ranked `report_emergency` at or above `classifier_threshold`
  (the fallback classifier may have replaced it with `nlu_fallback`), the
  text has a danger word or says that someone intends something or when (or
  nothing of this, with at least `confident_threshold`), and it does not
  place the violence in the past, in a topic or in a worried question
  without a word that makes it urgent, or use it only figuratively
  (`veiviser.safety.emergency.context`).

When neither holds but the classifier's own top intent is `report_emergency`,
the guard replaces it with the next intent in the ranking (or `nlu_fallback`
when that is below `demoted_min_confidence`): violence words in a past, topic
or worried context are the main source of false alarms (docs/EMERGENCY.md).

The threshold is very low on purpose (0.01 in config.yml): the text checks
carry the decision, and a missed emergency is far worse than a false alarm
(docs/EMERGENCY.md has the measured trade-off).
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

from veiviser.safety.emergency import EMERGENCY_INTENT, assess, context

FALLBACK_INTENT = "nlu_fallback"


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
        return {
            "classifier_threshold": 0.3,
            "confident_threshold": 0.9,
            "demoted_min_confidence": 0.45,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._classifier_threshold = float(config["classifier_threshold"])
        self._confident_threshold = float(config["confident_threshold"])
        self._demoted_min_confidence = float(config["demoted_min_confidence"])

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
                self._demote(message)
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
        confidence = max(
            (
                ranked.get("confidence", 0.0)
                for ranked in message.get(INTENT_RANKING_KEY) or []
                if ranked.get("name") == EMERGENCY_INTENT
            ),
            default=0.0,
        )
        if confidence < self._classifier_threshold:
            return None
        found = context(text)
        if found.not_acute:
            return None
        # The only violent words were figurative ("regnearket dreper meg",
        # "han skal sprenge rekorden i morgen"): the classifier was fooled.
        if found.figurative and not found.violent_word:
            return None
        if found.danger_cue or found.intent:
            return "classifier"
        # Without a word from the lists the classifier's own score decides:
        # the lists cannot hold every way of describing danger, and coded
        # threats ("hun kommer ikke hjem i dag") have none of their words.
        if confidence >= self._confident_threshold:
            return "classifier"
        return None

    def _demote(self, message: Message) -> None:
        """Replace a classifier-only `report_emergency` the guard did not confirm."""
        intent = message.get(INTENT) or {}
        if intent.get("name") != EMERGENCY_INTENT:
            return
        others = [
            ranked
            for ranked in message.get(INTENT_RANKING_KEY) or []
            if ranked.get("name") not in (EMERGENCY_INTENT, FALLBACK_INTENT)
        ]
        best = max(others, key=lambda ranked: ranked.get("confidence", 0.0), default=None)
        if best is not None and best.get("confidence", 0.0) >= self._demoted_min_confidence:
            replacement = {"name": best["name"], "confidence": best["confidence"]}
        else:
            replacement = {"name": FALLBACK_INTENT, "confidence": intent.get("confidence", 0.0)}
        message.set(INTENT, replacement, add_to_output=True)
        message.set("emergency_demoted", True, add_to_output=True)
