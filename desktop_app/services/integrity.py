"""``audit verify``'s second half: every business row against its MAC, every personal-data value
against its place (store.sealing). The audit chain's own check is ``AuditLogService.verify``."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from desktop_app.domain.errors import AuditTrailDamaged
from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.store.sealing import (
    failing_ids,
    personal_data_models,
    row_count,
    sealed_models,
    table_of,
    unopenable_ids,
)

SHOWN_IDS = 200  # per table in the audit entry; the command line prints them all

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FailingRows:
    table: str
    label: str
    problem: str  # what is wrong with them, in words
    ids: tuple[int, ...]


@dataclass(frozen=True)
class RowCheck:
    checked: int  # rows whose MAC was checked
    personal_checked: int  # rows whose personal data was opened
    failing: tuple[FailingRows, ...]

    @property
    def sound(self) -> bool:
        return not self.failing


class IntegrityService(Service):
    def verify_rows(self, actor: CurrentUser) -> RowCheck:
        """Every sealed row and every sealed personal-data value, checked; the finding audited."""
        actor.require(Permission.AUDIT_READ)
        failing: list[FailingRows] = []
        checked = personal = 0
        with self.db.session() as session:
            for cls in sealed_models():
                checked += row_count(session, cls)
                bad = failing_ids(session, cls)
                if bad:
                    label = cls.sealed_label or table_of(cls).name
                    failing.append(FailingRows(table_of(cls).name, label, "与校验码不符", tuple(bad)))
            for model in personal_data_models():
                personal += row_count(session, model)
                bad = unopenable_ids(session, model)
                if bad:
                    label = str(getattr(model, "sealed_label", "") or table_of(model).name)
                    failing.append(
                        FailingRows(
                            table_of(model).name, label, "个人信息无法解密（密文被调换或改动）", tuple(bad)
                        )
                    )
        result = RowCheck(checked, personal, tuple(failing))
        try:
            with self.write() as session:
                self.audit(
                    session,
                    actor,
                    "integrity.verify",
                    "",
                    "",
                    {
                        "checked": checked,
                        "personal_checked": personal,
                        "failing": {f"{f.table}:{f.problem}": list(f.ids[:SHOWN_IDS]) for f in failing},
                    },
                )
        except AuditTrailDamaged:
            # The rows are checked on a damaged chain too; the finding is then only in the log.
            log.warning("audit chain damaged: the row check by %s is kept in this log only", actor.username)
        return result
