"""Rasa's SQL tracker store, on the database the environment names.

endpoints.yml names `EnvSQLTrackerStore` with the embedded default (a SQLite
file, `db: ${TRACKER_DB}`). With `VEIVISER_DATABASE_URL` set (for example
`postgresql://veiviser@127.0.0.1:5432/veiviser`) the same store keeps its
conversations on that server instead, which several Rasa processes share.
The database is created on first start when the role may create databases.

Differences from a plain `type: SQL` store: SQLite runs in WAL mode (see
`_sqlite_wal`); and, for PostgreSQL:
- the connection pool checks each connection before use (`pool_pre_ping`),
  so after a database restart Rasa reconnects on the next message instead of
  failing on every stale pooled connection;
- the URL comes from one variable (password included) rather than from
  fields of a file in the repository.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain

from veiviser.stores import rasa_speedups
from veiviser.stores.database import DATABASE_URL_ENV, ensure_database, redacted

logger = logging.getLogger(__name__)

# Every `rasa run` with our endpoints.yml imports this module: the place to
# install the per-process speed-ups (veiviser/stores/rasa_speedups.py).
rasa_speedups.install()


def _sqlite_wal(dbapi_connection, _record) -> None:
    """WAL journal, fsync at checkpoints instead of at every commit.

    Rasa commits after every message; with SQLite's default journal each
    commit waits for fsync (12 % of a loaded process's CPU time, py-spy).
    WAL with synchronous=NORMAL stays consistent after a crash; a power cut
    can lose the last few commits.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class EnvSQLTrackerStore(SQLTrackerStore):
    """SQLite file by default; the server in `VEIVISER_DATABASE_URL` if set."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        db: Text = "rasa.db",
        event_broker: Optional[EventBroker] = None,
        **kwargs: Dict[Text, Any],
    ) -> None:
        url = os.environ.get(DATABASE_URL_ENV)
        if not url:
            super().__init__(domain=domain, dialect="sqlite", db=db,
                             event_broker=event_broker, **kwargs)
            sa.event.listen(self.engine, "connect", _sqlite_wal)
            self.engine.dispose()  # reconnect with the pragmas
            return

        ensure_database(url)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        # Same engine settings as Rasa's, plus a liveness check per checkout.
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        logger.info("Tracker store on %s.", redacted(url))
