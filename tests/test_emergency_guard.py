"""EmergencyGuard: how it weighs the classifier against the text (no trained
model needed; the classifier's output is given)."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from veiviser.nlu.emergency_guard import EmergencyGuard
from veiviser.safety.emergency import EMERGENCY_INTENT, context

GUARD = EmergencyGuard(EmergencyGuard.get_default_config() | {"classifier_threshold": 0.05})


def _parsed(text: str, ranking: list[tuple[str, float]]) -> Message:
    message = Message(data={TEXT: text})
    top = ranking[0]
    message.set(INTENT, {"name": top[0], "confidence": top[1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return message


def _intent(message: Message) -> str:
    return GUARD.process([message])[0].get(INTENT)["name"]


def test_rule_layer_wins_whatever_the_classifier_says():
    message = _parsed("han truer med å drepe læreren", [("greet", 0.99), (EMERGENCY_INTENT, 0.0)])
    assert _intent(message) == EMERGENCY_INTENT
    assert message.get("emergency_reason").startswith("rule:")


@pytest.mark.parametrize(
    "text",
    [
        "det lukter bensin i trappeoppgangen",  # a danger word
        "han sa at det skjer på fredag",  # someone's plan with a time
    ],
)
def test_a_weak_classifier_vote_counts_with_danger_words_or_intent(text):
    message = _parsed(text, [("ask_contact", 0.8), (EMERGENCY_INTENT, 0.1)])
    assert _intent(message) == EMERGENCY_INTENT
    assert message.get("emergency_reason") == "classifier"


@pytest.mark.parametrize(
    "text",
    ["regnearket dreper meg akkurat nå", "han skal sprenge rekorden i morgen", "jeg kunne drept for en kaffe nå"],
)
def test_figurative_violence_does_not_count_even_for_a_confident_classifier(text):
    assert _intent(_parsed(text, [(EMERGENCY_INTENT, 0.99), ("out_of_scope", 0.5)])) == "out_of_scope"


def test_without_a_listed_word_the_classifier_needs_its_confident_threshold():
    # Default threshold 0.9 here; config.yml sets 0.3.
    text = "hun kommer ikke hjem i dag"
    assert _intent(_parsed(text, [(EMERGENCY_INTENT, 0.95), ("greet", 0.05)])) == EMERGENCY_INTENT
    assert _intent(_parsed(text, [("greet", 0.7), (EMERGENCY_INTENT, 0.2)])) == "greet"


@pytest.mark.parametrize(
    "text, second",
    [
        ("det var en knivstikking ved skolen i fjor, hvordan snakker vi om det?", "ask_steps_when_worried"),
        ("vi har lest om angrepet i Christchurch i samfunnsfag", "out_of_scope"),
        ("han snakker om vold, men har aldri truet noen", "ask_warning_signs"),
    ],
)
def test_a_classifier_emergency_in_a_past_topic_or_negated_context_is_demoted(text, second):
    message = _parsed(text, [(EMERGENCY_INTENT, 0.9), (second, 0.6)])
    assert _intent(message) == second
    assert message.get("emergency_demoted") is True


def test_a_demoted_message_with_no_good_second_intent_falls_back():
    message = _parsed("ikke akkurat nå", [(EMERGENCY_INTENT, 0.62), ("deny", 0.33)])
    assert _intent(message) == "nlu_fallback"


def test_other_intents_are_left_alone():
    message = _parsed("hva er RVTS?", [("ask_rvts", 0.97), (EMERGENCY_INTENT, 0.01)])
    assert _intent(message) == "ask_rvts"
    assert message.get("emergency_reason") is None


@pytest.mark.parametrize(
    "text, past_topic_or_question",
    [
        ("en elev truet en lærer for to år siden", True),
        ("hva betyr det at han tegner våpen?", True),
        ("hva gjør vi om en elev sier han vil skyte noen?", True),
        ("han sa at han skal gjøre det samme som på Utøya neste uke", False),  # intent outweighs the topic
        ("det står en mann med kniv i gangen nå", False),
        ("brannøvelsen med røykmaskin skremte noen av barna", True),  # an event
        ("han sier han skal skyte alle på fredag, han går på skytterlaget", False),  # his intent outweighs the hobby
        ("Han truet en lærer i fjor. Hvordan følger vi opp nå?", True),  # "nå" in a question is not now
        ("Ein brukar sa at han skal vise alle kven han er. Korleis tolkar eg det?", True),
        ("han sa han skulle drepe ham, haha", True),  # dismissed as a joke
    ],
)
def test_context(text, past_topic_or_question):
    assert context(text).not_acute is past_topic_or_question


# ------------------------------------------------------------ scorer vote

class _FixedScorer:
    """Stands in for a trained scorer: the same probability for every text."""

    def __init__(self, probability: float) -> None:
        self.probability = probability

    def score(self, text: str) -> float:
        return self.probability


def _guard_with_scorer(probability: float) -> EmergencyGuard:
    config = EmergencyGuard.get_default_config() | {"scorer_threshold": 0.3}
    return EmergencyGuard(config, scorer=_FixedScorer(probability))


def test_the_scorer_vote_alone_makes_an_emergency():
    # A coded threat with no listed word and a classifier that missed it.
    message = _parsed("han sier fredag er dagen og at alle skal få se", [("ask_warning_signs", 0.9)])
    _guard_with_scorer(0.8).process([message])
    assert message.get(INTENT)["name"] == EMERGENCY_INTENT
    assert message.get("emergency_reason") == "scorer"
    assert message.get("emergency_score") == 0.8


def test_a_scorer_below_its_threshold_does_not_vote():
    message = _parsed("han sier fredag er dagen og at alle skal få se", [("ask_warning_signs", 0.9)])
    _guard_with_scorer(0.29).process([message])
    assert message.get(INTENT)["name"] == "ask_warning_signs"


@pytest.mark.parametrize(
    "text",
    [
        "en elev truet en lærer for to år siden",  # past
        "hva gjør vi om en elev sier han vil skyte noen?",  # worried question
        "regnearket dreper meg",  # figurative only
    ],
)
def test_the_scorer_vote_is_vetoed_by_a_not_acute_context(text):
    message = _parsed(text, [("ask_steps_when_worried", 0.9)])
    _guard_with_scorer(0.99).process([message])
    assert message.get(INTENT)["name"] != EMERGENCY_INTENT


def test_guard_trains_persists_and_loads_its_scorer(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.training_data import TrainingData

    examples = [Message(data={TEXT: t, INTENT: EMERGENCY_INTENT}) for t in (
        "han står med kniv i gangen nå", "det brenner og noen er inne", "han skal skyte noen i morgen")]
    examples += [Message(data={TEXT: t, INTENT: "ask_rvts"}) for t in (
        "hva er rvts", "hvem kontakter jeg i bergen", "hva er varseltegn", "takk for hjelpen")]
    storage = LocalModelStorage(tmp_path)
    resource = Resource("guard")
    config = EmergencyGuard.get_default_config() | {"scorer_sets": ["dev"]}
    trained = EmergencyGuard(config, None, storage, resource)
    trained.train(TrainingData(examples))
    loaded = EmergencyGuard.load(config, storage, resource, execution_context=None)
    text = "det står en mann med kniv utenfor"
    assert loaded._scorer.score(text) == pytest.approx(trained._scorer.score(text))


def test_a_model_without_its_scorer_fails_to_load(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    with pytest.raises(ValueError):
        EmergencyGuard.load(EmergencyGuard.get_default_config(), LocalModelStorage(tmp_path),
                            Resource("missing"), execution_context=None)


def test_changing_a_scorer_set_changes_the_fingerprint(tmp_path, monkeypatch):
    import veiviser.nlu.emergency_guard as guard_module

    for kind in ("emergency", "ordinary"):
        (tmp_path / f"s_{kind}.yml").write_text("messages: ['a']\n")
    monkeypatch.setattr(guard_module, "SETS_DIR", tmp_path)
    config = {"scorer_sets": ["s"]}
    before = EmergencyGuard.fingerprint_addon(config)
    (tmp_path / "s_ordinary.yml").write_text("messages: ['b']\n")
    assert EmergencyGuard.fingerprint_addon(config) != before
