"""Starting and stopping a real Veiviser (scripts/run.sh) from pytest, and
loading the web front (scripts/serve_web.py, a script, not a package)."""
from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import ModuleType
from typing import Dict, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
READY_LINE = "Trykk Ctrl-C"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_run_sh(env: Dict[str, str], timeout: float = 300) -> Tuple[subprocess.Popen, List[str]]:
    """Starts scripts/run.sh with ``env`` and waits for its ready line;
    fails the test with run.sh's output when it does not come up."""
    process = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    output: List[str] = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        output.append(line)
        if READY_LINE in line:
            return process, output
    os.killpg(process.pid, signal.SIGTERM)
    pytest.fail("run.sh did not start:\n" + "".join(output))


def stop_run_sh(process: subprocess.Popen, timeout: float = 60) -> bool:
    """Ctrl-C, as a person would; True when every process stopped in time."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return False


def load_serve_web(module_name: str = "serve_web") -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "scripts" / "serve_web.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
