"""The one-time seal after a migration that adds row MACs or binds personal data to its row.

A migration has no key: it adds ``row_mac`` columns (NULL) and leaves the note ``PENDING`` in
``app_meta``. The first opening with the key file (``store.migrate.open_database``) then, under the
opening lock and in one transaction: computes the MAC of every row that has none, seals again every
personal-data value still in the format bound only to its kind, removes the note, and writes one
audit entry with the counts. Without the note nothing is sealed: a MAC erased later stays a failure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import AuditTrailDamaged, DomainError
from desktop_app.store import audit
from desktop_app.store.crypto import Keyring, Unopened, is_bound
from desktop_app.store.database import Database
from desktop_app.store.models import AppMeta, AuditEntry
from desktop_app.store.sealing import (
    personal_data_attributes,
    personal_data_models,
    row_mac,
    seal_context,
    sealed_models,
    table_of,
)

log = logging.getLogger(__name__)

PENDING = "integrity.seal_pending"
BATCH = 2000


@dataclass
class SealReport:
    rows: dict[str, int] = field(default_factory=dict)  # table → rows given a MAC
    personal_data: dict[str, int] = field(default_factory=dict)  # table → values sealed again
    unreadable: dict[str, list[int]] = field(default_factory=dict)  # table → rows left as they were

    @property
    def anything(self) -> bool:
        return bool(self.rows or self.personal_data or self.unreadable)


def complete_pending_seal(database: Database) -> SealReport | None:
    """Seal what a migration left unsealed; None when there was nothing to do (no note), or when the
    audit chain is damaged: then nothing is sealed (the seal needs its audit entry), the note stays,
    and the first opening after the audit admin has recorded the break seals. The opening itself
    goes on, so the audit admin can sign in."""
    try:
        return _complete_pending_seal(database)
    except AuditTrailDamaged as damage:
        log.warning("rows left unsealed until the damaged audit chain is recorded: %s", damage.reason)
        return None


def _complete_pending_seal(database: Database) -> SealReport | None:
    with database.session(write=True) as session:
        note = session.get(AppMeta, PENDING)
        if note is None:
            return None
        report = SealReport()
        # Personal data first: a subject's MAC covers its lookup hash, not the ciphertext.
        for cls in personal_data_models():
            _reseal_personal_data(session, database.keyring, cls, report)
        for cls in sealed_models():
            _seal_rows(session, database.keyring, cls, report)
        session.delete(note)
        # A new database's own seed rows (the calendar) are sealed as part of its making: its chain
        # begins with the first admin, as it always has. Anything sealed in a database in use is
        # an event of its own.
        in_use = session.scalar(select(AuditEntry.seq).limit(1)) is not None
        if report.anything and in_use:
            actor = audit.AuditActor(None, "system", database.workstation)
            summary: dict[str, Any] = {"rows": report.rows, "personal_data": report.personal_data}
            if report.unreadable:
                summary["unreadable"] = {t: ids[:50] for t, ids in report.unreadable.items()}
            audit.record(session, actor, "integrity.seal", "", "", summary)
            log.info("sealed existing rows once after the upgrade: %s", summary)
        return report


def _seal_rows(session: Session, keyring: Keyring, cls: Any, report: SealReport) -> None:
    table = table_of(cls)
    query = (
        select(cls.id, *(getattr(cls, f) for f in cls.sealed_fields))
        .where(cls.row_mac.is_(None))
        .order_by(cls.id)
    )
    rows = session.execute(query).all()
    updates = [
        {"row_id": row[0], "mac": row_mac(keyring, table.name, row[0], cls.sealed_fields, row[1:])}
        for row in rows
    ]
    for start in range(0, len(updates), BATCH):
        session.execute(
            update(table).where(table.c.id == bindparam("row_id")).values(row_mac=bindparam("mac")),
            updates[start : start + BATCH],
        )
    if updates:
        report.rows[table.name] = len(updates)


def _reseal_personal_data(session: Session, keyring: Keyring, cls: Any, report: SealReport) -> None:
    table = table_of(cls)
    count = 0
    for attr, kind in personal_data_attributes(cls):
        column = cls.__mapper__.columns[attr]
        rows = session.execute(select(cls.id, column).where(column.is_not(None)).order_by(cls.id)).all()
        for row_id, value in rows:
            blob = value.blob if isinstance(value, Unopened) else bytes(value)
            if is_bound(blob):
                continue
            try:
                plain = keyring.decrypt(kind, blob)
            except DomainError:
                report.unreadable.setdefault(table.name, []).append(int(row_id))
                continue
            sealed = keyring.seal(kind, plain, seal_context(cls, row_id, attr))
            session.execute(update(table).where(table.c.id == row_id).values({column.name: sealed}))
            count += 1
    if count:
        report.personal_data[table.name] = count
