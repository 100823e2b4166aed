"""Change packages: per-row identity of incidents (uuid, origin, hybrid clock), peers, tombstones.

Existing incidents get their identity in one set-based UPDATE (no Python loop per row), so a
million-incident database upgrades in seconds. Triggers keep the identity current: an edit of a
stamped incident takes a new clock value and a new local change number; a deletion leaves a
tombstone. Rows inserted afterwards are stamped in bulk by the next export or apply
(``services.changes.stamp_new_rows``), so inserts stay as fast as before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import secrets
import time

import sqlalchemy as sa
from alembic import op

from station_console.store.auditing import rows_unrecorded, writes_checked
from station_console.store.dialect import create_sync_triggers, drop_sync_triggers, random_hex_sql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: The incident columns whose change is a new version (merged_into_id is local bookkeeping).
CONTENT_COLUMNS = (
    "incident_no", "source", "category_code", "priority", "status", "received_at",
    "dispatched_at", "arrived_at", "resolved_at", "closed_at", "reopened_at", "caller_name",
    "caller_phone", "caller_id_no", "address", "lat", "lon", "community_id", "grid_id",
    "description", "unit_id", "officer_id", "outcome_code", "feedback", "is_repeat",
    "is_diverted", "in_jurisdiction", "updated_at",
)
def upgrade() -> None:
    op.create_table(
        "sync_peer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("station_id", sa.String(length=32), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("sent_sequence", sa.Integer(), nullable=False),
        sa.Column("sent_row_seq", sa.BigInteger(), nullable=False),
        sa.Column("sent_tombstone_seq", sa.BigInteger(), nullable=False),
        sa.Column("received_sequence", sa.Integer(), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_received_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("station_id"),
    )
    op.create_table(
        "sync_tombstone",
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_uuid", sa.String(length=32), nullable=False),
        sa.Column("row_key", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_uuid"),
    )
    with op.batch_alter_table("sync_tombstone", schema=None) as batch_op:
        batch_op.create_index("ix_sync_tombstone_seq", ["seq"])
        batch_op.create_index("ix_sync_tombstone_key", ["table_name", "row_key"])
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_uuid", sa.String(length=32), nullable=False),
        sa.Column("row_key", sa.String(length=200), nullable=False),
        sa.Column("kept_origin", sa.String(length=32), nullable=False),
        sa.Column("kept_hlc", sa.BigInteger(), nullable=False),
        sa.Column("lost_origin", sa.String(length=32), nullable=False),
        sa.Column("lost_hlc", sa.BigInteger(), nullable=False),
        sa.Column("lost_deleted", sa.Boolean(), nullable=False),
        sa.Column("lost_data", sa.Text(), nullable=False),
        sa.Column("package", sa.String(length=200), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflict_reviewed_at", ["reviewed", "detected_at"])
    op.create_table(
        "sync_package_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("peer_name", sa.String(length=100), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # Plain ADD COLUMN: SQLite adds nullable columns without rewriting the table.
    op.add_column("incident", sa.Column("sync_uuid", sa.String(length=32), nullable=True))
    op.add_column("incident", sa.Column("sync_origin", sa.String(length=32), nullable=True))
    op.add_column("incident", sa.Column("sync_hlc", sa.BigInteger(), nullable=True))
    op.add_column("incident", sa.Column("sync_base", sa.BigInteger(), nullable=True))
    op.add_column("incident", sa.Column("sync_seq", sa.BigInteger(), nullable=True))

    bind = op.get_bind()
    node = secrets.token_hex(8)
    bind.exec_driver_sql("DELETE FROM app_meta WHERE key = 'sync_station_id'")
    bind.execute(sa.text("INSERT INTO app_meta (key, value) VALUES ('sync_station_id', :node)"),
                 {"node": node})
    # Bookkeeping, not a change of business data: no audit record per row.
    with rows_unrecorded(bind), writes_checked(bind):
        bind.execute(
            sa.text(f"UPDATE incident SET sync_uuid = {random_hex_sql(bind)}, sync_origin = :node, "
                    "sync_hlc = :hlc, sync_base = 0, sync_seq = id"),
            {"node": node, "hlc": int(time.time() * 1000) << 16})
    op.create_index("ux_incident_sync_uuid", "incident", ["sync_uuid"], unique=True)
    op.create_index("ix_incident_sync_seq", "incident", ["sync_seq"])
    create_sync_triggers(bind, CONTENT_COLUMNS)


def downgrade() -> None:
    bind = op.get_bind()
    drop_sync_triggers(bind)
    op.drop_index("ix_incident_sync_seq", table_name="incident")
    op.drop_index("ux_incident_sync_uuid", table_name="incident")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        for name in ("sync_seq", "sync_base", "sync_hlc", "sync_origin", "sync_uuid"):
            batch_op.drop_column(name)
    bind.exec_driver_sql("DELETE FROM app_meta WHERE key = 'sync_station_id'")
    op.drop_table("sync_package_log")
    op.drop_table("sync_conflict")
    op.drop_table("sync_tombstone")
    op.drop_table("sync_peer")
