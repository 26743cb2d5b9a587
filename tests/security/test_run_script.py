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


def _secrets_after_sourcing(env: dict) -> dict:
    """The secrets scripts/lib/secrets_and_console.sh leaves in the environment."""
    names = ("VEIVISER_SESSION_SECRET", "VEIVISER_ACTION_SECRET", "VEIVISER_RELAY_SECRET")
    shown = " ".join(f'"${name}"' for name in names)
    result = subprocess.run(["bash", "-c", f"RASA_PORT=5005; source scripts/lib/secrets_and_console.sh; "
                             f"printf '%s\\n' {shown}"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=True)
    return dict(zip(names, result.stdout.split()))


def test_secrets_are_random_per_run_unless_given():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_SECRET")}
    first, second = _secrets_after_sourcing(env), _secrets_after_sourcing(env)
    assert len(first) == 3 and all(len(value) >= 32 for value in first.values())
    assert all(first[name] != second[name] for name in first)
    assert len(set(first.values())) == 3
    given = _secrets_after_sourcing({**env, "VEIVISER_ACTION_SECRET": "x" * 40})
    assert given["VEIVISER_ACTION_SECRET"] == "x" * 40


def test_run_script_passes_the_api_flags_only_when_asked():
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert "source scripts/lib/secrets_and_console.sh" in script
    assert "--enable-api" not in script.split("api_args=()")[0]
    assert "veiviser.actionserver --host 127.0.0.1" in script
