"""The store: migrations on start (SQLite and PostgreSQL alike), SQLite's settings, constraints."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from procmap.web.settings import Settings
from procmap.web.store import tables
from procmap.web.store.db import make_engine, transaction

TABLES = {"users", "processes", "versions", "workshops", "memberships", "invites", "drafts",
          "comments", "alembic_version"}


def test_migrations_make_every_table_and_run_again_harmlessly(settings) -> None:
    engine = make_engine(settings)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()
    engine = make_engine(settings)  # a second start: already at head
    with transaction(engine, write=False) as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
    engine.dispose()


def test_sqlite_is_a_wal_file_in_the_data_folder_with_foreign_keys(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path / "d", secret_key="k")
    engine = make_engine(settings)
    assert (tmp_path / "d" / "procmap.sqlite").exists()
    with transaction(engine, write=False) as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000
    engine.dispose()


def test_postgresql_urls_use_psycopg_3() -> None:
    assert Settings(database_url="postgresql://u@h/db").url == "postgresql+psycopg://u@h/db"
    assert Settings(database_url="postgres://u@h/db").url == "postgresql+psycopg://u@h/db"


def test_a_version_number_is_unique_per_process_and_references_hold(settings) -> None:
    from datetime import datetime

    engine = make_engine(settings)
    at = datetime(2024, 1, 1)
    with transaction(engine) as conn:
        uid = conn.execute(insert(tables.users).values(
            email="u", name="U", password_hash="x", is_admin=False, created_at=at)).inserted_primary_key[0]
        pid = conn.execute(insert(tables.processes).values(
            key="p", name="P", created_by=uid, created_at=at)).inserted_primary_key[0]
    row = dict(process_id=pid, number=1, yaml="", author_id=uid, message="m", created_at=at,
               steps=0, moments_of_truth=0, break_points=0, business_rules=0)
    with transaction(engine) as conn:
        conn.execute(insert(tables.versions).values(**row))
    with pytest.raises(IntegrityError), transaction(engine) as conn:
        conn.execute(insert(tables.versions).values(**row))
    with pytest.raises(IntegrityError), transaction(engine) as conn:  # no such user
        conn.execute(insert(tables.versions).values(**{**row, "number": 2, "author_id": 999}))
    with transaction(engine, write=False) as conn:  # the failed writes left nothing
        assert len(conn.execute(select(tables.versions)).all()) == 1
    engine.dispose()
