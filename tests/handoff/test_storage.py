"""Case storage on SQLite and PostgreSQL: migrations, cases, callbacks, retention."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from veiviser.handoff import cases, db, migrations, retention
from veiviser.handoff.db import AuditEntry, Callback, Case, Note


def test_migrations_are_versioned_and_idempotent(case_db):
    eng = db.engine(case_db)
    with eng.connect() as conn:
        assert migrations.current_version(conn) == len(migrations.STEPS)
    assert migrations.migrate(eng) == len(migrations.STEPS)
    with db.session() as s:
        versions = s.execute(select(db.SchemaVersion.version)).scalars().all()
    assert versions == [n for n, _, _ in migrations.STEPS]


def test_live_case_queue_positions_and_uuid_ids(case_db):
    first = cases.open_live_case("user-a")
    second = cases.open_live_case("user-b")
    again = cases.open_live_case("user-a")
    assert (first.position, second.position) == (1, 2)
    assert again.case_id == first.case_id and not again.created
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first.case_id)
    assert re.fullmatch(r"VV-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", first.reference)
    assert first.reference != second.reference


def test_waiting_cases_expire_after_the_limit(case_db):
    info = cases.open_live_case("user-a")
    assert cases.expire_waiting(60) == []
    with db.session() as s:
        s.get(Case, info.case_id).created_at -= timedelta(seconds=120)
    expired = cases.expire_waiting(60)
    assert [c.id for c in expired] == [info.case_id]
    with db.session() as s:
        assert s.get(Case, info.case_id).status == "expired"


def test_callback_draft_keeps_contact_until_submitted(case_db):
    assert cases.draft_contact_kind("u1") is None
    cases.store_contact("u1", "telefon", "+4791234567")
    assert cases.draft_contact_kind("u1") == "telefon"
    cases.clear_contact("u1")
    assert cases.draft_contact_kind("u1") is None
    assert cases.submit_callback("u1", "skole", "Bergen", "i morgen", "om en elev") is None
    cases.store_contact("u1", "e-post", "navn@example.no")
    callback = cases.submit_callback("u1", "skole", "Bergen", "i morgen", "om en elev")
    assert callback.status == "new" and callback.reference.startswith("VV-")
    with db.session() as s:
        stored = s.get(Callback, callback.id)
        assert (stored.contact_kind, stored.contact_value) == ("e-post", "navn@example.no")
        actions = s.execute(select(AuditEntry.action)).scalars().all()
    assert "callback_created" in actions


def test_purge_closed_before_and_purge_sender(case_db):
    old = cases.open_live_case("old-user")
    fresh = cases.open_live_case("fresh-user")
    cases.store_contact("old-user", "telefon", "+4791234567")
    callback = cases.submit_callback("old-user", "nav", "Oslo", "fredag", "drøfting")
    advisor_id = _advisor()
    now = db.utcnow()
    with db.session() as s:
        for case_id in (old.case_id, fresh.case_id):
            case = s.get(Case, case_id)
            case.status, case.closed_at = "closed", now
        s.get(Case, old.case_id).closed_at = now - timedelta(days=40)
        cb = s.get(Callback, callback.id)
        cb.status, cb.closed_at = "done", now - timedelta(days=40)
        cases.add_note(s, "case", old.case_id, advisor_id, "internt notat")
    assert retention.purge_closed_before(now - timedelta(days=30)) == 2
    with db.session() as s:
        assert s.get(Case, old.case_id) is None and s.get(Callback, callback.id) is None
        assert s.get(Case, fresh.case_id) is not None
        assert s.execute(select(Note)).scalars().all() == []
    assert retention.purge_sender("fresh-user") == 1
    assert retention.purge_sender("fresh-user") == 0


def _advisor() -> str:
    from tests.handoff.conftest import make_advisor

    return make_advisor()
