"""The audit chain's segments: the head remembers where the current segment starts.

A segment starts at the first entry, and again at each entry with which the audit admin recorded a
break (or a restore replaced the database); the head's MAC covers the segment's start from then on.
Existing heads stay in segment 1, whose MAC keeps its original form, so no key is needed here.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(sa.Column("segment", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("segment")
