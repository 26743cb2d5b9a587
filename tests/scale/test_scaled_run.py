"""Two real Rasa processes on PostgreSQL + Redis behind nginx
(`scripts/run_scaled.sh`), started once for this module.

- Ten messages of one conversation fired at the same instant, alternating
  between the two processes: all ten user events are stored, one complete
  turn after the other (Rasa's own RedisLockStore kept 4-7 of 10 here).
- A conversation that hops between processes goes on where it was.
- nginx sends a conversation's REST, socket.io and advisor-relay requests to
  the same process, spreads conversations over both, and moves them to the
  other process when one stops.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
import sqlalchemy as sa

from tests.scale import scaled_run
from tests.scale.services import REDIS_URL, require_redis, throwaway_database, unavailable

pytestmark = [pytest.mark.model, pytest.mark.e2e]

# Ten realistic messages from one practitioner, sent at once.
BURST = [
    "hei",
    "jeg er lærer på en ungdomsskole",
    "hvem kontakter jeg i Bergen",
    "hva er radikalisering",
    "hva er tegn på radikalisering",
    "eleven min snakker mye om konspirasjoner",
    "hvordan snakker jeg med en elev om ekstreme holdninger",
    "hva gjør politiet i slike saker",
    "takk for hjelpen",
    "ha det",
]


@pytest.fixture(scope="module")
def scaled(model_path):
    if not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"):
        unavailable("nginx is not installed (scripts/setup.sh installs nginx-light)")
    require_redis()
    prefix = scaled_run.new_key_prefix()
    with throwaway_database() as database_url:
        run = scaled_run.start(model_path, database_url, REDIS_URL, prefix)
        try:
            yield run, sa.create_engine(database_url)
        finally:
            run.stop()
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)


def _events(engine, sender):
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT type_name, action_name, data FROM events WHERE sender_id = :s ORDER BY id"
        ), {"s": sender}).fetchall()
    return [(t, a, json.loads(d)) for t, a, d in rows]


def test_ten_simultaneous_messages_on_two_processes_are_all_processed_one_after_another(scaled):
    run, engine = scaled
    sender = "burst-" + uuid.uuid4().hex
    barrier = threading.Barrier(len(BURST))
    failures = []

    def send(i, text):
        barrier.wait()
        try:
            scaled_run.post(run.instance(i % 2), sender, text, route=False, timeout=120)
        except Exception as error:  # collected and reported below
            failures.append(f"{text!r}: {error}")

    threads = [threading.Thread(target=send, args=(i, t)) for i, t in enumerate(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures

    events = _events(engine, sender)
    user_texts = [data["text"] for kind, _, data in events if kind == "user"]
    assert sorted(user_texts) == sorted(BURST), f"stored {len(user_texts)} of {len(BURST)}"
    # One turn after the other: after each user event the bot finishes (its
    # action_listen) before the next user event is stored.
    waiting_for_listen = False
    for kind, action, _ in events:
        if kind == "user":
            assert not waiting_for_listen, "two turns of one conversation overlapped"
            waiting_for_listen = True
        elif kind == "action" and action == "action_listen":
            waiting_for_listen = False
    assert not waiting_for_listen


def test_a_conversation_that_hops_between_processes_goes_on(scaled):
    run, engine = scaled
    sender = "hop-" + uuid.uuid4().hex
    first, _ = scaled_run.post(run.instance(0), sender, "hvem kontakter jeg?", route=False)
    asked = " ".join(r.get("text", "") for r in first)
    assert "kommune" in asked.lower(), first
    # The answer to the form's question arrives at the other process.
    second, _ = scaled_run.post(run.instance(1), sender, "Bergen", route=False)
    answer = " ".join(r.get("text", "") for r in second)
    assert "Bergen" in answer, second
    slots = {data["name"]: data["value"] for kind, _, data in _events(engine, sender)
             if kind == "slot"}
    assert slots.get("municipality") == "Bergen", slots


def test_nginx_keeps_each_conversation_on_one_process_and_spreads_conversations(scaled):
    run, _ = scaled
    upstreams = {}
    for n in range(16):
        sender = f"route-{n}-{uuid.uuid4().hex[:8]}"
        seen = {scaled_run.post(run.nginx, sender, "hei")[1] for _ in range(3)}
        assert len(seen) == 1, f"{sender} answered by {seen}"
        upstreams[sender] = seen.pop()
    assert set(upstreams.values()) == {f"127.0.0.1:{p}" for p in run.instance_ports}


def _upstream(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.headers.get("X-Veiviser-Upstream")
    except urllib.error.HTTPError as error:  # the route exists upstream or not
        return error.headers.get("X-Veiviser-Upstream")


def test_socketio_and_advisor_relay_of_a_conversation_reach_the_same_process(scaled):
    run, _ = scaled
    for n in range(8):
        sid = f"sock-{n}-{uuid.uuid4().hex[:8]}"
        rest = scaled_run.post(run.nginx, sid, "hei")[1]
        socket = _upstream(f"{run.nginx}/socket.io/?EIO=4&transport=polling&vv_sid={sid}")
        relay = _upstream(f"{run.nginx}/webhooks/handoff/{sid}/status")
        assert rest == socket == relay, (sid, rest, socket, relay)


def test_nginx_limits_the_request_rate_of_one_conversation(scaled):
    run, _ = scaled
    sid = "flood-" + uuid.uuid4().hex
    statuses = []
    for _ in range(40):
        try:
            with urllib.request.urlopen(f"{run.nginx}/socket.io/?EIO=4&transport=polling&vv_sid={sid}",
                                        timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    assert 429 in statuses, statuses
    assert statuses[:20].count(429) == 0, "the burst allowance was not honoured"
    # Another conversation from the same client is not affected.
    assert scaled_run.post(run.nginx, "other-" + uuid.uuid4().hex, "hei")[0]


def test_when_a_process_stops_its_conversations_continue_on_the_other(scaled):
    # Last in this module: it stops one of the two processes.
    run, engine = scaled
    senders = [f"fail-{n}-{uuid.uuid4().hex[:8]}" for n in range(12)]
    home = {s: scaled_run.post(run.nginx, s, "hvem kontakter jeg?")[1] for s in senders}
    victim = f"127.0.0.1:{run.instance_ports[0]}"
    moved = [s for s in senders if home[s] == victim]
    assert moved, "no conversation lived on the first process"
    os.kill(run.instance_pid(0), signal.SIGKILL)
    time.sleep(0.5)
    for sender in senders:
        replies, upstream = scaled_run.post(run.nginx, sender, "Bergen")
        assert victim not in upstream.split(", ")[-1], upstream
        assert "Bergen" in " ".join(r.get("text", "") for r in replies), (sender, replies)
