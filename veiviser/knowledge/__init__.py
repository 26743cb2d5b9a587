"""Sourced knowledge answers: content model, loader with schema check, rendering.

Plain Python (no Rasa imports); the rasa-sdk actions live in actions/knowledge.py.
"""

from .loader import DEFAULT_CONTENT_DIR, ContentError, load_knowledge
from .model import (
    ANSWERABLE_INTENTS,
    KNOWLEDGE_INTENTS,
    MORE_INTENT,
    ROLES,
    Entry,
    KnowledgeBase,
)
from .render import Button, Reply, contact_button, menu, render_answer, render_more

__all__ = [
    "ANSWERABLE_INTENTS",
    "KNOWLEDGE_INTENTS",
    "MORE_INTENT",
    "ROLES",
    "DEFAULT_CONTENT_DIR",
    "Button",
    "ContentError",
    "Entry",
    "KnowledgeBase",
    "Reply",
    "contact_button",
    "load_knowledge",
    "menu",
    "render_answer",
    "render_more",
]
