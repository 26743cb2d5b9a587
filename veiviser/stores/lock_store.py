"""A Redis ticket lock whose every step is one atomic Redis operation.

Rasa 3.6's `RedisLockStore` issues a ticket by reading the lock (GET),
appending a ticket in Python and writing it back (SET). Two Rasa processes
that receive messages of the same conversation at the same instant both read
"no tickets", both take ticket 0 and process the messages at the same time;
measured on these machines, ten simultaneous messages kept only 4-7 of 10
user events. Here issue, check and release are Lua scripts, which Redis runs
atomically: tickets are unique and served strictly in the order issued.

Layout: one hash per conversation, `<prefix>lock:<conversation id>`, with the
field `next` (the next ticket number, HINCRBY) and one field `t<number>` per
waiting or served ticket whose value is its expiry in milliseconds of Redis
server time (so the clocks of the Rasa hosts do not matter). The hash expires
by itself shortly after its last ticket, and is deleted when the last ticket
is released (the numbering then starts again at 0).

`EnvLockStore` is what endpoints.yml names: with `VEIVISER_REDIS_URL` set it
is this store, otherwise Rasa's in-memory lock store (the single-process
default).
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Dict, Optional, Text

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

REDIS_URL_ENV = "VEIVISER_REDIS_URL"
KEY_PREFIX_ENV = "VEIVISER_REDIS_KEY_PREFIX"
DEFAULT_KEY_PREFIX = "veiviser:"
# Between two checks of a waiting message. Rasa's default of 1 s would add up
# to a second to every message that arrives while another of the same
# conversation is being processed.
DEFAULT_POLL_INTERVAL = 0.01
MAX_POLL_INTERVAL = 0.05
# The store talks to Redis synchronously inside Rasa's event loop: a hung
# Redis must not freeze every conversation of the process for long.
DEFAULT_SOCKET_TIMEOUT = 2.0

# Server time in milliseconds (Redis 5+ replicates script effects, so TIME is
# allowed before writes).
_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS[1] lock hash; ARGV[1] lifetime in ms. Returns the new ticket number.
_ISSUE = _NOW + """
local lifetime = tonumber(ARGV[1])
local number = redis.call('HINCRBY', KEYS[1], 'next', 1) - 1
redis.call('HSET', KEYS[1], 't' .. number, now + lifetime)
local ttl = redis.call('PTTL', KEYS[1])
if ttl < lifetime + 1000 then
  redis.call('PEXPIRE', KEYS[1], lifetime + 1000)
end
return number
"""

# KEYS[1] lock hash; ARGV[1] ticket. Drops expired tickets; returns 1 when
# the ticket is the lowest one left (its turn), 0 when it must wait, -1 when
# it no longer exists (expired or never issued).
_CHECK = _NOW + """
local ticket = tonumber(ARGV[1])
local fields = redis.call('HGETALL', KEYS[1])
local lowest = nil
local present = false
for i = 1, #fields, 2 do
  local name = fields[i]
  if string.sub(name, 1, 1) == 't' then
    local number = tonumber(string.sub(name, 2))
    if tonumber(fields[i + 1]) < now then
      redis.call('HDEL', KEYS[1], name)
    else
      if number == ticket then present = true end
      if lowest == nil or number < lowest then lowest = number end
    end
  end
end
if not present then return -1 end
if lowest == ticket then return 1 end
return 0
"""

# KEYS[1] lock hash; ARGV[1] ticket. Removes the ticket; deletes the hash when
# no ticket is left. Returns the number of tickets left.
_RELEASE = """
redis.call('HDEL', KEYS[1], 't' .. ARGV[1])
local left = 0
for _, name in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(name, 1, 1) == 't' then left = left + 1 end
end
if left == 0 then redis.call('DEL', KEYS[1]) end
return left
"""


class AtomicRedisLockStore(RedisLockStore):
    """Ticket lock store on Redis with atomic issue, check and release.

    Usable directly in endpoints.yml:

        lock_store:
          type: veiviser.stores.lock_store.AtomicRedisLockStore
          url: redis://127.0.0.1:6379/1
          key_prefix: veiviser
    """

    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        url: Optional[Text] = None,
        key_prefix: Optional[Text] = None,
        poll_interval: Optional[float] = None,
        socket_timeout: Optional[float] = None,
    ) -> None:
        import redis

        options: Dict[Text, Any] = dict(endpoint_config.kwargs) if endpoint_config else {}
        url = url or (endpoint_config.url if endpoint_config else None) or os.environ.get(REDIS_URL_ENV)
        if not url:
            raise ValueError(f"AtomicRedisLockStore needs a Redis URL (set {REDIS_URL_ENV}).")
        timeout = float(socket_timeout or options.get("socket_timeout") or DEFAULT_SOCKET_TIMEOUT)
        # Not RedisLockStore.__init__: that one builds its client from
        # host/port; ours comes from a URL (db, password and TLS included).
        LockStore.__init__(self)
        self.red = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        prefix = key_prefix or options.get("key_prefix") or os.environ.get(KEY_PREFIX_ENV)
        self.key_prefix = f"{prefix}:lock:" if prefix else f"{DEFAULT_KEY_PREFIX}lock:"
        self.poll_interval = float(
            poll_interval or options.get("poll_interval") or DEFAULT_POLL_INTERVAL
        )
        self._issue = self.red.register_script(_ISSUE)
        self._check = self.red.register_script(_CHECK)
        self._release = self.red.register_script(_RELEASE)
        logger.debug("Atomic Redis lock store on %s with key prefix '%s'.",
                     self.red.connection_pool.connection_kwargs.get("host"), self.key_prefix)

    def _key(self, conversation_id: Text) -> Text:
        return self.key_prefix + conversation_id

    # The three atomic steps.

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issues the next ticket of `conversation_id` (atomic INCR in Lua)."""
        try:
            return int(self._issue(keys=[self._key(conversation_id)],
                                   args=[int(lock_lifetime * 1000)]))
        except Exception as error:
            raise LockError(
                f"Could not issue a lock ticket for conversation '{conversation_id}': "
                f"Redis lock store unavailable ({error})."
            ) from error

    def ticket_state(self, conversation_id: Text, ticket: int) -> int:
        """1: the ticket's turn; 0: wait; -1: the ticket has expired."""
        try:
            return int(self._check(keys=[self._key(conversation_id)], args=[ticket]))
        except Exception as error:
            raise LockError(
                f"Could not check lock ticket {ticket} of conversation '{conversation_id}': "
                f"Redis lock store unavailable ({error})."
            ) from error

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Releases `ticket_number`; the next ticket's holder may go on."""
        try:
            self._release(keys=[self._key(conversation_id)], args=[ticket_number])
        except Exception as error:
            # The ticket expires by itself after its lifetime; the waiting
            # messages of this conversation are delayed until then.
            logger.error("Could not release lock ticket %s of conversation '%s': %s",
                         ticket_number, conversation_id, error)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Release and cleanup are one step here (the last release deletes)."""
        self.finish_serving(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: Optional[float] = None,
    ) -> AsyncGenerator[TicketLock, None]:
        """Holds the conversation's lock; waits for earlier tickets first."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            self.cleanup(conversation_id, ticket)

    async def _acquire_lock(
        self, conversation_id: Text, ticket: int, wait_time_in_seconds: Optional[float]
    ) -> TicketLock:
        interval = wait_time_in_seconds or self.poll_interval
        while True:
            state = self.ticket_state(conversation_id, ticket)
            if state == 1:
                logger.debug("Acquired lock for conversation '%s' (ticket %s).",
                             conversation_id, ticket)
                return TicketLock(conversation_id,
                                  deque([Ticket(ticket, time.time() + LOCK_LIFETIME)]))
            if state == -1:
                raise LockError(
                    f"Lock ticket {ticket} of conversation '{conversation_id}' expired "
                    f"while waiting for earlier messages."
                )
            await asyncio.sleep(interval)
            # Back off gently while an earlier message is still processed.
            interval = min(interval * 1.5, max(MAX_POLL_INTERVAL, interval))

    # The rest of the LockStore interface, for inspection and tools.

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """The conversation's live tickets as a `TicketLock` (None if none)."""
        fields = self.red.hgetall(self._key(conversation_id))
        server_seconds, micros = self.red.time()
        now_ms = server_seconds * 1000 + micros // 1000
        tickets = sorted(
            (int(name[1:]), int(value))
            for name, value in ((k.decode(), v.decode()) for k, v in fields.items())
            if name.startswith("t") and int(value) >= now_ms
        )
        if not tickets:
            return None
        # Ticket expiry in the TicketLock is local epoch seconds.
        offset = time.time() - now_ms / 1000
        return TicketLock(
            conversation_id,
            deque(Ticket(number, expires / 1000 + offset) for number, expires in tickets),
        )

    def is_someone_waiting(self, conversation_id: Text) -> bool:
        return self.get_lock(conversation_id) is not None

    def delete_lock(self, conversation_id: Text) -> None:
        deleted = self.red.delete(self._key(conversation_id))
        self._log_deletion(conversation_id, bool(deleted))

    def save_lock(self, lock: TicketLock) -> None:
        """Replaces the conversation's tickets with `lock`'s, in one transaction."""
        server_seconds, micros = self.red.time()
        offset_ms = server_seconds * 1000 + micros // 1000 - time.time() * 1000
        mapping = {f"t{t.number}": int(t.expires * 1000 + offset_ms) for t in lock.tickets}
        mapping["next"] = lock.last_issued + 1
        key = self._key(lock.conversation_id)
        with self.red.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=mapping)
            pipe.pexpire(key, int(LOCK_LIFETIME * 1000) + 1000)
            pipe.execute()


class EnvLockStore(LockStore):
    """The lock store the environment asks for.

    `VEIVISER_REDIS_URL` set: `AtomicRedisLockStore` on that Redis (several
    Rasa processes). Unset: Rasa's `InMemoryLockStore` (one process).
    """

    def __new__(cls, endpoint_config: Optional[EndpointConfig] = None) -> LockStore:  # type: ignore[misc]
        url = os.environ.get(REDIS_URL_ENV)
        if url:
            return AtomicRedisLockStore(endpoint_config=endpoint_config, url=url)
        return InMemoryLockStore()
