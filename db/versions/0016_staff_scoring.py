"""Monthly staff scoring (月度考核): the schemes per post and their items, the post → scheme map, the
bands and quota (seeded from db/seed/scoring_schemes.json), the departments' months, the sheets and
their entries.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 23:07:21.765874
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from desktop_app import clock
from desktop_app.paths import db_dir

# Migrations use plain SQLAlchemy types only, never the app's own: a script must not change when the app does.

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_post_schemes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post", sa.String(length=50), nullable=False),
        sa.Column("scheme_name", sa.String(length=50), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_post_schemes")),
        sa.UniqueConstraint("post", name=op.f("uq_scoring_post_schemes_post")),
    )
    op.create_table(
        "scoring_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.String(length=7), nullable=False),
        sa.Column("monthly_bands", sa.String(length=200), nullable=False),
        sa.Column("monthly_worst", sa.String(length=10), nullable=False),
        sa.Column("veto_cap", sa.String(length=10), nullable=False),
        sa.Column("excellent", sa.String(length=10), nullable=False),
        sa.Column("quota_percent", sa.Integer(), nullable=False),
        sa.Column("quota_min_size", sa.Integer(), nullable=False),
        sa.Column("quarterly_bands", sa.String(length=200), nullable=False),
        sa.Column("quarterly_worst", sa.String(length=10), nullable=False),
        sa.Column("annual_bands", sa.String(length=200), nullable=False),
        sa.Column("annual_worst", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_rules")),
        sa.UniqueConstraint("effective_from", name=op.f("uq_scoring_rules_effective_from")),
    )
    op.create_table(
        "scoring_schemes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("effective_from", sa.String(length=7), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("maximum", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_schemes")),
        sa.UniqueConstraint("name", "effective_from", name="uq_scoring_schemes_version"),
    )
    op.create_table(
        "scoring_department_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("locked_at", sa.DateTime(), nullable=True),
        sa.Column("locked_by", sa.String(length=64), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("returned_by", sa.String(length=64), nullable=False),
        sa.Column("return_reason", sa.Text(), nullable=False),
        sa.Column("reopened_at", sa.DateTime(), nullable=True),
        sa.Column("reopened_by", sa.String(length=64), nullable=False),
        sa.Column("reopen_reason", sa.Text(), nullable=False),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_scoring_department_months_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_department_months")),
        sa.UniqueConstraint("department_id", "month", name="uq_scoring_department_months"),
    )
    with op.batch_alter_table("scoring_department_months", schema=None) as batch_op:
        batch_op.create_index("ix_scoring_department_months_month", ["month", "state"], unique=False)

    op.create_table(
        "scoring_scheme_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("dimension", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("min_points", sa.Float(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("evidence_required", sa.Boolean(), nullable=False),
        sa.Column("veto", sa.Boolean(), nullable=False),
        sa.Column("auto_source", sa.String(length=20), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["scoring_schemes.id"],
            name=op.f("fk_scoring_scheme_items_scheme_id_scoring_schemes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_scheme_items")),
        sa.UniqueConstraint("scheme_id", "code", name="uq_scoring_scheme_items_code"),
    )
    with op.batch_alter_table("scoring_scheme_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scoring_scheme_items_scheme_id"), ["scheme_id"], unique=False)

    op.create_table(
        "scoring_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("post", sa.String(length=50), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(length=10), nullable=False),
        sa.Column("veto", sa.Boolean(), nullable=False),
        sa.Column("remark", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_scoring_sheets_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"], ["scoring_schemes.id"], name=op.f("fk_scoring_sheets_scheme_id_scoring_schemes")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_scoring_sheets_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_sheets")),
        sa.UniqueConstraint("staff_id", "month", "revision", name="uq_scoring_sheets_revision"),
    )
    with op.batch_alter_table("scoring_sheets", schema=None) as batch_op:
        batch_op.create_index("ix_scoring_sheets_month", ["month", "current", "department_id"], unique=False)
        batch_op.create_index("ix_scoring_sheets_staff", ["staff_id", "current", "month"], unique=False)

    op.create_table(
        "scoring_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=10), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("remark", sa.Text(), nullable=False),
        sa.Column("auto_source", sa.String(length=20), nullable=True),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("source_ref", sa.String(length=40), nullable=False),
        sa.Column("contest_state", sa.String(length=20), nullable=False),
        sa.Column("contest_reason", sa.Text(), nullable=False),
        sa.Column("contested_by", sa.String(length=64), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["scoring_sheets.id"], name=op.f("fk_scoring_entries_sheet_id_scoring_sheets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_entries")),
    )
    with op.batch_alter_table("scoring_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scoring_entries_sheet_id"), ["sheet_id"], unique=False)

    seed = json.loads((db_dir() / "seed" / "scoring_schemes.json").read_text(encoding="utf-8"))
    effective_from = seed["effective_from"]
    stamp = {"version": 1, "updated_at": clock.now().replace(tzinfo=None), "updated_by": "<migration>"}
    rule = seed["rule"]
    op.bulk_insert(
        sa.table("scoring_rules", *(sa.column(c) for c in (*rule, "effective_from", *stamp))),
        [{**rule, "effective_from": effective_from, **stamp}],
    )
    scheme_columns = ("name", "effective_from", "is_default", "maximum", "note", *stamp)
    item_columns = (
        "scheme_id", "code", "dimension", "kind", "text", "points", "min_points", "max_points",
        "evidence_required", "veto", "auto_source", "position",
    )  # fmt: skip
    op.bulk_insert(
        sa.table("scoring_schemes", *(sa.column(c) for c in scheme_columns)),
        [
            {
                "name": scheme["name"],
                "effective_from": effective_from,
                "is_default": scheme["is_default"],
                "maximum": scheme["maximum"],
                "note": scheme["note"],
                **stamp,
            }
            for scheme in seed["schemes"]
        ],
    )
    ids = dict(op.get_bind().execute(sa.text("SELECT name, id FROM scoring_schemes")).all())
    op.bulk_insert(
        sa.table("scoring_scheme_items", *(sa.column(c) for c in item_columns)),
        [
            {"scheme_id": ids[scheme["name"]], **{c: item[c] for c in item_columns[1:]}}
            for scheme in seed["schemes"]
            for item in scheme["items"]
        ],
    )
    op.bulk_insert(
        sa.table("scoring_post_schemes", *(sa.column(c) for c in ("post", "scheme_name", *stamp))),
        [{"post": post, "scheme_name": name, **stamp} for post, name in seed["posts"].items()],
    )


def downgrade() -> None:
    with op.batch_alter_table("scoring_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scoring_entries_sheet_id"))

    op.drop_table("scoring_entries")
    with op.batch_alter_table("scoring_sheets", schema=None) as batch_op:
        batch_op.drop_index("ix_scoring_sheets_staff")
        batch_op.drop_index("ix_scoring_sheets_month")

    op.drop_table("scoring_sheets")
    with op.batch_alter_table("scoring_scheme_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scoring_scheme_items_scheme_id"))

    op.drop_table("scoring_scheme_items")
    with op.batch_alter_table("scoring_department_months", schema=None) as batch_op:
        batch_op.drop_index("ix_scoring_department_months_month")

    op.drop_table("scoring_department_months")
    op.drop_table("scoring_schemes")
    op.drop_table("scoring_rules")
    op.drop_table("scoring_post_schemes")
