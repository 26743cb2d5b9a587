"""The channels' screening (veiviser/channels/gateway.py) with a real Rasa
tracker store in memory and no model: what reaches Rasa, what the user is
told (security cases 1-4, 21-24, 27-32, 36)."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import List

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from veiviser.channels import gateway as gw
from veiviser.channels import hooks
from veiviser.privacy.ratelimit import Rate, RateLimiter

ROOT = Path(__file__).resolve().parents[2]
SENDER = "0b7c6a43-6f2c-4a59-9a36-5a2b1f3c9d11"


class Recorder:
    def __init__(self) -> None:
        self.messages: List[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)


@pytest.fixture(scope="module")
def project_domain():
    return Domain.load(str(ROOT / "domain"))


@pytest.fixture
def store(project_domain):
    return InMemoryTrackerStore(project_domain)


@pytest.fixture
def agent(store):
    return SimpleNamespace(tracker_store=store)


async def offer(store, *payloads: str, user_text: str = "hei") -> None:
    tracker = await store.get_or_create_tracker(SENDER)
    tracker.update(UserUttered(user_text))
    tracker.update(BotUttered("Velg", data={"buttons": [{"title": p, "payload": p} for p in payloads]}))
    await store.save(tracker)


async def send(agent, text, gateway=None, address=None):
    gateway = gateway or gw.Gateway("test")
    out, rasa = CollectingOutputChannel(), Recorder()
    await gateway.handle(agent, SENDER, text, out, rasa, address=address)
    return [m.get("text") for m in out.messages], [m.text for m in rasa.messages]


@pytest.mark.parametrize("text", [
    '/inform{"fodselsnummer":"31129956715"}', '/inform_role{"role": "politi"}',
    "/restart", "/session_start", "/back", "/nlu_fallback", "/out_of_scope",
    "/request_human@1.0", "/ask_contact@0.01", "  /restart", "\n/restart\n",
    "\u200b/restart", "／restart", "\u202e/restart",
])
async def test_typed_commands_never_reach_rasa(agent, store, text):
    await offer(store, "/ask_contact", "/ask_warning_signs")
    said, forwarded = await send(agent, text)
    assert forwarded == []
    assert "«/»" in said[0] and "112" in said[0]


async def test_an_offered_button_payload_is_accepted(agent, store):
    await offer(store, '/inform_role{"role": "skole"}', "/ask_contact")
    said, forwarded = await send(agent, '/inform_role{"role": "skole"}')
    assert forwarded == ['/inform_role{"role": "skole"}'] and said == []


async def test_a_payload_offered_earlier_is_no_longer_accepted(agent, store):
    await offer(store, "/ask_contact")
    await offer(store, "/ask_warning_signs", user_text="noe annet")
    assert (await send(agent, "/ask_contact"))[1] == []
    assert (await send(agent, "/ask_warning_signs"))[1] == ["/ask_warning_signs"]


async def test_start_payload_only_in_a_new_conversation(agent, store):
    assert (await send(agent, "/greet"))[1] == ["/greet"]
    await offer(store)  # the user has spoken now
    assert (await send(agent, "/greet"))[1] == []


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "\u200b\u200c\ufeff", "\u202e", None, 123])
async def test_empty_messages_get_a_polite_reply(agent, text):
    said, forwarded = await send(agent, text)
    assert forwarded == []
    assert said == ["Meldingen din ser ut til å være tom. Skriv gjerne spørsmålet ditt med noen ord."]


@pytest.mark.parametrize("length", [2001, 5000, 100_000, 1_000_000])
async def test_long_messages_are_refused_with_the_limit(agent, length):
    said, forwarded = await send(agent, "a" * length)
    assert forwarded == []
    assert "høyst 2000" in said[0] and str(length) in said[0]


async def test_2000_characters_pass(agent):
    assert len((await send(agent, "ord " * 500))[1]) == 1


async def test_identifiers_are_redacted_and_the_user_told_once(agent, store):
    said, forwarded = await send(agent, "Eleven min Ahmed Ali har fnr 311299 56715, ring 41234567")
    assert forwarded == ["Eleven min [navn] har fnr [fødselsnummer], ring [telefonnummer]"]
    assert len(said) == 1 and "navn, fødselsnummer og telefonnummer" in said[0]
    # Rasa would store the redacted text; the next identifier is not announced again.
    tracker = await store.get_or_create_tracker(SENDER)
    tracker.update(UserUttered(forwarded[0]))
    await store.save(tracker)
    said, forwarded = await send(agent, "e-posten er ola@skole.no")
    assert forwarded == ["e-posten er [e-post]"] and said == []


async def test_raw_text_hooks_see_the_text_before_redaction(agent, store):
    seen = []

    async def hook(sender, slot, raw):
        seen.append((sender, slot, raw))

    hooks.register_raw_text_hook(hook)
    try:
        tracker = await store.get_or_create_tracker(SENDER)
        from rasa.shared.core.events import SlotSet
        tracker.update(SlotSet("requested_slot", "callback_phone"))
        await store.save(tracker)
        _, forwarded = await send(agent, "ring meg på 412 34 567")
    finally:
        hooks._hooks.remove(hook)
    assert seen == [(SENDER, "callback_phone", "ring meg på 412 34 567")]
    assert forwarded == ["ring meg på [telefonnummer]"]


async def test_emoji_bidi_and_other_scripts_pass_without_crash(agent):
    for text in ["👍", "🙏🇳🇴🔥", "❤️‍🩹", "Mun lean sámegiella", "هل يمكنني المساعدة", "Waan ka walaacsanahay"]:
        _, forwarded = await send(agent, text)
        assert len(forwarded) == 1


async def test_a_flood_from_one_session_is_limited(agent):
    gateway = gw.Gateway("test")
    gateway.per_session = RateLimiter(Rate(10, 0.5))
    results = [await send(agent, f"melding {i}", gateway) for i in range(50)]
    passed = sum(1 for _, forwarded in results if forwarded)
    assert passed == 10
    assert "mange meldinger" in results[-1][0][0] and "112" in results[-1][0][0]


async def test_a_flood_from_one_address_is_limited(agent):
    gateway = gw.Gateway("test")
    gateway.per_address = RateLimiter(Rate(5, 0.01))
    gateway.per_session = RateLimiter(Rate(1000, 100))
    results = [await send(agent, "hei", gateway, address="203.0.113.7") for _ in range(8)]
    assert sum(1 for _, f in results if f) == 5


async def test_tracker_store_down_is_told_and_nothing_forwarded():
    class Down:
        async def retrieve(self, sender_id):
            raise OSError("database is unavailable")

    agent = SimpleNamespace(tracker_store=SimpleNamespace(_tracker_store=Down()))
    said, forwarded = await send(agent, "hei")
    assert forwarded == []
    assert "midlertidig" in said[0] and "112" in said[0] and "02800" in said[0]


async def test_metadata_is_owned_by_the_channel(agent):
    out, rasa = CollectingOutputChannel(), Recorder()
    await gw.Gateway("socketio").handle(agent, SENDER, "hei", out, rasa)
    assert rasa.messages[0].metadata == {} and rasa.messages[0].input_channel == "socketio"


async def test_a_failure_inside_rasa_is_told_not_silenced(agent):
    async def broken(message):
        raise RuntimeError("database is locked")

    out = CollectingOutputChannel()
    await gw.Gateway("test").handle(agent, SENDER, "hei", out, broken)
    assert "noe gikk galt" in out.messages[0]["text"] and "02800" in out.messages[0]["text"]


async def test_a_broken_hook_does_not_stop_the_message(agent):
    async def broken_hook(sender, slot, raw):
        raise ValueError("bad hook")

    hooks.register_raw_text_hook(broken_hook)
    try:
        _, forwarded = await send(agent, "hei")
    finally:
        hooks._hooks.remove(broken_hook)
    assert forwarded == ["hei"]
