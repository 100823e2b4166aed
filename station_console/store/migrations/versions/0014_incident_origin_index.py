"""Incidents by origin station and receipt time: the district view reads one station's rows.

A district database holds the incidents of many stations (``sync_origin``); the district's
figures and its check for which trusted peers have rows read one station's period at a time.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_incident_origin_received", "incident", ["sync_origin", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_incident_origin_received", table_name="incident")
