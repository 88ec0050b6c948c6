"""The evaluation catalogue: the items of the witness's form and the threshold rules, each version in
force from its date (the system admin edits both, like the complaint rules).

The earliest versions also stand for the days before them: a paper form of a year before the
catalogue was entered is read with the first catalogue the program has."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import Refusals, ValidationError
from desktop_app.domain.evaluations import DEFAULT_RULE, Accumulation, Item, ThresholdRule
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, changes, touch
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import ItemInfo, ItemInput, ItemLine, RuleInfo, RuleInput
from desktop_app.store.evaluation_models import EvaluationItemRow, EvaluationRuleRow

POINTS_LIMIT = 100  # an item's points (a deduction in one session) stay below this
MONTHS_LIMIT = 60
CODE_LIMIT = 10


def item_of(row: EvaluationItemRow) -> Item:
    return Item(row.code, row.text, row.default_points, row.min_points, row.max_points, row.serious)


def item_line(item: Item) -> ItemLine:
    return ItemLine(item.code, item.text, item.default_points, item.min_points, item.max_points, item.serious)


def item_info(row: EvaluationItemRow) -> ItemInfo:
    return ItemInfo(
        row.id,
        row.code,
        row.text,
        row.default_points,
        row.min_points,
        row.max_points,
        row.serious,
        row.effective_from,
        row.active,
        row.version,
    )


def rule_of(row: EvaluationRuleRow) -> ThresholdRule:
    return ThresholdRule(
        row.effective_from,
        Accumulation(row.accumulation),
        row.notify_points,
        row.suspend_points,
        row.serious_suspends,
        row.suspension_months,
    )


def rule_info(row: EvaluationRuleRow) -> RuleInfo:
    return RuleInfo(
        row.id,
        row.effective_from,
        Accumulation(row.accumulation),
        row.notify_points,
        row.suspend_points,
        row.serious_suspends,
        row.suspension_months,
        row.version,
    )


def items_from_rows(rows: list[EvaluationItemRow], day: date) -> list[Item]:
    """The items in force on ``day`` (ordered by code): for each code its latest version not after
    the day, unless that version retires it."""
    if not rows:
        return []
    day = max(day, min(r.effective_from for r in rows))
    latest: dict[str, EvaluationItemRow] = {}
    for row in rows:
        if row.effective_from <= day:
            kept = latest.get(row.code)
            if kept is None or row.effective_from > kept.effective_from:
                latest[row.code] = row
    return [item_of(row) for code, row in sorted(latest.items()) if row.active]


def items_in(session: Session, day: date) -> list[Item]:
    """The form's rows on ``day`` (a few dozen catalogue rows are read)."""
    return items_from_rows(list(session.scalars(select(EvaluationItemRow))), day)


def all_items_in(session: Session) -> dict[str, list[tuple[date, Item]]]:
    """Every version of every code: (effective from, item), for reading many days at once."""
    versions: dict[str, list[tuple[date, Item]]] = {}
    for row in session.scalars(select(EvaluationItemRow).order_by(EvaluationItemRow.effective_from)):
        versions.setdefault(row.code, []).append((row.effective_from, item_of(row)))
    return versions


def rule_in(session: Session, day: date) -> ThresholdRule:
    """The threshold rule in force on ``day`` (the earliest for a day before every version)."""
    rows = list(session.scalars(select(EvaluationRuleRow).order_by(EvaluationRuleRow.effective_from)))
    if not rows:
        return DEFAULT_RULE
    chosen = rows[0]
    for row in rows:
        if row.effective_from <= day:
            chosen = row
    return rule_of(chosen)


def _checked_item(data: ItemInput) -> dict[str, Any]:
    refusals = Refusals()
    code = refusals.check(lambda: clean_text(data.code, "code", "项目编号", CODE_LIMIT, required=True), "")
    code = code.upper()
    text = refusals.check(lambda: clean_text(data.text, "text", "考评内容", 200, required=True), "")
    if not 0 < data.min_points <= data.max_points <= POINTS_LIMIT:
        refusals.add(f"扣分范围应在 1–{POINTS_LIMIT} 分之间，且下限不大于上限。", "min_points")
    elif not data.min_points <= data.default_points <= data.max_points:
        refusals.add("默认扣分应在扣分范围之内。", "default_points")
    if data.effective_from is None:
        refusals.add("请填写生效日期。", "effective_from")
    refusals.raise_any()
    return {
        "code": code,
        "text": text,
        "default_points": data.default_points,
        "min_points": data.min_points,
        "max_points": data.max_points,
        "serious": bool(data.serious),
        "active": bool(data.active),
        "effective_from": data.effective_from,
    }


def _checked_rule(data: RuleInput) -> dict[str, Any]:
    refusals = Refusals()
    if data.effective_from is None:
        refusals.add("请填写生效日期。", "effective_from")
    if data.accumulation is None:
        refusals.add("请选择累计方式。", "accumulation")
    if not 0 <= data.notify_points <= 1000:
        refusals.add("通报阈值应在 0–1000 分之间（0：不通报）。", "notify_points")
    if not 0 <= data.suspend_points <= 1000:
        refusals.add("暂停阈值应在 0–1000 分之间（0：不按分数暂停）。", "suspend_points")
    elif data.notify_points and data.suspend_points and data.suspend_points < data.notify_points:
        refusals.add("暂停阈值不能低于通报阈值。", "suspend_points")
    if not 1 <= data.suspension_months <= MONTHS_LIMIT:
        refusals.add(f"暂停期限应在 1–{MONTHS_LIMIT} 个月之间。", "suspension_months")
    refusals.raise_any()
    return {
        "effective_from": data.effective_from,
        "accumulation": Accumulation(data.accumulation).value,
        "notify_points": data.notify_points,
        "suspend_points": data.suspend_points,
        "serious_suspends": bool(data.serious_suspends),
        "suspension_months": data.suspension_months,
    }


def _summary_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class CatalogueOps(Service):
    def items_on(self, day: date | None = None) -> list[ItemLine]:
        with self.db.session() as session:
            return [item_line(item) for item in items_in(session, day or self.db.today())]

    def item_versions(self) -> list[ItemInfo]:
        """Every version of every item, by code then date (the catalogue editor's table)."""
        with self.db.session() as session:
            rows = session.scalars(
                select(EvaluationItemRow).order_by(EvaluationItemRow.code, EvaluationItemRow.effective_from)
            )
            return [item_info(row) for row in rows]

    def save_item(
        self,
        actor: CurrentUser,
        data: ItemInput,
        item_id: int | None = None,
        expected_version: int | None = None,
    ) -> ItemInfo:
        """A new version of an item from a date on (``item_id`` None), or that version corrected."""
        actor.require(Permission.ADMIN_SETTINGS)
        values = _checked_item(data)
        clash = "该项目在这一天已有版本：请修改那个版本，或另选生效日期。"
        with self.write(clash, "effective_from") as session:
            same_day = session.scalar(
                select(EvaluationItemRow).where(
                    EvaluationItemRow.code == values["code"],
                    EvaluationItemRow.effective_from == values["effective_from"],
                )
            )
            if item_id is None:
                if same_day is not None:
                    raise ValidationError(clash, field="effective_from")
                row = EvaluationItemRow(updated_by=actor.username, **values)
                session.add(row)
                summary: dict[str, Any] = {k: _summary_value(v) for k, v in values.items()}
            else:
                row = self.get_or_404(session, EvaluationItemRow, item_id, "该考评项目版本")
                self.check_version(row, expected_version)
                if same_day is not None and same_day.id != row.id:
                    raise ValidationError(clash, field="effective_from")
                summary = {
                    "code": values["code"],
                    **{
                        k: [_summary_value(a), _summary_value(b)]
                        for k, (a, b) in changes(row, values).items()
                    },
                }
                touch(row, actor, self.db)
            session.flush()
            self.audit(session, actor, "evaluation.item.save", "evaluation_item", row.id, summary)
            return item_info(row)

    def rule_on(self, day: date | None = None) -> RuleInfo:
        with self.db.session() as session:
            day = day or self.db.today()
            rows = list(session.scalars(select(EvaluationRuleRow).order_by(EvaluationRuleRow.effective_from)))
            chosen = next((r for r in reversed(rows) if r.effective_from <= day), rows[0] if rows else None)
            if chosen is None:
                rule = DEFAULT_RULE
                return RuleInfo(
                    0,
                    rule.effective_from,
                    rule.accumulation,
                    rule.notify_points,
                    rule.suspend_points,
                    rule.serious_suspends,
                    rule.suspension_months,
                    0,
                )
            return rule_info(chosen)

    def rule_versions(self) -> list[RuleInfo]:
        with self.db.session() as session:
            rows = session.scalars(select(EvaluationRuleRow).order_by(EvaluationRuleRow.effective_from))
            return [rule_info(row) for row in rows]

    def save_rule(
        self,
        actor: CurrentUser,
        data: RuleInput,
        rule_id: int | None = None,
        expected_version: int | None = None,
    ) -> RuleInfo:
        """A new version of the thresholds from a date on (``rule_id`` None), or that version corrected."""
        actor.require(Permission.ADMIN_SETTINGS)
        values = _checked_rule(data)
        clash = "这一天已有阈值规则版本：请修改那个版本，或另选生效日期。"
        with self.write(clash, "effective_from") as session:
            same_day = session.scalar(
                select(EvaluationRuleRow).where(EvaluationRuleRow.effective_from == values["effective_from"])
            )
            if rule_id is None:
                if same_day is not None:
                    raise ValidationError(clash, field="effective_from")
                row = EvaluationRuleRow(updated_by=actor.username, **values)
                session.add(row)
                summary: dict[str, Any] = {k: _summary_value(v) for k, v in values.items()}
            else:
                row = self.get_or_404(session, EvaluationRuleRow, rule_id, "该阈值规则版本")
                self.check_version(row, expected_version)
                if same_day is not None and same_day.id != row.id:
                    raise ValidationError(clash, field="effective_from")
                summary = {
                    k: [_summary_value(a), _summary_value(b)] for k, (a, b) in changes(row, values).items()
                }
                touch(row, actor, self.db)
            session.flush()
            self.audit(session, actor, "evaluation.rule.save", "evaluation_rule", row.id, summary)
            return rule_info(row)
