"""Privacy by default: inbound screening, redaction of identifiers, session
tokens, rate limits and a log filter (issue 7, docs/SECURITY.md).

Plain Python without Rasa imports; the channels in ``veiviser/channels/``
call into it before a message reaches Rasa.
"""
