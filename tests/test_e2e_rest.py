"""End to end: `scripts/run.sh` (what `make run` starts) answers over REST.

Starts the action server and the Rasa server on spare loopback ports with a
temporary SQLite tracker store, then talks to them like a client would.
"""
from __future__ import annotations

import json
import os
import time
import urllib.request
import uuid

import pytest

from tests.running import start_run_sh, stop_run_sh

RASA_PORT, ACTION_PORT, WEB_PORT = 5105, 5155, 5180


def _post(message: str, sender: str):
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook", body,
        {"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def running_bot(model_path, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "rasa.db"
    env = {**os.environ, "RASA_PORT": str(RASA_PORT), "ACTION_PORT": str(ACTION_PORT), "WEB_PORT": str(WEB_PORT),
           "TRACKER_DB": str(db)}
    process, _ = start_run_sh(env)
    yield process, db
    if not stop_run_sh(process):
        pytest.fail("run.sh did not stop on Ctrl-C")
    time.sleep(1)
    for port in (RASA_PORT, ACTION_PORT):
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)


@pytest.mark.model
@pytest.mark.e2e
def test_hei_gets_a_norwegian_greeting(running_bot):
    replies = _post("hei", str(uuid.uuid4()))
    assert replies, "no reply"
    assert "Veiviser" in replies[0]["text"]
    assert "112" in replies[0]["text"]
    assert [b["title"] for b in replies[0]["buttons"]][0] == "Hvem kontakter jeg?"


@pytest.mark.model
@pytest.mark.e2e
def test_emergency_gets_112_first(running_bot):
    sender = str(uuid.uuid4())
    _post("hei", sender)
    replies = _post("han står i gangen med en kniv og truer elevene", sender)
    assert replies[0]["text"].startswith("Er noen i fare nå")
    assert "112" in replies[0]["text"]
    assert "02800" in replies[1]["text"]


@pytest.mark.model
@pytest.mark.e2e
def test_custom_action_runs_through_the_action_server(running_bot):
    replies = _post("jeg jobber i barnevernet", str(uuid.uuid4()))
    assert any("barnevernet" in r.get("text", "") for r in replies), replies


@pytest.mark.model
@pytest.mark.e2e
def test_conversations_are_stored_in_the_embedded_sqlite_store(running_bot):
    _, db = running_bot
    sender = str(uuid.uuid4())
    _post("hei", sender)
    import sqlite3

    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()
    assert rows[0] > 0


@pytest.mark.model
@pytest.mark.e2e
def test_both_servers_answer_on_loopback(running_bot):
    # The fixture's teardown checks that Ctrl-C closes both ports again.
    for url in (f"http://127.0.0.1:{RASA_PORT}/", f"http://127.0.0.1:{ACTION_PORT}/health"):
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
