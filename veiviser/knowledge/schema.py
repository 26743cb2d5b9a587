"""Schema check for knowledge entries: every problem is reported, not the first."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from typing import Any, Iterable, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

from .model import (
    ALL_ROLES,
    ANSWERABLE_INTENTS,
    CONFIDENCE_VALUES,
    EXTERNAL_STEPS,
    MORE_INTENT,
    ROLES,
    Entry,
)

REQUIRED_FIELDS = ("id", "topic", "intents", "roles", "text", "sources", "verified", "confidence")
OPTIONAL_FIELDS = ("les_mer", "label", "next_steps")
MAX_WORDS = 110
MAX_LABEL_CHARS = 32
MIN_NEXT_STEPS, MAX_NEXT_STEPS = 2, 3
EARLIEST_VERIFIED = date(2020, 1, 1)

_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WORD = re.compile(r"\w")


def count_words(text: str) -> int:
    """Whitespace-separated tokens that contain a letter or digit."""
    return sum(1 for token in text.split() if _WORD.search(token))


def url_problem(url: Any) -> Optional[str]:
    """Why `url` is not an acceptable source link, or None."""
    if not isinstance(url, str) or not url:
        return "is not a string"
    if any(ch.isspace() for ch in url):
        return "contains whitespace"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "is not an https URL"
    host = parts.hostname or ""
    if "." not in host or host.startswith(".") or host.endswith("."):
        return "has no valid host"
    return None


def _as_date(value: Any) -> Optional[date]:
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _str_list(value: Any) -> Optional[List[str]]:
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    return None


class _Check:
    """Collects the problems of one entry."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.errors: List[str] = []

    def fail(self, message: str) -> None:
        self.errors.append(f"{self.where}: {message}")


def _check_text(check: _Check, raw: Mapping[str, Any], field: str, required: bool) -> Optional[str]:
    value = raw.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        check.fail(f"'{field}' must be non-empty text")
        return None
    words = count_words(value)
    if words > MAX_WORDS:
        check.fail(f"'{field}' has {words} words (max {MAX_WORDS})")
    return value.strip()


def _check_intents(check: _Check, raw: Mapping[str, Any]) -> Tuple[str, ...]:
    intents = _str_list(raw.get("intents"))
    if intents is None:
        check.fail("'intents' must be a non-empty list of intent names")
        return ()
    for intent in intents:
        if intent == MORE_INTENT:
            check.fail(f"'{MORE_INTENT}' is answered by action_answer_more, not by an entry")
        elif intent not in ANSWERABLE_INTENTS:
            check.fail(f"unknown intent '{intent}' (allowed: {', '.join(ANSWERABLE_INTENTS)})")
    if len(set(intents)) != len(intents):
        check.fail("'intents' lists an intent twice")
    return tuple(intents)


def _check_roles(check: _Check, raw: Mapping[str, Any]) -> Tuple[str, ...]:
    roles = _str_list(raw.get("roles"))
    if roles is None:
        check.fail("'roles' must be a non-empty list")
        return ()
    for role in roles:
        if role != ALL_ROLES and role not in ROLES:
            check.fail(f"unknown role '{role}' (allowed: {ALL_ROLES}, {', '.join(ROLES)})")
    if ALL_ROLES in roles and len(roles) > 1:
        check.fail(f"'{ALL_ROLES}' cannot be combined with other roles")
    if len(set(roles)) != len(roles):
        check.fail("'roles' lists a role twice")
    return tuple(roles)


def _check_sources(check: _Check, raw: Mapping[str, Any]) -> Tuple[str, ...]:
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        check.fail("'sources' must be a non-empty list of https URLs")
        return ()
    for url in sources:
        problem = url_problem(url)
        if problem:
            check.fail(f"source {url!r} {problem}")
    if len(set(map(str, sources))) != len(sources):
        check.fail("'sources' lists a URL twice")
    return tuple(str(u) for u in sources)


def _check_next_steps(check: _Check, raw: Mapping[str, Any], intents: Tuple[str, ...]) -> Tuple[str, ...]:
    steps = _str_list(raw.get("next_steps"))
    if steps is None:
        check.fail(f"'next_steps' must list {MIN_NEXT_STEPS}-{MAX_NEXT_STEPS} intents")
        return ()
    if not MIN_NEXT_STEPS <= len(steps) <= MAX_NEXT_STEPS:
        check.fail(f"'next_steps' has {len(steps)} items (want {MIN_NEXT_STEPS}-{MAX_NEXT_STEPS})")
    for step in steps:
        if step not in ANSWERABLE_INTENTS and step not in EXTERNAL_STEPS:
            check.fail(f"next step '{step}' is not a knowledge intent or one of {sorted(EXTERNAL_STEPS)}")
        elif step in intents:
            check.fail(f"next step '{step}' is answered by this entry itself")
    if len(set(steps)) != len(steps):
        check.fail("'next_steps' lists an intent twice")
    return tuple(steps)


def check_entry(raw: Any, where: str, today: date) -> Tuple[Optional[Entry], List[str]]:
    """Validate one raw entry; return the entry (if sound) and the problems."""
    if not isinstance(raw, dict):
        return None, [f"{where}: an entry must be a mapping of fields"]
    entry_id = raw.get("id")
    check = _Check(f"{where} (id {entry_id!r})" if entry_id else where)

    unknown = sorted(set(raw) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    for field in unknown:
        check.fail(f"unknown field '{field}'")
    for field in REQUIRED_FIELDS:
        if field not in raw:
            check.fail(f"missing field '{field}'")

    for field in ("id", "topic"):
        if field in raw and (not isinstance(raw[field], str) or not _SLUG.match(raw[field])):
            check.fail(f"'{field}' must be lower-case snake_case")

    intents = _check_intents(check, raw)
    roles = _check_roles(check, raw)
    text = _check_text(check, raw, "text", required=True)
    les_mer = _check_text(check, raw, "les_mer", required=False)
    sources = _check_sources(check, raw)
    next_steps = _check_next_steps(check, raw, intents)

    verified = _as_date(raw.get("verified"))
    if "verified" in raw and verified is None:
        check.fail(f"'verified' must be a date written YYYY-MM-DD, got {raw.get('verified')!r}")
    elif verified is not None and not EARLIEST_VERIFIED <= verified <= today:
        check.fail(f"'verified' {verified.isoformat()} is outside {EARLIEST_VERIFIED.isoformat()}..today")

    confidence = raw.get("confidence")
    if "confidence" in raw and confidence not in CONFIDENCE_VALUES:
        check.fail(f"'confidence' must be one of {', '.join(CONFIDENCE_VALUES)}, got {confidence!r}")

    label = raw.get("label")
    if label is not None and (not isinstance(label, str) or not 0 < len(label.strip()) <= MAX_LABEL_CHARS):
        check.fail(f"'label' must be text of at most {MAX_LABEL_CHARS} characters")

    if check.errors:
        return None, check.errors
    return (
        Entry(
            id=raw["id"],
            topic=raw["topic"],
            intents=intents,
            roles=roles,
            text=text or "",
            sources=sources,
            verified=verified,  # type: ignore[arg-type]
            confidence=confidence,
            les_mer=les_mer,
            label=label.strip() if label else None,
            next_steps=next_steps,
            origin=where,
        ),
        [],
    )


def check_coverage(entries: Iterable[Entry]) -> List[str]:
    """Cross-entry rules: unique ids, one general entry per intent, no role overlap."""
    entries = list(entries)
    errors: List[str] = []
    for entry_id, n in Counter(e.id for e in entries).items():
        if n > 1:
            errors.append(f"id '{entry_id}' is used by {n} entries")
    for intent in ANSWERABLE_INTENTS:
        general = [e for e in entries if e.is_general and e.answers(intent)]
        if len(general) != 1:
            names = ", ".join(e.id for e in general) or "none"
            errors.append(
                f"intent '{intent}' must have exactly one entry with roles [all], found {len(general)} ({names})"
            )
        elif not general[0].label:
            errors.append(f"entry '{general[0].id}' is the general answer to '{intent}' and needs a 'label'")
        for role in ROLES:
            specific = [e.id for e in entries if e.answers(intent) and role in e.roles]
            if len(specific) > 1:
                errors.append(f"intent '{intent}' has {len(specific)} entries for role '{role}': {', '.join(specific)}")
    return errors


def check_raw_entries(items: Iterable[Tuple[str, Any]], today: date) -> Tuple[List[Entry], List[str]]:
    """Validate (where, raw) pairs, then the whole set."""
    entries: List[Entry] = []
    errors: List[str] = []
    for where, raw in items:
        entry, problems = check_entry(raw, where, today)
        errors.extend(problems)
        if entry is not None:
            entries.append(entry)
    if not errors:
        errors.extend(check_coverage(entries))
    return entries, errors


__all__ = ["check_entry", "check_coverage", "check_raw_entries", "count_words", "url_problem"]
