"""The screening every user message passes before it reaches Rasa.

Both of Veiviser's input channels (socket.io and REST) call
:meth:`Gateway.handle`. In order:

1. rate limit per session and per client address (case 24);
2. Unicode normalisation: NFKC, zero-width and bidi controls removed,
   trimmed (cases 4, 23);
3. empty or over-long messages get a polite reply from the channel itself;
   nothing reaches Rasa (cases 21, 22);
4. the tracker is read from the *primary* tracker store; when the database
   does not answer, the user is told, and the message is not handed to
   Rasa's silent in-memory fallback (case 36);
5. text starting with ``/`` is a command: accepted only when it equals a
   button payload the bot offered since the user's last message, or the
   widget's start payload in a conversation without user messages; any
   other ``/...`` gets a polite refusal and never reaches Rasa (cases 1-4);
6. raw-text hooks (the handoff callback form) see the text before
   redaction (``veiviser.channels.hooks``);
7. identifiers are redacted (:mod:`veiviser.privacy.redaction`); the first
   time in a conversation this happens, the user is told why;
8. only the redacted text goes to Rasa, with channel-owned metadata only.
"""
from __future__ import annotations

import logging
import os
import re
from typing import Any, Awaitable, Callable, Iterable, Optional, Set, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

from veiviser.channels.hooks import run_raw_text_hooks
from veiviser.privacy import texts
from veiviser.privacy.normalize import normalize
from veiviser.privacy.ratelimit import ADDRESS_MESSAGES, SESSION_MESSAGES, RateLimiter
from veiviser.privacy.redaction import PLACEHOLDERS, redact
from veiviser.stores import configured_store

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = int(os.environ.get("VEIVISER_MAX_MESSAGE_CHARS", "2000"))
# Payloads the widget sends by itself when a conversation starts
# (web/index.html: initialMessage "/greet").
START_PAYLOADS = frozenset(
    p.strip() for p in os.environ.get("VEIVISER_START_PAYLOADS", "/greet").split(",") if p.strip())
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class StoreUnavailable(Exception):
    """The tracker store's database did not answer."""


def primary_store(agent: Any) -> Any:
    """The configured tracker store inside Rasa's FailSafeTrackerStore wrapper."""
    return configured_store(getattr(agent, "tracker_store", None))


async def load_tracker(agent: Any, sender_id: Text) -> Any:
    store = primary_store(agent)
    if store is None:
        return None
    try:
        return await store.retrieve(sender_id)
    except Exception as error:  # any driver error means "not available"
        logger.error("Tracker store unavailable (%s)", type(error).__name__)
        raise StoreUnavailable() from None


def _since_last_user_message(tracker: Any) -> Iterable[Any]:
    events = list(tracker.events) if tracker is not None else []
    tail = []
    for event in reversed(events):
        if isinstance(event, UserUttered):
            break
        tail.append(event)
    return tail


def offered_payloads(tracker: Any) -> Set[Text]:
    """Button payloads of the bot's messages since the user's last message."""
    payloads: Set[Text] = set()
    for event in _since_last_user_message(tracker):
        if isinstance(event, BotUttered):
            for button in (event.data or {}).get("buttons") or []:
                if isinstance(button, dict) and isinstance(button.get("payload"), str):
                    payloads.add(button["payload"].strip())
    return payloads


def has_user_messages(tracker: Any) -> bool:
    return tracker is not None and any(isinstance(e, UserUttered) for e in tracker.events)


def command_allowed(text: Text, tracker: Any) -> bool:
    if text in offered_payloads(tracker):
        return True
    return text in START_PAYLOADS and not has_user_messages(tracker)


def already_told_about_redaction(tracker: Any) -> bool:
    if tracker is None:
        return False
    return any(isinstance(e, UserUttered) and e.text and _PLACEHOLDER_RE.search(e.text)
               for e in tracker.events)


class Gateway:
    """Screens, redacts and forwards user messages for one input channel."""

    def __init__(self, channel_name: Text) -> None:
        self.channel_name = channel_name
        self.per_session = RateLimiter(SESSION_MESSAGES)
        self.per_address = RateLimiter(ADDRESS_MESSAGES)

    async def handle(self, agent: Any, sender_id: Text, raw_text: Any, output: OutputChannel,
                     on_new_message: OnNewMessage, address: Optional[Text] = None) -> None:
        async def say(key: Text, **values: Any) -> None:
            await output.send_text_message(sender_id, texts.text(key, **values))

        if not self.per_session.allow(sender_id) or (address and not self.per_address.allow(address)):
            await say("rate_limited")
            return
        raw = raw_text if isinstance(raw_text, str) else ""
        if len(raw) > 20 * MAX_MESSAGE_CHARS:  # do not even normalise megabytes
            await say("too_long", length=len(raw), limit=MAX_MESSAGE_CHARS)
            return
        text = normalize(raw)
        if not text:
            await say("empty")
            return
        if len(text) > MAX_MESSAGE_CHARS:
            await say("too_long", length=len(text), limit=MAX_MESSAGE_CHARS)
            return
        try:
            tracker = await load_tracker(agent, sender_id)
        except StoreUnavailable:
            await say("store_unavailable")
            return

        if text.startswith("/"):
            if not command_allowed(text, tracker):
                await say("command_refused")
                return
            forwarded = text  # a payload the bot itself offered: no user data in it
        else:
            requested_slot = tracker.get_slot("requested_slot") if tracker is not None else None
            try:
                await run_raw_text_hooks(sender_id, requested_slot, text)
            except Exception as error:  # a broken hook must not stop the conversation
                logger.error("A raw-text hook failed: %s", type(error).__name__)
            redaction = redact(text)
            if redaction.changed and not already_told_about_redaction(tracker):
                await output.send_text_message(sender_id, texts.redacted_notice(redaction.kinds))
            forwarded = redaction.text

        try:
            await on_new_message(UserMessage(forwarded, output, sender_id,
                                             input_channel=self.channel_name, metadata={}))
        except Exception as error:  # never silence: the user hears what to do instead
            logger.error("Handling a message failed: %s", type(error).__name__)
            await say("technical_error")
