"""The advisor console (aiohttp). Start: ``python -m veiviser.console.app``.

Bound to 127.0.0.1:$CONSOLE_PORT (8090). Every page and API needs a
signed-in advisor: pages redirect to /login, /api/* answer 401. Every POST
needs the session's CSRF token (header X-CSRF-Token or form field csrf).
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
import uuid
from pathlib import Path
from typing import Awaitable, Callable, Optional

from aiohttp import web

from veiviser.console import auth, records, views
from veiviser.console.relay_client import RelayClient, RelayError
from veiviser.handoff import availability, cases, settings

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"console.js": "text/javascript", "console.css": "text/css"}
COOKIE = "vv_console"
LOGIN_COOKIE = "vv_login_csrf"
PUBLIC = {"/login", "/static/console.js", "/static/console.css"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

MAX_TEXT = 4000
RELAY = web.AppKey("relay", RelayClient)
WATCH_INTERVAL = web.AppKey("watch_interval", float)


def secure_cookies() -> bool:
    return os.environ.get("CONSOLE_SECURE_COOKIES") == "1"


def parse_id(raw: str) -> str:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise web.HTTPNotFound()


# ---------------------------------------------------------------- middleware


@web.middleware
async def headers(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    try:
        resp = await handler(request)
    except web.HTTPException as exc:
        resp = exc
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Cache-Control"] = "no-store"
    if isinstance(resp, web.HTTPException):
        raise resp
    return resp


@web.middleware
async def require_sign_in(request: web.Request, handler):
    if request.path in PUBLIC:
        return await handler(request)
    who = await asyncio.to_thread(auth.current, request.cookies.get(COOKIE))
    if who is None:
        if request.path.startswith("/api/"):
            return web.json_response({"error": "ikke innlogget"}, status=401)
        raise web.HTTPFound("/login")
    if request.method == "POST":
        given = request.headers.get("X-CSRF-Token")
        if given is None and request.content_type == "application/x-www-form-urlencoded":
            given = (await request.post()).get("csrf")
        if not auth.csrf_ok(who.csrf_token, given):
            return web.json_response({"error": "ugyldig CSRF-token"}, status=403)
    request["who"] = who
    return await handler(request)


# --------------------------------------------------------------------- pages


async def login_page(request: web.Request) -> web.Response:
    return _login_form(None, existing=request.cookies.get(LOGIN_COOKIE))


def _login_form(error: Optional[str], status: int = 200, existing: Optional[str] = None) -> web.Response:
    # Reuse the browser's token: a second request for /login (a redirected
    # favicon, another tab) must not invalidate the form already shown.
    token = existing if existing and re.fullmatch(r"[A-Za-z0-9_-]{43}", existing) else secrets.token_urlsafe(32)
    resp = web.Response(text=views.login(error, token), content_type="text/html", status=status)
    resp.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="Strict", secure=secure_cookies(), path="/login")
    return resp


async def login_post(request: web.Request) -> web.Response:
    form = await request.post()
    if not auth.csrf_ok(request.cookies.get(LOGIN_COOKIE, ""), form.get("csrf")):
        return _login_form("Skjemaet var utløpt. Prøv igjen.", status=403)  # with a fresh token
    username = str(form.get("username", ""))[:80]
    password = str(form.get("password", ""))[:1000]
    token = await asyncio.to_thread(auth.sign_in, username, password)
    if token is None:
        return _login_form("Feil brukernavn eller passord, eller kontoen er midlertidig sperret.", status=401)
    resp = web.HTTPFound("/")
    resp.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=secure_cookies(), path="/")
    resp.del_cookie(LOGIN_COOKIE, path="/login")
    raise resp


async def logout(request: web.Request) -> web.Response:
    await asyncio.to_thread(auth.sign_out, request.cookies.get(COOKIE))
    resp = web.HTTPFound("/login")
    resp.del_cookie(COOKIE, path="/")
    raise resp


def html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, content_type="text/html", status=status)


async def queue_page(request: web.Request) -> web.Response:
    return html(views.queue(request["who"]))


async def audit_page(request: web.Request) -> web.Response:
    return html(views.audit(request["who"]))


async def case_page(request: web.Request) -> web.Response:
    who = request["who"]
    case_id = parse_id(request.match_info["case_id"])
    allowed = await asyncio.to_thread(records.view_case, who.advisor_id, case_id)
    if allowed is None:
        raise web.HTTPNotFound()
    if not allowed:
        return html(views.message(who, "Ingen tilgang", "Denne samtalen er tildelt en annen veileder."), 403)
    return html(views.case(who, case_id))


async def callback_page(request: web.Request) -> web.Response:
    who = request["who"]
    callback_id = parse_id(request.match_info["callback_id"])
    allowed = await asyncio.to_thread(records.view_callback, who.advisor_id, callback_id)
    if allowed is None:
        raise web.HTTPNotFound()
    if not allowed:
        return html(views.message(who, "Ingen tilgang", "Denne forespørselen er tildelt en annen veileder."), 403)
    return html(views.callback(who, callback_id))


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.Response(body=(STATIC / name).read_bytes(), content_type=STATIC_FILES[name])


# ------------------------------------------------------------ access + audit


# ----------------------------------------------------------------------- API


async def api_queue(request: web.Request) -> web.Response:
    data = await asyncio.to_thread(records.queue, request["who"].advisor_id)
    try:
        now = await asyncio.to_thread(availability.check)
        data["availability"] = {"open": now.open_now, "advisors_online": now.advisors_online, "hours": now.hours}
    except Exception:  # the queue must show even if the hours file is broken
        logger.exception("availability check failed")
        data["availability"] = None
    return web.json_response(data)


async def api_case(request: web.Request) -> web.Response:
    who = request["who"]
    case_id = parse_id(request.match_info["case_id"])
    case, notes, advisor_name = await asyncio.to_thread(records.load_case, who.advisor_id, case_id)
    data = {"id": case.id, "reference": case.reference, "status": case.status,
            "mine": case.advisor_id == who.advisor_id, "advisor": advisor_name,
            "created_at": records.iso(case.created_at), "accepted_at": records.iso(case.accepted_at),
            "closed_at": records.iso(case.closed_at), "notes": notes, "messages": [], "relay_error": None}
    try:
        transcript = await request.app[RELAY].transcript(case.sender_id)
        data["messages"] = [{"from": m["from"], "text": records.clean(m["text"]), "at": m.get("at")}
                            for m in transcript.get("messages", [])]
        data["paused"] = transcript.get("paused")
    except RelayError as error:
        logger.warning("transcript: %s", error)
        data["relay_error"] = "Fikk ikke hentet samtalen fra Veiviser."
    return web.json_response(data)


async def api_accept(request: web.Request) -> web.Response:
    who = request["who"]
    case_id = parse_id(request.match_info["case_id"])
    sender_id = await asyncio.to_thread(records.case_transition, who.advisor_id, case_id, "accept")
    try:
        delivered = await request.app[RELAY].start(sender_id)
    except RelayError as error:
        logger.warning("accept: %s", error)
        return web.json_response({"accepted": True, "delivered": False,
                                  "error": "Veiviser svarte ikke. Brukeren har ikke fått beskjed."})
    return web.json_response({"accepted": True, "delivered": delivered})


async def _text_body(request: web.Request) -> str:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest()
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise web.HTTPBadRequest()
    return text.strip()


async def api_reply(request: web.Request) -> web.Response:
    who = request["who"]
    case_id = parse_id(request.match_info["case_id"])
    text = await _text_body(request)
    sender_id = await asyncio.to_thread(records.case_transition, who.advisor_id, case_id, "reply")
    try:
        delivered = await request.app[RELAY].message(sender_id, text)
    except RelayError as error:
        logger.warning("reply: %s", error)
        delivered = False
    if not delivered:
        await asyncio.to_thread(records.audit, who.advisor_id, "message_not_delivered", "case", case_id)
    return web.json_response({"delivered": delivered})


async def api_end(request: web.Request) -> web.Response:
    who = request["who"]
    case_id = parse_id(request.match_info["case_id"])
    sender_id = await asyncio.to_thread(records.case_transition, who.advisor_id, case_id, "end")
    try:
        delivered = await request.app[RELAY].end(sender_id)
    except RelayError as error:
        logger.warning("end: %s", error)
        return web.json_response({"closed": True, "delivered": False,
                                  "error": "Veiviser svarte ikke. Boten er kanskje fortsatt satt på pause."})
    return web.json_response({"closed": True, "delivered": delivered})


async def api_case_note(request: web.Request) -> web.Response:
    case_id = parse_id(request.match_info["case_id"])
    text = await _text_body(request)
    await asyncio.to_thread(records.add_note, request["who"].advisor_id, "case", case_id, text)
    return web.json_response({"saved": True})


async def api_callback(request: web.Request) -> web.Response:
    callback_id = parse_id(request.match_info["callback_id"])
    return web.json_response(await asyncio.to_thread(records.load_callback, request["who"].advisor_id, callback_id))


async def api_callback_claim(request: web.Request) -> web.Response:
    callback_id = parse_id(request.match_info["callback_id"])
    await asyncio.to_thread(records.callback_transition, request["who"].advisor_id, callback_id, "claim")
    return web.json_response({"claimed": True})


async def api_callback_done(request: web.Request) -> web.Response:
    callback_id = parse_id(request.match_info["callback_id"])
    await asyncio.to_thread(records.callback_transition, request["who"].advisor_id, callback_id, "done")
    return web.json_response({"done": True})


async def api_callback_note(request: web.Request) -> web.Response:
    callback_id = parse_id(request.match_info["callback_id"])
    text = await _text_body(request)
    await asyncio.to_thread(records.add_note, request["who"].advisor_id, "callback", callback_id, text)
    return web.json_response({"saved": True})


async def api_audit(request: web.Request) -> web.Response:
    return web.json_response(await asyncio.to_thread(records.audit_log))


# ------------------------------------------------------------ timeout watcher


async def expire_unanswered(relay: RelayClient, limit_seconds: int) -> int:
    """Ends waiting cases nobody took in time; the user is offered a callback."""
    expired = await asyncio.to_thread(cases.expire_waiting, limit_seconds)
    for case in expired:
        try:
            await relay.end(case.sender_id, reason="timeout")
        except RelayError as error:
            logger.warning("timeout for case %s: %s", case.id, error)
    return len(expired)


async def _watch(app: web.Application) -> None:
    while True:
        try:
            await expire_unanswered(app[RELAY], settings.accept_timeout_seconds())
        except Exception:
            logger.exception("timeout watcher")
        await asyncio.sleep(app[WATCH_INTERVAL])


async def _start_background(app: web.Application):
    task = asyncio.create_task(_watch(app)) if app[WATCH_INTERVAL] > 0 else None
    yield
    if task is not None:
        task.cancel()
    await app[RELAY].close()


def create_app(relay: Optional[RelayClient] = None, watch_interval: float = 5.0) -> web.Application:
    app = web.Application(middlewares=[headers, require_sign_in], client_max_size=64 * 1024)
    app[RELAY] = relay or RelayClient()
    app[WATCH_INTERVAL] = watch_interval
    app.cleanup_ctx.append(_start_background)
    app.add_routes([
        web.get("/login", login_page),
        web.post("/login", login_post),
        web.post("/logout", logout),
        web.get("/", queue_page),
        web.get("/audit", audit_page),
        web.get("/cases/{case_id}", case_page),
        web.get("/callbacks/{callback_id}", callback_page),
        web.get("/static/{name}", static),
        web.get("/api/queue", api_queue),
        web.get("/api/audit", api_audit),
        web.get("/api/cases/{case_id}", api_case),
        web.post("/api/cases/{case_id}/accept", api_accept),
        web.post("/api/cases/{case_id}/reply", api_reply),
        web.post("/api/cases/{case_id}/end", api_end),
        web.post("/api/cases/{case_id}/notes", api_case_note),
        web.get("/api/callbacks/{callback_id}", api_callback),
        web.post("/api/callbacks/{callback_id}/claim", api_callback_claim),
        web.post("/api/callbacks/{callback_id}/done", api_callback_done),
        web.post("/api/callbacks/{callback_id}/notes", api_callback_note),
    ])
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from veiviser.handoff import db

    db.engine()  # migrate before serving
    host = os.environ.get("CONSOLE_HOST", "127.0.0.1")
    port = int(os.environ.get("CONSOLE_PORT", "8090"))
    web.run_app(create_app(), host=host, port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
