"""Access to the PostgreSQL and Redis the scale tests use, and free ports.

Both services are the machine's own on loopback (127.0.0.1:5432 trust auth,
127.0.0.1:6379), overridable with VEIVISER_TEST_POSTGRES_URL (a URL of a
database the role may log in to, used to create and drop throwaway
databases) and VEIVISER_TEST_REDIS_URL. Unreachable services skip the tests
with the reason, except under CI=true, where they fail.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get("VEIVISER_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("VEIVISER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the scale tests must run)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_redis(url: str = REDIS_URL) -> str:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # any failure to reach it
        unavailable(f"Redis is not reachable at {url}: {error}")
    return url


@contextmanager
def throwaway_database() -> Iterator[str]:
    """URL of a new, empty PostgreSQL database; dropped afterwards."""
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:
        admin.dispose()
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    name = "veiviser_test_" + uuid.uuid4().hex[:12]
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(sa.engine.make_url(POSTGRES_URL).set(database=name))
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def private_redis() -> Iterator[str]:
    """A redis-server of our own on a spare port (for fault tests)."""
    binary = shutil.which("redis-server")
    if not binary:
        unavailable("redis-server is not installed (needed for the Redis fault test)")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="veiviser-redis-")
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
               "--appendonly", "no", "--dir", workdir]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_redis(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_for_redis(url: str, process: subprocess.Popen, seconds: float = 10) -> None:
    import redis

    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("redis-server stopped at start")
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            return
        except Exception:
            time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer at {url}")


def start_private_redis_on(port: int) -> subprocess.Popen:
    """Starts (or restarts) a private redis-server on a given port."""
    workdir = tempfile.mkdtemp(prefix="veiviser-redis-")
    process = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1", "--port",
         str(port), "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_redis(f"redis://127.0.0.1:{port}/0", process)
    return process
