"""The advisor console: a small aiohttp web app in its own process (docs/HANDOFF.md)."""
