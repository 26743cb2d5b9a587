"""Veiviser's load benchmark (`make bench`): single process vs scaled run.

    PYTHONPATH=. .venv/bin/python -m bench --model models/<model>.tar.gz [options]

Loopback only, bounded in messages and seconds per level. Starts, in turn:
1. the single-process default (`scripts/run.sh`: SQLite, in-memory lock);
2. the scaled run (`scripts/run_scaled.sh`: two Rasa processes on
   PostgreSQL + Redis behind nginx), on a throwaway database and key prefix.
For each: start-up time, REST and socket.io load at rising concurrency
(latency p50/p95/p99, throughput, errors), peak memory per Rasa process;
for the single process also p95 at about half its saturation throughput and
latency at turn 1 vs turn 50; for the scaled run a fault: one Rasa process
is killed during load. Plus NLU inference time per message (in-process) and,
with --train, model training time. Prints Markdown tables; writes JSON to
results/bench.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import secrets
import signal
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

from bench import load, procs

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
SERVICE_ENV = ("VEIVISER_DATABASE_URL", "VEIVISER_REDIS_URL", "VEIVISER_REDIS_KEY_PREFIX")
# Every simulated user comes from 127.0.0.1 and talks faster than a person:
# the gateway's per-address and per-session limits (docs/SECURITY.md) are
# lifted for the benchmark, and the socket.io clients sign their own session
# tokens with the run's secret (the widget gets them from POST /api/session).
BENCH_ENV = {
    "VEIVISER_SESSION_SECRET": secrets.token_urlsafe(48),
    "VEIVISER_RATE_ADDRESS": "1000000/100000",
    "VEIVISER_RATE_SESSION": "1000000/100000",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message} (load {procs.load()})", flush=True)


class Single:
    """`scripts/run.sh` on spare ports with a temporary SQLite file."""

    def __init__(self, model: str) -> None:
        from tests.scale.scaled_run import spare_ports

        self.rasa_port, self.action_port, self.web_port = spare_ports(3)
        self.tmp = Path(tempfile.mkdtemp(prefix="veiviser-bench-"))
        env = {k: v for k, v in os.environ.items() if k not in SERVICE_ENV}
        env.update(BENCH_ENV)
        env.update(RASA_PORT=str(self.rasa_port), ACTION_PORT=str(self.action_port),
                   WEB_PORT=str(self.web_port), TRACKER_DB=str(self.tmp / "rasa.db"))
        started = time.time()
        self.process = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, start_new_session=True)
        for line in self.process.stdout:
            if "Trykk Ctrl-C" in line:
                break
        else:
            raise RuntimeError("scripts/run.sh did not start; see logs/")
        self.startup_seconds = time.time() - started
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.ports = [self.rasa_port]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        shutil.rmtree(self.tmp, ignore_errors=True)


class Scaled:
    """`scripts/run_scaled.sh` on a throwaway database and key prefix."""

    def __init__(self, model: str) -> None:
        from tests.scale import scaled_run, services

        services.require_redis()
        self._database = services.throwaway_database()
        database_url = self._database.__enter__()
        self.prefix = scaled_run.new_key_prefix()
        started = time.time()
        # Every simulated user comes from 127.0.0.1: lift the per-client limit.
        self.run = scaled_run.start(model, database_url, services.REDIS_URL, self.prefix,
                                    extra_env={"NGINX_RATE_CLIENT": "100000r/s", **BENCH_ENV})
        self.startup_seconds = time.time() - started
        self.url = self.run.nginx
        self.ports = self.run.instance_ports

    def stop(self) -> None:
        import redis

        from tests.scale import services

        self.run.stop()
        client = redis.Redis.from_url(services.REDIS_URL)
        for key in client.scan_iter(f"{self.prefix}:*"):
            client.delete(key)
        self._database.__exit__(None, None, None)


def rasa_cpu(ports: List[int]) -> float:
    return sum(procs.cpu_seconds(pid) for port in ports if (pid := procs.rasa_pid(port)))


def with_cpu(row: Dict[str, object], cpu_seconds: float) -> Dict[str, object]:
    """Rasa CPU time per answered message: independent of how busy the
    shared machine is (capacity of one core = 1000 / cpu_ms msg/s)."""
    messages = row["messages"] or 1
    return {**row, "cpu_ms_per_msg": round(cpu_seconds * 1000 / messages, 1)}


def memory(ports: List[int]) -> Dict[int, Dict[str, float]]:
    return {port: procs.memory_mb(pid) for port in ports if (pid := procs.rasa_pid(port))}


def socketio_level(url: str, users: int, seconds: float) -> load.LoadResult:
    conversations = Path(tempfile.mkstemp(suffix=".json")[1])
    conversations.write_text(json.dumps(load.conversations(), ensure_ascii=False))
    try:
        out = subprocess.run(
            ["node", str(ROOT / "bench" / "socketio_load.mjs"), url, str(users), str(seconds),
             str(conversations)],
            cwd=ROOT / "web", capture_output=True, text=True, timeout=seconds + 90,
            env={**os.environ, "VEIVISER_SESSION_SECRET": BENCH_ENV["VEIVISER_SESSION_SECRET"]})
    finally:
        conversations.unlink()
    result = load.LoadResult("socket.io", users)
    if out.returncode != 0:
        result.error("node failed: " + out.stderr.strip()[-200:])
        return result
    data = json.loads(out.stdout.strip().splitlines()[-1])
    result.latencies_ms, result.errors, result.seconds = (
        data["latencies_ms"], data["errors"], data["seconds"])
    return result


def measure(target, name: str, args) -> Dict[str, object]:
    report: Dict[str, object] = {"name": name, "startup_s": round(target.startup_seconds, 1)}
    log(f"{name}: up in {target.startup_seconds:.1f} s")
    asyncio.run(load.run_level(f"{target.url}/webhooks/rest/webhook", 4, 24, 30, "warm-up"))
    rows = []
    for users in args.users:
        cpu = rasa_cpu(target.ports)
        result = asyncio.run(load.run_level(
            f"{target.url}/webhooks/rest/webhook", users, args.max_messages, args.seconds,
            f"REST {name}"))
        rows.append({**with_cpu(result.row(), rasa_cpu(target.ports) - cpu), "load": procs.load()})
        log(f"{name} REST {users} users: {result.throughput:.1f} msg/s, "
            f"p95 {rows[-1]['p95_ms']} ms, errors {result.error_count}")
    if not args.skip_socketio:
        for users in args.users:
            cpu = rasa_cpu(target.ports)
            result = socketio_level(target.url, users, args.seconds)
            rows.append({**with_cpu(result.row(), rasa_cpu(target.ports) - cpu),
                         "label": f"socket.io {name}", "load": procs.load()})
            log(f"{name} socket.io {users} users: p95 {rows[-1]['p95_ms']} ms, "
                f"errors {result.error_count}")
    report["levels"] = rows
    report["memory"] = memory(target.ports)
    return report


def half_load(target, saturation: float, args) -> Dict[str, object]:
    """REST at about half of `saturation` msg/s: users with think time."""
    users = 10
    think = max(0.05, users / (saturation / 2) - 0.05)
    result = asyncio.run(load.run_level(
        f"{target.url}/webhooks/rest/webhook", users, args.max_messages, args.seconds,
        "REST half load", think_seconds=think))
    return {**result.row(), "think_s": round(think, 2), "target_msg_per_s": round(saturation / 2, 1)}


def fault(target: "Scaled", args) -> Dict[str, object]:
    """Kill one Rasa process a third into a REST load; count the damage."""
    url = f"{target.url}/webhooks/rest/webhook"
    victim_pid = target.run.instance_pid(0)

    async def go():
        task = asyncio.create_task(load.run_level(url, 20, args.max_messages, args.seconds,
                                                  "REST fault"))
        await asyncio.sleep(args.seconds / 3)
        os.kill(victim_pid, signal.SIGKILL)
        killed_at = time.time()
        return await task, killed_at

    result, _ = asyncio.run(go())
    return {**result.row(), "killed": f"127.0.0.1:{target.run.instance_ports[0]}"}


def nlu_inference(model: str, repeats: int = 5) -> Dict[str, object]:
    from veiviser.nlu.evaluation import load_agent

    started = time.time()
    agent = load_agent(model)
    loaded = time.time() - started
    texts = [t for dialogue in load.conversations() for t in dialogue]

    async def parse_all():
        timings = []
        for _ in range(repeats):
            for text in texts:
                t0 = time.perf_counter()
                await agent.parse_message(text)
                timings.append((time.perf_counter() - t0) * 1000)
        return timings

    timings = asyncio.run(parse_all())
    return {"model_load_s": round(loaded, 1), "messages": len(timings),
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(load.percentile(timings, 95), 1)}


def training_time() -> Dict[str, object]:
    out = Path(tempfile.mkdtemp(prefix="veiviser-train-"))
    started = time.time()
    subprocess.run([str(ROOT / ".venv" / "bin" / "rasa"), "train", "--config", "config.yml",
                    "--domain", "domain", "--data", "data", "--out", str(out),
                    "--fixed-model-name", "bench"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.time() - started
    shutil.rmtree(out, ignore_errors=True)
    return {"seconds": round(seconds, 1), "load_after": procs.load()}


def table(rows: List[Dict[str, object]]) -> str:
    head = ("| run | users | messages | s | msg/s | p50 ms | p95 ms | p99 ms | errors | "
            "Rasa CPU ms/msg | load |")
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['label']} | {r['users']} | {r['messages']} | {r['seconds']} | "
                     f"{r['msg_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                     f"{r['errors']} | {r.get('cpu_ms_per_msg', '')} | {r.get('load', '')} |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 10, 50, 100])
    parser.add_argument("--seconds", type=float, default=30, help="time limit per level")
    parser.add_argument("--max-messages", type=int, default=1500, help="message limit per level")
    parser.add_argument("--long-turns", type=int, default=50)
    parser.add_argument("--only", choices=["single", "scaled"], default=None)
    parser.add_argument("--skip-socketio", action="store_true")
    parser.add_argument("--train", action="store_true", help="also time a model training")
    args = parser.parse_args(argv)

    report: Dict[str, object] = {"machine": procs.machine(), "busy": procs.busy_processes(),
                                 "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    log("NLU inference in-process")
    report["nlu"] = nlu_inference(args.model)
    if args.only != "scaled":
        single = Single(args.model)
        try:
            report["single"] = measure(single, "single", args)
            rest = [r for r in report["single"]["levels"] if r["label"].startswith("REST")]
            saturation = max(r["msg_per_s"] for r in rest)
            report["single"]["half_load"] = half_load(single, saturation, args)
            log("long conversations")
            report["single"]["long"] = asyncio.run(load.long_conversation(
                f"{single.url}/webhooks/rest/webhook", args.long_turns))
            report["single"]["memory"] = memory(single.ports)
        finally:
            single.stop()
    if args.only != "single":
        scaled = Scaled(args.model)
        try:
            report["scaled"] = measure(scaled, "scaled", args)
            report["scaled"]["fault"] = fault(scaled, args)
        finally:
            scaled.stop()
    if args.train:
        log("training")
        report["training"] = training_time()
    report["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    rows = [r for key in ("single", "scaled") if key in report for r in report[key]["levels"]]
    print("\n## Load\n\n" + table(rows))
    for key in ("single", "scaled"):
        if key in report:
            print(f"\n{key}: start-up {report[key]['startup_s']} s, memory {report[key]['memory']}")
    if "single" in report:
        print("\nhalf load:", report["single"]["half_load"])
        print("long conversation:", report["single"]["long"])
    if "scaled" in report:
        print("fault (one process killed):", report["scaled"]["fault"])
    print("NLU inference:", report["nlu"])
    if "training" in report:
        print("training:", report["training"])
    print("\nmachine:", report["machine"])
    print(f"JSON: {RESULTS / 'bench.json'}")


if __name__ == "__main__":
    main()
