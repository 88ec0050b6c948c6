"""Working-day calendar: the days off and make-up workdays, seeded for 2025 and 2026 from
db/seed/workdays.json (made once with the chinesecalendar package: db/seed/make_workdays.py).

Revision ID: 0012
Revises: 0005
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

from desktop_app import clock
from desktop_app.paths import db_dir

# Migrations use plain SQLAlchemy types only, never the app's own: a script must not change when the app does.

revision = "0012"
down_revision = "0009"
branch_labels = None
depends_on = None


SEAL_PENDING = "integrity.seal_pending"  # store.resealing.PENDING when this was written


def upgrade() -> None:
    op.create_table(
        "calendar_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        # The days decide deadlines: each row carries a MAC (store.sealing), computed for the seeded
        # rows at the first opening with the key (store.resealing), as the note below asks.
        sa.Column("row_mac", sa.String(length=80), nullable=True),
        sa.CheckConstraint("kind IN ('off', 'work')", name=op.f("ck_calendar_days_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_days")),
        sa.UniqueConstraint("day", name=op.f("uq_calendar_days_day")),
    )
    seed = json.loads((db_dir() / "seed" / "workdays.json").read_text(encoding="utf-8"))
    stamp = {
        "version": 1,
        "updated_at": clock.now().replace(tzinfo=None),  # the application's clock (a test's fixed one)
        "updated_by": "<migration>",
    }
    op.bulk_insert(
        sa.table(
            "calendar_days",
            *(sa.column(c) for c in ("day", "kind", "name", "version", "updated_at", "updated_by")),
        ),
        [
            {"day": date.fromisoformat(d["date"]), "kind": d["kind"], "name": d["name"], **stamp}
            for d in seed["days"]
        ],
    )
    app_meta = sa.table("app_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    pending = sa.select(app_meta.c.key).where(app_meta.c.key == SEAL_PENDING)
    if op.get_bind().execute(pending).first() is None:
        op.execute(app_meta.insert().values(key=SEAL_PENDING, value="rows"))


def downgrade() -> None:
    op.drop_table("calendar_days")
