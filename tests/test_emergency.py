"""The acute-danger safety net: rule layer, NLU guard, policy, and recall on
held-out messages (tests/emergency/heldout_*.yml, never trained on)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from veiviser.safety.emergency import assess, is_emergency

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent / "results"
# The foundation issue's targets are 100 % recall and under 5 % false alarms.
# Measured with the current pipeline (docs/EMERGENCY.md): heldout 100 % /
# 5.5 %, fresh 97.3 % / 11.7 %, fresh2 100 % / 17.7 %. The false-alarm target
# is not met yet. The floors below are those measurements with at most one
# message of slack per set, because DIET training on 2 CPU threads is not
# bit-for-bit repeatable; anything worse is a regression.
SETS = {
    # name: (minimum recall, maximum false-alarm rate)
    "heldout": (1.0, 0.075),  # 63 emergencies, 109 ordinary messages
    "fresh": (0.97, 0.13),  # 74 / 145
    "fresh2": (0.985, 0.185),  # 70 / 141
}


def _messages(name: str):
    return yaml.safe_load((HERE / "emergency" / name).read_text(encoding="utf8"))["messages"]


@pytest.mark.parametrize(
    "message",
    [
        "han truer med å drepe læreren",
        "eleven har med seg kniv på skolen nå",
        "Han planlegger å sprenge rådhuset",
        "paa fredag skal han drepe dem",          # ASCII spelling
        "ho har truga med å drepe familien",      # Nynorsk
        "han har en pistl i sekken",              # typo
        "det er noen som skyter på skolen",
        "en elev sa han skal «ta» noen i morgen",
        "HAN HAR ET GEVÆR OG SKAL TIL SKOLEN",    # capitals
        "han\u200b truer med å skyte",            # zero-width space
    ],
)
def test_rule_layer_flags_acute_danger(message):
    assert is_emergency(message), assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "hei",
        "hva er bekymringstegn?",
        "når skal jeg ringe 112?",
        "eleven ser mye voldelige videoer",
        "vi hadde kurs om våpenloven",
        "hva gjør jeg hvis en elev sier han vil drepe noen?",
        "vil det skade eleven om jeg melder?",
        "han har sympati for terrorister på nett",
        "eleven skjøt ballen i krysset i dag",
        "",
        "   ",
    ],
)
def test_rule_layer_ignores_ordinary_messages(message):
    assert not is_emergency(message), assess(message)


def test_rule_layer_alone_on_development_sets():
    """The rule layer was tuned on the dev sets only; it must get them all."""
    missed = [m for m in _messages("dev_emergency.yml") if not is_emergency(m)]
    alarms = [m for m in _messages("dev_ordinary.yml") if is_emergency(m)]
    assert missed == []
    assert alarms == []


def test_heldout_sets_are_large_enough_and_disjoint_from_training():
    from rasa.shared.nlu.training_data.loading import load_data

    trained = {m.get("text").strip().lower() for m in load_data(str(HERE.parent / "data" / "nlu")).intent_examples}
    for name in SETS:
        emergencies = _messages(f"{name}_emergency.yml")
        ordinary = _messages(f"{name}_ordinary.yml")
        assert len(emergencies) >= 60
        assert len(ordinary) >= 100
        # Ordinary sets may share plain greetings with the training data; the
        # emergencies must be unseen.
        overlap = [m for m in emergencies if m.strip().lower() in trained]
        assert overlap == [], overlap


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(SETS))
def test_model_recall_and_false_alarms(agent, name):
    from veiviser.nlu.evaluation import parse_all, score_emergency

    min_recall, max_false_alarms = SETS[name]
    emergencies, ordinary = _messages(f"{name}_emergency.yml"), _messages(f"{name}_ordinary.yml")
    e_parses, _ = parse_all(agent, emergencies)
    o_parses, _ = parse_all(agent, ordinary)
    scores = score_emergency(emergencies, e_parses, ordinary, o_parses)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"emergency_{name}.json").write_text(json.dumps(scores.__dict__, ensure_ascii=False, indent=2))
    assert scores.recall >= min_recall, f"missed emergencies: {scores.missed}"
    assert scores.false_alarm_rate <= max_false_alarms, scores.false_alarms
