"""Retention (case 39): old conversations are deleted from the SQL tracker
store, recent ones stay; the CLI and further purgers; the log filter (40)."""
from __future__ import annotations

import logging
import subprocess
import sys
from datetime import datetime, timezone
import time
import types
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from veiviser import retention
from veiviser.privacy import logfilter

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400


async def make_store(path: Path, conversations):
    """conversations: {sender_id: age of its latest event in days}."""
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    now = time.time()
    for sender, age_days in conversations.items():
        tracker = DialogueStateTracker.from_events(sender, [
            UserUttered("første", timestamp=now - age_days * DAY - 3600),
            UserUttered("siste", timestamp=now - age_days * DAY)])
        await store.save(tracker)
    return store


def senders(engine) -> set:
    with engine.connect() as connection:
        return {row[0] for row in connection.exec_driver_sql("SELECT DISTINCT sender_id FROM events")}


async def test_conversations_older_than_the_period_are_deleted(tmp_path):
    store = await make_store(tmp_path / "t.db", {"old": 45, "edge": 31, "recent": 2, "today": 0})
    report = retention.run_retention(store.engine, days=30)
    assert senders(store.engine) == {"recent", "today"}
    assert report.deleted["tracker_events"] > 0


async def test_a_conversation_still_active_is_kept_whole(tmp_path):
    store = await make_store(tmp_path / "t.db", {"active": 0})
    tracker = await store.retrieve("active")
    tracker.update(UserUttered("gammel", timestamp=time.time() - 90 * DAY))
    await store.save(tracker)
    retention.run_retention(store.engine, days=30)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM events").scalar() >= 3


async def test_delete_conversation_removes_every_row_of_one_sender(tmp_path):
    store = await make_store(tmp_path / "t.db", {"a": 0, "b": 0})
    assert retention.delete_conversation(store.engine, "a") > 0
    assert senders(store.engine) == {"b"}


async def test_the_cli_purges_by_database_url(tmp_path):
    db = tmp_path / "cli.db"
    store = await make_store(db, {"old": 40, "new": 1})
    store.engine.dispose()
    result = subprocess.run([sys.executable, "-m", "veiviser.retention", "--days", "30",
                             "--db-url", f"sqlite:///{db}"], cwd=ROOT, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert senders(sa.create_engine(f"sqlite:///{db}")) == {"new"}


def test_an_empty_database_is_fine(tmp_path, monkeypatch):
    monkeypatch.setattr(retention, "FURTHER_PURGERS", ())  # only the tracker store here
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert retention.run_retention(engine, days=30).deleted == {"tracker_events": 0}


async def test_further_purgers_are_called_when_installed(tmp_path, monkeypatch):
    calls = []
    module = types.ModuleType("veiviser_test_purger")
    module.purge_closed_before = lambda cutoff: calls.append(("closed", cutoff)) or 3
    module.purge_sender = lambda sender: calls.append(("sender", sender)) or 1
    monkeypatch.setitem(sys.modules, "veiviser_test_purger", module)
    monkeypatch.setattr(retention, "FURTHER_PURGERS", ("veiviser_test_purger", "no.such.module"))
    store = await make_store(tmp_path / "t.db", {"x": 0})
    report = retention.run_retention(store.engine, days=30, now=1_000_000)
    cutoff = datetime.fromtimestamp(1_000_000 - 30 * DAY, timezone.utc)
    assert ("closed", cutoff) in calls
    assert report.deleted["veiviser_test_purger.purge_closed_before"] == 3
    assert retention.delete_conversation(store.engine, "x") >= 1 + 2
    assert ("sender", "x") in calls


def test_log_records_are_redacted(caplog):
    logfilter.install()
    logger = logging.getLogger("rasa.core.channels.rest")
    with caplog.at_level(logging.DEBUG):
        logger.error("rest.message.received.failure text=%s", "Per har fnr 31129956715, tlf 41234567")
        try:
            raise ValueError("ola@skole.no")
        except ValueError:
            logger.exception("failed for %s", "Storgata 12")
    text = caplog.text
    for secret in ("31129956715", "41234567", "ola@skole.no", "Storgata 12", "Per har"):
        assert secret not in text
    assert "[fødselsnummer]" in text and "[e-post]" in text
