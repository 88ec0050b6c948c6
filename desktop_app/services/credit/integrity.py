"""Checking the rows a credit verdict or certificate rests on against their MACs (store.sealing).

Only the subjects whose verdict is shown or certified are checked (the lookup's detail pane, an
entry check, a batch list's lines), never every hit of a search: the search list is a guide, the
detail and the certificate are the answer. All of a subject's records are checked, whatever their
dates and state, because a record made to look expired or revoked drops out of the verdict's query.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.store.credit_models import CreditRecord, CreditRepair, CreditSubject
from desktop_app.store.sealing import failing_ids


def failing_rows_in(session: Session, subject_ids: Sequence[int]) -> dict[int, list[str]]:
    """Subject id → what fails among its own row, its records and their repairs (only subjects
    with a failure are keys)."""
    if not subject_ids:
        return {}
    found: dict[int, list[str]] = {}
    for sid in failing_ids(session, CreditSubject, CreditSubject.id.in_(subject_ids)):
        found.setdefault(sid, []).append(f"{CreditSubject.sealed_label} #{sid}")
    record_ids = failing_ids(session, CreditRecord, CreditRecord.subject_id.in_(subject_ids))
    repair_ids = failing_ids(
        session,
        CreditRepair,
        CreditRepair.record_id.in_(select(CreditRecord.id).where(CreditRecord.subject_id.in_(subject_ids))),
    )
    if record_ids or repair_ids:
        owners = {
            row.id: row.subject_id
            for row in session.execute(
                select(CreditRecord.id, CreditRecord.subject_id).where(
                    CreditRecord.subject_id.in_(subject_ids)
                )
            )
        }
        for rid in record_ids:
            found.setdefault(owners[rid], []).append(f"{CreditRecord.sealed_label} #{rid}")
        for repair_id, record_id in session.execute(
            select(CreditRepair.id, CreditRepair.record_id).where(CreditRepair.id.in_(repair_ids))
        ):
            found.setdefault(owners[record_id], []).append(f"{CreditRepair.sealed_label} #{repair_id}")
    return found


def failure_text(what: list[str]) -> str:
    shown = "、".join(what[:5]) + ("等" if len(what) > 5 else "")
    return f"{shown}与校验码不符"
