"""The console's reads and writes of the case database (synchronous; the
handlers run them in a thread). Access rules live here too: a waiting case
or a new callback is visible to every signed-in advisor, anything taken only
to the advisor who took it (security case 33)."""
from __future__ import annotations

import re
from typing import Any, Dict, Optional

from aiohttp import web
from sqlalchemy import select

from veiviser.handoff import cases
from veiviser.handoff.db import Advisor, AuditEntry, Callback, Case, Note, session, utcnow

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean(text: Any) -> str:
    """User text for display: no bidi controls (security case 23)."""
    return BIDI.sub("", str(text or ""))


def iso(value) -> Optional[str]:
    return value.isoformat() + "Z" if value is not None else None


def may_read_case(case: Case, advisor_id: str) -> bool:
    return case.status == "waiting" or case.advisor_id == advisor_id


def may_read_callback(cb: Callback, advisor_id: str) -> bool:
    return cb.status == "new" or cb.advisor_id == advisor_id


def view_case(advisor_id: str, case_id: str) -> Optional[bool]:
    """Audits the view (or the refused attempt); None when there is no such case."""
    with session() as s:
        case = s.get(Case, case_id)
        if case is None:
            cases.audit(s, advisor_id, "case_not_found", "case", case_id)
            return None
        allowed = may_read_case(case, advisor_id)
        cases.audit(s, advisor_id, "case_viewed" if allowed else "access_denied", "case", case_id)
        return allowed


def view_callback(advisor_id: str, callback_id: str) -> Optional[bool]:
    with session() as s:
        cb = s.get(Callback, callback_id)
        if cb is None or cb.status == "draft":
            cases.audit(s, advisor_id, "callback_not_found", "callback", callback_id)
            return None
        allowed = may_read_callback(cb, advisor_id)
        cases.audit(s, advisor_id, "callback_viewed" if allowed else "access_denied", "callback", callback_id)
        return allowed


def advisor_names(s) -> Dict[str, str]:
    return {a.id: a.display_name for a in s.execute(select(Advisor)).scalars()}


def notes_of(s, subject_type: str, subject_id: str, names: Dict[str, str]):
    rows = s.execute(select(Note).where(Note.subject_type == subject_type, Note.subject_id == subject_id)
                     .order_by(Note.created_at)).scalars()
    return [{"author": names.get(n.advisor_id, "?"), "text": n.text, "at": iso(n.created_at)} for n in rows]


def queue(advisor_id: str) -> Dict[str, Any]:
    with session() as s:
        def live(status, mine):
            q = select(Case).where(Case.status.in_(status))
            if mine:
                q = q.where(Case.advisor_id == advisor_id)
            rows = s.execute(q.order_by(Case.created_at).limit(100)).scalars()
            return [{"id": c.id, "reference": c.reference, "status": c.status,
                     "created_at": iso(c.created_at), "accepted_at": iso(c.accepted_at)} for c in rows]

        callbacks = s.execute(
            select(Callback).where(
                (Callback.status == "new") | ((Callback.status == "claimed") & (Callback.advisor_id == advisor_id)))
            .order_by(Callback.submitted_at).limit(100)).scalars()
        return {
            "waiting": live(("waiting",), False),
            "active": live(("active",), True),
            "closed": live(("closed",), True)[-20:],
            "callbacks": [{"id": c.id, "reference": c.reference, "status": c.status, "role": c.role,
                           "municipality": c.municipality, "preferred_time": c.preferred_time,
                           "submitted_at": iso(c.submitted_at)} for c in callbacks],
        }


def load_case(advisor_id: str, case_id: str):
    with session() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise web.HTTPNotFound()
        if not may_read_case(case, advisor_id):
            cases.audit(s, advisor_id, "access_denied", "case", case_id)
            raise web.HTTPForbidden()
        names = advisor_names(s)
        return case, notes_of(s, "case", case_id, names), names.get(case.advisor_id or "")


def case_transition(advisor_id: str, case_id: str, action: str):
    with session() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise web.HTTPNotFound()
        if action == "accept":
            if case.status != "waiting":
                raise web.HTTPConflict(text='{"error": "Samtalen er allerede tatt eller avsluttet."}',
                                       content_type="application/json")
            case.status, case.advisor_id, case.accepted_at = "active", advisor_id, utcnow()
        else:
            if case.advisor_id != advisor_id:
                cases.audit(s, advisor_id, "access_denied", "case", case_id)
                raise web.HTTPForbidden()
            if case.status != "active":
                raise web.HTTPConflict(text='{"error": "Samtalen er ikke aktiv."}', content_type="application/json")
            if action == "end":
                case.status, case.closed_at = "closed", utcnow()
        cases.audit(s, advisor_id, f"case_{action}", "case", case_id)
        return case.sender_id


def audit(advisor_id: str, action: str, subject_type: str, subject_id: str, detail: str = "") -> None:
    with session() as s:
        cases.audit(s, advisor_id, action, subject_type, subject_id, detail)


def add_note(advisor_id: str, subject_type: str, subject_id: str, text: str) -> None:
    with session() as s:
        model = Case if subject_type == "case" else Callback
        subject = s.get(model, subject_id)
        if subject is None:
            raise web.HTTPNotFound()
        if subject.advisor_id != advisor_id:
            cases.audit(s, advisor_id, "access_denied", subject_type, subject_id)
            raise web.HTTPForbidden()
        cases.add_note(s, subject_type, subject_id, advisor_id, text)


def load_callback(advisor_id: str, callback_id: str) -> Dict[str, Any]:
    with session() as s:
        cb = s.get(Callback, callback_id)
        if cb is None or cb.status == "draft":
            raise web.HTTPNotFound()
        if not may_read_callback(cb, advisor_id):
            cases.audit(s, advisor_id, "access_denied", "callback", callback_id)
            raise web.HTTPForbidden()
        names = advisor_names(s)
        mine = cb.advisor_id == advisor_id
        data = {"id": cb.id, "reference": cb.reference, "status": cb.status, "mine": mine,
                "role": cb.role, "municipality": cb.municipality, "preferred_time": clean(cb.preferred_time),
                "contact_kind": cb.contact_kind, "submitted_at": iso(cb.submitted_at),
                "advisor": names.get(cb.advisor_id or ""), "notes": []}
        if mine:  # contact and description only for the advisor who took it
            data.update(contact=cb.contact_value, description=clean(cb.description),
                        notes=notes_of(s, "callback", callback_id, names))
        return data


def callback_transition(advisor_id: str, callback_id: str, action: str) -> None:
    with session() as s:
        cb = s.get(Callback, callback_id)
        if cb is None or cb.status == "draft":
            raise web.HTTPNotFound()
        if action == "claim":
            if cb.status != "new":
                raise web.HTTPConflict(text='{"error": "Forespørselen er allerede tatt."}',
                                       content_type="application/json")
            cb.status, cb.advisor_id, cb.claimed_at = "claimed", advisor_id, utcnow()
        else:
            if cb.advisor_id != advisor_id:
                cases.audit(s, advisor_id, "access_denied", "callback", callback_id)
                raise web.HTTPForbidden()
            cb.status, cb.closed_at = "done", utcnow()
        cases.audit(s, advisor_id, f"callback_{action}", "callback", callback_id)


def audit_log() -> Dict[str, Any]:
    with session() as s:
        names = advisor_names(s)
        rows = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)).scalars()
        return {"entries": [{"at": iso(r.at), "advisor": names.get(r.advisor_id or "", "Veiviser"),
                             "action": r.action, "subject_type": r.subject_type, "subject_id": r.subject_id}
                            for r in rows]}
