"""Two per-message costs of Rasa 3.6 that do not depend on the message,
found with py-spy on a loaded Rasa process (docs/PERFORMANCE.md), removed
without changing behaviour.

1. Action server responses are validated with a validator built once.
Rasa 3.6 checks every action server response with
`jsonschema.validate(result, schema)`. That call first validates the *schema*
against its meta-schema (`check_schema`), on every message: with jsonschema
4.17 and the 2020-12 meta-schema, py-spy on a Rasa process under load
showed 46 % of all CPU time there (docs/PERFORMANCE.md). The schema is a
constant, so it is checked once here and the compiled validator is reused;
the responses are validated exactly as before, and an invalid response
raises the same `ValidationError` with Rasa's explanatory suffix.

2. Event classes are looked up by type name from a cache. Rasa rebuilds
the list of every `Event` subclass (recursively, with `inspect.isabstract`)
for each stored event it deserialises, so every message paid for the whole
conversation again: at turn 100, 21 % of the CPU time. The cache maps a
type name to the same class Rasa's loop would return (the first in
`all_subclasses` order) and is rebuilt when a name is not in it, so event
classes defined later are still found.

Installed in every Rasa process that loads Veiviser's tracker store
(endpoints.yml), i.e. `rasa run` with our endpoints.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Optional, Text, Type

from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses


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


_event_classes: Dict[Text, Any] = {}


def _resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None
                     ) -> Optional[Type[Event]]:
    cls = _event_classes.get(type_name)
    if cls is None:
        for candidate in all_subclasses(Event):
            _event_classes.setdefault(candidate.type_name, candidate)
        cls = _event_classes.get(type_name)
    if cls is not None:
        return cls
    if type_name == "topic":
        return None  # Rasa's backwards compatibility for old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def install() -> None:
    """Replaces the two slow paths in this process (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[assignment]
