"""Veiviser's action server: rasa-sdk behind a shared secret, on loopback.

    .venv/bin/python -m veiviser.actionserver --port 5055     # scripts/run.sh does this

rasa-sdk 3.6 has no authentication, binds 0.0.0.0, allows CORS from
anywhere, inflates deflate bodies without a limit and answers an exception
with the whole tracker (``request_body``) in a 500 (findings.md §0.6).
This launcher runs the same app with:

- bind address 127.0.0.1 (``--host``/``SANIC_HOST`` may change it);
- every route except ``GET /health`` requires the header
  ``X-Veiviser-Action-Secret`` equal to ``VEIVISER_ACTION_SECRET`` (401
  otherwise); Rasa sends it from ``endpoints.yml`` (``headers:``);
- no CORS headers; request bodies over 8 MB refused; any
  ``Content-Encoding`` other than identity refused (case 20);
- a 500 answer that carries only an error id; the log line has the id, the
  action name and the exception type, never the tracker (case 17).
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os
import uuid
from typing import Optional

from sanic import Sanic, response
from sanic.request import Request

from veiviser.privacy import logfilter

logger = logging.getLogger(__name__)

SECRET_ENV = "VEIVISER_ACTION_SECRET"
SECRET_HEADER = "X-Veiviser-Action-Secret"
MAX_BODY_BYTES = 8 * 1024 * 1024
MIN_SECRET_LENGTH = 32


def create_action_app(secret: str, package: str = "actions") -> Sanic:
    from rasa_sdk.endpoint import create_app

    if len(secret or "") < MIN_SECRET_LENGTH:
        raise SystemExit(f"{SECRET_ENV} må være satt (minst {MIN_SECRET_LENGTH} tegn); "
                         "scripts/run.sh lager en for hver kjøring.")
    app = create_app(package, cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    expected = secret.encode()

    @app.middleware("request")
    async def require_secret(request: Request) -> Optional[response.HTTPResponse]:
        if request.path == "/health" and request.method in ("GET", "HEAD"):
            return None
        given = (request.headers.get(SECRET_HEADER) or "").encode()
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "unauthorized"}, status=401)
        encoding = (request.headers.get("Content-Encoding") or "identity").lower()
        if encoding != "identity":
            return response.json({"error": "unsupported content encoding"}, status=415)
        return None

    async def safe_error(request: Request, exception: Exception) -> response.HTTPResponse:
        status = getattr(exception, "status_code", 500) or 500
        if status < 500:
            return response.json({"error": "bad request"}, status=status)
        error_id = uuid.uuid4().hex[:12]
        action = None
        try:
            body = request.json if isinstance(request.json, dict) else {}
            action = body.get("next_action")
        except Exception:
            pass
        logger.error("Action %s failed: %s (error id %s)", action, type(exception).__name__, error_id)
        return response.json({"error": "internal error", "error_id": error_id}, status=500)

    app.error_handler.add(Exception, safe_error)
    return app


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description="Veiviser's action server (rasa-sdk with a shared secret).")
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_PORT", "5055")))
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logfilter.install()
    app = create_action_app(os.environ.get(SECRET_ENV, ""), args.actions)
    logger.info("Action server on http://%s:%s (shared secret required)", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
