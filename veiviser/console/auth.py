"""Sign-in, server-side sessions, lock-out and CSRF for the console."""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

from sqlalchemy import select

from veiviser.console.passwords import DUMMY_HASH, verify_password
from veiviser.handoff.cases import audit, token_hash
from veiviser.handoff.db import Advisor, AdvisorSession, session, utcnow

MAX_FAILED = 5
LOCKOUT = timedelta(minutes=15)
SESSION_IDLE = timedelta(hours=8)


@dataclass(frozen=True)
class SignedIn:
    advisor_id: str
    display_name: str
    username: str
    session_id: str
    csrf_token: str


def sign_in(username: str, password: str) -> Optional[str]:
    """A new session token, or None (wrong password, unknown user, locked, disabled)."""
    with session() as s:
        advisor = s.execute(select(Advisor).where(Advisor.username == username)).scalars().first()
        if advisor is None:
            verify_password(password, DUMMY_HASH)
            audit(s, None, "sign_in_failed", detail="unknown user")
            return None
        now = utcnow()
        if advisor.locked_until is not None and advisor.locked_until > now:
            audit(s, advisor.id, "sign_in_locked")
            return None
        if not advisor.active or not verify_password(password, advisor.password_hash):
            advisor.failed_attempts = (advisor.failed_attempts or 0) + 1
            if advisor.failed_attempts >= MAX_FAILED:
                advisor.locked_until = now + LOCKOUT
                advisor.failed_attempts = 0
                audit(s, advisor.id, "account_locked")
            else:
                audit(s, advisor.id, "sign_in_failed")
            return None
        advisor.failed_attempts = 0
        advisor.locked_until = None
        token = secrets.token_urlsafe(32)
        s.add(AdvisorSession(token_hash=token_hash(token), advisor_id=advisor.id,
                             csrf_token=secrets.token_urlsafe(32)))
        audit(s, advisor.id, "signed_in")
        return token


def current(token: Optional[str]) -> Optional[SignedIn]:
    """The signed-in advisor for a cookie token; refreshes presence."""
    if not token:
        return None
    with session() as s:
        row = s.execute(
            select(AdvisorSession, Advisor)
            .join(Advisor, Advisor.id == AdvisorSession.advisor_id)
            .where(AdvisorSession.token_hash == token_hash(token))
        ).first()
        if row is None:
            return None
        sess, advisor = row
        now = utcnow()
        if sess.ended_at is not None or not advisor.active or now - sess.last_seen > SESSION_IDLE:
            if sess.ended_at is None:
                sess.ended_at = now
            return None
        sess.last_seen = now
        return SignedIn(advisor.id, advisor.display_name, advisor.username, sess.id, sess.csrf_token)


def sign_out(token: Optional[str]) -> None:
    if not token:
        return
    with session() as s:
        sess = s.execute(select(AdvisorSession).where(AdvisorSession.token_hash == token_hash(token))).scalars().first()
        if sess is not None and sess.ended_at is None:
            sess.ended_at = utcnow()
            audit(s, sess.advisor_id, "signed_out")


def csrf_ok(expected: str, given: Optional[str]) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())
