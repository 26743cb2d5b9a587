"""Validate action server responses with a validator built once.

Rasa 3.6 checks every action server response with
`jsonschema.validate(result, schema)`. That call first validates the *schema*
against its meta-schema (`check_schema`), on every message: with jsonschema
4.17 and the 2020-12 meta-schema, py-spy on a Rasa process under load
showed 46 % of all CPU time there (docs/PERFORMANCE.md). The schema is a
constant, so it is checked once here and the compiled validator is reused;
the responses are validated exactly as before, and an invalid response
raises the same `ValidationError` with Rasa's explanatory suffix.

Installed in every Rasa process that loads Veiviser's tracker store
(endpoints.yml), i.e. `rasa run` with our endpoints.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator():
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Replaces Rasa's per-call schema check (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]
