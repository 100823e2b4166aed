"""Change packages carry the incidents' event logs: identity of event rows, per-peer mark.

Events are written once and never edited, so an event needs no clock: a uuid and the station
that wrote it. Existing events get their identity at the first export (one set-based UPDATE),
as incidents inserted after 0009 do.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sync_uuid", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("sync_origin", sa.String(length=32), nullable=True))
    op.create_index("ux_incident_event_sync_uuid", "incident_event", ["sync_uuid"], unique=True)
    with op.batch_alter_table("sync_peer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_event_id", sa.BigInteger(), nullable=False,
                                      server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("sync_peer", schema=None) as batch_op:
        batch_op.drop_column("sent_event_id")
    op.drop_index("ux_incident_event_sync_uuid", table_name="incident_event")
    with op.batch_alter_table("incident_event", schema=None) as batch_op:
        batch_op.drop_column("sync_origin")
        batch_op.drop_column("sync_uuid")
