"""Rasa NLU component that forces the `report_emergency` intent.

It runs last in the pipeline and overrides every other interpretation when

* the emergency scorer (`veiviser.safety.scorer`, trained with the model on
  the `report_emergency` examples and the measured sets named in
  `scorer_sets`) gives at least `scorer_threshold`, or
* the deterministic detector (`veiviser.safety.emergency`) finds an acute
  phrase, or a combination (harm with intent, a weapon in someone's
  possession, a threat) and the scorer gives at least `rule_min_score`: a
  combination the scorer finds very unlikely was, in every measured case, a
  figure of speech, a drill or a question ("jeg dreper meg av latter").

DIET's own `report_emergency` score does not vote: measured against the
scorer it added false alarms and caught nothing the scorer missed
(docs/EMERGENCY.md). When DIET's top intent is `report_emergency` but the
guard does not confirm it, the guard replaces it with the next intent (or
`nlu_fallback` when that is below `demoted_min_confidence`). The original
ranking is kept for analysis, and the scorer's probability is in the parse
as `emergency_score`.
"""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from veiviser.safety.emergency import EMERGENCY_INTENT, Assessment, assess, has_danger_word
from veiviser.safety.scorer import REPLIES_FILE, SETS_DIR, Corpus, EmergencyScorer, load_replies, load_set, split_examples

FALLBACK_INTENT = "nlu_fallback"
SCORER_FILE = "emergency_scorer.json"
logger = logging.getLogger(__name__)


# A message of at most this many words counts for the scorer only with a
# danger word: the scorer learned mostly from longer messages and read bare
# times ("i morgen etter skolen", the answer the callback form asks for) as
# danger.
SHORT_MESSAGE_WORDS = 4
_WORDS = re.compile(r"\w+")


def decide(
    text: str, assessment: Assessment, probability: float, scorer_threshold: float, rule_min_score: float
) -> Optional[str]:
    """The guard's decision: why the message is an emergency, or None.

    An acute phrase ("skyting på", "blir holdt som gissel") counts whatever
    the scorer says: short alarms are rare in its corpus ("skyting på
    fotballbanen!!!" scored 0.0007)."""
    if assessment.is_emergency and (assessment.reason == "acute" or probability >= rule_min_score):
        return f"rule:{assessment.reason}"
    if probability >= scorer_threshold and (
        len(_WORDS.findall(text)) > SHORT_MESSAGE_WORDS or has_danger_word(text)
    ):
        return "scorer"
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class EmergencyGuard(GraphComponent, IntentClassifier):
    """Makes sure no message about acute danger is classified as anything else."""

    @classmethod
    def required_components(cls) -> List[Type]:
        # It runs after the intent classifier (config.yml puts it last), but
        # as a trainable component it cannot declare that: Rasa checks the
        # requirement against its training node too, which sees only the
        # featurised training data.
        return []

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "scorer_threshold": 0.25,
            "rule_min_score": 0.05,
            "demoted_min_confidence": 0.45,
            # Measured sets in tests/emergency/ the scorer learns from.
            "scorer_sets": [],
            "scorer_c": 256.0,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        scorer: Optional[EmergencyScorer] = None,
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
    ) -> None:
        self._config = config
        self._scorer_threshold = float(config["scorer_threshold"])
        self._rule_min_score = float(config["rule_min_score"])
        self._demoted_min_confidence = float(config["demoted_min_confidence"])
        self._scorer = scorer
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EmergencyGuard":
        return cls(config, None, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The measured sets and the short replies are read from disk, so their
        content is part of the fingerprint: a changed file retrains the scorer."""
        digest = hashlib.sha256(REPLIES_FILE.read_bytes() if REPLIES_FILE.exists() else b"missing")
        for name in config.get("scorer_sets") or []:
            for kind in ("emergency", "ordinary"):
                path = SETS_DIR / f"{name}_{kind}.yml"
                digest.update(path.read_bytes() if path.exists() else b"missing")
        return digest.hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        emergencies, others = split_examples(
            (example.get(TEXT), example.get(INTENT)) for example in training_data.intent_examples
        )
        corpus = Corpus(
            emergencies, others, {name: load_set(SETS_DIR, name) for name in self._config["scorer_sets"]},
            load_replies(),
        )
        self._scorer = EmergencyScorer.fit(corpus.emergencies, corpus.others, c=float(self._config["scorer_c"]))
        logger.info(
            "Emergency scorer trained on %d emergencies and %d other messages.",
            len(corpus.emergencies), len(corpus.others),
        )
        with self._model_storage.write_to(self._resource) as directory:
            self._scorer.save(Path(directory) / SCORER_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "EmergencyGuard":
        # No fallback: a model without its scorer must not start quietly
        # with a weaker safety net.
        with model_storage.read_from(resource) as directory:
            scorer = EmergencyScorer.load(Path(directory) / SCORER_FILE)
        return cls(config, scorer, model_storage, resource)

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
        if self._scorer is None:
            # Only the training graph runs the guard without its scorer
            # (`load` refuses a model without one).
            return f"rule:{assessment.reason}" if assessment.is_emergency else None
        probability = self._scorer.score(text)
        message.set("emergency_score", round(probability, 4), add_to_output=True)
        return decide(text, assessment, probability, self._scorer_threshold, self._rule_min_score)

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
