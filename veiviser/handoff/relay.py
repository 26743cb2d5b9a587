"""The relay: a Rasa input channel that carries an advisor's messages into the chat.

Registered in credentials.yml as ``veiviser.handoff.relay.HandoffRelay``.
It is not an intent, so nothing a user types can reach it. Endpoints (all
``POST``, JSON, ``Authorization: Bearer $VEIVISER_RELAY_SECRET``; the sender
id is the path segment right after ``/webhooks/handoff/`` so a load balancer
can route by it):

- ``/webhooks/handoff/<sender_id>/start``: pauses the bot (if not paused yet)
  and tells the user an advisor is there;
- ``/webhooks/handoff/<sender_id>/message`` ``{"text": ...}``: delivers the
  advisor's message and appends it as a bot event marked ``from: advisor``;
- ``/webhooks/handoff/<sender_id>/end`` ``{"reason": "closed"|"timeout"}``:
  resumes the bot and says so;
- ``GET /webhooks/handoff/<sender_id>/transcript``: the conversation's text events.

Each answers ``{"delivered": true|false}``: false means no socket of this
process is in the session's room, so the console shows "ikke levert".
Every tracker change happens under the conversation's lock from the agent's
lock store, so it never interleaves with the dialogue loop.

Importing this module also registers the raw-text hook that keeps the
contact detail of a callback request (see veiviser/channels/hooks.py).
"""
from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, ConversationPaused, ConversationResumed, UserUttered
from sanic import Blueprint, response
from sanic.request import Request

from veiviser.channels.hooks import register_raw_text_hook
from veiviser.handoff import messages, settings

logger = logging.getLogger(__name__)

CONTACT_SLOT = "callback_contact"
MAX_TEXT = 4000


async def keep_contact_detail(sender_id: Text, slot: Optional[Text], raw_text: Text) -> None:
    """Raw-text hook: stores the phone number or e-mail the callback form asks for."""
    if slot != CONTACT_SLOT:
        return
    from veiviser.handoff import cases
    from veiviser.handoff.contact import find_contact

    detail = find_contact(raw_text)
    try:  # the database calls block: keep them off the event loop
        if detail is None:
            await asyncio.to_thread(cases.clear_contact, sender_id)
        else:
            await asyncio.to_thread(cases.store_contact, sender_id, detail.kind, detail.value)
    except Exception:  # never log the text; the form will ask again
        logger.exception("could not store the contact detail of a callback request")


register_raw_text_hook(keep_contact_detail)


def authorised(request: Request) -> bool:
    secret = settings.relay_secret()
    header = request.headers.get("Authorization", "")
    if not secret or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer "):].encode(), secret.encode())


def _bot_payload(text: Text, origin: Text, buttons: Optional[List[Dict]] = None,
                 handoff: Optional[Text] = None) -> Dict[Text, Any]:
    """The socket.io ``bot_uttered`` payload; ``metadata.handoff`` tells the
    widget that a person has the conversation ("active") or no longer ("ended")."""
    metadata = {"from": origin, **({"handoff": handoff} if handoff else {})}
    payload: Dict[Text, Any] = {"text": text, "metadata": metadata}
    if buttons:
        payload["quick_replies"] = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
        ]
    return payload


async def _say(agent: Any, sender_id: Text, text: Text, origin: Text,
               before: Optional[List[Any]] = None, buttons: Optional[List[Dict]] = None,
               only_if_delivered: bool = False, handoff: Optional[Text] = None) -> bool:
    """Delivers ``text`` and appends ``before`` + the bot event under the lock."""
    from veiviser.channels import socketio as web_channel  # imports this module too

    async with agent.lock_store.lock(sender_id):
        tracker = await agent.tracker_store.get_or_create_tracker(sender_id, append_action_listen=False)
        delivered = await web_channel.deliver(sender_id, _bot_payload(text, origin, buttons, handoff))
        if only_if_delivered and not delivered:
            return False
        for event in before or []:
            tracker.update(event)
        data = {"buttons": buttons} if buttons else {}
        tracker.update(BotUttered(text, data=data, metadata={"from": origin}))
        await agent.tracker_store.save(tracker)
    return delivered


def transcript_of(tracker: Any) -> List[Dict[Text, Any]]:
    """User and bot texts of the conversation, oldest first."""
    items: List[Dict[Text, Any]] = []
    for event in tracker.events:
        if isinstance(event, UserUttered) and event.text:
            items.append({"from": "user", "text": event.text, "at": event.timestamp})
        elif isinstance(event, BotUttered) and event.text:
            origin = (event.metadata or {}).get("from") or "bot"
            items.append({"from": "advisor" if origin == "advisor" else "bot", "text": event.text,
                          "at": event.timestamp})
    return items


class HandoffRelay(InputChannel):
    """Authenticated endpoints that put an advisor's words into a user's chat."""

    @classmethod
    def name(cls) -> Text:
        return "handoff"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("veiviser_handoff_relay", __name__)

        async def guarded(request: Request, sender_id: Text, handler) -> response.HTTPResponse:
            if not authorised(request):
                return response.json({"error": "unauthorised"}, status=401)
            agent = request.app.ctx.agent
            if agent is None or agent.tracker_store is None:
                return response.json({"error": "not ready"}, status=503)
            if not sender_id or len(sender_id) > 255:
                return response.json({"error": "bad sender id"}, status=400)
            body = request.json if request.body else {}
            if not isinstance(body, dict):
                return response.json({"error": "bad body"}, status=400)
            return await handler(agent, sender_id, body)

        @bp.route("/<sender_id>/start", methods=["POST"])
        async def start(request: Request, sender_id: Text) -> response.HTTPResponse:
            async def run(agent, sender_id, body):
                tracker = await agent.tracker_store.retrieve(sender_id)
                before = [] if tracker is not None and tracker.is_paused() else [ConversationPaused()]
                delivered = await _say(agent, sender_id, messages.CONNECTED, "veiviser", before=before,
                                       handoff="active")
                return response.json({"delivered": delivered})

            return await guarded(request, sender_id, run)

        @bp.route("/<sender_id>/message", methods=["POST"])
        async def message(request: Request, sender_id: Text) -> response.HTTPResponse:
            async def run(agent, sender_id, body):
                text = body.get("text")
                if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
                    return response.json({"error": "text"}, status=400)
                tracker = await agent.tracker_store.retrieve(sender_id)
                if tracker is None or not tracker.is_paused():
                    # Case 35: an advisor never writes while the bot can answer.
                    return response.json({"error": "not paused"}, status=409)
                delivered = await _say(agent, sender_id, text.strip(), "advisor", only_if_delivered=True)
                return response.json({"delivered": delivered})

            return await guarded(request, sender_id, run)

        @bp.route("/<sender_id>/end", methods=["POST"])
        async def end(request: Request, sender_id: Text) -> response.HTTPResponse:
            async def run(agent, sender_id, body):
                timeout = body.get("reason") == "timeout"
                text = messages.TIMEOUT if timeout else messages.RESUMED
                buttons = messages.TIMEOUT_BUTTONS if timeout else None
                delivered = await _say(agent, sender_id, text, "veiviser",
                                       before=[ConversationResumed()], buttons=buttons, handoff="ended")
                return response.json({"delivered": delivered})

            return await guarded(request, sender_id, run)

        @bp.route("/<sender_id>/transcript", methods=["GET"])
        async def transcript(request: Request, sender_id: Text) -> response.HTTPResponse:
            async def run(agent, sender_id, body):
                tracker = await agent.tracker_store.retrieve(sender_id)
                if tracker is None:
                    return response.json({"paused": False, "messages": []})
                return response.json({"paused": tracker.is_paused(), "messages": transcript_of(tracker)})

            return await guarded(request, sender_id, run)

        return bp
