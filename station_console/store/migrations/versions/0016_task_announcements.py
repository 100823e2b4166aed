"""Workstations on one PostgreSQL server also tell each other of changes to the task queue.

The task queue of one workstation follows a sign-off or feedback filed at another at once
instead of at its next half-minute reload (see 0013). On SQLite there is nothing to create.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from station_console.store.dialect import create_change_announcements, drop_change_announcements

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLES = ("task", "task_event")


def upgrade() -> None:
    create_change_announcements(op.get_bind(), TABLES)


def downgrade() -> None:
    drop_change_announcements(op.get_bind(), TABLES, function=False)
