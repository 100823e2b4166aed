"""Patrol GPS tracks: the points of imported track files (unit or officer, time, WGS-84 position).

A point is unique per subject and time, so importing the same file again (or an overlapping
export of the same device) adds nothing.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patrol_track_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("source_file", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["patrol_unit.id"]),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("patrol_track_point", schema=None) as batch_op:
        batch_op.create_index("ix_patrol_track_point_at", ["at"], unique=False)
        batch_op.create_index("ux_patrol_track_point_subject_at", ["subject", "at"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("patrol_track_point", schema=None) as batch_op:
        batch_op.drop_index("ux_patrol_track_point_subject_at")
        batch_op.drop_index("ix_patrol_track_point_at")
    op.drop_table("patrol_track_point")
