"""The case repository: every read and write of handoff data goes through here."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional

from sqlalchemy import func, select

from veiviser.handoff import settings
from veiviser.handoff.db import (
    AdvisorSession,
    AuditEntry,
    Callback,
    Case,
    Note,
    session,
    utcnow,
)

# No 0/O, 1/I/L: easy to read aloud. 31^8 ~ 8.5e11 references.
_REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    part = "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))
    return f"VV-{part[:4]}-{part[4:]}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ presence


def advisors_online(now: Optional[datetime] = None) -> int:
    cutoff = (now or utcnow()) - timedelta(seconds=settings.presence_seconds())
    with session() as s:
        return s.execute(
            select(func.count(func.distinct(AdvisorSession.advisor_id))).where(
                AdvisorSession.ended_at.is_(None), AdvisorSession.last_seen >= cutoff
            )
        ).scalar_one()


# ---------------------------------------------------------------- live cases


@dataclass(frozen=True)
class QueueInfo:
    case_id: str
    reference: str
    position: int  # 1 = next in line
    created: bool  # False when the user already had an open case


def open_live_case(sender_id: str) -> QueueInfo:
    """Creates a waiting case for ``sender_id`` (or returns the one already open)."""
    with session() as s:
        case = s.execute(
            select(Case).where(Case.sender_id == sender_id, Case.status.in_(("waiting", "active")))
        ).scalars().first()
        created = case is None
        if created:
            case = Case(sender_id=sender_id, reference=new_reference(), status="waiting")
            s.add(case)
            s.flush()
            audit(s, None, "case_created", "case", case.id)
        position = 0
        if case.status == "waiting":
            position = s.execute(
                select(func.count()).select_from(Case).where(
                    Case.status == "waiting", Case.created_at <= case.created_at
                )
            ).scalar_one()
        return QueueInfo(case.id, case.reference, position, created)


def expire_waiting(older_than_seconds: int) -> List[Case]:
    """Marks waiting cases older than the limit as expired and returns them."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    with session() as s:
        cases = s.execute(
            select(Case).where(Case.status == "waiting", Case.created_at < cutoff)
        ).scalars().all()
        for case in cases:
            case.status = "expired"
            case.closed_at = utcnow()
            audit(s, None, "case_expired", "case", case.id)
        return list(cases)


# ----------------------------------------------------------------- callbacks


def store_contact(sender_id: str, kind: str, value: str) -> None:
    """Keeps the contact detail in the sender's draft callback (created if needed)."""
    with session() as s:
        draft = _draft(s, sender_id)
        if draft is None:
            draft = Callback(sender_id=sender_id, status="draft")
            s.add(draft)
        draft.contact_kind = kind
        draft.contact_value = value


def clear_contact(sender_id: str) -> None:
    with session() as s:
        draft = _draft(s, sender_id)
        if draft is not None:
            draft.contact_kind = draft.contact_value = None


def draft_contact_kind(sender_id: str) -> Optional[str]:
    with session() as s:
        draft = _draft(s, sender_id)
        return draft.contact_kind if draft is not None and draft.contact_value else None


def discard_draft(sender_id: str) -> int:
    with session() as s:
        drafts = s.execute(
            select(Callback).where(Callback.sender_id == sender_id, Callback.status == "draft")
        ).scalars().all()
        for draft in drafts:
            s.delete(draft)
        return len(drafts)


def submit_callback(
    sender_id: str, role: str, municipality: str, preferred_time: str, description: str
) -> Optional[Callback]:
    """Turns the draft (which holds the contact detail) into a new callback request."""
    with session() as s:
        draft = _draft(s, sender_id)
        if draft is None or not draft.contact_value:
            return None
        draft.reference = new_reference()
        draft.status = "new"
        draft.role = role
        draft.municipality = municipality
        draft.preferred_time = preferred_time
        draft.description = description
        draft.submitted_at = utcnow()
        s.flush()
        audit(s, None, "callback_created", "callback", draft.id)
        return draft


def _draft(s, sender_id: str) -> Optional[Callback]:
    return s.execute(
        select(Callback)
        .where(Callback.sender_id == sender_id, Callback.status == "draft")
        .order_by(Callback.created_at.desc())
    ).scalars().first()


# --------------------------------------------------------------------- audit


def audit(s, advisor_id: Optional[str], action: str, subject_type: Optional[str] = None,
          subject_id: Optional[str] = None, detail: Optional[str] = None) -> None:
    s.add(AuditEntry(advisor_id=advisor_id, action=action, subject_type=subject_type,
                     subject_id=subject_id, detail=(detail or None) and detail[:300]))


def add_note(s, subject_type: str, subject_id: str, advisor_id: str, text: str) -> Note:
    note = Note(subject_type=subject_type, subject_id=subject_id, advisor_id=advisor_id, text=text)
    s.add(note)
    audit(s, advisor_id, "note_added", subject_type, subject_id)
    return note
