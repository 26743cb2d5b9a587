"""Custom actions for Veiviser: one module per capability.

The rasa-sdk action server registers every module of this package
(`rasa run actions` loads `actions` by default).
"""
