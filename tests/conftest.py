"""Shared fixtures: a dispatcher, a tracker factory, the project domain, and
the trained model for tests marked `model` (scripts/test.sh sets
VEIVISER_MODEL to the model it trained or reused)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _private_case_database(tmp_path_factory) -> None:
    """Tests never touch the developer's own case database (handoff.db):
    unless a test sets its own, everything uses a throw-away SQLite file."""
    if not os.environ.get("VEIVISER_CASE_DB_URL"):
        path = tmp_path_factory.mktemp("cases") / "cases.db"
        os.environ["VEIVISER_CASE_DB_URL"] = f"sqlite:///{path}"


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def user_event(text: str, intent: str, entities: Optional[List[Dict[str, Any]]] = None,
               confidence: float = 0.95) -> Dict[str, Any]:
    """A `user` event as the Rasa server sends it to the action server."""
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": entities or [],
        },
    }


def make_tracker(events: List[Dict[str, Any]], slots: Optional[Dict[str, Any]] = None,
                 active_loop: Optional[str] = None, sender_id: str = "test-user") -> Tracker:
    """A Tracker whose latest message is the last user event in `events`."""
    latest = next((e["parse_data"] for e in reversed(events) if e.get("event") == "user"), {})
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture
def domain() -> Dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


@pytest.fixture(scope="session")
def model_path() -> str:
    path = os.environ.get("VEIVISER_MODEL")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("VEIVISER_MODEL is not set: run the tests with `make test`.")
        pytest.skip("needs a trained model: run `make test` (sets VEIVISER_MODEL)")
    return path


@pytest.fixture(scope="session")
def agent(model_path: str):
    from veiviser.nlu.evaluation import load_agent

    return load_agent(model_path)
