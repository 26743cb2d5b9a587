"""Session endpoints of the web front (scripts/serve_web.py): issued ids and
tokens, renewal only with the session's own token, Origin allow-list and a
per-address limit on new sessions (cases 5, 9, 10, 24, 40)."""
from __future__ import annotations

import time
import uuid

import jwt
import pytest
from aiohttp.test_utils import TestClient, TestServer

from tests.running import load_serve_web

from veiviser.privacy import tokens

SECRET = "web-secret-" + "w" * 40
PAGE = "http://127.0.0.1:8080"


serve_web = load_serve_web("serve_web_sessions")


@pytest.fixture
async def client():
    app = serve_web.create_app("http://127.0.0.1:9", [PAGE], session_secret=SECRET)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_a_new_session_has_a_random_uuid4_and_a_bound_token(client):
    first = await (await client.post("/api/session", headers={"Origin": PAGE})).json()
    second = await (await client.post("/api/session")).json()
    assert uuid.UUID(first["session_id"]).version == 4
    assert first["session_id"] != second["session_id"]
    claims = jwt.decode(first["token"], SECRET, algorithms=["HS256"])
    assert claims["sub"] == first["session_id"] and claims["exp"] > time.time()


async def test_foreign_origins_get_no_session(client):
    response = await client.post("/api/session", headers={"Origin": "https://evil.example"})
    assert response.status == 403
    response = await client.options("/api/session", headers={"Origin": "https://evil.example"})
    assert response.status == 403


async def test_renewal_needs_the_same_sessions_token(client):
    session = await (await client.post("/api/session")).json()
    other = await (await client.post("/api/session")).json()
    renewed = await client.post("/api/session/renew",
                                json={"session_id": session["session_id"], "token": session["token"]})
    assert renewed.status == 200
    assert (await renewed.json())["session_id"] == session["session_id"]
    stolen = await client.post("/api/session/renew",
                               json={"session_id": other["session_id"], "token": session["token"]})
    assert stolen.status == 401
    assert (await client.post("/api/session/renew", json={"session_id": "x"})).status == 401
    assert (await client.post("/api/session/renew", data="[]")).status == 400


async def test_a_just_expired_token_renews_an_old_one_does_not(client):
    session_id = tokens.new_session_id()
    just = tokens.issue(SECRET, session_id, ttl_s=-60)
    old = tokens.issue(SECRET, session_id, ttl_s=-(tokens.RENEW_GRACE_S + 60))
    ok = await client.post("/api/session/renew", json={"session_id": session_id, "token": just})
    assert ok.status == 200
    late = await client.post("/api/session/renew", json={"session_id": session_id, "token": old})
    assert late.status == 401


async def test_many_new_sessions_from_one_address_are_limited(client):
    statuses = [(await client.post("/api/session")).status for _ in range(40)]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_tokens_pin_the_algorithm_and_require_exp():
    session_id = tokens.new_session_id()
    assert tokens.verify(SECRET, tokens.issue(SECRET, session_id)) == session_id
    for bad in (jwt.encode({"sub": session_id, "exp": time.time() + 60}, None, algorithm="none"),
                jwt.encode({"sub": session_id, "exp": time.time() + 60}, SECRET, algorithm="HS512"),
                jwt.encode({"sub": session_id}, SECRET, algorithm="HS256"),
                tokens.issue("another-secret-" + "x" * 30, session_id), "", None):
        with pytest.raises(tokens.TokenError):
            tokens.verify(SECRET, bad)


def test_access_log_has_no_query_strings():
    import logging

    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger("test.access")
    logger.addHandler(Keep())
    logger.setLevel(logging.INFO)
    access = serve_web.PathOnlyAccessLogger(logger, "")

    class Request:
        remote, method, path = "127.0.0.1", "GET", "/socket.io/"
        path_qs = "/socket.io/?vv_sid=abc&EIO=4"

    class Response:
        status = 200

    access.log(Request(), Response(), 0.01)
    assert records and "vv_sid" not in records[0] and "/socket.io/" in records[0]
