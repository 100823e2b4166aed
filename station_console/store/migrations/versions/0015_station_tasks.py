"""Peer stations' tasks as their packages report them: the district compares tasks on time.

Change packages (format 3) carry the sender's tasks with only the times and state the task
figures judge; the receiver keeps each station's latest report here.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_task",
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("task_no", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("signoff_due", sa.DateTime(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("feedback_due", sa.DateTime(), nullable=True),
        sa.Column("feedback_at", sa.DateTime(), nullable=True),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("origin", "task_no"),
    )
    op.create_index("ix_station_task_origin_issued", "station_task", ["origin", "issued_at"])


def downgrade() -> None:
    op.drop_index("ix_station_task_origin_issued", table_name="station_task")
    op.drop_table("station_task")
