"""Alembic environment: runs on the connection ``procmap.web.store.db`` hands over."""

from __future__ import annotations

from alembic import context

from procmap.web.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` run by hand: a URL in the config
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata,
                          render_as_batch=conn.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
