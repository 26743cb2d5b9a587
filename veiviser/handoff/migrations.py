"""Versioned schema steps for the case database (alembic is not installed).

Each step has a number and is applied once, in order, inside a transaction;
``handoff_schema_version`` records what was applied. Add a step at the end;
never change an applied one. Applied at the start of every process that
opens the database and by ``python -m veiviser.handoff.migrations [URL]``.
"""
from __future__ import annotations

import sys
from typing import Callable, List, Tuple

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

Step = Tuple[int, str, Callable[[Connection], None]]


def _create_tables(*names: str) -> Callable[[Connection], None]:
    def apply(conn: Connection) -> None:
        from veiviser.handoff.db import Base

        tables = [Base.metadata.tables[name] for name in names]
        Base.metadata.create_all(conn, tables=tables)

    return apply


STEPS: List[Step] = [
    (
        1,
        "advisors, sessions, cases, callbacks, notes, audit log",
        _create_tables(
            "handoff_advisors", "handoff_sessions", "handoff_cases",
            "handoff_callbacks", "handoff_notes", "handoff_audit",
        ),
    ),
]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("handoff_schema_version"):
        return 0
    return conn.execute(text("SELECT COALESCE(MAX(version), 0) FROM handoff_schema_version")).scalar() or 0


def migrate(engine: Engine) -> int:
    """Applies the missing steps; returns the schema version."""
    from veiviser.handoff.db import SchemaVersion, utcnow

    with engine.begin() as conn:
        SchemaVersion.__table__.create(conn, checkfirst=True)
    version = 0
    for number, description, apply in STEPS:
        try:
            with engine.begin() as conn:
                version = current_version(conn)
                if number <= version:
                    continue
                apply(conn)
                conn.execute(
                    SchemaVersion.__table__.insert().values(
                        version=number, description=description, applied_at=utcnow()
                    )
                )
                version = number
        except DBAPIError:
            # Another process applied the same step at the same moment.
            with engine.connect() as conn:
                version = current_version(conn)
            if version < number:
                raise
    return version


def main(argv: List[str]) -> int:
    from veiviser.handoff import db, settings

    url = argv[0] if argv else settings.db_url()
    eng = db.engine(url)
    with eng.connect() as conn:
        print(f"Skjemaversjon {current_version(conn)} ({len(STEPS)} steg kjent)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
