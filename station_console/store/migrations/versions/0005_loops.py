"""Closed loops: repeat-call patterns and address keys, the disputes ledger, warning orders,
departments and non-police diversions, and one event log for the loop items.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "dispute_category",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("name_en", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "loop_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loop", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("loop_event", schema=None) as batch_op:
        batch_op.create_index("ix_loop_event_item_at", ["loop", "item_id", "at"], unique=False)

    op.create_table(
        "warning_limit",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("response_limit_min", sa.Integer(), nullable=False),
        sa.Column("feedback_limit_min", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "level"),
    )
    op.create_table(
        "dispute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_no", sa.String(length=40), nullable=False),
        sa.Column("category_code", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("risk_level", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("mediating_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("unresolved_at", sa.DateTime(), nullable=True),
        sa.Column("handed_over_at", sa.DateTime(), nullable=True),
        sa.Column("handed_to", sa.String(length=100), nullable=False),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["dispute_category.code"],
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dispute_no"),
    )
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_community_id"), ["community_id"], unique=False)
        batch_op.create_index("ix_dispute_stage_registered", ["stage", "registered_at"], unique=False)

    op.create_table(
        "dispute_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("id_no", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["dispute.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dispute_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_party_dispute_id"), ["dispute_id"], unique=False)

    op.create_table(
        "dispute_task",
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["dispute.id"],
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.PrimaryKeyConstraint("dispute_id", "task_id"),
    )
    op.create_table(
        "repeat_pattern",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("pattern_key", sa.String(length=200), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("first_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("call_count", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("repeat_pattern", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_repeat_pattern_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_repeat_pattern_last_at"), ["last_at"], unique=False)
        batch_op.create_index("ux_repeat_pattern_kind_key", ["kind", "pattern_key"], unique=True)

    op.create_table(
        "dispute_incident",
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["dispute.id"],
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("dispute_id", "incident_id"),
    )
    with op.batch_alter_table("dispute_incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_incident_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "diversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("handed_over_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("feedback_at", sa.DateTime(), nullable=True),
        sa.Column("revisited_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("was_overdue", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("diversion", schema=None) as batch_op:
        batch_op.create_index(
            "ix_diversion_department_handed", ["department_id", "handed_over_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_diversion_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index("ix_diversion_state_handed", ["state", "handed_over_at"], unique=False)

    op.create_table(
        "incident_address_key",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("address_key", sa.String(length=200), nullable=False),
        sa.Column("precise", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("incident_id"),
    )
    with op.batch_alter_table("incident_address_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_address_key_address_key"), ["address_key"], unique=False
        )

    op.create_table(
        "repeat_pattern_incident",
        sa.Column("pattern_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pattern_id"],
            ["repeat_pattern.id"],
        ),
        sa.PrimaryKeyConstraint("pattern_id", "incident_id"),
    )
    with op.batch_alter_table("repeat_pattern_incident", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_repeat_pattern_incident_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "warning_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("subject_name", sa.String(length=50), nullable=False),
        sa.Column("subject_phone", sa.String(length=32), nullable=False),
        sa.Column("subject_id_no", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("response_due", sa.DateTime(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("feedback_due", sa.DateTime(), nullable=True),
        sa.Column("feedback_at", sa.DateTime(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("was_overdue", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_no"),
    )
    with op.batch_alter_table("warning_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warning_order_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_warning_order_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index("ix_warning_order_state_received", ["state", "received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("warning_order", schema=None) as batch_op:
        batch_op.drop_index("ix_warning_order_state_received")
        batch_op.drop_index(batch_op.f("ix_warning_order_incident_id"))
        batch_op.drop_index(batch_op.f("ix_warning_order_community_id"))

    op.drop_table("warning_order")
    with op.batch_alter_table("repeat_pattern_incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repeat_pattern_incident_incident_id"))

    op.drop_table("repeat_pattern_incident")
    with op.batch_alter_table("incident_address_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_address_key_address_key"))

    op.drop_table("incident_address_key")
    with op.batch_alter_table("diversion", schema=None) as batch_op:
        batch_op.drop_index("ix_diversion_state_handed")
        batch_op.drop_index(batch_op.f("ix_diversion_incident_id"))
        batch_op.drop_index("ix_diversion_department_handed")

    op.drop_table("diversion")
    with op.batch_alter_table("dispute_incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispute_incident_incident_id"))

    op.drop_table("dispute_incident")
    with op.batch_alter_table("repeat_pattern", schema=None) as batch_op:
        batch_op.drop_index("ux_repeat_pattern_kind_key")
        batch_op.drop_index(batch_op.f("ix_repeat_pattern_last_at"))
        batch_op.drop_index(batch_op.f("ix_repeat_pattern_community_id"))

    op.drop_table("repeat_pattern")
    op.drop_table("dispute_task")
    with op.batch_alter_table("dispute_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispute_party_dispute_id"))

    op.drop_table("dispute_party")
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.drop_index("ix_dispute_stage_registered")
        batch_op.drop_index(batch_op.f("ix_dispute_community_id"))

    op.drop_table("dispute")
    op.drop_table("warning_limit")
    with op.batch_alter_table("loop_event", schema=None) as batch_op:
        batch_op.drop_index("ix_loop_event_item_at")

    op.drop_table("loop_event")
    op.drop_table("dispute_category")
    op.drop_table("department")
