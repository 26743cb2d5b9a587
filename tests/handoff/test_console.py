"""The advisor console: sign-in, 401s, lock-out, CSRF, access and audit."""
from __future__ import annotations

import re
import uuid
from typing import List, Tuple

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from tests.handoff.conftest import make_advisor
from veiviser.console.app import create_app, expire_unanswered
from veiviser.console.relay_client import RelayClient
from veiviser.handoff import cases, db
from veiviser.handoff.db import AuditEntry, Case

PASSWORD = "riktig-passord-123"


class FakeRelay(RelayClient):
    """Records calls instead of talking to Rasa; ``deliver`` says whether the user is connected."""

    def __init__(self) -> None:
        super().__init__(base_url="http://relay.invalid", secret="x")
        self.calls: List[Tuple[str, str, str]] = []
        self.deliver = True

    async def start(self, sender_id):
        self.calls.append(("start", sender_id, ""))
        return self.deliver

    async def message(self, sender_id, text):
        self.calls.append(("message", sender_id, text))
        return self.deliver

    async def end(self, sender_id, reason="closed"):
        self.calls.append(("end", sender_id, reason))
        return self.deliver

    async def transcript(self, sender_id):
        return {"paused": True, "messages": [
            {"from": "user", "text": "hei \u202eevil\u202c <img src=x onerror=alert(1)>", "at": 1.0}]}


@pytest.fixture
async def console(sqlite_db):
    relay = FakeRelay()
    client = TestClient(TestServer(create_app(relay=relay, watch_interval=0)))
    await client.start_server()
    client.relay = relay
    yield client
    await client.close()


async def sign_in(client, username="anna", password=PASSWORD):
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    return await client.post("/login", data={"csrf": token, "username": username, "password": password},
                             allow_redirects=False)


async def csrf_of(client) -> str:
    text = await (await client.get("/")).text()
    return re.search(r'name="csrf-token" content="([^"]+)"', text).group(1)


def audit_actions() -> List[Tuple[str, str]]:
    with db.session() as s:
        return [(a.action, a.subject_id) for a in s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()]


async def test_every_route_needs_sign_in(console):
    some_id = str(uuid.uuid4())
    routes = [(r.method, r.resource.canonical) for r in console.app.router.routes()]
    checked = 0
    for method, path in routes:
        if path in ("/login", "/static/{name}") or method == "HEAD":
            continue
        url = path.replace("{case_id}", some_id).replace("{callback_id}", some_id)
        resp = await console.request(method, url, allow_redirects=False)
        if url.startswith("/api/"):
            assert resp.status == 401, url
        else:
            assert resp.status == 302 and resp.headers["Location"] == "/login", url
        checked += 1
    assert checked >= 15


async def test_sign_in_sets_a_strict_http_only_cookie_and_logout_ends_the_session(console):
    make_advisor()
    resp = await sign_in(console)
    assert resp.status == 302
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    raw = resp.cookies["vv_console"].value
    assert (await console.get("/api/queue")).status == 200
    csrf = await csrf_of(console)
    assert (await console.post("/logout", data={"csrf": csrf}, allow_redirects=False)).status == 302
    # the old cookie is worthless now, even sent by hand
    console.session.cookie_jar.clear()
    resp = await console.get("/api/queue", cookies={"vv_console": raw})
    assert resp.status == 401


async def test_lock_out_after_five_failures(console):
    make_advisor()
    for _ in range(5):
        assert (await sign_in(console, password="feil-passord-000")).status == 401
    resp = await sign_in(console)  # right password, but locked for 15 minutes
    assert resp.status == 401
    assert "midlertidig sperret" in await resp.text()
    assert ("account_locked", None) in audit_actions()


async def test_login_form_needs_its_csrf_token(console):
    make_advisor()
    await console.get("/login")
    resp = await console.post("/login", data={"csrf": "forged", "username": "anna", "password": PASSWORD},
                              allow_redirects=False)
    assert resp.status == 403


async def test_posts_need_the_csrf_token(console):
    make_advisor()
    await sign_in(console)
    case = cases.open_live_case("user-1")
    url = f"/api/cases/{case.case_id}/accept"
    assert (await console.post(url, json={})).status == 403
    assert (await console.post(url, json={}, headers={"X-CSRF-Token": "forged"})).status == 403
    assert console.relay.calls == []
    resp = await console.post(url, json={}, headers={"X-CSRF-Token": await csrf_of(console)})
    assert resp.status == 200 and (await resp.json())["accepted"]
    assert console.relay.calls == [("start", "user-1", "")]


async def test_security_headers(console):
    resp = await console.get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "<script>" not in await resp.text()  # no inline script


async def test_live_case_flow_access_and_audit(console):
    make_advisor()
    make_advisor("bjorn", PASSWORD, "Bjørn Veileder")
    await sign_in(console)
    csrf = await csrf_of(console)
    case = cases.open_live_case("user-1")
    assert (await console.get(f"/cases/{case.case_id}")).status == 200  # waiting: anyone may look
    resp = await console.post(f"/api/cases/{case.case_id}/accept", json={}, headers={"X-CSRF-Token": csrf})
    assert resp.status == 200
    detail = await (await console.get(f"/api/cases/{case.case_id}")).json()
    assert detail["status"] == "active" and detail["mine"]
    assert detail["messages"][0]["text"] == "hei evil <img src=x onerror=alert(1)>"  # bidi controls gone
    console.relay.deliver = False
    resp = await console.post(f"/api/cases/{case.case_id}/reply", json={"text": "Hei, jeg heter Anna."},
                              headers={"X-CSRF-Token": csrf})
    assert (await resp.json()) == {"delivered": False}  # shown as "ikke levert"
    console.relay.deliver = True
    resp = await console.post(f"/api/cases/{case.case_id}/reply", json={"text": "Er du der?"},
                              headers={"X-CSRF-Token": csrf})
    assert (await resp.json()) == {"delivered": True}
    await console.post(f"/api/cases/{case.case_id}/notes", json={"text": "Skole, Bergen"},
                       headers={"X-CSRF-Token": csrf})

    # Bjørn: not his case
    other = aiohttp.ClientSession(base_url=str(console.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True))
    try:
        await sign_in(other, "bjorn")
        assert (await other.get(f"/cases/{case.case_id}")).status == 403
        assert (await other.get(f"/api/cases/{case.case_id}")).status == 403
        other_csrf = await csrf_of(other)
        resp = await other.post(f"/api/cases/{case.case_id}/reply", json={"text": "hei"},
                                headers={"X-CSRF-Token": other_csrf})
        assert resp.status == 403
        assert (await other.get(f"/api/cases/{uuid.uuid4()}")).status == 404
        assert (await other.get("/cases/1")).status == 404  # not a UUID
    finally:
        await other.close()

    resp = await console.post(f"/api/cases/{case.case_id}/end", json={}, headers={"X-CSRF-Token": csrf})
    assert (await resp.json())["closed"]
    assert [c[0] for c in console.relay.calls] == ["start", "message", "message", "end"]
    actions = audit_actions()
    assert ("case_viewed", case.case_id) in actions
    assert ("access_denied", case.case_id) in actions
    assert ("message_not_delivered", case.case_id) in actions
    entries = (await (await console.get("/api/audit")).json())["entries"]
    assert any(e["action"] == "case_viewed" and e["advisor"] == "Anna Veileder" for e in entries)


async def test_unanswered_cases_are_handed_back_with_a_callback_offer(sqlite_db):
    relay = FakeRelay()
    case = cases.open_live_case("user-9")
    assert await expire_unanswered(relay, 3600) == 0
    assert await expire_unanswered(relay, 0) == 1
    assert relay.calls == [("end", "user-9", "timeout")]
    with db.session() as s:
        assert s.get(Case, case.case_id).status == "expired"


async def test_callback_contact_only_for_the_advisor_who_took_it(console):
    make_advisor()
    await sign_in(console)
    csrf = await csrf_of(console)
    cases.store_contact("user-2", "telefon", "+4791234567")
    callback = cases.submit_callback("user-2", "skole", "Bergen", "i morgen", "drøfte en elev")
    before = await (await console.get(f"/api/callbacks/{callback.id}")).json()
    assert "contact" not in before and before["status"] == "new"
    await console.post(f"/api/callbacks/{callback.id}/claim", json={}, headers={"X-CSRF-Token": csrf})
    after = await (await console.get(f"/api/callbacks/{callback.id}")).json()
    assert after["contact"] == "+4791234567" and after["description"] == "drøfte en elev"
