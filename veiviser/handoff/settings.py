"""Handoff settings, read from the environment when asked (never at import)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_URL = f"sqlite:///{ROOT / 'handoff.db'}"
DEFAULT_HOURS_FILE = Path(__file__).resolve().parent / "opening_hours.yml"


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def db_url() -> str:
    return os.environ.get("VEIVISER_CASE_DB_URL") or DEFAULT_DB_URL


def hours_file() -> Path:
    value = os.environ.get("VEIVISER_HANDOFF_HOURS")
    return Path(value) if value else DEFAULT_HOURS_FILE


def accept_timeout_seconds() -> int:
    """How long a live case waits for an advisor before the user is offered a callback."""
    return _int("VEIVISER_HANDOFF_ACCEPT_TIMEOUT", 180)


def presence_seconds() -> int:
    """An advisor counts as signed in while the console was used within this time."""
    return _int("VEIVISER_ADVISOR_PRESENCE", 60)


def relay_secret() -> str:
    return os.environ.get("VEIVISER_RELAY_SECRET", "")


def relay_url() -> str:
    """Base URL of the relay endpoints on the Rasa server (or its load balancer)."""
    url = os.environ.get("VEIVISER_RELAY_URL")
    if url:
        return url.rstrip("/")
    return f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}/webhooks/handoff"


def console_public_url() -> str:
    url = os.environ.get("CONSOLE_PUBLIC_URL")
    if url:
        return url.rstrip("/")
    return f"http://127.0.0.1:{os.environ.get('CONSOLE_PORT', '8090')}"
