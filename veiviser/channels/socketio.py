"""The web widget's socket.io channel.

Rasa's own ``SocketIOInput`` keeps its socket.io server private to one
blueprint. Veiviser's channel keeps a reference to it per process so that
messages that do not come from the dialogue loop (an advisor's reply during a
handoff) can be delivered to the session's room with :func:`deliver`.

Configured in ``credentials.yml`` as ``veiviser.channels.socketio.VeiviserSocketIO``.
"""
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from socketio import AsyncServer

from veiviser.channels.hooks import run_raw_text_hooks
from veiviser.handoff.relay import requested_slot

logger = logging.getLogger(__name__)

CHANNEL_NAME = "socketio"

# The socket.io server of this process (one Rasa process serves one channel).
_server: Dict[str, Any] = {"sio": None, "bot_message_evt": "bot_uttered", "namespace": None}


def has_listener(sender_id: Text) -> bool:
    """True when a socket of this process is in the session's room."""
    sio: Optional[AsyncServer] = _server["sio"]
    if sio is None:
        return False
    rooms = sio.manager.rooms.get(_server["namespace"] or "/", {})
    return bool(rooms.get(sender_id))


async def deliver(sender_id: Text, payload: Dict[Text, Any]) -> bool:
    """Emits ``payload`` as a bot message to every socket in the session's room.

    Returns False (and sends nothing) when no socket of this process is in
    the room, so the caller can report "not delivered" instead of losing it.
    """
    if not has_listener(sender_id):
        return False
    await _server["sio"].emit(
        _server["bot_message_evt"], payload, room=sender_id, namespace=_server["namespace"]
    )
    return True


class VeiviserSocketIO(SocketIOInput):
    """socket.io input channel with session rooms reachable through :func:`deliver`."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL_NAME

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Origins are checked by the web front (scripts/serve_web.py).
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        bp = SocketBlueprint(sio, self.socketio_path, "veiviser_socketio", __name__)
        self.sio = sio
        _server.update(sio=sio, bot_message_evt=self.bot_message_evt, namespace=self.namespace)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id") or uuid.uuid4().hex
            # python-socketio 5.9: enter_room is synchronous (see README).
            sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not data.get("session_id"):
                return
            await run_raw_text_hooks(data["session_id"], await requested_slot(data["session_id"]), str(data.get("message", "")))
            message = UserMessage(
                data.get("message", ""),
                SocketIOOutput(sio, self.bot_message_evt),
                data["session_id"],
                input_channel=self.name(),
                metadata={},
            )
            await on_new_message(message)

        return bp
