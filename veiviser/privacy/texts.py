"""The channels' own Norwegian messages, read from ``messages.yml``."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable

import yaml

_FILE = Path(__file__).resolve().parent / "messages.yml"
_KIND_ORDER = ("name", "fnr", "phone", "email", "address")


@lru_cache(maxsize=1)
def _messages() -> Dict[str, Any]:
    return yaml.safe_load(_FILE.read_text(encoding="utf-8"))


def text(key: str, **values: Any) -> str:
    return " ".join(str(_messages()[key]).split()).format(**values)


def redacted_notice(kinds: Iterable[str]) -> str:
    names = _messages()["kinds"]
    found = [names[k] for k in _KIND_ORDER if k in set(kinds)]
    listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " og " + found[-1]
    return text("redacted_notice", kinds=listed)
