"""The speed-ups behave exactly like the Rasa code they replace: the
once-compiled action response validator, and the cached event type lookup."""
from __future__ import annotations

import time

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from veiviser.stores import rasa_speedups as action_validation

VALID = {"events": [{"event": "slot", "name": "role", "value": "teacher"}],
         "responses": [{"text": "Takk."}]}
INVALID = [{"events": "not a list"}, {"responses": [{"text": 3}]}, {"events": [{"no": "event"}]}]


@pytest.fixture
def action():
    return RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_same_verdicts_as_rasa(action):
    schema = RemoteAction.action_response_format_spec()
    for response in [VALID, {}] + INVALID:
        try:
            jsonschema.validate(response, schema)
            expected = None
        except jsonschema.ValidationError as error:
            expected = error.message
        if expected is None:
            assert action_validation._validate_action_result(action, response) is True
        else:
            with pytest.raises(jsonschema.ValidationError) as raised:
                action_validation._validate_action_result(action, response)
            assert raised.value.message.startswith(expected)
            assert "Failed to validate Action server response" in raised.value.message


def test_install_replaces_the_method_and_is_much_faster(action):
    schema = RemoteAction.action_response_format_spec()
    started = time.perf_counter()
    for _ in range(20):
        jsonschema.validate(VALID, schema)
    rasa_seconds = time.perf_counter() - started
    action_validation.install()
    assert RemoteAction._validate_action_result is action_validation._validate_action_result
    started = time.perf_counter()
    for _ in range(20):
        action._validate_action_result(VALID)
    assert time.perf_counter() - started < rasa_seconds / 3


def test_event_lookup_returns_what_rasas_loop_returns_and_survives_new_classes():
    from rasa.shared.core.events import Event, UserUttered
    from rasa.shared.utils.common import all_subclasses

    def rasa_lookup(name):
        return next((c for c in all_subclasses(Event) if c.type_name == name), None)

    action_validation.install()
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is rasa_lookup(cls.type_name)
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")

    class LaterEvent(UserUttered):
        type_name = "veiviser_test_later_event"

    assert Event.resolve_by_type("veiviser_test_later_event") is LaterEvent
