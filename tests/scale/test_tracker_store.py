"""The environment-selected SQL tracker store on SQLite and on PostgreSQL."""
from __future__ import annotations

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.scale.services import POSTGRES_URL, throwaway_database
from veiviser.stores.database import ensure_database
from veiviser.stores.tracker_store import EnvSQLTrackerStore


def _round_trip(store: EnvSQLTrackerStore) -> DialogueStateTracker:
    sender = str(uuid.uuid4())
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("hei", {"name": "greet", "confidence": 1.0}))

    async def go():
        await store.save(tracker)
        return await store.retrieve(sender)

    return asyncio.run(go())


def test_without_database_url_it_is_the_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("VEIVISER_DATABASE_URL", raising=False)
    db = tmp_path / "rasa.db"
    store = EnvSQLTrackerStore(domain=Domain.empty(), db=str(db))
    assert store.engine.dialect.name == "sqlite"
    assert _round_trip(store).latest_message.text == "hei"
    assert db.exists()


@pytest.fixture(scope="module")
def database_url():
    with throwaway_database() as url:
        yield url


def test_with_database_url_it_is_postgresql(monkeypatch, tmp_path, database_url):
    monkeypatch.setenv("VEIVISER_DATABASE_URL", database_url)
    store = EnvSQLTrackerStore(domain=Domain.empty(), db=str(tmp_path / "unused.db"))
    assert store.engine.dialect.name == "postgresql"
    assert _round_trip(store).latest_message.text == "hei"
    assert not (tmp_path / "unused.db").exists()


def test_the_store_reconnects_after_the_server_dropped_its_connections(monkeypatch, database_url):
    # What a PostgreSQL restart does to the pool, without stopping the
    # machine's shared server: every backend of our database is terminated.
    monkeypatch.setenv("VEIVISER_DATABASE_URL", database_url)
    store = EnvSQLTrackerStore(domain=Domain.empty())
    _round_trip(store)
    name = sa.engine.make_url(database_url).database
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        killed = connection.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :n"
        ), {"n": name}).scalar()
    admin.dispose()
    assert killed >= 1
    assert _round_trip(store).latest_message.text == "hei"


def test_a_missing_database_is_created_on_first_start(monkeypatch):
    with throwaway_database() as url:
        name = sa.engine.make_url(url).database + "_new"
        new_url = str(sa.engine.make_url(url).set(database=name))
        admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        try:
            assert ensure_database(new_url) is True
            assert ensure_database(new_url) is False
            monkeypatch.setenv("VEIVISER_DATABASE_URL", new_url)
            store = EnvSQLTrackerStore(domain=Domain.empty())
            assert _round_trip(store).latest_message.intent["name"] == "greet"
            store.engine.dispose()
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
