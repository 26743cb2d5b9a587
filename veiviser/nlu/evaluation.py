"""Evaluate a trained model on held-out data (NLU and the emergency net).

Used by the tests (tests/test_nlu_heldout.py, tests/test_emergency.py) and
by the command-line scripts that write the figures in docs/.
"""
from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

from veiviser.safety.emergency import EMERGENCY_INTENT


def load_agent(model_path: str):
    """Load a trained model for parsing (no endpoints, nothing listens).

    Rasa's debug log prints every parsed message; evaluation keeps it quiet.
    """
    import logging

    import structlog
    from rasa.core.agent import Agent

    logging.getLogger("rasa").setLevel(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    return Agent.load(model_path)


def parse_all(agent, texts: Sequence[str]) -> Tuple[List[dict], float]:
    """Parse texts with the model; returns parses and mean seconds per text."""

    async def run() -> List[dict]:
        return [await agent.parse_message(text) for text in texts]

    start = time.perf_counter()
    parses = asyncio.run(run())
    per_message = (time.perf_counter() - start) / max(len(texts), 1)
    return parses, per_message


def load_nlu_examples(path: str) -> List[Tuple[str, str]]:
    """(text, intent) pairs from a Rasa NLU YAML file, entity markup removed."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(path)
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def load_messages(path: Path) -> List[str]:
    return list(yaml.safe_load(path.read_text(encoding="utf8"))["messages"])


@dataclass
class IntentScores:
    macro_f1: float
    accuracy: float
    per_intent: Dict[str, Dict[str, float]]
    confusions: List[Tuple[str, str, str]] = field(default_factory=list)


def score_intents(gold: Sequence[str], predicted: Sequence[str], texts: Sequence[str]) -> IntentScores:
    """Macro-F1 over the gold intents (nlu_fallback counts as a miss)."""
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    confusions = []
    for text, g, p in zip(texts, gold, predicted):
        if g == p:
            tp[g] += 1
        else:
            fn[g] += 1
            fp[p] += 1
            confusions.append((text, g, p))
    per_intent = {}
    for intent in sorted(set(gold)):
        precision = tp[intent] / (tp[intent] + fp[intent]) if tp[intent] + fp[intent] else 0.0
        recall = tp[intent] / (tp[intent] + fn[intent]) if tp[intent] + fn[intent] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = {"precision": precision, "recall": recall, "f1": f1,
                              "support": tp[intent] + fn[intent]}
    macro = sum(v["f1"] for v in per_intent.values()) / len(per_intent)
    accuracy = sum(tp.values()) / len(gold)
    return IntentScores(macro, accuracy, per_intent, confusions)


@dataclass
class EmergencyScores:
    recall: float
    false_alarm_rate: float
    missed: List[str]
    false_alarms: List[str]
    rule_layer_recall: float  # share of emergencies the guard flagged for a rule hit
    scorer_only_recall: float  # share it flagged for the scorer alone


def score_emergency(
    emergencies: Sequence[str], emergency_parses: Sequence[dict],
    ordinary: Sequence[str], ordinary_parses: Sequence[dict],
) -> EmergencyScores:
    def flagged(parse: dict) -> bool:
        return (parse.get("intent") or {}).get("name") == EMERGENCY_INTENT

    def reason(parse: dict) -> str:
        return parse.get("emergency_reason") or ""

    missed = [t for t, p in zip(emergencies, emergency_parses) if not flagged(p)]
    alarms = [t for t, p in zip(ordinary, ordinary_parses) if flagged(p)]
    rule_hits = sum(reason(p).startswith("rule:") for p in emergency_parses)
    scorer_hits = sum(reason(p) == "scorer" for p in emergency_parses)
    n = max(len(emergencies), 1)
    return EmergencyScores(
        recall=1 - len(missed) / n,
        false_alarm_rate=len(alarms) / max(len(ordinary), 1),
        missed=missed,
        false_alarms=alarms,
        rule_layer_recall=rule_hits / n,
        scorer_only_recall=scorer_hits / n,
    )
