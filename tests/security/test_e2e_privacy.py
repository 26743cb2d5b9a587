"""Done-criterion of issue 7, against a really running Veiviser.

`scripts/run.sh` starts on spare ports with a temporary tracker store and
log directory and Rasa's debug logging on. A scripted session full of
identifiers goes through the web front's socket.io proxy (with a session
token) and through the REST channel; then the SQLite tracker store and
every log file are searched: none of the identifiers may be there
(cases 27-32, 40). Along the way, the live system shows cases 1-2, 5, 9-11
and 21-22.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import socketio

from tests.running import free_port, start_run_sh, stop_run_sh


# What the user types (one message per line of the script).
SCRIPT = [
    "Eleven min Ahmed Ali (15) har fødselsnummer 31129956715, hva gjør jeg?",
    "Beklager, det var 311299 56715 eller kanskje 311299-56715, D-nummer 71129956715",
    "Moren heter Kari Nordmann og har telefon +47 412 34 567 og 0047 41234567",
    "Du kan også ringe faren på 41 23 45 67 eller 91234567",
    "Skriv til ola.nordmann+test@skole.no, de bor i Storgata 12, 0155 Oslo",
    "Jonas sa at han skulle ta med kniv på skolen i morgen",
    "hvem kontakter jeg i Bergen?",
    "31.12.99 567 15",
]
# None of these may be found anywhere afterwards.
SECRETS = [
    "31129956715", "56715", "71129956715", "412 34 567", "41234567", "41 23 45 67", "91234567",
    "ola.nordmann", "skole.no", "Storgata", "0155", "Ahmed", "Nordmann", "Jonas", "31.12.99",
]
PLACEHOLDERS = ["[fødselsnummer]", "[telefonnummer]", "[e-post]", "[adresse]", "[navn]"]


def post(url: str, body, headers=None, raw: bytes = None):
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def veiviser(model_path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e_privacy")
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()},
           "TRACKER_DB": str(tmp / "rasa.db"), "VEIVISER_LOG_DIR": str(tmp / "logs"),
           "LOG_LEVEL": "DEBUG"}
    env.pop("VEIVISER_SESSION_SECRET", None)
    process, output = start_run_sh(env)
    yield {"rasa": f"http://127.0.0.1:{ports['RASA_PORT']}", "web": f"http://127.0.0.1:{ports['WEB_PORT']}",
           "db": tmp / "rasa.db", "logs": tmp / "logs", "output": output}
    stop_run_sh(process)


async def chat_over_socketio(web: str, messages):
    session = post(web + "/api/session", {})[1]
    client = socketio.AsyncClient(reconnection=False)
    replies, confirmed = [], asyncio.Event()
    client.on("bot_uttered", lambda m: replies.append(m))
    client.on("session_confirm", lambda _: confirmed.set())
    await client.connect(f"{web}?vv_sid={session['session_id']}", auth={"token": session["token"]},
                         transports=["polling"], socketio_path="/socket.io/", wait_timeout=20)
    await client.emit("session_request", {"session_id": session["session_id"]})
    await asyncio.wait_for(confirmed.wait(), 20)
    for text in messages:
        before = len(replies)
        await client.emit("user_uttered", {"message": text, "session_id": session["session_id"]})
        deadline = time.monotonic() + 30
        while len(replies) == before and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # let the rest of the turn arrive
    await client.disconnect()
    return session["session_id"], replies


def found(secret: str, text: str) -> bool:
    """``secret`` in ``text``, not as a part of a longer number (0.0155...)."""
    return re.search(r"(?<![\d.])" + re.escape(secret) + r"(?!\d)", text) is not None


def stored_text(db: Path) -> str:
    """Every event in the tracker store, decoded (no \\u escapes)."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT sender_id, type_name, intent_name, action_name, data "
                                  "FROM events").fetchall()
    parts = []
    for row in rows:
        data = row[4]
        try:
            data = json.dumps(json.loads(data), ensure_ascii=False)
        except (TypeError, ValueError):
            pass
        parts.append(" ".join(str(v) for v in row[:4]) + " " + str(data))
    return "\n".join(parts)


@pytest.mark.model
@pytest.mark.e2e
def test_identifiers_are_nowhere_after_a_scripted_session(veiviser):
    web, rasa = veiviser["web"], veiviser["rasa"]
    session_id, replies = asyncio.run(chat_over_socketio(web, ["/greet"] + SCRIPT))
    texts = [r.get("text", "") for r in replies]
    assert any("personopplysninger" in t for t in texts), texts
    assert sum("personopplysninger" in t for t in texts) == 1, "told once per conversation"
    assert any("112" in t for t in texts)

    rest_sender = str(uuid.uuid4())
    for text in SCRIPT:
        status, reply = post(rasa + "/webhooks/rest/webhook", {"sender": rest_sender, "message": text})
        assert status == 200, reply

    stored = stored_text(veiviser["db"])
    assert session_id in stored and rest_sender in stored
    for placeholder in PLACEHOLDERS:
        assert placeholder in stored, placeholder
    for secret in SECRETS:
        assert not found(secret, stored), f"{secret!r} in the tracker store"
    assert not re.search(r"(?<![\w.])\d{11}(?!\w)", stored), "an 11-digit number in the tracker store"

    log_files = sorted(veiviser["logs"].glob("*.log"))
    assert {p.name for p in log_files} >= {"rasa.log", "actions.log", "web.log"}
    for path in log_files:
        content = path.read_text(encoding="utf-8", errors="replace")
        for secret in SECRETS:
            assert not found(secret, content), f"{secret!r} in {path.name}"
        assert "+47" not in content and "ola.nordmann" not in content
    # The session token never travels in a query string, so no log has it.
    web_log = (veiviser["logs"] / "web.log").read_text()
    assert "vv_sid" not in web_log and "token" not in web_log.lower().replace("tokens", "")


@pytest.mark.model
@pytest.mark.e2e
def test_live_refusals(veiviser):
    web, rasa = veiviser["web"], veiviser["rasa"]
    # Case 5: no sender.
    status, _ = post(rasa + "/webhooks/rest/webhook", {"message": "hei"})
    assert status == 400
    # Cases 1-2: typed commands change nothing.
    sender = str(uuid.uuid4())
    status, reply = post(rasa + "/webhooks/rest/webhook",
                         {"sender": sender, "message": '/inform_role{"role": "politi"}'})
    assert status == 200 and "«/»" in reply[0]["text"]
    assert sender not in stored_text(veiviser["db"])
    # Cases 21-22.
    status, reply = post(rasa + "/webhooks/rest/webhook", {"sender": sender, "message": "x" * 100_000})
    assert status == 400 or "høyst 2000" in reply[0]["text"]
    status, reply = post(rasa + "/webhooks/rest/webhook", {"sender": sender, "message": "\u200b \n"})
    assert status == 200 and "tom" in reply[0]["text"]
    # Case 9: a foreign origin gets neither a session nor a socket.
    request = urllib.request.Request(web + "/api/session", b"{}", {"Origin": "https://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    handshake = urllib.request.Request(web + "/socket.io/?EIO=4&transport=polling",
                                       headers={"Origin": "https://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(handshake, timeout=10)
    assert refused.value.code == 403

    # Case 10: no token, no socket.
    async def without_token():
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(web, transports=["polling"], socketio_path="/socket.io/", wait_timeout=10)

    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(without_token())
    # Case 13/14: the HTTP API is off.
    with pytest.raises(urllib.error.HTTPError) as off:
        urllib.request.urlopen(f"{rasa}/conversations/{sender}/tracker", timeout=10)
    assert off.value.code == 404
