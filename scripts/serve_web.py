"""Serves Veiviser's web page and chat widget, and proxies socket.io to Rasa.

    .venv/bin/python scripts/serve_web.py --port 8080 --upstream http://127.0.0.1:5005

The page and the widget talk to `/socket.io/` on this server (same origin);
this server forwards both socket.io transports (HTTP long-polling and
WebSocket) to the Rasa server's socket.io channel on loopback. Rasa 3.6's
channel turns python-socketio's Origin check off (`cors_allowed_origins=[]`),
so the Origin allow-list lives here: a browser request to `/socket.io/` whose
`Origin` is not on the list gets 403 before it reaches Rasa (cross-site
WebSocket hijacking, security case 9). Pages on other sites that embed the
widget are allowed by adding their origin to VEIVISER_WEB_ORIGINS.

Sessions (security cases 5, 6, 10, 11): `POST /api/session` issues a new
random session id (UUID v4) and a session JWT (HS256, `sub` = session id,
`exp`) signed with VEIVISER_SESSION_SECRET; `POST /api/session/renew`
with `{"session_id": ..., "token": ...}` (or `Authorization: Bearer`) renews a
token that is still valid or expired within the grace window. Rasa's
socket.io channel accepts only sockets that present such a token and binds
them to its session. Both endpoints follow the same Origin allow-list and
a per-address rate limit for new sessions.

Only the files listed in `_static_routes` are served: the landing page, the
widget and the socket.io client from web/node_modules (installed by
`npm ci` in scripts/setup.sh). Nothing comes from a CDN.

Environment (command-line options win):
  WEB_PORT               port to listen on (8080)
  VEIVISER_HOST          interface to bind (127.0.0.1)
  RASA_UPSTREAM          Rasa server base URL (http://127.0.0.1:$RASA_PORT)
  VEIVISER_WEB_ORIGINS   comma-separated origins allowed to open the socket;
                         default: this server's own http://127.0.0.1:PORT and
                         http://localhost:PORT
  VEIVISER_SESSION_SECRET  secret that signs session tokens (scripts/run.sh
                         generates one per run; shared with Rasa)
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import logging
import os
import re
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

ROOT_FOR_IMPORTS = Path(__file__).resolve().parent.parent
if str(ROOT_FOR_IMPORTS) not in sys.path:
    sys.path.insert(0, str(ROOT_FOR_IMPORTS))

from veiviser.privacy import tokens  # noqa: E402
from veiviser.privacy.ratelimit import ADDRESS_SESSIONS, RateLimiter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WEB_ROOT = ROOT / "web"
SOCKETIO_PATH = "/socket.io/"

# One socket.io frame from the browser: a user message is capped at 2,000
# characters by the widget; JSON escaping can make that at most ~12 KB.
MAX_FRAME_BYTES = 32 * 1024
MAX_BODY_BYTES = 64 * 1024

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "trailer", "transfer-encoding", "upgrade", "host", "content-length",
    "content-encoding", "accept-encoding", "origin", "cookie", "set-cookie",
    "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
    "sec-websocket-accept", "sec-websocket-protocol",
}

logger = logging.getLogger("veiviser.web")

ALLOWED_ORIGINS_KEY = web.AppKey("allowed_origins", frozenset)
UPSTREAM_KEY = web.AppKey("upstream", str)
CLIENT_KEY = web.AppKey("client", aiohttp.ClientSession)
SECRET_KEY = web.AppKey("session_secret", str)
SESSION_LIMIT_KEY = web.AppKey("session_limit", RateLimiter)
SESSION_PATH = "/api/session"
RENEW_PATH = "/api/session/renew"


def _static_routes(web_root: Path) -> Dict[str, Tuple[Path, str]]:
    """URL path -> (file, content type). Nothing else under web/ is served."""
    vendor = web_root / "node_modules" / "socket.io-client" / "dist"
    return {
        "/": (web_root / "index.html", "text/html; charset=utf-8"),
        "/site.css": (web_root / "site.css", "text/css; charset=utf-8"),
        "/site.js": (web_root / "site.js", "text/javascript; charset=utf-8"),
        "/favicon.svg": (web_root / "favicon.svg", "image/svg+xml"),
        "/widget/veiviser.js": (web_root / "widget" / "veiviser.js",
                                "text/javascript; charset=utf-8"),
        "/widget/veiviser.css": (web_root / "widget" / "veiviser.css", "text/css; charset=utf-8"),
        "/widget/vendor/socket.io.esm.min.js": (vendor / "socket.io.esm.min.js",
                                                "text/javascript; charset=utf-8"),
        "/widget/vendor/socket.io.esm.min.js.map": (vendor / "socket.io.esm.min.js.map",
                                                    "application/json"),
    }


def _inline_script_hashes(html: str) -> List[str]:
    """CSP hashes of the page's inline <script> blocks (the embed config)."""
    hashes = []
    for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append("'sha256-%s'" % base64.b64encode(digest).decode())
    return hashes


def _page_headers(html: str) -> Dict[str, str]:
    script_src = " ".join(["'self'"] + _inline_script_hashes(html))
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; script-src {script_src}; style-src 'self'; "
            "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
        ),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache",
    }


def _asset_headers() -> Dict[str, str]:
    # The widget is meant to be embedded on other sites: its files may be
    # fetched cross-origin (the socket.io client is loaded with import()).
    return {
        "X-Content-Type-Options": "nosniff",
        "Access-Control-Allow-Origin": "*",
        "Cross-Origin-Resource-Policy": "cross-origin",
        "Cache-Control": "no-cache",
    }


def _make_static_handler(path: Path, content_type: str):
    async def handler(request: web.Request) -> web.StreamResponse:
        if not path.is_file():
            raise web.HTTPNotFound(text="Finnes ikke.\n")
        body = path.read_bytes()
        if request.path == "/":
            headers = _page_headers(body.decode("utf-8"))
        else:
            headers = _asset_headers()
        return web.Response(body=body, headers={**headers, "Content-Type": content_type})

    return handler


def _cors_headers(origin: Optional[str]) -> Dict[str, str]:
    if origin is None:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true",
            "Vary": "Origin"}


def _forward_headers(headers: Iterable[Tuple[str, str]]) -> Dict[str, str]:
    return {k: v for k, v in headers if k.lower() not in HOP_BY_HOP
            and not k.lower().startswith("access-control-")}


async def socketio_proxy(request: web.Request) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    if origin is not None and origin not in request.app[ALLOWED_ORIGINS_KEY]:
        logger.warning("Rejected socket.io request from origin %r", origin[:200])
        raise web.HTTPForbidden(text="Origin not allowed.\n")
    if request.method == "OPTIONS":
        return web.Response(status=204, headers={
            **_cors_headers(origin), "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600"})
    upstream = request.app[UPSTREAM_KEY] + request.rel_url.path_qs
    if request.headers.get("Upgrade", "").lower() == "websocket":
        return await _proxy_websocket(request, upstream)
    return await _proxy_http(request, upstream, origin)


async def _proxy_http(request: web.Request, upstream: str,
                      origin: Optional[str]) -> web.StreamResponse:
    body = await request.read()
    headers = _forward_headers(request.headers.items())
    headers["X-Forwarded-For"] = request.remote or ""
    # Bodies are passed on as they are (no decompression here), so ask for
    # them uncompressed: engine.io gzips polling answers over 1 KiB when the
    # client accepts it, and aiohttp's client would accept it by default.
    headers["Accept-Encoding"] = "identity"
    try:
        async with request.app[CLIENT_KEY].request(
            request.method, upstream, data=body or None, headers=headers, allow_redirects=False,
        ) as response:
            payload = await response.read()
            out = _forward_headers(response.headers.items())
            out.update(_cors_headers(origin))
            return web.Response(status=response.status, body=payload, headers=out)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.warning("Rasa not reachable: %s", type(error).__name__)
        raise web.HTTPBadGateway(text="Veiviser kan ikke nås akkurat nå.\n")


async def _proxy_websocket(request: web.Request, upstream: str) -> web.StreamResponse:
    url = "ws" + upstream[len("http"):]
    try:
        upstream_ws = await request.app[CLIENT_KEY].ws_connect(
            url, headers={"X-Forwarded-For": request.remote or ""}, autoping=False)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.warning("Rasa WebSocket not reachable: %s", type(error).__name__)
        raise web.HTTPBadGateway(text="Veiviser kan ikke nås akkurat nå.\n")

    client_ws = web.WebSocketResponse(max_msg_size=MAX_FRAME_BYTES, autoping=False)
    await client_ws.prepare(request)

    async def pump(source, sink) -> None:
        async for message in source:
            if message.type == aiohttp.WSMsgType.TEXT:
                await sink.send_str(message.data)
            elif message.type == aiohttp.WSMsgType.BINARY:
                await sink.send_bytes(message.data)
            elif message.type == aiohttp.WSMsgType.PING:
                await sink.ping(message.data)
            elif message.type == aiohttp.WSMsgType.PONG:
                await sink.pong(message.data)
            else:  # CLOSE, CLOSING, CLOSED, ERROR (e.g. a frame over the size cap)
                break

    tasks = [asyncio.ensure_future(pump(client_ws, upstream_ws)),
             asyncio.ensure_future(pump(upstream_ws, client_ws))]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await upstream_ws.close()
        await client_ws.close()
    return client_ws


def _check_origin(request: web.Request) -> Optional[str]:
    origin = request.headers.get("Origin")
    if origin is not None and origin not in request.app[ALLOWED_ORIGINS_KEY]:
        logger.warning("Rejected %s request from origin %r", request.path, origin[:200])
        raise web.HTTPForbidden(text="Origin not allowed.\n")
    return origin


def _session_reply(origin: Optional[str], session_id: str, token: str) -> web.Response:
    return web.json_response(
        {"session_id": session_id, "token": token, "expires_in": tokens.DEFAULT_TTL_S},
        headers={**_cors_headers(origin), "Cache-Control": "no-store"})


async def session_preflight(request: web.Request) -> web.Response:
    origin = _check_origin(request)
    return web.Response(status=204, headers={
        **_cors_headers(origin), "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Authorization",
        "Access-Control-Max-Age": "600"})


async def new_session(request: web.Request) -> web.Response:
    """A fresh session id and its token."""
    origin = _check_origin(request)
    if not request.app[SESSION_LIMIT_KEY].allow(request.remote or "unknown"):
        raise web.HTTPTooManyRequests(text="For mange nye samtaler. Vent litt.\n",
                                      headers=_cors_headers(origin))
    session_id = tokens.new_session_id()
    return _session_reply(origin, session_id, tokens.issue(request.app[SECRET_KEY], session_id))


async def renew_session(request: web.Request) -> web.Response:
    """A new token for the same session, only with that session's token."""
    origin = _check_origin(request)
    try:
        body = await request.json()
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    session_id = body.get("session_id")
    if not isinstance(session_id, str):
        raise web.HTTPBadRequest(text="session_id mangler.\n", headers=_cors_headers(origin))
    # The widget sends the token in the body (a "simple" request without a
    # preflight); integrations may use the Authorization header.
    old = body.get("token") or tokens.bearer(request.headers.get("Authorization"))
    try:
        token = tokens.renew(request.app[SECRET_KEY], old, session_id)
    except tokens.TokenError:
        raise web.HTTPUnauthorized(text="Ugyldig eller utløpt token.\n", headers=_cors_headers(origin))
    return _session_reply(origin, session_id, token)


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Access log without query strings (they may carry session ids)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info('%s "%s %s" %s %.3fs', request.remote, request.method, request.path,
                         response.status, time)


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(upstream: str, allowed_origins: Iterable[str],
               web_root: Path = WEB_ROOT, session_secret: Optional[str] = None) -> web.Application:
    """The web server: static page and widget, /healthz, sessions and the socket.io proxy."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    secret = session_secret or os.environ.get(tokens.SECRET_ENV, "")
    if len(secret) < tokens.MIN_SECRET_LENGTH:
        # Without the secret Rasa shares, tokens from here are refused there.
        logger.warning("%s is not set: using a random secret for this process only",
                       tokens.SECRET_ENV)
        import secrets

        secret = secrets.token_urlsafe(48)
    app[SECRET_KEY] = secret
    app[SESSION_LIMIT_KEY] = RateLimiter(ADDRESS_SESSIONS)
    app[UPSTREAM_KEY] = upstream.rstrip("/")
    app[ALLOWED_ORIGINS_KEY] = frozenset(o.strip().rstrip("/") for o in allowed_origins if o.strip())

    async def client_session(app: web.Application):
        timeout = aiohttp.ClientTimeout(total=None, connect=5, sock_read=90)
        app[CLIENT_KEY] = aiohttp.ClientSession(timeout=timeout, auto_decompress=False)
        yield
        await app[CLIENT_KEY].close()

    app.cleanup_ctx.append(client_session)
    for path, (file, content_type) in _static_routes(web_root).items():
        app.router.add_get(path, _make_static_handler(file, content_type))
    app.router.add_get("/healthz", health)
    app.router.add_post(SESSION_PATH, new_session)
    app.router.add_post(RENEW_PATH, renew_session)
    app.router.add_route("OPTIONS", SESSION_PATH, session_preflight)
    app.router.add_route("OPTIONS", RENEW_PATH, session_preflight)
    app.router.add_route("*", SOCKETIO_PATH, socketio_proxy)
    return app


def _parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("VEIVISER_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--upstream", default=os.environ.get(
        "RASA_UPSTREAM", "http://127.0.0.1:%s" % os.environ.get("RASA_PORT", "5005")))
    parser.add_argument("--allowed-origins", default=os.environ.get("VEIVISER_WEB_ORIGINS", ""),
                        help="comma-separated origins allowed to open the socket")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    origins = [o for o in args.allowed_origins.split(",") if o.strip()] or [
        f"http://127.0.0.1:{args.port}", f"http://localhost:{args.port}"]
    if not args.allowed_origins and args.host not in ("127.0.0.1", "localhost", "0.0.0.0", "::"):
        origins.append(f"http://{args.host}:{args.port}")
    vendor = _static_routes(WEB_ROOT)["/widget/vendor/socket.io.esm.min.js"][0]
    if not vendor.is_file():
        sys.exit("Fant ikke socket.io-klienten (web/node_modules). Kjør `make setup` "
                 "(npm ci i web/).")
    logger.info("Serving %s on http://%s:%s, socket.io -> %s, allowed origins: %s",
                WEB_ROOT, args.host, args.port, args.upstream, ", ".join(origins))
    web.run_app(create_app(args.upstream, origins), host=args.host, port=args.port,
                print=None, access_log_class=PathOnlyAccessLogger)


if __name__ == "__main__":
    main()
