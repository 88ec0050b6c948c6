"""Expert evaluations (评标专家现场考评): the item catalogue and threshold rules (seeded from
db/seed/evaluation_catalogue.json), sessions and their experts, revisions, finalised marks, the
witness's draft grid, and the proposals for a leader.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 22:20:01.020588
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

from desktop_app import clock
from desktop_app.paths import db_dir

# Migrations use plain SQLAlchemy types only, never the app's own: a script must not change when the app does.

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("default_points", sa.Integer(), nullable=False),
        sa.Column("min_points", sa.Integer(), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column("serious", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_items")),
        sa.UniqueConstraint("code", "effective_from", name="uq_evaluation_items_version"),
    )
    op.create_table(
        "evaluation_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("accumulation", sa.String(length=20), nullable=False),
        sa.Column("notify_points", sa.Integer(), nullable=False),
        sa.Column("suspend_points", sa.Integer(), nullable=False),
        sa.Column("serious_suspends", sa.Boolean(), nullable=False),
        sa.Column("suspension_months", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_rules")),
        sa.UniqueConstraint("effective_from", name=op.f("uq_evaluation_rules_effective_from")),
    )
    op.create_table(
        "evaluation_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("project_code", sa.String(length=60), nullable=False),
        sa.Column("project_name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("room", sa.String(length=50), nullable=False),
        sa.Column("scheduled_start", sa.DateTime(), nullable=False),
        sa.Column("scheduled_end", sa.DateTime(), nullable=True),
        sa.Column("actual_start", sa.DateTime(), nullable=True),
        sa.Column("actual_end", sa.DateTime(), nullable=True),
        sa.Column("evaluation_date", sa.Date(), nullable=False),
        sa.Column("witness_staff_id", sa.Integer(), nullable=True),
        sa.Column("witness_name", sa.String(length=50), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("finalised_by", sa.String(length=64), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("import_key", sa.String(length=64), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["witness_staff_id"], ["staff.id"], name=op.f("fk_evaluation_sessions_witness_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_sessions")),
        sa.UniqueConstraint("import_key", name=op.f("uq_evaluation_sessions_import_key")),
        sa.UniqueConstraint("number", name=op.f("uq_evaluation_sessions_number")),
    )
    with op.batch_alter_table("evaluation_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_evaluation_sessions_date", ["evaluation_date"], unique=False)
        batch_op.create_index("ix_evaluation_sessions_state_due", ["state", "due_on"], unique=False)

    op.create_table(
        "evaluation_drafts",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_sessions.id"],
            name=op.f("fk_evaluation_drafts_session_id_evaluation_sessions"),
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_evaluation_drafts")),
    )
    op.create_table(
        "evaluation_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=False),
        sa.Column("finalised_by", sa.String(length=64), nullable=False),
        sa.Column("reopened_at", sa.DateTime(), nullable=True),
        sa.Column("reopened_by", sa.String(length=64), nullable=False),
        sa.Column("reopen_reason", sa.Text(), nullable=False),
        sa.Column("expert_remarks", sa.Text(), nullable=False),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_sessions.id"],
            name=op.f("fk_evaluation_revisions_session_id_evaluation_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_revisions")),
        sa.UniqueConstraint("session_id", "revision", name="uq_evaluation_revisions"),
    )
    with op.batch_alter_table("evaluation_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_revisions_session_id"), ["session_id"], unique=False)

    op.create_table(
        "evaluation_session_experts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_sessions.id"],
            name=op.f("fk_evaluation_session_experts_session_id_evaluation_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["credit_subjects.id"],
            name=op.f("fk_evaluation_session_experts_subject_id_credit_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_session_experts")),
        sa.UniqueConstraint("session_id", "subject_id", name="uq_evaluation_session_experts"),
    )
    with op.batch_alter_table("evaluation_session_experts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_session_experts_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_session_experts_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "evaluation_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=10), nullable=False),
        sa.Column("item_text", sa.String(length=200), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("serious", sa.Boolean(), nullable=False),
        sa.Column("remark", sa.Text(), nullable=False),
        sa.Column("evaluation_date", sa.Date(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("credit_record_id", sa.Integer(), nullable=True),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["credit_record_id"],
            ["credit_records.id"],
            name=op.f("fk_evaluation_marks_credit_record_id_credit_records"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_sessions.id"],
            name=op.f("fk_evaluation_marks_session_id_evaluation_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["credit_subjects.id"],
            name=op.f("fk_evaluation_marks_subject_id_credit_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_marks")),
    )
    with op.batch_alter_table("evaluation_marks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_evaluation_marks_current_date", ["current", "evaluation_date", "subject_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evaluation_marks_session_id"), ["session_id"], unique=False)
        batch_op.create_index(
            "ix_evaluation_marks_subject_date", ["subject_id", "evaluation_date"], unique=False
        )

    op.create_table(
        "expert_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("suspension_months", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("authority", sa.String(length=100), nullable=False),
        sa.Column("decision_number", sa.String(length=100), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("suspend_from", sa.Date(), nullable=True),
        sa.Column("suspend_until", sa.Date(), nullable=True),
        sa.Column("reason_text", sa.Text(), nullable=False),
        sa.Column("credit_record_id", sa.Integer(), nullable=True),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_record_id"],
            ["credit_records.id"],
            name=op.f("fk_expert_proposals_credit_record_id_credit_records"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["evaluation_sessions.id"],
            name=op.f("fk_expert_proposals_session_id_evaluation_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["credit_subjects.id"],
            name=op.f("fk_expert_proposals_subject_id_credit_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_proposals")),
    )
    with op.batch_alter_table("expert_proposals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_expert_proposals_pending",
            ["subject_id"],
            unique=False,
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )
        batch_op.create_index(batch_op.f("ix_expert_proposals_subject_id"), ["subject_id"], unique=False)

    seed = json.loads((db_dir() / "seed" / "evaluation_catalogue.json").read_text(encoding="utf-8"))
    effective_from = date.fromisoformat(seed["effective_from"])
    stamp = {"version": 1, "updated_at": clock.now().replace(tzinfo=None), "updated_by": "<migration>"}
    item_columns = ("code", "text", "default_points", "min_points", "max_points", "serious")
    op.bulk_insert(
        sa.table(
            "evaluation_items",
            *(sa.column(c) for c in (*item_columns, "active", "effective_from", *stamp)),
        ),
        [
            {**{c: item[c] for c in item_columns}, "active": True, "effective_from": effective_from, **stamp}
            for item in seed["items"]
        ],
    )
    rule_columns = (
        "accumulation",
        "notify_points",
        "suspend_points",
        "serious_suspends",
        "suspension_months",
    )
    op.bulk_insert(
        sa.table("evaluation_rules", *(sa.column(c) for c in (*rule_columns, "effective_from", *stamp))),
        [{**{c: seed["rule"][c] for c in rule_columns}, "effective_from": effective_from, **stamp}],
    )


def downgrade() -> None:
    with op.batch_alter_table("expert_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_proposals_subject_id"))
        batch_op.drop_index(
            "ix_expert_proposals_pending",
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )

    op.drop_table("expert_proposals")
    with op.batch_alter_table("evaluation_marks", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_marks_subject_date")
        batch_op.drop_index(batch_op.f("ix_evaluation_marks_session_id"))
        batch_op.drop_index("ix_evaluation_marks_current_date")

    op.drop_table("evaluation_marks")
    with op.batch_alter_table("evaluation_session_experts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_session_experts_subject_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_session_experts_session_id"))

    op.drop_table("evaluation_session_experts")
    with op.batch_alter_table("evaluation_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_revisions_session_id"))

    op.drop_table("evaluation_revisions")
    op.drop_table("evaluation_drafts")
    with op.batch_alter_table("evaluation_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_sessions_state_due")
        batch_op.drop_index("ix_evaluation_sessions_date")

    op.drop_table("evaluation_sessions")
    op.drop_table("evaluation_rules")
    op.drop_table("evaluation_items")
