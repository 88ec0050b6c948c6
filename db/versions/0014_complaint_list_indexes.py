"""Indexes for the complaints list at scale (200,000 cases): each filter with the newest-first order,
the text filter's narrow index (SQLite scans it instead of the rows), the visit date of the monthly
figures; on PostgreSQL a trigram index on the text when pg_trgm is there (as revision 0006 does).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 19:50:00
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

TRIGRAM_INDEX = "ix_complaints_search_trgm"  # services.complaints.listing.TEXT_INDEXES
TEXT_INDEX = "ix_complaints_search_text"  # SQLite only: PostgreSQL's B-tree refuses texts past ~2.7 kB
INDEXES = {
    "ix_complaints_state_received": ["state", "received_at"],
    "ix_complaints_category_received": ["category", "received_at"],
    "ix_complaints_channel_received": ["channel", "received_at"],
    "ix_complaints_visited_at": ["visited_at"],
}


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    if op.get_bind().dialect.name == "postgresql":
        trigram_index()
    else:
        op.create_index(TEXT_INDEX, "complaints", ["search_text"])


def trigram_index() -> None:
    """Made only where pg_trgm can be created and reads Chinese (see revision 0006); else the text
    filter scans the plain index."""
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning(
            "pg_trgm not available (%s): the complaint text filter scans its index", type(exc.orig).__name__
        )
        return
    schema = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    ).scalar_one()
    reads_chinese = bind.execute(
        sa.text(f'SELECT cardinality("{schema}".show_trgm(:name)) > 0'), {"name": "保证金退还"}
    ).scalar_one()
    if not reads_chinese:
        log.warning("pg_trgm makes no trigrams of Chinese text here (LC_CTYPE): not used")
        return
    op.execute(f'CREATE INDEX {TRIGRAM_INDEX} ON complaints USING gin (search_text "{schema}".gin_trgm_ops)')


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    op.execute(f"DROP INDEX IF EXISTS {TEXT_INDEX}")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        for name in reversed(INDEXES):
            batch_op.drop_index(name)
