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

#: The tables announced from this revision on (later ones add their own).
TABLES = ("incident", "incident_event", "patrol_unit", "unit_duty_change", "diversion", "loop_event")


def upgrade() -> None:
    create_change_announcements(op.get_bind(), TABLES)


def downgrade() -> None:
    drop_change_announcements(op.get_bind(), TABLES, function=True)
