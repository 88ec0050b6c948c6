"""Pinyin initials from inside a name: the initials of a name or alias from each later character on,
so that a clerk typing the initials of the part of a name they remember (鑫鑫建设 → xxjs, without the
place name in front) finds it.

The rows are derived from the initials already stored (no pinyin reading here: a migration must not
change when the application's code does): every proper suffix of a row of ``credit_search_initials``,
its rank one bucket (1000) further, as ``domain.search_text.subject_search_keys`` writes them; a suffix
two names share keeps the better rank.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

RANK_BUCKET = 1000  # domain.search_text.RANK_BUCKET when this was written

BACKFILL = f"""
INSERT INTO credit_search_infix_initials (initials, rank, subject_id)
WITH RECURSIVE runs (initials, rank, subject_id) AS (
    SELECT substr(initials, 2), rank + {RANK_BUCKET}, subject_id
    FROM credit_search_initials WHERE length(initials) > 1
    UNION ALL
    SELECT substr(initials, 2), rank, subject_id FROM runs WHERE length(initials) > 1
)
SELECT initials, min(rank), subject_id FROM runs GROUP BY initials, subject_id
"""


def upgrade() -> None:
    op.create_table(
        "credit_search_infix_initials",
        sa.Column(
            "initials",
            sa.String(length=60).with_variant(sa.String(length=60, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "initials", "rank", "subject_id", name=op.f("pk_credit_search_infix_initials")
        ),
        sqlite_with_rowid=False,
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_table("credit_search_infix_initials")
