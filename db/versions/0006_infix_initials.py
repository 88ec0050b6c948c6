"""Pinyin initials from inside a name: the initials of a name or alias from each later character on,
so that a clerk typing the initials of the part of a name they remember (鑫鑫建设 → xxjs, without the
place name in front) finds it. On PostgreSQL, a trigram index on the folded names (see
``trigram_index``).

The rows are derived from the initials already stored (no pinyin reading here: a migration must not
change when the application's code does): every proper suffix of a row of ``credit_search_initials``,
its rank one bucket (1000) further, as ``domain.search_text.subject_search_keys`` writes them; a suffix
two names share keeps the better rank.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

RANK_BUCKET = 1000  # domain.search_text.RANK_BUCKET when this was written

TRIGRAM_INDEX = "ix_credit_subjects_search_trgm"  # services.credit.search.TRIGRAM_INDEX

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
    if op.get_bind().dialect.name == "postgresql":
        trigram_index()


def trigram_index() -> None:
    """PostgreSQL: a trigram index on the folded names (pg_trgm, shipped with the server), which finds
    the names containing a query of four characters or more however common its pairs are.

    Made only where it works: the extension is created if this role may (pg_trgm is a trusted
    extension: the database's owner or a role with CREATE on it may, or a superuser made it before),
    and the database's character classification reads Chinese characters as letters (a UTF8 database
    with a LC_CTYPE such as zh_CN.UTF-8 or C.UTF-8; under C no trigrams of Chinese names are made).
    Without it the lookup uses its own index, as on SQLite."""
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm not available (%s): the lookup uses its own index only", type(exc.orig).__name__)
        return
    schema = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    ).scalar_one()
    reads_chinese = bind.execute(
        sa.text(f'SELECT cardinality("{schema}".show_trgm(:name)) > 0'), {"name": "华建科技"}
    ).scalar_one()
    if not reads_chinese:
        log.warning("pg_trgm makes no trigrams of Chinese names here (LC_CTYPE): not used")
        return
    op.execute(
        f'CREATE INDEX {TRIGRAM_INDEX} ON credit_subjects USING gin (search_text "{schema}".gin_trgm_ops)'
    )


def downgrade() -> None:
    # The extension stays: other databases' objects may use it, and it costs nothing unused.
    op.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    op.drop_table("credit_search_infix_initials")
