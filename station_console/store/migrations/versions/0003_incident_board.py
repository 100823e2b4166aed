"""The live incident board: reopening time, and indexes for its sorts and live polling.

``reopened_at`` restarts the response clocks of a reopened incident. The indexes serve the
board at a million incidents: sort by priority, the live-update watermark (max updated_at),
the repeat and diverted flag filters, and "other calls from the same place" in the detail pane.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN needs no table rebuild (a rebuild would drop the text-search triggers).
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reopened_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_incident_priority_received", ["priority", "received_at"], unique=False)
        batch_op.create_index("ix_incident_updated_at", ["updated_at"], unique=False)
        batch_op.create_index("ix_incident_address", ["address"], unique=False)
        batch_op.create_index("ix_incident_repeat_received", ["is_repeat", "received_at"], unique=False)
        batch_op.create_index("ix_incident_diverted_received", ["is_diverted", "received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_diverted_received")
        batch_op.drop_index("ix_incident_repeat_received")
        batch_op.drop_index("ix_incident_address")
        batch_op.drop_index("ix_incident_updated_at")
        batch_op.drop_index("ix_incident_priority_received")
        batch_op.drop_column("reopened_at")
