"""The relay channel over HTTP (a real Sanic server on a spare port): bearer
auth, pause before the advisor writes, delivery reported, events in the tracker."""
from __future__ import annotations

import os
import secrets
import socket

import aiohttp
import pytest
import pytest_asyncio
from rasa.core.agent import Agent
from rasa.core.channels.channel import register
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic

from tests.conftest import ROOT
from veiviser.channels import socketio as web_channel
from veiviser.handoff import messages
from veiviser.handoff.relay import HandoffRelay

SECRET = "relay-test-" + secrets.token_hex(8)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def relay():
    # One server per module: sanic 21.12 cannot start a second app in one process.
    saved_secret = os.environ.get("VEIVISER_RELAY_SECRET")
    saved_deliver = web_channel.deliver
    os.environ["VEIVISER_RELAY_SECRET"] = SECRET
    domain = Domain.load(str(ROOT / "domain"))
    app = Sanic(f"relay_test_{secrets.token_hex(4)}")
    app.ctx.agent = Agent(domain=domain, tracker_store=InMemoryTrackerStore(domain),
                          lock_store=InMemoryLockStore())

    async def on_new_message(_message):  # the relay never feeds the dialogue loop
        raise AssertionError("relay must not create user messages")

    register([HandoffRelay()], app, route="/webhooks/")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.after_start()
    delivered = []

    async def fake_deliver(sender_id, payload):
        delivered.append((sender_id, payload))
        return fake_deliver.connected

    fake_deliver.connected = True
    web_channel.deliver = fake_deliver
    try:
        async with aiohttp.ClientSession(base_url=f"http://127.0.0.1:{port}") as http:
            yield http, app.ctx.agent, delivered, fake_deliver
    finally:
        web_channel.deliver = saved_deliver
        if saved_secret is None:
            os.environ.pop("VEIVISER_RELAY_SECRET", None)
        else:
            os.environ["VEIVISER_RELAY_SECRET"] = saved_secret
        await server.before_stop()
        await server.close()
        await server.after_stop()


AUTH = {"Authorization": f"Bearer {SECRET}"}


async def test_every_endpoint_needs_the_bearer_secret(relay, monkeypatch):
    http, agent, delivered, _ = relay
    for method, action in [("POST", "start"), ("POST", "message"), ("POST", "end"), ("GET", "transcript")]:
        url = f"/webhooks/handoff/user-1/{action}"
        for headers in [{}, {"Authorization": "Bearer wrong"}, {"Authorization": SECRET}]:
            async with http.request(method, url, json={"text": "hei"}, headers=headers) as resp:
                assert resp.status == 401, (action, headers)
    monkeypatch.setenv("VEIVISER_RELAY_SECRET", "")  # no secret configured: nobody gets in
    async with http.post("/webhooks/handoff/user-1/start", json={}, headers={"Authorization": "Bearer "}) as resp:
        assert resp.status == 401
    monkeypatch.setenv("VEIVISER_RELAY_SECRET", SECRET)
    assert delivered == []
    assert await agent.tracker_store.retrieve("user-1") is None


async def test_advisor_cannot_write_before_the_bot_is_paused(relay):
    http, agent, delivered, _ = relay
    async with http.post("/webhooks/handoff/user-0/message", json={"text": "Hei"}, headers=AUTH) as resp:
        assert resp.status == 409
    assert delivered == []


async def test_start_message_end(relay):
    http, agent, delivered, deliver = relay
    async with http.post("/webhooks/handoff/user-1/start", json={}, headers=AUTH) as resp:
        assert resp.status == 200 and (await resp.json()) == {"delivered": True}
    tracker = await agent.tracker_store.retrieve("user-1")
    assert tracker.is_paused()
    assert delivered[-1][1]["metadata"] == {"from": "veiviser", "handoff": "active"}

    async with http.post("/webhooks/handoff/user-1/message", json={"text": "Hei, jeg er veileder."},
                         headers=AUTH) as resp:
        assert (await resp.json()) == {"delivered": True}
    assert delivered[-1] == ("user-1", {"text": "Hei, jeg er veileder.", "metadata": {"from": "advisor"}})

    deliver.connected = False  # the user's socket is on another process, or gone
    async with http.post("/webhooks/handoff/user-1/message", json={"text": "Er du der?"}, headers=AUTH) as resp:
        assert (await resp.json()) == {"delivered": False}
    tracker = await agent.tracker_store.retrieve("user-1")
    advisor_texts = [e.text for e in tracker.events if isinstance(e, BotUttered)
                     and (e.metadata or {}).get("from") == "advisor"]
    assert advisor_texts == ["Hei, jeg er veileder."]  # the undelivered one is not in the history

    deliver.connected = True
    async with http.post("/webhooks/handoff/user-1/end", json={"reason": "closed"}, headers=AUTH) as resp:
        assert (await resp.json()) == {"delivered": True}
    tracker = await agent.tracker_store.retrieve("user-1")
    assert not tracker.is_paused()
    assert delivered[-1][1]["metadata"] == {"from": "veiviser", "handoff": "ended"}
    assert tracker.latest_bot_utterance.text == messages.RESUMED

    async with http.get("/webhooks/handoff/user-1/transcript", headers=AUTH) as resp:
        data = await resp.json()
    assert [m["from"] for m in data["messages"]] == ["bot", "advisor", "bot"]


async def test_timeout_offers_a_callback(relay):
    http, agent, delivered, _ = relay
    await http.post("/webhooks/handoff/user-2/start", json={}, headers=AUTH)
    async with http.post("/webhooks/handoff/user-2/end", json={"reason": "timeout"}, headers=AUTH) as resp:
        assert resp.status == 200
    payload = delivered[-1][1]
    assert payload["text"] == messages.TIMEOUT
    assert [b["payload"] for b in payload["quick_replies"]] == ["/request_callback", "/deny"]


async def test_user_messages_while_paused_are_in_the_transcript(relay):
    http, agent, _, _ = relay
    await http.post("/webhooks/handoff/user-3/start", json={}, headers=AUTH)
    tracker = await agent.tracker_store.retrieve("user-3")
    tracker.update(UserUttered("Hei, er det noen der?"))
    await agent.tracker_store.save(tracker)
    async with http.get("/webhooks/handoff/user-3/transcript", headers=AUTH) as resp:
        data = await resp.json()
    assert data["paused"] and data["messages"][-1] == {
        "from": "user", "text": "Hei, er det noen der?", "at": data["messages"][-1]["at"]}
