"""scripts/run.sh refuses to open Rasa's HTTP API without a secret (case 13, 15)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("extra", [{}, {"VEIVISER_API_TOKEN": "short"},
                                   {"VEIVISER_API_JWT_SECRET": "also-too-short"}])
def test_api_without_a_strong_secret_does_not_start(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VEIVISER_API")}
    env.update({"VEIVISER_ENABLE_API": "1", **extra})
    result = subprocess.run([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "VEIVISER_API_TOKEN" in result.stderr and "Starter ikke" in result.stderr


def test_run_script_generates_secrets_and_passes_the_api_flags_only_when_asked():
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert 'VEIVISER_SESSION_SECRET="${VEIVISER_SESSION_SECRET:-$(new_secret)}"' in script
    assert 'VEIVISER_ACTION_SECRET="${VEIVISER_ACTION_SECRET:-$(new_secret)}"' in script
    assert "--enable-api" not in script.split("api_args=()")[0]
    assert "veiviser.actionserver --host 127.0.0.1" in script
