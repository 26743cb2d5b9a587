"""Retention: conversations are deleted after a fixed period (case 39).

    .venv/bin/python -m veiviser.retention            # or: make retention
    .venv/bin/python -m veiviser.retention --days 30 --db-url sqlite:///rasa.db

A conversation whose latest event is older than ``VEIVISER_RETENTION_DAYS``
(default 30) is deleted from Rasa's SQL tracker store (the ``events``
table; SQLite by default, PostgreSQL through the same SQLAlchemy code).
Further purgers run after it when their module is installed: the handoff
case database (``veiviser.handoff.retention.purge_closed_before(cutoff)``).

The same purge runs inside the Rasa process every
``VEIVISER_RETENTION_INTERVAL_S`` seconds (default 3600), started by the
socket.io channel, and "Slett samtalen" in the widget calls
:func:`delete_conversation` for one session at once.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Tuple

import sqlalchemy as sa

from veiviser.stores import configured_store

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30
EVENTS_TABLE = "events"
# Modules that may offer purge_closed_before(cutoff) / purge_sender(sender_id).
FURTHER_PURGERS = ("veiviser.handoff.retention",)


def retention_days() -> float:
    return float(os.environ.get("VEIVISER_RETENTION_DAYS", str(DEFAULT_DAYS)))


def tracker_db_url() -> str:
    """The tracker store's database URL, as scripts/run.sh configures it."""
    url = os.environ.get("VEIVISER_TRACKER_DB_URL")
    if url:
        return url
    return "sqlite:///" + os.path.abspath(os.environ.get("TRACKER_DB", "rasa.db"))


def _events(engine: sa.engine.Engine) -> Optional[sa.Table]:
    metadata = sa.MetaData()
    try:
        return sa.Table(EVENTS_TABLE, metadata, autoload_with=engine)
    except sa.exc.NoSuchTableError:
        return None


def purge_conversations_before(engine: sa.engine.Engine, cutoff: float) -> int:
    """Deletes every conversation whose latest event is older than ``cutoff``
    (a Unix timestamp). Returns the number of deleted events."""
    events = _events(engine)
    if events is None:
        return 0
    stale = (sa.select(events.c.sender_id).group_by(events.c.sender_id)
             .having(sa.func.max(events.c.timestamp) < cutoff))
    with engine.begin() as connection:
        result = connection.execute(events.delete().where(events.c.sender_id.in_(stale)))
    return int(result.rowcount or 0)


def delete_events_of(engine: sa.engine.Engine, sender_id: str) -> int:
    events = _events(engine)
    if events is None:
        return 0
    with engine.begin() as connection:
        result = connection.execute(events.delete().where(events.c.sender_id == sender_id))
    return int(result.rowcount or 0)


def _further(function: str) -> List[Tuple[str, Callable[..., int]]]:
    found = []
    for name in FURTHER_PURGERS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        purger = getattr(module, function, None)
        if callable(purger):
            found.append((f"{name}.{function}", purger))
    return found


@dataclass
class PurgeReport:
    cutoff: float
    deleted: Dict[str, int] = field(default_factory=dict)


def run_retention(engine: sa.engine.Engine, days: Optional[float] = None,
                  now: Optional[float] = None) -> PurgeReport:
    days = retention_days() if days is None else days
    cutoff = (time.time() if now is None else now) - days * 86400
    report = PurgeReport(cutoff)
    report.deleted["tracker_events"] = purge_conversations_before(engine, cutoff)
    for name, purger in _further("purge_closed_before"):
        report.deleted[name] = int(purger(datetime.fromtimestamp(cutoff, timezone.utc)) or 0)
    return report


def delete_conversation(engine: sa.engine.Engine, sender_id: str) -> int:
    """Deletes one conversation everywhere at once ("Slett samtalen")."""
    deleted = delete_events_of(engine, sender_id)
    for _, purger in _further("purge_sender"):
        deleted += int(purger(sender_id) or 0)
    return deleted


def engine_of(tracker_store: Any) -> Optional[sa.engine.Engine]:
    """The SQLAlchemy engine of Rasa's SQL tracker store (unwrapping FailSafe)."""
    return getattr(configured_store(tracker_store), "engine", None)


async def run_periodically(get_engine: Callable[[], Optional[sa.engine.Engine]],
                           interval_s: Optional[float] = None) -> None:
    """The scheduled purge inside the Rasa process; never raises."""
    interval = interval_s or float(os.environ.get("VEIVISER_RETENTION_INTERVAL_S", "3600"))
    while True:
        engine = get_engine()
        if engine is not None:
            try:
                report = await asyncio.get_running_loop().run_in_executor(None, run_retention, engine)
                logger.info("Retention: %s", report.deleted)
            except Exception as error:
                logger.error("Retention run failed: %s", type(error).__name__)
        await asyncio.sleep(interval)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description="Delete conversations older than the retention period.")
    parser.add_argument("--days", type=float, default=None,
                        help=f"retention in days (VEIVISER_RETENTION_DAYS, default {DEFAULT_DAYS})")
    parser.add_argument("--db-url", default=None,
                        help="tracker store URL (VEIVISER_TRACKER_DB_URL, or sqlite:///$TRACKER_DB)")
    args = parser.parse_args(argv)
    engine = sa.create_engine(args.db_url or tracker_db_url())
    report = run_retention(engine, args.days)
    print(f"Slettet eldre enn {time.strftime('%Y-%m-%d %H:%M', time.localtime(report.cutoff))}: "
          + ", ".join(f"{k}: {v}" for k, v in report.deleted.items()))


if __name__ == "__main__":
    main()
