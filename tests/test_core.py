"""Core conversation actions and the role normaliser."""
from __future__ import annotations

import pytest

from actions.core import ActionHandleMisunderstanding, consecutive_misunderstandings
from actions.profile import ActionSetRole
from tests.conftest import make_tracker, user_event
from veiviser.profile import normalise_role


def _responses(dispatcher):
    return [m.get("response") for m in dispatcher.messages]


def test_first_miss_asks_to_rephrase(dispatcher, domain):
    tracker = make_tracker([user_event("hmm", "greet"), user_event("blørp", "nlu_fallback")])
    events = ActionHandleMisunderstanding().run(dispatcher, tracker, domain)
    assert events == []
    assert _responses(dispatcher) == ["utter_rephrase"]


def test_second_miss_in_a_row_offers_a_human(dispatcher, domain):
    tracker = make_tracker([user_event("blørp", "nlu_fallback"), {"event": "bot", "text": "?"},
                            user_event("blarp", "nlu_fallback")])
    ActionHandleMisunderstanding().run(dispatcher, tracker, domain)
    assert _responses(dispatcher) == ["utter_offer_human"]


def test_understood_message_resets_the_count():
    tracker = make_tracker([user_event("x", "nlu_fallback"), user_event("hei", "greet"),
                            user_event("y", "nlu_fallback")])
    assert consecutive_misunderstandings(tracker) == 1


@pytest.mark.parametrize(
    "text, role",
    [
        ("lærer", "skole"), ("eg er lærar", "skole"), ("rektor", "skole"), ("laerer", "skole"),
        ("barnehagelærer", "barnehage"), ("jobber i barnehagen", "barnehage"),
        ("barnevernskonsulent", "barnevern"), ("barnevernstenesta", "barnevern"),
        ("NAV-veileder", "nav"), ("nav", "nav"),
        ("helsesykepleier", "helse"), ("psykolog", "helse"),
        ("fengselsbetjent", "kriminalomsorg"), ("friomsorgen", "kriminalomsorg"),
        ("SLT-koordinator", "kommune"), ("politiet", "politi"),
        ("skole", "skole"), ("kommune", "kommune"), ("forelder", "annet"),
    ],
)
def test_normalise_role(text, role):
    assert normalise_role(text) == role


def test_normalise_role_unknown():
    assert normalise_role("astronaut") is None
    assert normalise_role("") is None


def test_set_role_from_entity(dispatcher, domain):
    tracker = make_tracker([user_event("jeg er lærer", "inform_role",
                                       [{"entity": "role", "value": "lærer"}])])
    events = ActionSetRole().run(dispatcher, tracker, domain)
    assert events == [{"event": "slot", "timestamp": None, "name": "role", "value": "skole"}]
    assert "skolen" in dispatcher.messages[0]["text"]


def test_set_role_remembers_the_municipality_named_with_it(dispatcher, domain):
    tracker = make_tracker([user_event("jeg jobber på en skole i Bodø", "inform_role",
                                       [{"entity": "role", "value": "skole"},
                                        {"entity": "municipality", "value": "Bodø"}])])
    events = ActionSetRole().run(dispatcher, tracker, domain)
    assert [(e["name"], e["value"]) for e in events] == [("role", "skole"), ("municipality", "Bodø")]
    assert "Bodø kommune" in dispatcher.messages[0]["text"]


def test_set_role_ignores_a_place_that_is_no_municipality(dispatcher, domain):
    tracker = make_tracker([user_event("jeg er lærer på Blindern", "inform_role",
                                       [{"entity": "role", "value": "lærer"},
                                        {"entity": "municipality", "value": "Blindern"}])])
    events = ActionSetRole().run(dispatcher, tracker, domain)
    assert [(e["name"], e["value"]) for e in events] == [("role", "skole")]


def test_set_role_asks_when_unknown(dispatcher, domain):
    tracker = make_tracker([user_event("jeg er astronaut", "inform_role")])
    assert ActionSetRole().run(dispatcher, tracker, domain) == []
    assert _responses(dispatcher) == ["utter_ask_role"]
