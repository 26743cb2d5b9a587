"""Session tokens: a JWT (HS256) whose subject is the session id.

The web front (scripts/serve_web.py) issues them; the channels verify them.
The algorithm is pinned (no ``alg: none``, no RS/HS confusion), ``exp`` and
``sub`` are required. The secret comes from ``VEIVISER_SESSION_SECRET``
(``scripts/run.sh`` generates one per run when it is unset).
"""
from __future__ import annotations

import os
import time
import uuid
from typing import Optional

import jwt

ALGORITHM = "HS256"
SECRET_ENV = "VEIVISER_SESSION_SECRET"
MIN_SECRET_LENGTH = 32
DEFAULT_TTL_S = int(os.environ.get("VEIVISER_SESSION_TTL_S", "3600"))
RENEW_GRACE_S = int(os.environ.get("VEIVISER_SESSION_GRACE_S", "600"))


class TokenError(Exception):
    """The token is missing, malformed, forged or expired."""


def secret_from_env() -> str:
    secret = os.environ.get(SECRET_ENV, "")
    if len(secret) < MIN_SECRET_LENGTH:
        raise RuntimeError(f"{SECRET_ENV} must be set to at least {MIN_SECRET_LENGTH} characters "
                           "(scripts/run.sh generates one per run)")
    return secret


def new_session_id() -> str:
    return str(uuid.uuid4())


def issue(secret: str, session_id: str, ttl_s: int = DEFAULT_TTL_S, now: Optional[float] = None) -> str:
    issued = int(now if now is not None else time.time())
    payload = {"sub": session_id, "iat": issued, "exp": issued + ttl_s}
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def verify(secret: str, token: Optional[str], leeway_s: int = 0) -> str:
    """Returns the session id (``sub``) of a valid token, or raises TokenError."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        raise TokenError("missing token")
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], leeway=leeway_s,
                            options={"require": ["exp", "sub"]})
    except jwt.PyJWTError as error:
        raise TokenError(type(error).__name__) from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise TokenError("no subject")
    return subject


def renew(secret: str, token: Optional[str], session_id: str, ttl_s: int = DEFAULT_TTL_S) -> str:
    """A new token for the same session; the old one may have expired within the grace window."""
    if verify(secret, token, leeway_s=RENEW_GRACE_S) != session_id:
        raise TokenError("session mismatch")
    return issue(secret, session_id, ttl_s)


def bearer(header: Optional[str]) -> Optional[str]:
    if header and header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None
