"""The web widget's socket.io channel.

Rasa's own ``SocketIOInput`` keeps its socket.io server private to one
blueprint. Veiviser's channel keeps a reference to it per process so that
messages that do not come from the dialogue loop (an advisor's reply during a
handoff) can be delivered to the session's room with :func:`deliver`.

Security (issue 7, docs/SECURITY.md):

- a connect needs ``auth: {token}``, a session JWT issued by the web front
  (HS256 pinned, ``exp`` required; :mod:`veiviser.privacy.tokens`); the
  socket is bound to the token's subject, so ``session_request`` and
  ``user_uttered`` for any other session id are refused (cases 10, 11);
- every message passes :class:`veiviser.channels.gateway.Gateway`
  (screening, command filter, redaction, rate limits);
- ``delete_conversation`` deletes the socket's own conversation at once
  ("Slett samtalen"); retention runs on a schedule in this process;
- the action guard and the log filter are installed when the channel is
  built (:mod:`veiviser.channels.faults`, :mod:`veiviser.privacy.logfilter`).

Configured in ``credentials.yml`` as ``veiviser.channels.socketio.VeiviserSocketIO``.
"""
import asyncio
import ipaddress
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from socketio import AsyncServer

from veiviser import retention
from veiviser.channels.faults import install_action_guard
from veiviser.channels.gateway import Gateway
from veiviser.privacy import logfilter, tokens

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


def client_address(environ: Dict) -> Optional[Text]:
    """The client's address; X-Forwarded-For is trusted only from loopback
    (the web front on the same host sets it)."""
    request = environ.get("sanic.request")
    peer = getattr(request, "ip", None) or environ.get("REMOTE_ADDR")
    forwarded = (environ.get("HTTP_X_FORWARDED_FOR") or "").split(",")[0].strip()
    try:
        if forwarded and peer and ipaddress.ip_address(peer).is_loopback:
            return forwarded
    except ValueError:
        pass
    return peer


class _AppBlueprint(SocketBlueprint):
    """Remembers the Sanic app, whose ``ctx.agent`` the handlers need."""

    def register(self, app: Any, options: Dict[Text, Any]) -> None:
        _server["app"] = app
        super().register(app, options)


def _agent() -> Any:
    app = _server.get("app")
    return getattr(getattr(app, "ctx", None), "agent", None)


class VeiviserSocketIO(SocketIOInput):
    """socket.io input channel with session rooms reachable through :func:`deliver`."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL_NAME

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        logfilter.install()
        install_action_guard()
        secret = tokens.secret_from_env()
        gateway = Gateway(self.name())
        # Origins are checked by the web front (scripts/serve_web.py); this
        # server is reachable on loopback only. 64 KiB is plenty for a
        # 2,000-character message.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[],
                          max_http_buffer_size=64 * 1024)
        bp = _AppBlueprint(sio, self.socketio_path, "veiviser_socketio", __name__)
        self.sio = sio
        _server.update(sio=sio, bot_message_evt=self.bot_message_evt, namespace=self.namespace)
        namespace = self.namespace

        @bp.listener("after_server_start")
        async def start_retention(app: Any, _: Any) -> None:
            app.ctx.veiviser_retention = asyncio.ensure_future(retention.run_periodically(
                lambda: retention.engine_of(getattr(app.ctx, "agent", None)
                                            and app.ctx.agent.tracker_store)))

        @bp.listener("before_server_stop")
        async def stop_retention(app: Any, _: Any) -> None:
            task = getattr(app.ctx, "veiviser_retention", None)
            if task is not None:
                task.cancel()

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            token = auth.get("token") if isinstance(auth, dict) else None
            try:
                subject = tokens.verify(secret, token)
            except tokens.TokenError as error:
                logger.info("Refused socket.io connect: %s", error)
                return False
            await sio.save_session(sid, {"sub": subject, "address": client_address(environ)},
                                   namespace=namespace)
            return True

        async def bound_session(sid: Text, data: Any) -> Optional[Text]:
            """The socket's own session id when ``data`` names it, else None."""
            session = await sio.get_session(sid, namespace=namespace)
            subject = session.get("sub")
            wanted = data.get("session_id") if isinstance(data, dict) else None
            if not subject or (wanted is not None and wanted != subject):
                logger.warning("Refused a request for another session on socket %s", sid)
                return None
            return subject

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            session_id = await bound_session(sid, data)
            if session_id is None:
                await sio.disconnect(sid, namespace=namespace)
                return
            # python-socketio 5.9: enter_room is synchronous (see README).
            sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict):
                return
            session_id = await bound_session(sid, data)
            if session_id is None:
                return
            session = await sio.get_session(sid, namespace=namespace)
            await gateway.handle(_agent(), session_id, data.get("message"),
                                 SocketIOOutput(sio, self.bot_message_evt), on_new_message,
                                 address=session.get("address"))

        @sio.on("delete_conversation", namespace=namespace)
        async def delete_conversation(sid: Text, data: Any) -> Dict[Text, Any]:
            session_id = await bound_session(sid, data if isinstance(data, dict) else {})
            if session_id is None:
                return {"deleted": False}
            engine = retention.engine_of(getattr(_agent(), "tracker_store", None))
            if engine is None:
                return {"deleted": False}
            try:
                await asyncio.get_running_loop().run_in_executor(
                    None, retention.delete_conversation, engine, session_id)
            except Exception as error:
                logger.error("Deleting a conversation failed: %s", type(error).__name__)
                return {"deleted": False}
            sio.leave_room(sid, session_id, namespace=namespace)
            return {"deleted": True}

        return bp
