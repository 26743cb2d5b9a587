"""A slow or stopped action server must not leave the user waiting.

Rasa 3.6 calls the action server with a fixed 300 s timeout
(``DEFAULT_REQUEST_TIMEOUT`` in ``rasa/core/actions/action.py``); a
``timeout`` in endpoints.yml is ignored, and when the call fails the
processor logs "Bot will continue, but the actions events are lost" and the
user hears nothing. :func:`install_action_guard` wraps
``RemoteAction.run`` once per process: the call gets a short timeout
(``VEIVISER_ACTION_TIMEOUT_S``, default 7 s), and any failure (refused
connection, timeout, 401, 500) makes the bot say the Norwegian technical
error message with 112 and 02800 instead. The log line names the action,
the error type and an error id, never the tracker (cases 17-19).

A failure opens a short circuit breaker (``VEIVISER_ACTION_BREAKER_S``,
default 15 s): meanwhile further custom actions fail at once instead of
waiting again, so one turn with several custom actions still answers within
10 s, and the user is told once per turn, not once per action.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from typing import Any, Dict, List

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import BotUttered, Event

from veiviser.privacy import texts

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_S = float(os.environ.get("VEIVISER_ACTION_TIMEOUT_S", "7"))
BREAKER_S = float(os.environ.get("VEIVISER_ACTION_BREAKER_S", "15"))
TOLD_WITHIN_S = 10.0
_state: Dict[str, Any] = {"installed": False, "open_until": 0.0, "told": {}}


class ActionServerUnavailable(Exception):
    """The breaker is open after a recent failure."""


def _should_tell(sender_id: str, now: float) -> bool:
    told: Dict[str, float] = _state["told"]
    for key, when in list(told.items()):
        if now - when > TOLD_WITHIN_S:
            del told[key]
    if sender_id in told:
        return False
    told[sender_id] = now
    return True


def install_action_guard(timeout_s: float = ACTION_TIMEOUT_S) -> None:
    if _state["installed"]:
        return
    original = RemoteAction.run

    async def guarded_run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
                          domain: Any) -> List[Event]:
        from rasa.core.actions.action import ActionExecutionRejection

        try:
            if time.monotonic() < _state["open_until"]:
                raise ActionServerUnavailable()
            return await asyncio.wait_for(original(self, output_channel, nlg, tracker, domain),
                                          timeout=timeout_s)
        except ActionExecutionRejection:
            raise  # a form rejecting input is normal dialogue, not a fault
        except Exception as error:
            now = time.monotonic()
            if not isinstance(error, ActionServerUnavailable):
                _state["open_until"] = now + BREAKER_S
            error_id = uuid.uuid4().hex[:12]
            logger.error("Custom action %s failed: %s (error id %s)", self.name(),
                         type(error).__name__, error_id)
            if not _should_tell(tracker.sender_id, now):
                return []
            message = texts.text("technical_error")
            await output_channel.send_text_message(tracker.sender_id, message)
            return [BotUttered(message, metadata={"veiviser_error_id": error_id})]

    RemoteAction.run = guarded_run  # type: ignore[assignment]
    _state["installed"] = True
