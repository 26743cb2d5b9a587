"""Closed-loop load over REST: N simulated practitioners, each holding
conversations turn by turn (the next turn after the previous reply, plus an
optional think time). Bounded by a message count and a time limit."""
from __future__ import annotations

import asyncio
import json
import math
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import aiohttp
import yaml

CONVERSATIONS_FILE = Path(__file__).with_name("conversations.yml")


def conversations() -> List[List[str]]:
    return yaml.safe_load(CONVERSATIONS_FILE.read_text(encoding="utf-8"))["conversations"]


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[rank]


@dataclass
class LoadResult:
    label: str
    users: int
    latencies_ms: List[float] = field(default_factory=list)
    errors: Dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    upstreams: Dict[str, int] = field(default_factory=dict)

    @property
    def messages(self) -> int:
        return len(self.latencies_ms)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def throughput(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def row(self) -> Dict[str, object]:
        lat = self.latencies_ms
        return {
            "label": self.label, "users": self.users, "messages": self.messages,
            "seconds": round(self.seconds, 1), "msg_per_s": round(self.throughput, 1),
            "p50_ms": round(percentile(lat, 50)), "p95_ms": round(percentile(lat, 95)),
            "p99_ms": round(percentile(lat, 99)), "errors": self.error_count,
            "error_kinds": dict(self.errors), "upstreams": dict(self.upstreams),
        }


async def _turn(session: aiohttp.ClientSession, url: str, sender: str, text: str,
                result: LoadResult, timeout: float) -> Optional[float]:
    started = time.perf_counter()
    try:
        async with session.post(f"{url}?vv_sid={sender}", json={"sender": sender, "message": text},
                                timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            body = await response.read()
            elapsed = (time.perf_counter() - started) * 1000
            upstream = response.headers.get("X-Veiviser-Upstream")
            if upstream:
                result.upstreams[upstream] = result.upstreams.get(upstream, 0) + 1
            if response.status != 200:
                result.error(f"http {response.status}")
                return None
            replies = json.loads(body)
            # Rasa's REST channel answers 200 with [] when processing failed
            # (it logs the exception): every benchmark turn has a reply.
            if not replies:
                result.error("empty reply")
                return None
            return elapsed
    except asyncio.TimeoutError:
        result.error("timeout")
    except aiohttp.ClientError as error:
        result.error(type(error).__name__)
    return None


async def run_level(url: str, users: int, max_messages: int, max_seconds: float,
                    label: str = "", think_seconds: float = 0.0,
                    timeout: float = 30.0) -> LoadResult:
    """`users` practitioners at once until `max_messages` or `max_seconds`."""
    result = LoadResult(label, users)
    dialogues = conversations()
    sent = 0
    started = time.perf_counter()
    deadline = started + max_seconds

    async def user(index: int, session: aiohttp.ClientSession) -> None:
        nonlocal sent
        n = index
        while True:
            dialogue = dialogues[n % len(dialogues)]
            sender = f"bench-{uuid.uuid4().hex[:16]}"
            for text in dialogue:
                if sent >= max_messages or time.perf_counter() >= deadline:
                    return
                sent += 1
                latency = await _turn(session, url, sender, text, result, timeout)
                if latency is not None:
                    result.latencies_ms.append(latency)
                if think_seconds:
                    await asyncio.sleep(think_seconds)
            n += users

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(user(i, session) for i in range(users)))
    result.seconds = time.perf_counter() - started
    return result


async def long_conversation(url: str, turns: int, conversations_count: int = 3) -> Dict[str, float]:
    """Latency per turn of `turns`-turn conversations, one at a time."""
    texts = [t for dialogue in conversations() for t in dialogue]
    per_turn: List[List[float]] = [[] for _ in range(turns)]
    result = LoadResult("long", 1)
    async with aiohttp.ClientSession() as session:
        for _ in range(conversations_count):
            sender = f"bench-long-{uuid.uuid4().hex[:12]}"
            for turn in range(turns):
                latency = await _turn(session, url, sender, texts[turn % len(texts)], result, 60)
                if latency is not None:
                    per_turn[turn].append(latency)
    first = [x for row in per_turn[:5] for x in row]
    last = [x for row in per_turn[-5:] for x in row]
    return {
        "turns": turns, "conversations": conversations_count,
        "turn_1_5_median_ms": round(percentile(first, 50), 1),
        f"turn_{turns - 4}_{turns}_median_ms": round(percentile(last, 50), 1),
        "ratio": round(percentile(last, 50) / percentile(first, 50), 2),
        "errors": result.error_count,
    }
