"""Tamper-evident business rows: a ``row_mac`` on every table whose rows decide a verdict or a
document, and personal data bound to its row.

A migration has no key, so it only adds the columns (NULL) and leaves a note in ``app_meta``; the
first opening after it (``store.resealing``, with the key file) computes the MACs of the existing
rows and seals the existing personal data again with its table, row and column as associated data,
once, with an audit entry. After that a row without a MAC is a failure like a wrong one.

Downgrading drops the columns; personal data stays in the bound format, which only this program
opens (going back to an older program means restoring the backup made before the upgrade).

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = (
    "credit_subjects",
    "credit_records",
    "credit_repairs",
    "credit_entry_checks",
    "notices",
    "notice_copies",
)
PENDING = "integrity.seal_pending"


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("row_mac", sa.String(length=80), nullable=True))
    app_meta = sa.table("app_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(app_meta.delete().where(app_meta.c.key == PENDING))
    op.execute(app_meta.insert().values(key=PENDING, value="rows,personal_data"))


def downgrade() -> None:
    app_meta = sa.table("app_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(app_meta.delete().where(app_meta.c.key == PENDING))
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("row_mac")
