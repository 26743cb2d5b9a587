"""Fixtures for the handoff tests: a fresh case database (SQLite, and
PostgreSQL on 127.0.0.1:5432 when reachable), opening-hours files."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

PG_BASE = os.environ.get("VEIVISER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")

ALWAYS_OPEN = """
timezone: Europe/Oslo
closed_on_public_holidays: false
weekly:
  monday: [["00:00", "24:00"]]
  tuesday: [["00:00", "24:00"]]
  wednesday: [["00:00", "24:00"]]
  thursday: [["00:00", "24:00"]]
  friday: [["00:00", "24:00"]]
  saturday: [["00:00", "24:00"]]
  sunday: [["00:00", "24:00"]]
"""
NEVER_OPEN = "timezone: Europe/Oslo\nweekly: {}\n"


def _postgres_schema_url():
    """A URL with its own throw-away schema, or a skip/fail reason."""
    from sqlalchemy import create_engine, text

    try:
        eng = create_engine(PG_BASE, future=True, connect_args={"connect_timeout": 3})
        schema = "handoff_test_" + secrets.token_hex(4)
        with eng.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # noqa: BLE001 - any connection problem means "unreachable"
        return None, None, f"PostgreSQL at {PG_BASE} unreachable: {error.__class__.__name__}"
    return eng, schema, f"{PG_BASE}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def case_db(request, tmp_path, monkeypatch):
    from veiviser.handoff import db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cases.db'}"
        monkeypatch.setenv("VEIVISER_CASE_DB_URL", url)
        yield url
        db.dispose(url)
        return
    eng, schema, url = _postgres_schema_url()
    if eng is None:
        if os.environ.get("CI") == "true":
            pytest.fail(url)
        pytest.skip(url)
    monkeypatch.setenv("VEIVISER_CASE_DB_URL", url)
    try:
        yield url
    finally:
        from sqlalchemy import text

        db.dispose(url)
        with eng.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        eng.dispose()


@pytest.fixture
def sqlite_db(tmp_path, monkeypatch):
    from veiviser.handoff import db

    url = f"sqlite:///{tmp_path / 'cases.db'}"
    monkeypatch.setenv("VEIVISER_CASE_DB_URL", url)
    yield url
    db.dispose(url)


def _hours(tmp_path: Path, monkeypatch, text: str) -> Path:
    path = tmp_path / "hours.yml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("VEIVISER_HANDOFF_HOURS", str(path))
    return path


@pytest.fixture
def always_open(tmp_path, monkeypatch) -> Path:
    return _hours(tmp_path, monkeypatch, ALWAYS_OPEN)


@pytest.fixture
def never_open(tmp_path, monkeypatch) -> Path:
    return _hours(tmp_path, monkeypatch, NEVER_OPEN)


def make_advisor(username: str = "anna", password: str = "riktig-passord-123", name: str = "Anna Veileder") -> str:
    from veiviser.console.accounts import create

    return create(username, name, password)


def sign_in_now(advisor_username: str = "anna", password: str = "riktig-passord-123") -> str:
    from veiviser.console.auth import sign_in

    token = sign_in(advisor_username, password)
    assert token
    return token
