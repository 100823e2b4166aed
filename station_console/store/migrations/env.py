"""Alembic environment: runs on the connection the program hands over (never from a URL)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from station_console.store import models  # noqa: F401  (registers the tables)
from station_console.store.dialect import include_object

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
