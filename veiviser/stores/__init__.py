"""Stores for running several Rasa processes: the tracker store and the lock
store chosen by the environment (`VEIVISER_DATABASE_URL`,
`VEIVISER_REDIS_URL`); see docs/PERFORMANCE.md."""

from typing import Any


def configured_store(tracker_store: Any) -> Any:
    """The tracker store configured in endpoints.yml, without the
    ``FailSafeTrackerStore`` wrapper Rasa puts around it (which answers from
    memory when the database fails)."""
    return getattr(tracker_store, "_tracker_store", tracker_store)
