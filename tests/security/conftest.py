"""Keep process-wide hooks installed by the channels (the log record
factory, the action guard) from leaking into other test modules."""
from __future__ import annotations

import logging

import pytest


@pytest.fixture(autouse=True, scope="module")
def restore_process_hooks():
    from rasa.core.actions.action import RemoteAction

    from veiviser.channels import faults
    from veiviser.privacy import logfilter

    factory = logging.getLogRecordFactory()
    run = RemoteAction.run
    installed = (dict(logfilter._installed), dict(faults._state))
    yield
    logging.setLogRecordFactory(factory)
    RemoteAction.run = run
    logfilter._installed.clear()
    logfilter._installed.update(installed[0])
    faults._state.clear()
    faults._state.update(installed[1])
