"""Text-search index rebuilt with an end mark on every column, so two-character queries use it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from station_console.store.dialect import create_search_index, drop_search_index

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_search_index(op.get_bind())
    create_search_index(op.get_bind())


def downgrade() -> None:
    drop_search_index(op.get_bind())
    create_search_index(op.get_bind())
