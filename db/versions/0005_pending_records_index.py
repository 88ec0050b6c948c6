"""A partial index on the credit records waiting for a leader's confirmation: the home page counts
them when a leader or a supervisor signs in, a handful among millions of records.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_index(
        "ix_credit_records_pending",
        "credit_records",
        ["created_by"],
        unique=False,
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_credit_records_pending", table_name="credit_records")
