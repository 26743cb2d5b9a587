"""Service faults of the scaled run (docs/PERFORMANCE.md, security cases
36 and 37), without touching the machine's shared services:

- Redis: the scaled run uses a private redis-server on a spare port, which
  is stopped and started again;
- PostgreSQL: the scaled run reaches the shared server through a TCP proxy
  of ours, which is cut (listener closed, open connections dropped) and
  restored.

For each: what a user gets while the service is away, what Rasa logs, and
whether the conversation goes on afterwards without restarting Rasa.

    PYTHONPATH=. .venv/bin/python -m bench.faults --model models/<model>.tar.gz
"""
from __future__ import annotations

import argparse
import asyncio
import json
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

import sqlalchemy as sa

from tests.scale import scaled_run, services


class TcpProxy:
    """A loopback TCP proxy that can be cut and restored."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = services.free_port()
        self.loop = asyncio.new_event_loop()
        self.server: Optional[asyncio.base_events.Server] = None
        self.writers: List[asyncio.StreamWriter] = []
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.restore()

    async def _pipe(self, reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _handle(self, reader, writer) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.writers += [writer, up_writer]
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def restore(self) -> None:
        async def start():
            self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self._call(start())

    def cut(self) -> None:
        async def stop():
            self.server.close()
            await self.server.wait_closed()
            for writer in self.writers:
                writer.close()
            self.writers.clear()
        self._call(stop())


def turn(run: scaled_run.ScaledRun, sender: str, text: str) -> Dict[str, object]:
    started = time.perf_counter()
    try:
        replies, upstream = scaled_run.post(run.nginx, sender, text, timeout=60)
        outcome = "answered" if replies else "empty reply (200 [])"
        first = replies[0].get("text", "")[:80] if replies else ""
    except Exception as error:
        outcome, first = f"error: {error}", ""
    return {"text": text, "outcome": outcome, "first_reply": first,
            "ms": round((time.perf_counter() - started) * 1000)}


def log_lines(run: scaled_run.ScaledRun, needles: List[str]) -> List[str]:
    found = []
    for log in sorted(run.runtime_dir.glob("rasa-*.log")):
        lines = log.read_text(errors="replace").splitlines()
        found += [f"{log.name}: {l[:200]}" for l in lines if any(n in l for n in needles)]
    return found[:6]


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description="Redis and PostgreSQL faults of the scaled run")
    parser.add_argument("--model", required=True)
    parser.add_argument("--outage", type=float, default=20, help="seconds each service is away")
    args = parser.parse_args(argv)

    pg = sa.engine.make_url(services.POSTGRES_URL)
    report: Dict[str, object] = {}
    with services.private_redis() as redis_url, services.throwaway_database() as database_url:
        proxy = TcpProxy(pg.host or "127.0.0.1", pg.port or 5432)
        proxied = str(sa.engine.make_url(database_url).set(host="127.0.0.1", port=proxy.port))
        run = scaled_run.start(args.model, proxied, redis_url, "faults")
        redis_port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
        try:
            sender = "fault-" + uuid.uuid4().hex[:12]
            steps = [("before", turn(run, sender, "hvem kontakter jeg?"))]

            # Redis away: stop our private redis-server.
            import redis as redis_client

            redis_client.Redis.from_url(redis_url).shutdown(nosave=True)
            steps.append(("redis down", turn(run, sender, "Bergen")))
            report["redis_log"] = log_lines(run, ["LockError", "Redis lock store"])
            time.sleep(args.outage)
            redis_process = services.start_private_redis_on(redis_port)
            steps.append(("redis back", turn(run, sender, "Bergen")))

            # PostgreSQL away: cut the proxy.
            proxy.cut()
            steps.append(("postgres down", turn(run, sender, "hva er radikalisering")))
            report["postgres_log"] = log_lines(
                run, ["OperationalError", "could not connect", "Connection refused"])
            time.sleep(args.outage)
            proxy.restore()
            time.sleep(1)
            steps.append(("postgres back", turn(run, sender, "hva er radikalisering")))
            steps.append(("postgres back, again", turn(run, sender, "takk for hjelpen")))
            report["steps"] = [{"step": name, **result} for name, result in steps]
            with sa.create_engine(database_url).connect() as connection:
                users = connection.execute(sa.text(
                    "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"
                ), {"s": sender}).fetchall()
            report["stored_user_messages"] = [json.loads(d)["text"] for (d,) in users]
            redis_process.terminate()
        finally:
            run.stop()
    print(json.dumps(report, indent=2, ensure_ascii=False))
    out = Path("results")
    out.mkdir(exist_ok=True)
    (out / "faults.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
