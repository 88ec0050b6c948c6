"""The credit catalogue: default periods and points per record kind and severity, and the score and
grade rules, each versioned by the date it takes effect (the system admin edits both)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.credit import (
    CreditRule,
    Defaults,
    RecordKind,
    ScoreRule,
    Severity,
    default_periods,
    rule_in_force,
    severities_of,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service, changes
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.validation import check_rule, checked_score_rule
from desktop_app.store.credit_models import CreditRuleRow, ScoreRuleRow


def rule_from_row(row: CreditRuleRow) -> CreditRule:
    return CreditRule(
        RecordKind(row.kind),
        Severity(row.severity),
        row.effective_from,
        row.publicity_min_months,
        row.publicity_max_months,
        row.points,
        row.ban_months,
    )


def score_rule_from_row(row: ScoreRuleRow) -> ScoreRule:
    bands = []
    for part in row.bands.split(","):
        grade, _, lowest = part.partition(":")
        bands.append((grade.strip(), int(lowest)))
    bands.sort(key=lambda band: -band[1])
    return ScoreRule(row.effective_from, row.base, tuple(bands), row.worst_grade)


def rules_in(session: Session) -> list[CreditRule]:
    """Every catalogue version (a few dozen rows)."""
    return [rule_from_row(r) for r in session.scalars(select(CreditRuleRow))]


def score_rules_in(session: Session) -> list[ScoreRule]:
    return [score_rule_from_row(row) for row in session.scalars(select(ScoreRuleRow))]


class CatalogueOps(Service):
    def rules(self) -> list[CreditRule]:
        with self.db.session() as session:
            return rules_in(session)

    def rule_rows(self) -> list[tuple[int, int, CreditRule]]:
        """(id, version, rule) of every catalogue version, for the catalogue editor."""
        with self.db.session() as session:
            rows = session.scalars(
                select(CreditRuleRow).order_by(
                    CreditRuleRow.kind, CreditRuleRow.severity, CreditRuleRow.effective_from
                )
            )
            return [(r.id, r.version, rule_from_row(r)) for r in rows]

    def severities(self, kind: RecordKind) -> frozenset[Severity]:
        """The severities records of a kind may have (only NONE for a kind that is not graded)."""
        return severities_of(self.rules(), kind)

    def save_rule(self, actor: CurrentUser, rule: CreditRule, expected_version: int | None = None) -> None:
        """Add a catalogue version from a date on, or correct the version of that date."""
        actor.require(Permission.ADMIN_SETTINGS)
        check_rule(rule)
        values = {
            "publicity_min_months": rule.publicity_min_months,
            "publicity_max_months": rule.publicity_max_months,
            "points": rule.points,
            "ban_months": rule.ban_months,
        }
        with self.write() as session:
            row = session.scalar(
                select(CreditRuleRow).where(
                    CreditRuleRow.kind == rule.kind.value,
                    CreditRuleRow.severity == rule.severity.value,
                    CreditRuleRow.effective_from == rule.effective_from,
                )
            )
            if row is None:
                row = CreditRuleRow(
                    kind=rule.kind.value,
                    severity=rule.severity.value,
                    effective_from=rule.effective_from,
                    updated_by=actor.username,
                    **values,
                )
                session.add(row)
                summary: dict[str, Any] = {"new_version": rule.effective_from.isoformat(), **values}
            else:
                self.check_version(row, expected_version)
                summary = changes(row, values)
                row.updated_by = actor.username
                row.updated_at = self.db.now()
            session.flush()
            self.audit(
                session,
                actor,
                "credit.rule.save",
                "credit_rule",
                row.id,
                {"kind": rule.kind.value, "severity": rule.severity.value, **summary},
            )

    def score_rules(self) -> list[ScoreRule]:
        with self.db.session() as session:
            return score_rules_in(session)

    def score_rule_rows(self) -> list[tuple[int, int, ScoreRule]]:
        """(id, version, rule) of every score-rule version by effective date, for the catalogue editor."""
        with self.db.session() as session:
            rows = session.scalars(select(ScoreRuleRow).order_by(ScoreRuleRow.effective_from))
            return [(r.id, r.version, score_rule_from_row(r)) for r in rows]

    def save_score_rule(
        self, actor: CurrentUser, rule: ScoreRule, expected_version: int | None = None
    ) -> None:
        """Add a score-rule version from a date on, or correct the version of that date."""
        actor.require(Permission.ADMIN_SETTINGS)
        rule = checked_score_rule(rule)
        values = {
            "base": rule.base,
            "bands": ",".join(f"{grade}:{lowest}" for grade, lowest in rule.bands),
            "worst_grade": rule.worst_grade,
        }
        with self.write() as session:
            row = session.scalar(
                select(ScoreRuleRow).where(ScoreRuleRow.effective_from == rule.effective_from)
            )
            if row is None:
                if expected_version is not None:
                    raise ValidationError(
                        f"{rule.effective_from.isoformat()} 起没有评分规则版本可更正，请新增版本。",
                        field="effective_from",
                    )
                row = ScoreRuleRow(effective_from=rule.effective_from, updated_by=actor.username, **values)
                session.add(row)
                summary: dict[str, Any] = {"new_version": rule.effective_from.isoformat(), **values}
            else:
                self.check_version(row, expected_version)
                summary = {"effective_from": rule.effective_from.isoformat(), **changes(row, values)}
                row.updated_by = actor.username
                row.updated_at = self.db.now()
            session.flush()
            self.audit(session, actor, "credit.score_rule.save", "credit_score_rule", row.id, summary)

    def defaults_for(self, kind: RecordKind, severity: Severity, decision_date: date) -> Defaults:
        return default_periods(rule_in_force(self.rules(), kind, severity, decision_date), decision_date)
