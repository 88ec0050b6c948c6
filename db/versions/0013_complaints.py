"""Complaints: the cases, their history, evidence, deadline extensions, the rules catalogue (seeded
from db/seed/complaint_rules.json), the deductions a case stores for a staff member's month, and the
drafts of forms that survive a crash.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 19:18:18
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

from desktop_app import clock
from desktop_app.paths import db_dir

# Migrations use plain SQLAlchemy types only, never the app's own: a script must not change when the app does.

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_rules")),
        sa.UniqueConstraint("name", "effective_from", name="uq_complaint_rules_version"),
    )
    op.create_table(
        "form_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("form", sa.String(length=40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_drafts")),
        sa.UniqueConstraint("username", "form", name="uq_form_drafts_user_form"),
    )
    op.create_table(
        "staff_deductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("source_ref", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_staff_deductions_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_deductions")),
        sa.UniqueConstraint(
            "source_type", "source_id", "staff_id", "kind", name="uq_staff_deductions_source"
        ),
    )
    with op.batch_alter_table("staff_deductions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_deductions_month"), ["month"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_deductions_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("lookup_code", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("receiver_username", sa.String(length=64), nullable=False),
        sa.Column("receiver_staff_id", sa.Integer(), nullable=True),
        sa.Column("receiver_name", sa.String(length=50), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("complainant_name", sa.String(length=50), nullable=False),
        sa.Column("complainant_unit", sa.String(length=100), nullable=False),
        sa.Column("complainant_id_type", sa.String(length=20), nullable=False),
        sa.Column("complainant_id_number", sa.LargeBinary(), nullable=True),
        sa.Column("complainant_id_number_lookup", sa.String(length=64), nullable=True),
        sa.Column("complainant_id_number_masked", sa.String(length=32), nullable=True),
        sa.Column("complainant_phone", sa.LargeBinary(), nullable=True),
        sa.Column("complainant_phone_lookup", sa.String(length=64), nullable=True),
        sa.Column("complainant_phone_masked", sa.String(length=32), nullable=True),
        sa.Column("complainant_address", sa.LargeBinary(), nullable=True),
        sa.Column("complainant_address_lookup", sa.String(length=64), nullable=True),
        sa.Column("complainant_address_masked", sa.String(length=120), nullable=True),
        sa.Column("respondent_kind", sa.String(length=20), nullable=False),
        sa.Column("respondent_staff_id", sa.Integer(), nullable=True),
        sa.Column("respondent_department_id", sa.Integer(), nullable=True),
        sa.Column("respondent_subject_id", sa.Integer(), nullable=True),
        sa.Column("respondent_text", sa.String(length=200), nullable=False),
        sa.Column("project_code", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("time_limit", sa.String(length=10), nullable=False),
        sa.Column("time_limit_days", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("deadline_provisional", sa.Boolean(), nullable=False),
        sa.Column("acceptance_deadline", sa.Date(), nullable=False),
        sa.Column("statutory", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_reason", sa.Text(), nullable=False),
        sa.Column("transfer_to", sa.String(length=100), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("handler_staff_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.String(length=20), nullable=True),
        sa.Column("visited_at", sa.DateTime(), nullable=True),
        sa.Column("visit_note", sa.Text(), nullable=False),
        sa.Column("followup_contact_deadline", sa.Date(), nullable=True),
        sa.Column("followup_rectify_deadline", sa.Date(), nullable=True),
        sa.Column("followup_contacted_at", sa.DateTime(), nullable=True),
        sa.Column("followup_done_at", sa.DateTime(), nullable=True),
        sa.Column("followup_note", sa.Text(), nullable=False),
        sa.Column("receipt_notice", sa.String(length=40), nullable=False),
        sa.Column("reply_notice", sa.String(length=40), nullable=False),
        sa.Column("linked_to_id", sa.Integer(), nullable=True),
        sa.Column("credit_record_id", sa.Integer(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_record_id"],
            ["credit_records.id"],
            name=op.f("fk_complaints_credit_record_id_credit_records"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_complaints_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["handler_staff_id"], ["staff.id"], name=op.f("fk_complaints_handler_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["linked_to_id"], ["complaints.id"], name=op.f("fk_complaints_linked_to_id_complaints")
        ),
        sa.ForeignKeyConstraint(
            ["receiver_staff_id"], ["staff.id"], name=op.f("fk_complaints_receiver_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["respondent_department_id"],
            ["departments.id"],
            name=op.f("fk_complaints_respondent_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["respondent_staff_id"], ["staff.id"], name=op.f("fk_complaints_respondent_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["respondent_subject_id"],
            ["credit_subjects.id"],
            name=op.f("fk_complaints_respondent_subject_id_credit_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("lookup_code", name=op.f("uq_complaints_lookup_code")),
        sa.UniqueConstraint("number", name=op.f("uq_complaints_number")),
        sa.UniqueConstraint("year", "serial", name="uq_complaints_serial"),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaints_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_channel"), ["channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_closed_on"), ["closed_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_complainant_phone_lookup"), ["complainant_phone_lookup"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_deadline"), ["deadline"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_department_id"), ["department_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_handler_staff_id"), ["handler_staff_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_received_on"), ["received_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_respondent_staff_id"), ["respondent_staff_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaints_respondent_subject_id"), ["respondent_subject_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_state"), ["state"], unique=False)
        batch_op.create_index("ix_complaints_state_deadline", ["state", "deadline"], unique=False)

    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("actor_name", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_complaint_events_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_events_complaint_id"), ["complaint_id"], unique=False)

    op.create_table(
        "complaint_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_complaint_evidence_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_evidence")),
    )
    with op.batch_alter_table("complaint_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_evidence_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "complaint_extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("old_deadline", sa.Date(), nullable=False),
        sa.Column("new_deadline", sa.Date(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_complaint_extensions_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_extensions")),
    )
    with op.batch_alter_table("complaint_extensions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_extensions_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaint_extensions_state"), ["state"], unique=False)

    seed = json.loads((db_dir() / "seed" / "complaint_rules.json").read_text(encoding="utf-8"))
    stamp = {"version": 1, "updated_at": clock.now().replace(tzinfo=None), "updated_by": "<migration>"}
    op.bulk_insert(
        sa.table(
            "complaint_rules",
            *(
                sa.column(c)
                for c in ("name", "effective_from", "value", "version", "updated_at", "updated_by")
            ),
        ),
        [
            {
                "name": name,
                "effective_from": date.fromisoformat(seed["effective_from"]),
                "value": value,
                **stamp,
            }
            for name, value in seed["values"].items()
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("complaint_extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_extensions_state"))
        batch_op.drop_index(batch_op.f("ix_complaint_extensions_complaint_id"))

    op.drop_table("complaint_extensions")
    with op.batch_alter_table("complaint_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_evidence_complaint_id"))

    op.drop_table("complaint_evidence")
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_events_complaint_id"))

    op.drop_table("complaint_events")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_state_deadline")
        batch_op.drop_index(batch_op.f("ix_complaints_state"))
        batch_op.drop_index(batch_op.f("ix_complaints_respondent_subject_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_respondent_staff_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_received_on"))
        batch_op.drop_index(batch_op.f("ix_complaints_received_at"))
        batch_op.drop_index(batch_op.f("ix_complaints_handler_staff_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_department_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_deadline"))
        batch_op.drop_index(batch_op.f("ix_complaints_complainant_phone_lookup"))
        batch_op.drop_index(batch_op.f("ix_complaints_closed_on"))
        batch_op.drop_index(batch_op.f("ix_complaints_channel"))
        batch_op.drop_index(batch_op.f("ix_complaints_category"))

    op.drop_table("complaints")
    with op.batch_alter_table("staff_deductions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_deductions_staff_id"))
        batch_op.drop_index(batch_op.f("ix_staff_deductions_month"))

    op.drop_table("staff_deductions")
    op.drop_table("form_drafts")
    op.drop_table("complaint_rules")
