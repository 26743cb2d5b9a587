"""Hooks that see a user's raw text before the channel redacts it.

Redaction (issue 7) replaces identifiers before a message reaches Rasa, so
nothing downstream can read them. The one legitimate exception is a detail
the user gives about themselves on purpose, such as the phone number or
e-mail address asked for by the callback form (issue 6): the handoff module
registers a hook here, and the channel awaits every hook with the raw text
before it redacts. A hook must store only what its slot asks for and must
never log the text.
"""
from typing import Awaitable, Callable, List, Optional, Text

RawTextHook = Callable[[Text, Optional[Text], Text], Awaitable[None]]
"""``hook(sender_id, requested_slot, raw_text)``."""

_hooks: List[RawTextHook] = []


def register_raw_text_hook(hook: RawTextHook) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


async def run_raw_text_hooks(sender_id: Text, requested_slot: Optional[Text], raw_text: Text) -> None:
    for hook in list(_hooks):
        await hook(sender_id, requested_slot, raw_text)
