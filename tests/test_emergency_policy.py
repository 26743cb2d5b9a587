"""EmergencyPolicy: 112 first, whatever the conversation was doing."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from veiviser.policies.emergency_policy import EmergencyPolicy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rasa_domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


@pytest.fixture
def policy(tmp_path) -> EmergencyPolicy:
    return EmergencyPolicy.create(
        {**EmergencyPolicy.get_default_config()},
        LocalModelStorage(tmp_path),
        Resource("emergency_policy"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def _predict(policy, domain, events):
    tracker = DialogueStateTracker.from_events("u1", events, slots=domain.slots)
    prediction = policy.predict_action_probabilities(tracker, domain)
    if max(prediction.probabilities) == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def _user(intent: str):
    return UserUttered("...", {"name": intent, "confidence": 1.0})


def test_answers_112_first_and_then_listens(policy, rasa_domain):
    events = [ActionExecuted("action_listen"), _user("report_emergency")]
    assert _predict(policy, rasa_domain, events) == "utter_emergency"
    events.append(ActionExecuted("utter_emergency"))
    assert _predict(policy, rasa_domain, events) == "utter_emergency_followup"
    events.append(ActionExecuted("utter_emergency_followup"))
    assert _predict(policy, rasa_domain, events) == "action_listen"


def test_interrupts_an_active_form_and_ends_it(policy, rasa_domain):
    events = [
        ActionExecuted("action_listen"),
        _user("ask_contact"),
        ActionExecuted("utter_ask_role"),
        ActiveLoop("some_form"),
        ActionExecuted("action_listen"),
        _user("report_emergency"),
    ]
    assert _predict(policy, rasa_domain, events) == "utter_emergency"
    events += [ActionExecuted("utter_emergency"), ActionExecuted("utter_emergency_followup")]
    assert _predict(policy, rasa_domain, events) == "action_deactivate_loop"
    events += [ActionExecuted("action_deactivate_loop"), ActiveLoop(None)]
    assert _predict(policy, rasa_domain, events) == "action_listen"


def test_outranks_every_other_policy(policy):
    assert policy.priority > 6  # RulePolicy's default priority


def test_stays_silent_for_other_intents(policy, rasa_domain):
    events = [ActionExecuted("action_listen"), _user("greet")]
    assert _predict(policy, rasa_domain, events) is None
