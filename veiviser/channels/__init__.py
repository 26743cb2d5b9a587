"""Veiviser's own input channels (see docs/ARCHITECTURE.md)."""
