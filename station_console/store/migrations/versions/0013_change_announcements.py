"""Workstations on one PostgreSQL server tell each other of their changes (LISTEN/NOTIFY).

Statement-level triggers on the tables the board shows NOTIFY a channel with the table's name;
the notification reaches the listening workstations when the writing transaction commits. On
SQLite (one station PC) there is nothing to create.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from station_console.store.dialect import create_change_announcements, drop_change_announcements

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_change_announcements(op.get_bind())


def downgrade() -> None:
    drop_change_announcements(op.get_bind())
