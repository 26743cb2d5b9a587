"""Contact routing: which police district, RVTS centre and national contacts
apply to a municipality, found from what the user wrote.

Plain Python (no Rasa imports). `get_directory()` loads and validates
content/contacts/ once per process; `get_resolver()` builds the place index
once. A broken data file raises ContactDataError at the first call, which the
action module makes at import, so the action server fails at start.
"""

from __future__ import annotations

from functools import lru_cache

from veiviser.contacts.answer import Answer, compose_answer, compose_question
from veiviser.contacts.loader import ContactDataError, load_directory
from veiviser.contacts.model import ContactDirectory, Municipality
from veiviser.contacts.resolver import Ambiguous, Found, NotFound, PlaceResolver, Resolution

__all__ = [
    "Ambiguous",
    "Answer",
    "ContactDataError",
    "ContactDirectory",
    "Found",
    "Municipality",
    "NotFound",
    "PlaceResolver",
    "Resolution",
    "compose_answer",
    "compose_question",
    "get_directory",
    "get_resolver",
    "load_directory",
]


@lru_cache(maxsize=1)
def get_directory() -> ContactDirectory:
    return load_directory()


@lru_cache(maxsize=1)
def get_resolver() -> PlaceResolver:
    return PlaceResolver(get_directory())
