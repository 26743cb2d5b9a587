"""Veiviser's REST channel for integrations and tests.

    POST /webhooks/rest/webhook   {"sender": "<session id>", "message": "hei"}

Replaces Rasa's ``rest`` channel (same URL and reply format) with:

- 400 with a generic Norwegian message for invalid JSON, a body that is not
  an object, a missing or non-string ``sender``, a non-string ``message``,
  a ``metadata`` that is not an object, over-deep or over-large bodies
  (cases 5, 7); never the ``"default"`` conversation;
- client-supplied ``input_channel`` and ``metadata`` ignored (case 8);
- ``VEIVISER_REST_REQUIRE_TOKEN=1`` (public deployments): a bearer session
  JWT whose ``sub`` equals ``sender`` is required, else 401/403 (case 6);
  the local default is open, on 127.0.0.1 only (scripts/run.sh);
- the same screening, command filter, redaction and rate limits as the
  socket.io channel (:mod:`veiviser.channels.gateway`); a client address
  over its rate gets 429.
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from veiviser.channels.faults import install_action_guard
from veiviser.channels.gateway import Gateway
from veiviser.privacy import logfilter, tokens
from veiviser.privacy.ratelimit import ADDRESS_MESSAGES, RateLimiter

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128
MAX_JSON_DEPTH = 20


def _too_deep(value: Any, depth: int = 0) -> bool:
    if depth > MAX_JSON_DEPTH:
        return True
    if isinstance(value, dict):
        return any(_too_deep(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_too_deep(v, depth + 1) for v in value)
    return False


def _nesting(text: str) -> int:
    """Deepest bracket nesting outside JSON strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _bad_request(reason: Text) -> response.HTTPResponse:
    return response.json({"error": "Ugyldig forespørsel.", "reason": reason}, status=400)


def parse_body(raw: bytes) -> "tuple[Optional[dict], Optional[Text]]":
    """The request object, or None and the reason it is refused."""
    if len(raw) > MAX_BODY_BYTES:
        return None, "body too large"
    # Brackets nested deeper than the limit are refused before parsing, so a
    # 10k-deep body cannot exhaust the parser.
    if _nesting(raw.decode("utf-8", errors="replace")) > MAX_JSON_DEPTH:
        return None, "too deeply nested"
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None, "invalid JSON"
    if not isinstance(body, dict):
        return None, "body must be a JSON object"
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return None, "sender must be a non-empty string"
    if not isinstance(body.get("message"), str):
        return None, "message must be a string"
    if "metadata" in body and body["metadata"] is not None and not isinstance(body["metadata"], dict):
        return None, "metadata must be an object"
    if _too_deep(body):
        return None, "too deeply nested"
    return body, None


def require_token() -> bool:
    return os.environ.get("VEIVISER_REST_REQUIRE_TOKEN", "0").lower() in ("1", "true", "yes")


class VeiviserRest(InputChannel):
    """REST input channel with screening, redaction and sender binding."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        logfilter.install()
        install_action_guard()
        gateway = Gateway(self.name())
        per_address = RateLimiter(ADDRESS_MESSAGES)
        secret = tokens.secret_from_env() if require_token() else None
        bp = Blueprint("veiviser_rest", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            address = request.ip or "unknown"
            if not per_address.allow(address):
                return response.json({"error": "For mange forespørsler. Vent litt."}, status=429)
            body, reason = parse_body(request.body or b"")
            if body is None:
                return _bad_request(reason or "bad request")
            sender = body["sender"].strip()
            if secret is not None:
                try:
                    subject = tokens.verify(secret, tokens.bearer(request.headers.get("Authorization")))
                except tokens.TokenError:
                    return response.json({"error": "Mangler gyldig token."}, status=401)
                if subject != sender:
                    return response.json({"error": "Ingen tilgang."}, status=403)
            collector = CollectingOutputChannel()
            try:
                await gateway.handle(request.app.ctx.agent, sender, body["message"], collector,
                                     on_new_message, address=None)
            except Exception as error:  # never a stack trace or the text in the reply or log
                logger.error("REST message failed: %s", type(error).__name__)
                return response.json({"error": "Noe gikk galt. Prøv igjen."}, status=500)
            return response.json(collector.messages)

        return bp
