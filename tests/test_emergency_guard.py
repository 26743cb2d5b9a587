"""EmergencyGuard: how it combines the rule layer and the emergency scorer,
and how it stores its scorer (no trained Rasa model needed; the scorer's
probability and DIET's ranking are given)."""
from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import veiviser.nlu.emergency_guard as guard_module
from veiviser.nlu.emergency_guard import EmergencyGuard
from veiviser.safety.emergency import EMERGENCY_INTENT

CONFIG = EmergencyGuard.get_default_config() | {"scorer_threshold": 0.2, "rule_min_score": 0.1}


class _FixedScorer:
    """Stands in for a trained scorer: the same probability for every text."""

    def __init__(self, probability: float) -> None:
        self.probability = probability

    def score(self, text: str) -> float:
        return self.probability


def _parsed(text: str, ranking: list[tuple[str, float]]) -> Message:
    message = Message(data={TEXT: text})
    top = ranking[0]
    message.set(INTENT, {"name": top[0], "confidence": top[1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return message


def _run(text: str, probability: float, ranking: list[tuple[str, float]]) -> Message:
    message = _parsed(text, ranking)
    EmergencyGuard(CONFIG, scorer=_FixedScorer(probability)).process([message])
    return message


def test_the_scorer_alone_makes_an_emergency():
    # A coded threat with no word from the rule lists, which DIET missed.
    message = _run("han sier fredag er dagen og at alle skal få se", 0.8, [("ask_warning_signs", 0.9)])
    assert message.get(INTENT) == {"name": EMERGENCY_INTENT, "confidence": 1.0}
    assert message.get("emergency_reason") == "scorer"
    assert message.get("emergency_score") == 0.8


def test_below_its_threshold_the_scorer_does_not_make_an_emergency():
    message = _run("han sier fredag er dagen og at alle skal få se", 0.19, [("ask_warning_signs", 0.9)])
    assert message.get(INTENT)["name"] == "ask_warning_signs"
    assert message.get("emergency_reason") is None


@pytest.mark.parametrize("text", ["i morgen etter skolen", "ikke akkurat nå", "torsdag kl 13", "i kveld"])
def test_a_short_message_without_a_danger_word_is_never_a_scorer_emergency(text):
    # The callback form asks "Når passer det best …?": a bare time is an answer.
    message = _run(text, 0.99, [("deny", 0.6)])
    assert message.get(INTENT)["name"] == "deny"


@pytest.mark.parametrize("text", ["hjelp!", "skudd i gangen", "han har kniv", "mann med øks"])
def test_a_short_message_with_a_danger_word_counts_for_the_scorer(text):
    assert _run(text, 0.5, [("greet", 0.9)]).get(INTENT)["name"] == EMERGENCY_INTENT


def test_an_acute_phrase_counts_whatever_the_scorer_says():
    message = _run("skyting på fotballbanen!!!", 0.0007, [("greet", 0.9)])
    assert message.get("emergency_reason") == "rule:acute"


def test_a_rule_hit_counts_when_the_scorer_finds_it_at_least_unlikely():
    message = _run("han truer med å drepe læreren", 0.12, [("greet", 0.99)])
    assert message.get(INTENT)["name"] == EMERGENCY_INTENT
    assert message.get("emergency_reason") == "rule:threat"


def test_a_rule_hit_the_scorer_finds_very_unlikely_does_not_count():
    # Measured: every such case was a figure of speech, a drill or a question.
    message = _run("han truer med å drepe læreren", 0.05, [("greet", 0.99)])
    assert message.get(INTENT)["name"] == "greet"


def test_diet_alone_does_not_make_an_emergency_and_is_demoted():
    message = _run("vi har lest om angrepet i Christchurch i samfunnsfag", 0.01,
                   [(EMERGENCY_INTENT, 0.9), ("out_of_scope", 0.6)])
    assert message.get(INTENT)["name"] == "out_of_scope"
    assert message.get("emergency_demoted") is True


def test_a_demoted_message_with_no_good_second_intent_falls_back():
    message = _run("ikke akkurat nå", 0.01, [(EMERGENCY_INTENT, 0.62), ("deny", 0.33)])
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_other_intents_are_left_alone():
    message = _run("hva er RVTS?", 0.01, [("ask_rvts", 0.97), (EMERGENCY_INTENT, 0.01)])
    assert message.get(INTENT)["name"] == "ask_rvts"
    assert message.get("emergency_reason") is None
    assert message.get("emergency_demoted") is None


def test_without_a_scorer_only_the_rules_count():
    # Only Rasa's training graph runs the guard like this.
    guard = EmergencyGuard(CONFIG)
    hit = _parsed("han truer med å drepe læreren", [("greet", 0.99)])
    miss = _parsed("hva er RVTS?", [(EMERGENCY_INTENT, 0.9), ("ask_rvts", 0.8)])
    guard.process([hit, miss])
    assert hit.get(INTENT)["name"] == EMERGENCY_INTENT
    assert miss.get(INTENT)["name"] == "ask_rvts"


# ---------------------------------------------------- training and storage

def _training_data() -> TrainingData:
    examples = [Message(data={TEXT: t, INTENT: EMERGENCY_INTENT}) for t in (
        "han står med kniv i gangen nå", "det brenner og noen er inne", "han skal skyte noen i morgen")]
    examples += [Message(data={TEXT: t, INTENT: "ask_rvts"}) for t in (
        "hva er rvts", "hvem kontakter jeg i bergen", "hva er varseltegn", "takk for hjelpen")]
    return TrainingData(examples)


def test_guard_trains_persists_and_loads_its_scorer(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("guard")
    config = CONFIG | {"scorer_sets": ["dev"]}
    trained = EmergencyGuard(config, None, storage, resource)
    trained.train(_training_data())
    loaded = EmergencyGuard.load(config, storage, resource, execution_context=None)
    for text in ("det står en mann med kniv utenfor", "hvem er slt-koordinator"):
        assert loaded._scorer.score(text) == pytest.approx(trained._scorer.score(text))


def test_a_model_without_its_scorer_fails_to_load(tmp_path):
    with pytest.raises(ValueError):
        EmergencyGuard.load(CONFIG, LocalModelStorage(tmp_path), Resource("missing"), execution_context=None)


def test_changing_a_scorer_set_or_the_replies_changes_the_fingerprint(tmp_path, monkeypatch):
    for kind in ("emergency", "ordinary"):
        (tmp_path / f"s_{kind}.yml").write_text("messages: ['a']\n")
    (tmp_path / "replies.yml").write_text("messages: ['i dag']\n")
    monkeypatch.setattr(guard_module, "SETS_DIR", tmp_path)
    monkeypatch.setattr(guard_module, "REPLIES_FILE", tmp_path / "replies.yml")
    config = {"scorer_sets": ["s"]}
    before = EmergencyGuard.fingerprint_addon(config)
    assert EmergencyGuard.fingerprint_addon(config) == before
    (tmp_path / "s_ordinary.yml").write_text("messages: ['b']\n")
    after_set = EmergencyGuard.fingerprint_addon(config)
    assert after_set != before
    (tmp_path / "replies.yml").write_text("messages: ['i morgen']\n")
    assert EmergencyGuard.fingerprint_addon(config) != after_set
