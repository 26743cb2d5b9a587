"""The web server in scripts/serve_web.py, without a browser and without Rasa:
the Origin allow-list on the socket.io proxy (security case 9), what is and
is not served, and that both socket.io transports are passed through.

A fake upstream stands in for Rasa's socket.io endpoint: it echoes HTTP
requests and WebSocket frames.
"""
from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from tests.running import load_serve_web

ROOT = Path(__file__).resolve().parents[2]
PAGE_ORIGIN = "http://127.0.0.1:8080"
EMBEDDING_SITE = "https://www.kommune.example"


serve_web = load_serve_web()


def _fake_rasa() -> web.Application:
    async def socketio(request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    await ws.send_str("echo:" + message.data)
            return ws
        body = await request.text()
        return web.json_response({"method": request.method, "query": request.query_string,
                                  "body": body, "origin": request.headers.get("Origin"),
                                  "accept_encoding": request.headers.get("Accept-Encoding")})

    app = web.Application()
    app.router.add_route("*", "/socket.io/", socketio)
    return app


@pytest.fixture
async def client():
    upstream = TestServer(_fake_rasa())
    await upstream.start_server()
    app = serve_web.create_app(str(upstream.make_url("")), [PAGE_ORIGIN, EMBEDDING_SITE])
    async with TestClient(TestServer(app)) as test_client:
        yield test_client
    await upstream.close()


async def test_page_is_served_with_a_strict_content_security_policy(client):
    response = await client.get("/")
    assert response.status == 200
    html = await response.text()
    assert '<html lang="nb">' in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp  # the inline embed config, by hash
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/widget/veiviser.js", "/widget/veiviser.css",
                                  "/widget/vendor/socket.io.esm.min.js"])
async def test_widget_files_are_served_for_embedding(client, path):
    if path.endswith("esm.min.js") and not (ROOT / "web" / "node_modules").is_dir():
        pytest.skip("web/node_modules missing: run `make setup`")
    response = await client.get(path)
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/package.json", "/node_modules/socket.io-client/package.json",
                                  "/widget/../package.json", "/widget/", "/index.html",
                                  "/scripts/serve_web.py"])
async def test_nothing_else_is_served(client, path):
    response = await client.get(path)
    assert response.status == 404


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:8081", "null",
                                    PAGE_ORIGIN + ".evil.example"])
async def test_socket_from_a_foreign_origin_is_rejected(client, origin):
    polling = await client.get("/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})
    assert polling.status == 403
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/socket.io/?EIO=4&transport=websocket", origin=origin)
    assert refused.value.status == 403


@pytest.mark.parametrize("origin", [PAGE_ORIGIN, EMBEDDING_SITE])
async def test_polling_from_an_allowed_origin_is_proxied_with_cors(client, origin):
    response = await client.post("/socket.io/?EIO=4&transport=polling&sid=abc",
                                 data="40", headers={"Origin": origin})
    assert response.status == 200
    echoed = await response.json()
    assert echoed["method"] == "POST" and echoed["body"] == "40"
    assert echoed["query"] == "EIO=4&transport=polling&sid=abc"
    assert echoed["origin"] is None  # not forwarded to Rasa
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


async def test_polling_answers_are_asked_for_uncompressed(client):
    # engine.io gzips long polling answers for clients that accept it; the
    # proxy passes bodies through untouched, so it must not accept gzip.
    response = await client.get("/socket.io/?EIO=4&transport=polling",
                                headers={"Accept-Encoding": "gzip, deflate"})
    assert (await response.json())["accept_encoding"] == "identity"


async def test_same_origin_polling_without_an_origin_header_is_proxied(client):
    response = await client.get("/socket.io/?EIO=4&transport=polling")
    assert response.status == 200
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_preflight_from_an_allowed_origin(client):
    response = await client.options("/socket.io/?EIO=4&transport=polling",
                                    headers={"Origin": EMBEDDING_SITE,
                                             "Access-Control-Request-Method": "POST"})
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == EMBEDDING_SITE


async def test_websocket_frames_pass_both_ways(client):
    async with client.ws_connect("/socket.io/?EIO=4&transport=websocket",
                                 origin=PAGE_ORIGIN) as ws:
        await ws.send_str('42["user_uttered",{"message":"hei"}]')
        reply = await ws.receive(timeout=5)
        assert reply.data == 'echo:42["user_uttered",{"message":"hei"}]'


async def test_oversized_websocket_frame_closes_the_socket(client):
    async with client.ws_connect("/socket.io/?EIO=4&transport=websocket",
                                 origin=PAGE_ORIGIN) as ws:
        await ws.send_str("4" + "x" * (serve_web.MAX_FRAME_BYTES + 1))
        reply = await ws.receive(timeout=5)
        assert reply.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)


async def test_oversized_polling_body_is_refused(client):
    response = await client.post("/socket.io/?EIO=4&transport=polling&sid=abc",
                                 data="4" + "x" * serve_web.MAX_BODY_BYTES)
    assert response.status == 413


async def test_rasa_down_gives_502():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app = serve_web.create_app(f"http://127.0.0.1:{closed_port}", [PAGE_ORIGIN])
    async with TestClient(TestServer(app)) as test_client:
        response = await test_client.get("/socket.io/?EIO=4&transport=polling")
        assert response.status == 502
        assert "Veiviser" in await response.text()
