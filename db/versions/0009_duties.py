"""Separation of duties: a business role given by the system admin waits for a leader's
confirmation (an audit admin role for the audit admin's) — the roles asked for, by whom and when.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("pending_roles", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("pending_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("pending_since", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("pending_since")
        batch.drop_column("pending_by")
        batch.drop_column("pending_roles")
