"""Belt and braces: no log line may carry unredacted user text.

The channels pass only redacted text to Rasa, but Rasa, Sanic and
python-socketio log in many places (Rasa's REST channel logs the raw text
when a request fails). :func:`install` wraps the log record factory so every
record's message is redacted when it is created, whatever logger, handler or
structlog renderer produced it.
"""
from __future__ import annotations

import logging

from veiviser.privacy.redaction import redact_text

_installed = {"done": False}
_FORMATTER = logging.Formatter()


def install() -> None:
    if _installed["done"]:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the bare template only
            message = str(record.msg)
        record.msg = redact_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # Exception messages can quote the input: render and redact now.
            record.exc_text = redact_text(_FORMATTER.formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(factory)
    _installed["done"] = True
