"""Good records (commendations) are not graded: the catalogue lists them with severity "none".

轻微/一般/严重 grade dishonest behaviour; a commendation was stored as "一般" only because a severity
was required. The catalogue's good-record versions and the good records stored with "general" become
"none" (a kind whose catalogue names only "none" takes no severity).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 14:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE credit_rules SET severity = 'none' WHERE kind = 'good' AND severity = 'general'")
    op.execute(
        "UPDATE credit_records SET severity = 'none' WHERE kind = 'good' AND severity = 'general'"
        " AND NOT EXISTS (SELECT 1 FROM credit_rules WHERE kind = 'good' AND severity = 'general')"
    )


def downgrade() -> None:
    op.execute("UPDATE credit_records SET severity = 'general' WHERE kind = 'good' AND severity = 'none'")
    op.execute("UPDATE credit_rules SET severity = 'general' WHERE kind = 'good' AND severity = 'none'")
