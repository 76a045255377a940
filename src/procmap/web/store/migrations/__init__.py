"""Alembic migrations of the workshop server's store (the same on SQLite and PostgreSQL)."""
