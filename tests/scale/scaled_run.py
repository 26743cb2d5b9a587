"""Starts and stops `scripts/run_scaled.sh` on spare ports, a throwaway
PostgreSQL database and a private Redis key prefix (tests and benchmark)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[2]
READY_LINE = "Trykk Ctrl-C"


@dataclass
class ScaledRun:
    process: subprocess.Popen
    nginx_port: int
    instance_ports: List[int]
    action_port: int
    web_port: int
    runtime_dir: Path
    output: List[str] = field(default_factory=list)

    @property
    def nginx(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def instance(self, index: int) -> str:
        return f"http://127.0.0.1:{self.instance_ports[index]}"

    def instance_pid(self, index: int) -> int:
        return int((self.runtime_dir / f"rasa-{self.instance_ports[index]}.pid").read_text())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def spare_ports(count: int) -> List[int]:
    import socket

    sockets, ports = [], []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
        ports.append(sock.getsockname()[1])
    for sock in sockets:
        sock.close()
    return ports


def start(model: str, database_url: str, redis_url: str, key_prefix: str,
          instances: int = 2, timeout: float = 420, runtime_dir: Optional[Path] = None,
          extra_env: Optional[Dict[str, str]] = None) -> ScaledRun:
    nginx, action, web, *rasa = spare_ports(3 + instances)
    runtime = runtime_dir or Path(tempfile.mkdtemp(prefix="veiviser-scaled-"))
    env = {
        **os.environ,
        "RASA_PORT": str(nginx), "RASA_INSTANCE_PORTS": " ".join(map(str, rasa)),
        "ACTION_PORT": str(action), "WEB_PORT": str(web),
        "VEIVISER_DATABASE_URL": database_url, "VEIVISER_REDIS_URL": redis_url,
        "VEIVISER_REDIS_KEY_PREFIX": key_prefix, "SCALED_RUNTIME_DIR": str(runtime),
        "VEIVISER_MODEL": model, **(extra_env or {}),
    }
    process = subprocess.Popen([str(ROOT / "scripts" / "run_scaled.sh")], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    run = ScaledRun(process, nginx, rasa, action, web, runtime)
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        run.output.append(line)
        if READY_LINE in line:
            return run
    run.stop()
    logs = "".join(run.output)
    for log in sorted(runtime.glob("*.log")):
        logs += f"\n--- {log.name}\n" + "".join(log.read_text(errors="replace").splitlines(True)[-30:])
    raise RuntimeError("run_scaled.sh did not start:\n" + logs)


def post(base: str, sender: str, message: str, route: bool = True,
         timeout: float = 60) -> Tuple[List[dict], str]:
    """One REST message; returns (bot replies, upstream that answered)."""
    url = f"{base}/webhooks/rest/webhook" + (f"?vv_sid={sender}" if route else "")
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read()), response.headers.get("X-Veiviser-Upstream", "")


def new_key_prefix() -> str:
    return "test" + uuid.uuid4().hex[:12]
