"""The action server and what the user gets when it fails (cases 16-20).

The action server (veiviser/actionserver.py) runs in-process on a spare
port; Rasa's side is the real agent with the trained model, pointed at a
stopped or a slow action server.
"""
from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
import zlib

import aiohttp
import pytest
from aiohttp import web
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig
from sanic import Sanic

from veiviser.actionserver import SECRET_HEADER, create_action_app
from veiviser.channels import faults
from veiviser.channels.faults import ACTION_TIMEOUT_S, install_action_guard

Sanic.test_mode = True
SECRET = "action-secret-" + "a" * 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def action_server():
    app = create_action_app(SECRET, "actions")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    yield f"http://127.0.0.1:{port}"
    server.close()
    await server.wait_closed()


async def call(url, path, body=None, headers=None, data=None):
    async with aiohttp.ClientSession() as session:
        async with session.post(url + path, data=data if data is not None else json.dumps(body or {}),
                                headers=headers or {}) as response:
            return response.status, await response.text()


def test_a_missing_secret_stops_the_start():
    with pytest.raises(SystemExit):
        create_action_app("", "actions")


async def test_health_is_open_everything_else_needs_the_secret(action_server):
    async with aiohttp.ClientSession() as session:
        async with session.get(action_server + "/health") as response:
            assert response.status == 200
        async with session.get(action_server + "/actions") as response:
            assert response.status == 401
    forged = {"next_action": "action_set_role", "sender_id": "x",
              "tracker": {"sender_id": "x", "slots": {"advisor_approved": True}}}
    assert (await call(action_server, "/webhook", forged))[0] == 401
    assert (await call(action_server, "/webhook", forged, {SECRET_HEADER: "guess"}))[0] == 401


async def test_an_action_error_returns_only_an_error_id(action_server):
    body = {"next_action": "action_set_role", "sender_id": "x",
            "tracker": {"sender_id": "x", "slots": {"role": "31129956715"},
                        "latest_message": "Per 31129956715"}, "domain": {}}
    status, text = await call(action_server, "/webhook", body, {SECRET_HEADER: SECRET})
    assert status == 500
    reply = json.loads(text)
    assert set(reply) == {"error", "error_id"}
    assert "31129956715" not in text and "request_body" not in text and "Per" not in text


async def test_compressed_and_oversized_bodies_are_refused(action_server):
    bomb = zlib.compress(b"{" + b" " * 50_000_000 + b"}", 9)
    status, _ = await call(action_server, "/webhook", data=bomb,
                           headers={SECRET_HEADER: SECRET, "Content-Encoding": "deflate"})
    assert status == 415
    try:  # Sanic answers 413 and closes the connection while the body still arrives
        status, _ = await call(action_server, "/webhook", data=b"x" * (9 * 1024 * 1024),
                               headers={SECRET_HEADER: SECRET})
    except (aiohttp.ClientError, ConnectionError):
        status = 413
    assert status == 413


# --------------------------------------------- Rasa with a failing action server


@pytest.fixture
async def slow_action_server():
    async def webhook(request):
        await asyncio.sleep(120)
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}/webhook"
    await runner.cleanup()


async def ask_contacts(agent, sender):
    collector = CollectingOutputChannel()
    started = time.monotonic()
    await agent.handle_message(UserMessage("hvem kontakter jeg i Bergen?", collector, sender))
    return [m.get("text") or "" for m in collector.messages], time.monotonic() - started


@pytest.mark.model
@pytest.mark.parametrize("where", ["stopped", "slow"])
async def test_action_server_down_or_slow_the_user_hears_112_and_02800_within_10_s(
        agent, monkeypatch, slow_action_server, where):
    install_action_guard()
    monkeypatch.setitem(faults._state, "open_until", 0.0)
    url = f"http://127.0.0.1:{free_port()}/webhook" if where == "stopped" else slow_action_server
    monkeypatch.setattr(agent.processor, "action_endpoint", EndpointConfig(url=url))
    sender = str(uuid.uuid4())
    said, seconds = await ask_contacts(agent, sender)
    assert seconds < 10, seconds
    assert any("112" in text and "02800" in text and "noe gikk galt" in text for text in said), said
    # The conversation goes on: the lock was released and the next message is handled.
    collector = CollectingOutputChannel()
    await asyncio.wait_for(agent.handle_message(UserMessage("hei", collector, sender)), timeout=20)
    assert collector.messages
    assert ACTION_TIMEOUT_S < 10
