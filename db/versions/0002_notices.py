"""Notices engine: per-type yearly counters, the archive of issued documents and their copies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 19:25:28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_counters",
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("doc_type", "year", name=op.f("pk_notice_counters")),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("layout", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("verify_code", sa.String(length=20), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.Column("reprints", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("doc_type", "year", "serial", name="uq_notices_serial"),
        sa.UniqueConstraint("number", name=op.f("uq_notices_number")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_issued_at"), ["issued_at"], unique=False)

    op.create_table(
        "notice_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.String(length=64), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_copies_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_copies")),
    )
    with op.batch_alter_table("notice_copies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_copies_notice_id"), ["notice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_copies_pdf_sha256"), ["pdf_sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notice_copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_copies_pdf_sha256"))
        batch_op.drop_index(batch_op.f("ix_notice_copies_notice_id"))

    op.drop_table("notice_copies")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_issued_at"))

    op.drop_table("notices")
    op.drop_table("notice_counters")
