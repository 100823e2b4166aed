"""Unit status board: the record of units put on or off duty (who, when).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_duty_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["patrol_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("unit_duty_change", schema=None) as batch_op:
        batch_op.create_index("ix_unit_duty_change_unit_at", ["unit_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("unit_duty_change", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_duty_change_unit_at")
    op.drop_table("unit_duty_change")
