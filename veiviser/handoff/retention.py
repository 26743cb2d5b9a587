"""Retention hooks for the security helper's retention job (issue 7).

Both functions delete for good: cases, callbacks and their notes. Audit
entries stay (they hold ids and actions, no conversation content).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, or_, select

from veiviser.handoff.db import Callback, Case, Note, session


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _purge(s, case_ids, callback_ids) -> int:
    if case_ids:
        s.execute(delete(Note).where(Note.subject_type == "case", Note.subject_id.in_(case_ids)))
        s.execute(delete(Case).where(Case.id.in_(case_ids)))
    if callback_ids:
        s.execute(delete(Note).where(Note.subject_type == "callback", Note.subject_id.in_(callback_ids)))
        s.execute(delete(Callback).where(Callback.id.in_(callback_ids)))
    return len(case_ids) + len(callback_ids)


def purge_closed_before(cutoff: datetime) -> int:
    """Deletes cases and callbacks closed (or expired) before ``cutoff``, and
    callback drafts abandoned before it. Returns how many records went."""
    cutoff = _naive_utc(cutoff)
    with session() as s:
        case_ids = s.execute(
            select(Case.id).where(Case.status.in_(("closed", "expired")), Case.closed_at < cutoff)
        ).scalars().all()
        callback_ids = s.execute(
            select(Callback.id).where(
                or_(
                    (Callback.status == "done") & (Callback.closed_at < cutoff),
                    (Callback.status == "draft") & (Callback.created_at < cutoff),
                )
            )
        ).scalars().all()
        return _purge(s, case_ids, callback_ids)


def purge_sender(sender_id: str) -> int:
    """Deletes every case and callback of one conversation (a user's erasure request)."""
    with session() as s:
        case_ids = s.execute(select(Case.id).where(Case.sender_id == sender_id)).scalars().all()
        callback_ids = s.execute(select(Callback.id).where(Callback.sender_id == sender_id)).scalars().all()
        return _purge(s, case_ids, callback_ids)
