"""Handoff to human advisors: live chat relay, callback requests and their storage (issue 6).

See docs/HANDOFF.md for the protocol. Modules:

- ``settings``: configuration from the environment;
- ``db`` and ``migrations``: SQLAlchemy models and versioned schema steps;
- ``availability`` and ``holidays``: opening hours and Norwegian public holidays;
- ``cases``: the repository every process uses (Rasa, actions, console);
- ``contact``: validation of the phone number or e-mail address for a callback;
- ``notify``: e-mail to advisors about a new callback request;
- ``relay``: the Rasa input channel that carries an advisor's messages into the chat;
- ``retention``: purge functions for the retention job.
"""
