"""The PostgreSQL database named by `VEIVISER_DATABASE_URL`."""
from __future__ import annotations

import logging
import re
from typing import Text

import sqlalchemy as sa

logger = logging.getLogger(__name__)

DATABASE_URL_ENV = "VEIVISER_DATABASE_URL"
MAINTENANCE_DB = "postgres"
_SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def redacted(url: Text) -> Text:
    """The URL without its password, for logs."""
    return repr(sa.engine.make_url(url))


def ensure_database(url: Text) -> bool:
    """Creates the URL's PostgreSQL database if it does not exist.

    Returns True when it was created. Other dialects, a role without the
    right to create databases, or an unreachable server are left to the
    caller's own connection (which reports them); nothing is raised here.
    """
    parsed = sa.engine.make_url(url)
    if not parsed.drivername.startswith("postgresql") or not parsed.database:
        return False
    name = parsed.database
    if not _SAFE_NAME.match(name):
        logger.warning("Database name '%s' is not created automatically.", name)
        return False
    engine = sa.create_engine(parsed.set(database=MAINTENANCE_DB),
                              isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists:
                return False
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
            logger.info("Created database '%s'.", name)
            return True
    except sa.exc.SQLAlchemyError as error:
        logger.warning("Could not check or create database '%s': %s", name, error)
        return False
    finally:
        engine.dispose()
