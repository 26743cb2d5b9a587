"""The once-compiled action response validator accepts and rejects exactly
what Rasa's own per-call `jsonschema.validate` does."""
from __future__ import annotations

import time

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from veiviser.stores import action_validation

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
