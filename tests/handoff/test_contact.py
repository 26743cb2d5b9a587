"""The phone number or e-mail address for a callback, and the raw-text hook."""
from __future__ import annotations

import pytest

from veiviser.handoff.contact import find_contact


@pytest.mark.parametrize("text, kind, value", [
    ("91234567", "telefon", "+4791234567"),
    ("ring meg på 412 34 567", "telefon", "+4741234567"),
    ("+47 412 34 567", "telefon", "+4741234567"),
    ("0047 41234567", "telefon", "+4741234567"),
    ("41 23 45 67 etter kl 12", "telefon", "+4741234567"),
    ("22 22 33 33", "telefon", "+4722223333"),
    ("Navn.Navnesen@Kommune.no", "e-post", "navn.navnesen@kommune.no"),
    ("send til ola+veiviser@example.no, takk", "e-post", "ola+veiviser@example.no"),
])
def test_valid_contact(text, kind, value):
    detail = find_contact(text)
    assert detail is not None and (detail.kind, detail.value) == (kind, value)


@pytest.mark.parametrize("text", [
    "112", "113", "02800", "ring 110", "1234567", "123456789", "+46 70 123 45 67", "0046701234567",
    "12345678", "81234567", "navn@", "@kommune.no", "ikke noe her", "[telefonnummer]", "",
])
def test_invalid_contact(text):
    assert find_contact(text) is None


async def test_hook_stores_only_for_the_contact_slot(sqlite_db):
    from veiviser.channels.hooks import run_raw_text_hooks
    from veiviser.handoff import cases
    from veiviser.handoff import relay  # noqa: F401 - registers the hook

    await run_raw_text_hooks("s1", "callback_time", "91234567")
    assert cases.draft_contact_kind("s1") is None
    await run_raw_text_hooks("s1", "callback_contact", "mitt nummer er 912 34 567")
    assert cases.draft_contact_kind("s1") == "telefon"
    await run_raw_text_hooks("s1", "callback_contact", "112")
    assert cases.draft_contact_kind("s1") is None
