"""Stores for running several Rasa processes: the tracker store and the lock
store chosen by the environment (`VEIVISER_DATABASE_URL`,
`VEIVISER_REDIS_URL`); see docs/PERFORMANCE.md."""
