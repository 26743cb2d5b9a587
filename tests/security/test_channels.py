"""Veiviser's socket.io and REST channels in a real Sanic server, with a
stand-in agent (no model) over a real SQLite tracker store: token binding,
session binding, request validation and "Slett samtalen" (security cases
5-8, 10, 11, 12, 39)."""
from __future__ import annotations

import asyncio
import json
import os
import socket
import time
import uuid

import aiohttp
import jwt
import pytest
import socketio
from rasa.core.channels.channel import register
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from sanic import Sanic

from veiviser.privacy import tokens

SECRET = "test-secret-" + "s" * 40
# Several apps in one process: Sanic's test mode keeps its class-level
# "touch-ups" repeatable.
Sanic.test_mode = True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EchoAgent:
    """Stands in for Rasa's agent: stores the user text, answers with it."""

    def __init__(self, store) -> None:
        self.tracker_store = store

    async def handle_message(self, message) -> None:
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text, input_channel=message.input_channel,
                                   metadata=message.metadata))
        await self.tracker_store.save(tracker)
        await message.output_channel.send_text_message(message.sender_id, "svar:" + message.text)


def count_events(store, sender_id) -> int:
    with store.engine.connect() as connection:
        return connection.exec_driver_sql(
            "SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender_id,)).scalar()


async def start_server(tmp_path, monkeypatch, require_token: bool = False):
    monkeypatch.setenv("VEIVISER_SESSION_SECRET", SECRET)
    monkeypatch.setenv("VEIVISER_REST_REQUIRE_TOKEN", "1" if require_token else "0")
    from veiviser.channels.rest import VeiviserRest
    from veiviser.channels.socketio import VeiviserSocketIO

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    app = Sanic("veiviser_test_" + uuid.uuid4().hex[:8])
    app.ctx.agent = EchoAgent(store)
    channels = [VeiviserRest(), VeiviserSocketIO.from_credentials({
        "user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
        "session_persistence": True})]
    register(channels, app, "/webhooks/")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.before_start()
    await server.after_start()
    return server, f"http://127.0.0.1:{port}", store


@pytest.fixture
async def bot(tmp_path, monkeypatch):
    server, url, store = await start_server(tmp_path, monkeypatch)
    yield url, store
    await server.before_stop()
    server.close()
    await server.wait_closed()


@pytest.fixture
async def locked_bot(tmp_path, monkeypatch):
    server, url, store = await start_server(tmp_path, monkeypatch, require_token=True)
    yield url, store
    await server.before_stop()
    server.close()
    await server.wait_closed()


class Client:
    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.bot: list = []
        self.confirmed: list = []
        self.sio.on("bot_uttered", lambda m: self.bot.append(m.get("text")))
        self.sio.on("session_confirm", lambda m: self.confirmed.append(m))

    async def connect(self, url: str, token, session_id: str = "x", wait: float = 5) -> None:
        await self.sio.connect(f"{url}?vv_sid={session_id}", auth={"token": token} if token else None,
                               transports=["polling"], socketio_path="/socket.io", wait_timeout=wait)

    async def wait(self, predicate, seconds: float = 5.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return True
            await asyncio.sleep(0.05)
        return predicate()


def new_session():
    session_id = tokens.new_session_id()
    return session_id, tokens.issue(SECRET, session_id)


# ------------------------------------------------------------- socket.io


@pytest.mark.parametrize("kind", ["none", "expired", "alg-none", "guessed-secret", "no-exp", "garbage"])
async def test_connect_without_a_valid_token_is_refused(bot, kind):
    url, _ = bot
    session_id = tokens.new_session_id()
    token = {
        "none": None,
        "expired": tokens.issue(SECRET, session_id, ttl_s=-10),
        "alg-none": jwt.encode({"sub": session_id, "exp": int(time.time()) + 600}, None, algorithm="none"),
        "guessed-secret": jwt.encode({"sub": session_id, "exp": int(time.time()) + 600}, "secret",
                                     algorithm="HS256"),
        "no-exp": jwt.encode({"sub": session_id}, SECRET, algorithm="HS256"),
        "garbage": "not.a.token",
    }[kind]
    client = Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(url, token, session_id, wait=1)


async def test_a_valid_token_chats_and_identifiers_are_redacted(bot):
    url, store = bot
    session_id, token = new_session()
    client = Client()
    await client.connect(url, token, session_id)
    await client.sio.emit("session_request", {"session_id": session_id})
    assert await client.wait(lambda: client.confirmed == [session_id])
    await client.sio.emit("user_uttered", {"message": "ring Per på 41234567", "session_id": session_id})
    assert await client.wait(lambda: len(client.bot) == 2)
    assert client.bot[1] == "svar:ring [navn] på [telefonnummer]"
    await client.sio.disconnect()
    tracker = await store.retrieve(session_id)
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [
        "ring [navn] på [telefonnummer]"]


async def test_another_session_cannot_be_joined_or_written_to(bot):
    url, store = bot
    victim_id, victim_token = new_session()
    victim = Client()
    await victim.connect(url, victim_token, victim_id)
    await victim.sio.emit("session_request", {"session_id": victim_id})
    assert await victim.wait(lambda: victim.confirmed)

    attacker_id, attacker_token = new_session()
    attacker = Client()
    await attacker.connect(url, attacker_token, attacker_id)
    # Writing into the victim's conversation with the attacker's token: ignored.
    await attacker.sio.emit("user_uttered", {"message": "hei", "session_id": victim_id})
    # Joining the victim's room: refused, the socket is dropped.
    await attacker.sio.emit("session_request", {"session_id": victim_id})
    assert await attacker.wait(lambda: not attacker.sio.connected)
    assert attacker.confirmed == []

    await victim.sio.emit("user_uttered", {"message": "bare mitt", "session_id": victim_id})
    assert await victim.wait(lambda: "svar:bare mitt" in victim.bot)
    assert attacker.bot == []
    assert victim.bot == ["svar:bare mitt"]
    tracker = await store.retrieve(victim_id)
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["bare mitt"]
    await victim.sio.disconnect()


async def test_two_tabs_of_one_session_get_replies_and_no_one_else(bot):
    url, _ = bot
    session_id, token = new_session()
    tabs = [Client(), Client()]
    for tab in tabs:
        await tab.connect(url, token, session_id)
        await tab.sio.emit("session_request", {"session_id": session_id})
        assert await tab.wait(lambda tab=tab: tab.confirmed)
    other_id, other_token = new_session()
    other = Client()
    await other.connect(url, other_token, other_id)
    await other.sio.emit("session_request", {"session_id": other_id})
    assert await other.wait(lambda: other.confirmed)
    await tabs[0].sio.emit("user_uttered", {"message": "hei", "session_id": session_id})
    await tabs[1].sio.disconnect()  # one tab closes during the reply
    assert await tabs[0].wait(lambda: tabs[0].bot == ["svar:hei"])
    await asyncio.sleep(0.3)
    assert other.bot == []
    for client in (tabs[0], other):
        await client.sio.disconnect()


async def test_slett_samtalen_deletes_only_the_own_conversation(bot):
    url, store = bot
    mine_id, mine_token = new_session()
    other_id, other_token = new_session()
    for session_id, token in ((mine_id, mine_token), (other_id, other_token)):
        client = Client()
        await client.connect(url, token, session_id)
        await client.sio.emit("session_request", {"session_id": session_id})
        await client.wait(lambda client=client: client.confirmed)
        await client.sio.emit("user_uttered", {"message": "hei", "session_id": session_id})
        assert await client.wait(lambda client=client: client.bot)
        await client.sio.disconnect()
    assert count_events(store, mine_id) > 0 and count_events(store, other_id) > 0

    me = Client()
    await me.connect(url, mine_token, mine_id)
    # Naming another session is refused and deletes nothing.
    assert await me.sio.call("delete_conversation", {"session_id": other_id}, timeout=5) == {"deleted": False}
    assert count_events(store, other_id) > 0
    assert await me.sio.call("delete_conversation", {"session_id": mine_id}, timeout=5) == {"deleted": True}
    assert count_events(store, mine_id) == 0
    assert count_events(store, other_id) > 0
    await me.sio.disconnect()


# ------------------------------------------------------------------ REST


async def post(url, body, headers=None, raw=None):
    async with aiohttp.ClientSession() as session:
        async with session.post(url + "/webhooks/rest/webhook", headers=headers or {},
                                data=raw if raw is not None else json.dumps(body)) as response:
            text = await response.text()
            return response.status, text


@pytest.mark.parametrize("raw", [
    json.dumps({"message": "hei"}),                       # case 5: no sender
    json.dumps({"sender": "", "message": "hei"}),
    json.dumps({"sender": 42, "message": "hei"}),
    json.dumps([{"text": "hi"}]),                         # case 7
    "{not json",
    json.dumps({"sender": "a", "message": 123}),
    json.dumps({"sender": "a", "message": None}),
    json.dumps({"sender": "a", "message": "hei", "metadata": "string"}),
    "[" * 10000 + "]" * 10000,
    json.dumps({"sender": "a", "message": "hei", "x": json.loads("[" * 50 + "]" * 50)}),
])
async def test_rest_refuses_malformed_requests_with_400(bot, raw):
    url, store = bot
    status, text = await post(url, None, raw=raw)
    assert status == 400, text
    assert "Traceback" not in text and "hei" not in text
    assert await store.keys() == []


async def test_rest_ignores_client_channel_and_metadata(bot):
    url, store = bot
    sender = str(uuid.uuid4())
    status, text = await post(url, {"sender": sender, "message": "hei", "input_channel": "socketio",
                                    "metadata": {"role": "admin", "advisor": True}})
    assert status == 200 and json.loads(text)[0]["text"] == "svar:hei"
    tracker = await store.retrieve(sender)
    user = [e for e in tracker.events if isinstance(e, UserUttered)][0]
    assert user.input_channel == "rest" and not user.metadata.get("role")


async def test_rest_screens_commands_like_the_widget(bot):
    url, store = bot
    status, text = await post(url, {"sender": "s1", "message": "/restart"})
    assert status == 200 and "«/»" in json.loads(text)[0]["text"]
    assert await store.retrieve("s1") is None


async def test_rest_with_tokens_binds_the_sender(locked_bot):
    url, _ = locked_bot
    session_id, token = new_session()
    other_id, _ = new_session()
    status, _ = await post(url, {"sender": session_id, "message": "hei"})
    assert status == 401
    status, text = await post(url, {"sender": other_id, "message": "hei"},
                              {"Authorization": f"Bearer {token}"})
    assert status == 403 and "svar" not in text
    status, text = await post(url, {"sender": session_id, "message": "hei"},
                              {"Authorization": f"Bearer {token}"})
    assert status == 200 and json.loads(text)[0]["text"] == "svar:hei"


async def test_rest_flood_from_one_address_gets_429(bot, monkeypatch):
    url, _ = bot
    statuses = []
    async with aiohttp.ClientSession() as session:
        for i in range(80):
            async with session.post(url + "/webhooks/rest/webhook",
                                    data=json.dumps({"sender": f"s{i}", "message": "hei"})) as response:
                statuses.append(response.status)
    assert statuses[0] == 200 and 429 in statuses


async def test_database_down_is_told_and_recovers_without_restart(tmp_path, monkeypatch):
    """Case 36 on SQLite: the database directory disappears and comes back."""
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    server, url, store = await start_server(db_dir, monkeypatch)
    try:
        sender = str(uuid.uuid4())
        assert json.loads((await post(url, {"sender": sender, "message": "en"}))[1])[0]["text"] == "svar:en"
        db_dir.rename(tmp_path / "away")
        status, text = await post(url, {"sender": sender, "message": "to"})
        assert status == 200
        reply = json.loads(text)[0]["text"]
        assert "midlertidig" in reply and "112" in reply and "02800" in reply
        (tmp_path / "away").rename(db_dir)
        assert json.loads((await post(url, {"sender": sender, "message": "tre"}))[1])[0]["text"] == "svar:tre"
        tracker = await store.retrieve(sender)
        assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["en", "tre"]
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
