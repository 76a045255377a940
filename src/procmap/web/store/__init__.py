"""Storage: SQLAlchemy Core tables, the engine (SQLite or PostgreSQL) and Alembic migrations."""
