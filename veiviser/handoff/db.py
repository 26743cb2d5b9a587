"""SQLAlchemy models of the case database and the engine/session factory.

Ids are UUID strings (36 characters), so they are the same on SQLite and
PostgreSQL and cannot be enumerated. Times are naive UTC.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Dict, Iterator, Optional

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from veiviser.handoff import settings

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_id() -> str:
    return str(uuid.uuid4())


class SchemaVersion(Base):
    __tablename__ = "handoff_schema_version"
    version = Column(Integer, primary_key=True)
    description = Column(String(200), nullable=False)
    applied_at = Column(DateTime, nullable=False, default=utcnow)


class Advisor(Base):
    __tablename__ = "handoff_advisors"
    id = Column(String(36), primary_key=True, default=new_id)
    username = Column(String(80), unique=True, nullable=False)
    display_name = Column(String(120), nullable=False)
    password_hash = Column(String(300), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    failed_attempts = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class AdvisorSession(Base):
    """A console sign-in. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "handoff_sessions"
    id = Column(String(36), primary_key=True, default=new_id)
    token_hash = Column(String(64), unique=True, nullable=False)
    advisor_id = Column(String(36), ForeignKey("handoff_advisors.id"), nullable=False)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen = Column(DateTime, nullable=False, default=utcnow)
    ended_at = Column(DateTime, nullable=True)


class Case(Base):
    """A live handoff: waiting -> active -> closed, or waiting -> expired (nobody accepted)."""

    __tablename__ = "handoff_cases"
    id = Column(String(36), primary_key=True, default=new_id)
    reference = Column(String(20), unique=True, nullable=False)
    sender_id = Column(String(255), nullable=False, index=True)
    status = Column(String(20), nullable=False, default="waiting", index=True)
    advisor_id = Column(String(36), ForeignKey("handoff_advisors.id"), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    accepted_at = Column(DateTime, nullable=True)
    closed_at = Column(DateTime, nullable=True)


class Callback(Base):
    """A request to be contacted: draft (form in progress) -> new -> claimed -> done."""

    __tablename__ = "handoff_callbacks"
    id = Column(String(36), primary_key=True, default=new_id)
    reference = Column(String(20), unique=True, nullable=True)
    sender_id = Column(String(255), nullable=False, index=True)
    status = Column(String(20), nullable=False, default="draft", index=True)
    advisor_id = Column(String(36), ForeignKey("handoff_advisors.id"), nullable=True)
    role = Column(String(40), nullable=True)
    municipality = Column(String(120), nullable=True)
    contact_kind = Column(String(10), nullable=True)  # "telefon" or "e-post"
    contact_value = Column(String(254), nullable=True)
    preferred_time = Column(String(200), nullable=True)
    description = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    submitted_at = Column(DateTime, nullable=True)
    claimed_at = Column(DateTime, nullable=True)
    closed_at = Column(DateTime, nullable=True)


class Note(Base):
    """An advisor's internal note on a case or a callback (never shown to the user)."""

    __tablename__ = "handoff_notes"
    id = Column(String(36), primary_key=True, default=new_id)
    subject_type = Column(String(10), nullable=False)  # "case" or "callback"
    subject_id = Column(String(36), nullable=False, index=True)
    advisor_id = Column(String(36), ForeignKey("handoff_advisors.id"), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class AuditEntry(Base):
    __tablename__ = "handoff_audit"
    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    advisor_id = Column(String(36), nullable=True)
    action = Column(String(40), nullable=False)
    subject_type = Column(String(10), nullable=True)
    subject_id = Column(String(36), nullable=True)
    detail = Column(String(300), nullable=True)


_engines: Dict[str, Engine] = {}
_factories: Dict[str, sessionmaker] = {}


def engine(url: Optional[str] = None) -> Engine:
    """The engine for ``url`` (default: VEIVISER_CASE_DB_URL), migrated on first use."""
    url = url or settings.db_url()
    if url not in _engines:
        kwargs = {"future": True, "pool_pre_ping": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 30}
        eng = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(eng, "connect", _sqlite_pragmas)
        from veiviser.handoff.migrations import migrate

        migrate(eng)
        _engines[url] = eng
        _factories[url] = sessionmaker(bind=eng, future=True, expire_on_commit=False)
    return _engines[url]


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@contextmanager
def session(url: Optional[str] = None) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back on error."""
    url = url or settings.db_url()
    engine(url)
    with _factories[url]() as s:
        with s.begin():
            yield s


def dispose(url: Optional[str] = None) -> None:
    """Forgets the engine (tests that drop a database)."""
    url = url or settings.db_url()
    eng = _engines.pop(url, None)
    _factories.pop(url, None)
    if eng is not None:
        eng.dispose()
