"""Peers' encryption keys: change packages are sealed for their recipient (X25519).

Peers registered before keep no encryption key until their new card is registered; packages
for them can only be sent unencrypted meanwhile.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_peer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("encryption_key", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_peer", schema=None) as batch_op:
        batch_op.drop_column("encryption_key")
