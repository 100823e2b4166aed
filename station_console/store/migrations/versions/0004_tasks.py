"""Community-officer tasks: standard task templates, tasks, their incidents and event log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_template",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("lead_department", sa.String(length=60), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("standard", sa.Text(), nullable=False),
        sa.Column("signoff_limit_min", sa.Integer(), nullable=False),
        sa.Column("feedback_limit_h", sa.Integer(), nullable=False),
        sa.Column("form_schema", sa.Text(), nullable=False),
        sa.Column("category_codes", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_no", sa.String(length=40), nullable=False),
        sa.Column("external_no", sa.String(length=60), nullable=True),
        sa.Column("template_code", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("issued_by", sa.String(length=50), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("signoff_due", sa.DateTime(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("feedback_started_at", sa.DateTime(), nullable=True),
        sa.Column("feedback_due", sa.DateTime(), nullable=True),
        sa.Column("feedback_at", sa.DateTime(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=50), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("return_count", sa.Integer(), nullable=False),
        sa.Column("was_overdue", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["officer.id"]),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.ForeignKeyConstraint(["template_code"], ["task_template.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_no"),
        sa.UniqueConstraint("task_no"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index("ix_task_assignee_issued", ["assignee_id", "issued_at"], unique=False)
        batch_op.create_index("ix_task_community_id", ["community_id"], unique=False)
        batch_op.create_index("ix_task_issued", ["issued_at"], unique=False)
        batch_op.create_index("ix_task_state_assignee", ["state", "assignee_id"], unique=False)
        batch_op.create_index("ix_task_template_code", ["template_code"], unique=False)
    op.create_table(
        "task_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task_event", schema=None) as batch_op:
        batch_op.create_index("ix_task_event_task_at", ["task_id", "at"], unique=False)
    op.create_table(
        "task_incident",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.PrimaryKeyConstraint("task_id", "incident_id"),
    )
    with op.batch_alter_table("task_incident", schema=None) as batch_op:
        batch_op.create_index("ix_task_incident_incident_id", ["incident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_incident", schema=None) as batch_op:
        batch_op.drop_index("ix_task_incident_incident_id")
    op.drop_table("task_incident")
    with op.batch_alter_table("task_event", schema=None) as batch_op:
        batch_op.drop_index("ix_task_event_task_at")
    op.drop_table("task_event")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_template_code")
        batch_op.drop_index("ix_task_state_assignee")
        batch_op.drop_index("ix_task_issued")
        batch_op.drop_index("ix_task_community_id")
        batch_op.drop_index("ix_task_assignee_issued")
    op.drop_table("task")
    op.drop_table("task_template")
