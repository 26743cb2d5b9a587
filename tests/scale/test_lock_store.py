"""The atomic Redis lock store against a real Redis (no model needed)."""
from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockError

from tests.scale.services import free_port, private_redis, require_redis, start_private_redis_on
from veiviser.stores.lock_store import AtomicRedisLockStore, EnvLockStore


@pytest.fixture(scope="module")
def redis_url() -> str:
    return require_redis()


@pytest.fixture
def prefix() -> str:
    return "test" + uuid.uuid4().hex[:12]


def _store(url: str, prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(url=url, key_prefix=prefix)


def test_tickets_from_two_stores_and_many_threads_are_unique_and_consecutive(redis_url, prefix):
    # Two store objects stand for two Rasa processes; threads issue at once.
    stores = [_store(redis_url, prefix), _store(redis_url, prefix)]
    issued, barrier = [], threading.Barrier(8)

    def issue(store):
        barrier.wait()
        for _ in range(25):
            issued.append(store.issue_ticket("conversation"))

    threads = [threading.Thread(target=issue, args=(stores[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(issued) == list(range(200))
    assert [t.number for t in stores[0].get_lock("conversation").tickets] == list(range(200))
    stores[0].delete_lock("conversation")


def test_concurrent_holders_of_one_conversation_never_overlap_and_go_in_ticket_order(
        redis_url, prefix):
    stores = [_store(redis_url, prefix), _store(redis_url, prefix)]
    log = []

    async def hold(i):
        async with stores[i % 2].lock("conversation") as lock:
            ticket = lock.now_serving
            log.append(("in", ticket))
            await asyncio.sleep(0.005)
            log.append(("out", ticket))

    async def main():
        await asyncio.gather(*(hold(i) for i in range(20)))

    asyncio.run(main())
    tickets = [t for kind, t in log if kind == "in"]
    assert tickets == list(range(20))
    # Strict alternation in/out of the same ticket: nobody overlapped.
    assert log == [(kind, t) for t in range(20) for kind in ("in", "out")]
    assert not stores[0].red.exists(stores[0]._key("conversation")), "lock left behind"


def test_other_conversations_are_not_blocked(redis_url, prefix):
    store = _store(redis_url, prefix)

    async def main():
        async with store.lock("a"):
            started = time.monotonic()
            async with store.lock("b"):
                return time.monotonic() - started

    assert asyncio.run(main()) < 0.2


def test_an_abandoned_ticket_expires_and_the_next_message_goes_on(redis_url, prefix):
    store = _store(redis_url, prefix)
    store.issue_ticket("conversation", lock_lifetime=0.3)  # a process died holding it

    async def main():
        started = time.monotonic()
        async with store.lock("conversation"):
            return time.monotonic() - started

    waited = asyncio.run(main())
    assert 0.2 <= waited < 2


def test_a_ticket_that_expired_while_waiting_raises_lock_error(redis_url, prefix):
    store = _store(redis_url, prefix)
    store.issue_ticket("conversation", lock_lifetime=5)
    mine = store.issue_ticket("conversation", lock_lifetime=0.1)
    time.sleep(0.2)
    assert store.ticket_state("conversation", mine) == -1
    with pytest.raises(LockError, match="expired"):
        asyncio.run(store._acquire_lock("conversation", mine, 0.01))
    store.delete_lock("conversation")


def test_releasing_the_last_ticket_removes_the_key_and_numbering_restarts(redis_url, prefix):
    store = _store(redis_url, prefix)
    first = store.issue_ticket("conversation")
    store.cleanup("conversation", first)
    assert not store.red.exists(store._key("conversation"))
    assert store.issue_ticket("conversation") == 0
    assert 0 < store.red.pttl(store._key("conversation")) <= 61_000
    store.delete_lock("conversation")


def test_redis_down_gives_a_clear_lock_error_and_recovers_when_it_returns():
    port = free_port()
    process = start_private_redis_on(port)
    store = AtomicRedisLockStore(url=f"redis://127.0.0.1:{port}/0", key_prefix="fault",
                                 socket_timeout=0.5)
    try:
        async def one():
            async with store.lock("conversation"):
                return True

        assert asyncio.run(one())
        process.terminate()
        process.wait(timeout=10)
        with pytest.raises(LockError, match="Redis lock store unavailable"):
            asyncio.run(one())
        process = start_private_redis_on(port)
        assert asyncio.run(one()), "no recovery after Redis came back"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_env_lock_store_is_in_memory_without_redis_url_and_atomic_with_it(monkeypatch, redis_url):
    monkeypatch.delenv("VEIVISER_REDIS_URL", raising=False)
    assert isinstance(EnvLockStore(), InMemoryLockStore)
    monkeypatch.setenv("VEIVISER_REDIS_URL", redis_url)
    monkeypatch.setenv("VEIVISER_REDIS_KEY_PREFIX", "envtest")
    store = EnvLockStore()
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == "envtest:lock:"


def test_private_redis_helper_serves(prefix):
    with private_redis() as url:
        store = _store(url, prefix)
        assert store.issue_ticket("x") == 0
