"""The complaints catalogue: time limits and deduction points, each figure from a date on."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.complaints import RULE_LABELS, RULE_RANGES, ComplaintRules
from desktop_app.domain.errors import Refusals, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service
from desktop_app.services.complaints.types import RuleValue
from desktop_app.services.context import CurrentUser
from desktop_app.store.complaint_models import ComplaintRuleRow


def rules_in(session: Session, on: date) -> ComplaintRules:
    """The figures in force on ``on``: for each, the version with the latest date not after it."""
    values: dict[str, int] = {}
    rows = session.execute(
        select(ComplaintRuleRow.name, ComplaintRuleRow.value)
        .where(ComplaintRuleRow.effective_from <= on)
        .order_by(ComplaintRuleRow.effective_from)
    )
    for name, value in rows:
        values[name] = value
    return ComplaintRules.from_values(values)


def _rule_value(row: ComplaintRuleRow) -> RuleValue:
    low, high = RULE_RANGES.get(row.name, (0, 0))
    return RuleValue(
        row.name,
        RULE_LABELS.get(row.name, row.name),
        row.value,
        row.effective_from,
        row.id,
        row.version,
        low,
        high,
    )


class ComplaintRulesOps(Service):
    def rule_versions(self) -> list[RuleValue]:
        """Every version of every figure, by name then date (the catalogue editor's table)."""
        with self.db.session() as session:
            rows = session.scalars(
                select(ComplaintRuleRow).order_by(ComplaintRuleRow.name, ComplaintRuleRow.effective_from)
            )
            return [_rule_value(r) for r in rows]

    def rules_on(self, on: date | None = None) -> ComplaintRules:
        with self.db.session() as session:
            return rules_in(session, on or self.db.today())

    def save_rule(self, actor: CurrentUser, name: str, value: int, effective_from: date | None) -> RuleValue:
        """A new version of one figure from a date on (the same date: that version changed)."""
        actor.require(Permission.ADMIN_SETTINGS)
        refusals = Refusals()
        if name not in RULE_RANGES:
            raise ValidationError(f"未知规则：{name}", field="name")
        low, high = RULE_RANGES[name]
        if not low <= value <= high:
            refusals.add(f"{RULE_LABELS[name]}的取值范围为 {low}–{high}。", "value")
        if effective_from is None:
            refusals.add("请填写生效日期。", "effective_from")
        refusals.raise_any()
        assert effective_from is not None
        with self.write() as session:
            row = session.scalar(
                select(ComplaintRuleRow).where(
                    ComplaintRuleRow.name == name, ComplaintRuleRow.effective_from == effective_from
                )
            )
            old = row.value if row is not None else None
            if row is None:
                row = ComplaintRuleRow(name=name, effective_from=effective_from, value=value)
                session.add(row)
            else:
                row.value = value
            row.updated_by = actor.username
            row.updated_at = self.db.now()
            session.flush()
            self.audit(
                session,
                actor,
                "complaint.rule",
                "complaint_rule",
                f"{name}@{effective_from.isoformat()}",
                {"name": name, "from": effective_from.isoformat(), "old": old, "new": value},
            )
            return _rule_value(row)
