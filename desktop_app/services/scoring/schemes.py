"""The 岗责体系 catalogue: schemes per post (each version in force from a month), the post → scheme map,
and the grade bands and 优秀 quota (``scoring_rules``), each version from a month on.

The earliest version also stands for the months before it (a month scored before the catalogue was
entered is read with the first catalogue the program has)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, Refusals, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.scoring import (
    DEFAULT_RULE,
    AutoSource,
    Bands,
    Dimension,
    ItemKind,
    ScoringRule,
    check_month,
)
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, changes, touch
from desktop_app.services.context import CurrentUser
from desktop_app.services.scoring.types import (
    PostSchemeInfo,
    RuleInfo,
    RuleInput,
    SchemeInfo,
    SchemeInput,
    SchemeItemInfo,
)
from desktop_app.store.models import Staff
from desktop_app.store.scoring_models import (
    ScoringPostScheme,
    ScoringRuleRow,
    ScoringScheme,
    ScoringSchemeItem,
)

CODE_LIMIT = 10
NAME_LIMIT = 50
POINTS_LIMIT = 100
MAXIMUM_RANGE = (100, 150)


@dataclass(frozen=True)
class Scheme:
    """A scheme version as the sheets use it: its row's facts and its items by code."""

    id: int
    name: str
    effective_from: str
    is_default: bool
    maximum: int
    items: tuple[SchemeItemInfo, ...]

    def item(self, code: str) -> SchemeItemInfo | None:
        return next((i for i in self.items if i.code == code), None)

    def for_source(self, source: AutoSource) -> SchemeItemInfo | None:
        return next((i for i in self.items if i.auto_source == source), None)


def item_info(row: ScoringSchemeItem) -> SchemeItemInfo:
    return SchemeItemInfo(
        row.code,
        Dimension(row.dimension),
        ItemKind(row.kind),
        row.text,
        row.points,
        row.min_points,
        row.max_points,
        row.evidence_required,
        row.veto,
        AutoSource(row.auto_source) if row.auto_source else None,
        row.position,
    )


def schemes_by_id_in(session: Session, scheme_ids: Iterable[int]) -> dict[int, Scheme]:
    """The scheme versions of these ids with their items (two queries)."""
    wanted = set(scheme_ids)
    if not wanted:
        return {}
    rows = session.scalars(select(ScoringScheme).where(ScoringScheme.id.in_(wanted))).all()
    items: dict[int, list[SchemeItemInfo]] = {}
    for item in session.scalars(
        select(ScoringSchemeItem)
        .where(ScoringSchemeItem.scheme_id.in_(wanted))
        .order_by(ScoringSchemeItem.scheme_id, ScoringSchemeItem.position, ScoringSchemeItem.code)
    ):
        items.setdefault(item.scheme_id, []).append(item_info(item))
    return {
        r.id: Scheme(r.id, r.name, r.effective_from, r.is_default, r.maximum, tuple(items.get(r.id, [])))
        for r in rows
    }


def _in_force(rows: Sequence[Any], month: str) -> Any | None:
    """The latest version not after ``month`` (rows sorted by effective_from); the earliest before all."""
    if not rows:
        return None
    chosen = rows[0]
    for row in rows:
        if row.effective_from <= month:
            chosen = row
    return chosen


class SchemePicker:
    """Which scheme version scores a post in a month: read once, asked for many staff."""

    def __init__(self, session: Session) -> None:
        self.versions: dict[str, list[ScoringScheme]] = {}
        for row in session.scalars(select(ScoringScheme).order_by(ScoringScheme.effective_from)):
            self.versions.setdefault(row.name, []).append(row)
        self.posts = dict(
            session.execute(select(ScoringPostScheme.post, ScoringPostScheme.scheme_name)).all()
        )

    def scheme_id(self, post: str, month: str) -> int:
        name = self.posts.get(post or "")
        mapped = self.versions.get(name) if name is not None else None
        if mapped:
            found = _in_force(mapped, month)
            assert found is not None
            return int(found.id)
        default = None
        for rows in self.versions.values():
            row = _in_force(rows, month)
            if row is not None and row.is_default:
                default = row
        if default is None:
            raise NotFound("尚未设置默认考核方案：请系统管理员在“系统管理 → 考核方案”中设置。")
        return int(default.id)


def rule_of(row: ScoringRuleRow) -> ScoringRule:
    return ScoringRule(
        row.effective_from,
        Bands.parse(row.monthly_bands, row.monthly_worst),
        row.veto_cap,
        row.excellent,
        row.quota_percent,
        row.quota_min_size,
        Bands.parse(row.quarterly_bands, row.quarterly_worst),
        Bands.parse(row.annual_bands, row.annual_worst),
    )


def rule_info(row: ScoringRuleRow) -> RuleInfo:
    return RuleInfo(
        row.id,
        row.effective_from,
        row.monthly_bands,
        row.monthly_worst,
        row.veto_cap,
        row.excellent,
        row.quota_percent,
        row.quota_min_size,
        row.quarterly_bands,
        row.quarterly_worst,
        row.annual_bands,
        row.annual_worst,
        row.version,
    )


def _rule_rows(session: Session) -> list[ScoringRuleRow]:
    return list(session.scalars(select(ScoringRuleRow).order_by(ScoringRuleRow.effective_from)))


def rule_in(session: Session, month: str) -> ScoringRule:
    """The bands and quota in force in ``month`` (the earliest version for a month before all)."""
    row = _in_force(_rule_rows(session), month)
    return DEFAULT_RULE if row is None else rule_of(row)


def rules_in(session: Session) -> list[ScoringRule]:
    """Every version, oldest first (for reading many months at once with ``rule_for``)."""
    return [rule_of(r) for r in _rule_rows(session)] or [DEFAULT_RULE]


def rule_for(rules: Sequence[ScoringRule], month: str) -> ScoringRule:
    chosen = rules[0]
    for rule in rules:
        if rule.effective_from <= month:
            chosen = rule
    return chosen


def scheme_info(row: ScoringScheme, items: Sequence[SchemeItemInfo]) -> SchemeInfo:
    return SchemeInfo(
        row.id, row.name, row.effective_from, row.is_default, row.maximum, row.note, tuple(items), row.version
    )


def _checked_month(month: str, field: str) -> str:
    try:
        return check_month(month)
    except ValueError:
        raise ValidationError("请按“年-月”填写月份，例如 2026-11。", field=field) from None


def _text_in(
    refusals: Refusals, value: str, field: str, label: str, limit: int, required: bool = True
) -> str:
    try:
        return clean_text(value, field, label, limit, required=required, multiline=True)
    except ValidationError as error:
        refusals.keep(error)
        return ""


def _checked_scheme(data: SchemeInput) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    refusals = Refusals()
    name = refusals.check(lambda: clean_text(data.name, "name", "方案名称", NAME_LIMIT, required=True), "")
    month = refusals.check(lambda: _checked_month(data.effective_from, "effective_from"), "")
    if not MAXIMUM_RANGE[0] <= data.maximum <= MAXIMUM_RANGE[1]:
        refusals.add(f"最高分应在 {MAXIMUM_RANGE[0]}–{MAXIMUM_RANGE[1]} 分之间。", "maximum")
    note = refusals.check(lambda: clean_text(data.note, "note", "说明", 500, multiline=True), "")
    items: list[dict[str, Any]] = []
    codes: set[str] = set()
    base_total = 0.0
    sources: set[str] = set()
    for index, item in enumerate(data.items):
        field = f"item{index}"
        code = _text_in(refusals, item.code, field, "项目编号", CODE_LIMIT).upper()
        text = _text_in(refusals, item.text, field, "考核内容", 200)
        if code in codes:
            refusals.add(f"项目编号 {code} 重复。", field)
        codes.add(code)
        if not 0 <= item.min_points <= item.max_points <= POINTS_LIMIT:
            refusals.add(f"{code}：分值范围应在 0–{POINTS_LIMIT} 分之间，且下限不大于上限。", field)
        elif not item.min_points <= item.points <= item.max_points:
            refusals.add(f"{code}：默认分值应在分值范围之内。", field)
        if item.kind == ItemKind.BASE:
            base_total += item.points
            if item.auto_source is not None or item.veto:
                refusals.add(f"{code}：基本分项目不能自动计入，也不能一票否决。", field)
        if item.auto_source is not None:
            if item.auto_source in sources:
                refusals.add(f"{code}：同一自动来源只能对应一个项目。", field)
            sources.add(item.auto_source)
            if (item.auto_source == AutoSource.PRAISE) != (item.kind == ItemKind.BONUS):
                refusals.add(f"{code}：表扬计为加分，其余自动来源计为扣分。", field)
        items.append(
            {
                "code": code,
                "dimension": Dimension(item.dimension).value,
                "kind": ItemKind(item.kind).value,
                "text": text,
                "points": item.points,
                "min_points": item.min_points,
                "max_points": item.max_points,
                "evidence_required": bool(item.evidence_required),
                "veto": bool(item.veto),
                "auto_source": AutoSource(item.auto_source).value if item.auto_source else None,
                "position": index,
            }
        )
    if not data.items:
        refusals.add("方案至少要有一个考核项目。", "items")
    elif abs(base_total - 100) > 0.001:
        refusals.add(f"基本分合计应为 100 分（现为 {base_total:g} 分）。", "items")
    refusals.raise_any()
    values = {
        "name": name,
        "effective_from": month,
        "is_default": bool(data.is_default),
        "maximum": data.maximum,
        "note": note,
    }
    return values, items


def _checked_rule(data: RuleInput) -> dict[str, Any]:
    refusals = Refusals()
    month = refusals.check(lambda: _checked_month(data.effective_from, "effective_from"), "")
    bands: dict[str, Bands] = {}
    for kind, text, worst in (
        ("monthly", data.monthly_bands, data.monthly_worst),
        ("quarterly", data.quarterly_bands, data.quarterly_worst),
        ("annual", data.annual_bands, data.annual_worst),
    ):
        try:
            parsed = Bands.parse(text, worst)
        except ValueError:
            refusals.add("等次分数线格式应为“等次:最低分,…”，由高到低。", f"{kind}_bands")
            continue
        lows = [b.lowest for b in parsed.bands]
        if not parsed.worst or lows != sorted(lows, reverse=True) or len(set(lows)) != len(lows):
            refusals.add("等次分数线应由高到低排列，并填写最低等次。", f"{kind}_bands")
        bands[kind] = parsed
    monthly = bands.get("monthly")
    if monthly is not None:
        if data.veto_cap not in monthly.grades:
            refusals.add("否决封顶等次应为月度等次之一。", "veto_cap")
        if data.excellent not in monthly.grades:
            refusals.add("限额等次应为月度等次之一。", "excellent")
    if not 0 < data.quota_percent <= 100:
        refusals.add("优秀比例应在 1–100% 之间。", "quota_percent")
    if not 1 <= data.quota_min_size <= 1000:
        refusals.add("至少一名优秀的科室人数应在 1–1000 之间。", "quota_min_size")
    refusals.raise_any()
    return {
        "effective_from": month,
        "monthly_bands": bands["monthly"].text(),
        "monthly_worst": bands["monthly"].worst,
        "veto_cap": data.veto_cap,
        "excellent": data.excellent,
        "quota_percent": data.quota_percent,
        "quota_min_size": data.quota_min_size,
        "quarterly_bands": bands["quarterly"].text(),
        "quarterly_worst": bands["quarterly"].worst,
        "annual_bands": bands["annual"].text(),
        "annual_worst": bands["annual"].worst,
    }


class SchemeOps(Service):
    def schemes(self) -> list[SchemeInfo]:
        """Every version of every scheme, by name then month, with its items."""
        with self.db.session() as session:
            rows = list(
                session.scalars(
                    select(ScoringScheme).order_by(ScoringScheme.name, ScoringScheme.effective_from)
                )
            )
            found = schemes_by_id_in(session, [r.id for r in rows])
            return [scheme_info(r, found[r.id].items) for r in rows]

    def scheme_for(self, post: str, month: str) -> SchemeInfo:
        """The scheme version that scores ``post`` in ``month`` (the default scheme for an unmapped post)."""
        check_month(month)
        with self.db.session() as session:
            scheme_id = SchemePicker(session).scheme_id(post, month)
            row = session.get(ScoringScheme, scheme_id)
            assert row is not None
            return scheme_info(row, schemes_by_id_in(session, [scheme_id])[scheme_id].items)

    def save_scheme(
        self,
        actor: CurrentUser,
        data: SchemeInput,
        scheme_id: int | None = None,
        expected_version: int | None = None,
    ) -> SchemeInfo:
        """A new version of a scheme from a month on (``scheme_id`` None; the same name, a later month),
        or that version corrected while no sheet uses it."""
        actor.require(Permission.ADMIN_SETTINGS)
        values, items = _checked_scheme(data)
        clash = "该方案在这个月份已有版本：请修改那个版本，或另选生效月份。"
        with self.write(clash, "effective_from") as session:
            from desktop_app.store.scoring_models import ScoringSheet

            if scheme_id is None:
                row = ScoringScheme(updated_by=actor.username, **values)
                session.add(row)
                session.flush()
                summary: dict[str, Any] = {**values, "items": len(items)}
            else:
                row = self.get_or_404(session, ScoringScheme, scheme_id, "该考核方案版本")
                self.check_version(row, expected_version)
                used = session.scalar(select(func.count()).where(ScoringSheet.scheme_id == row.id))
                if used:
                    raise ValidationError(
                        f"该方案版本已用于 {used} 张评分表，不能再修改：请新建一个从以后月份起生效的版本。",
                        field="effective_from",
                    )
                summary = {"name": values["name"], **changes(row, values), "items": len(items)}
                touch(row, actor, self.db)
                for old in session.scalars(
                    select(ScoringSchemeItem).where(ScoringSchemeItem.scheme_id == row.id)
                ):
                    session.delete(old)
                session.flush()
            if values["is_default"]:
                for other in session.scalars(
                    select(ScoringScheme).where(
                        ScoringScheme.is_default, ScoringScheme.name != values["name"]
                    )
                ):
                    other.is_default = False
                    touch(other, actor, self.db)
            session.add_all(ScoringSchemeItem(scheme_id=row.id, **item) for item in items)
            session.flush()
            self.audit(session, actor, "scoring.scheme.save", "scoring_scheme", row.id, summary)
            return scheme_info(row, schemes_by_id_in(session, [row.id])[row.id].items)

    def post_schemes(self) -> list[PostSchemeInfo]:
        """Every post on the staff list (and every mapped one), with its scheme and its active staff."""
        with self.db.session() as session:
            counts = dict(
                session.execute(
                    select(Staff.post, func.count())
                    .where(Staff.active, Staff.post != "")
                    .group_by(Staff.post)
                ).all()
            )
            mapped = dict(
                session.execute(select(ScoringPostScheme.post, ScoringPostScheme.scheme_name)).all()
            )
            default = ""
            picker = SchemePicker(session)
            for rows in picker.versions.values():
                if rows[-1].is_default:
                    default = rows[-1].name
            posts = sorted(set(counts) | set(mapped))
            return [PostSchemeInfo(p, mapped.get(p, default), int(counts.get(p, 0))) for p in posts]

    def set_post_scheme(self, actor: CurrentUser, post: str, scheme_name: str) -> PostSchemeInfo:
        actor.require(Permission.ADMIN_SETTINGS)
        post = clean_text(post, "post", "岗位", NAME_LIMIT, required=True)
        with self.write() as session:
            if (
                session.scalar(select(ScoringScheme.id).where(ScoringScheme.name == scheme_name).limit(1))
                is None
            ):
                raise ValidationError("请选择已有的考核方案。", field="scheme_name")
            row = session.scalar(select(ScoringPostScheme).where(ScoringPostScheme.post == post))
            old = row.scheme_name if row is not None else ""
            if row is None:
                row = ScoringPostScheme(post=post, scheme_name=scheme_name, updated_by=actor.username)
                session.add(row)
            else:
                row.scheme_name = scheme_name
                touch(row, actor, self.db)
            session.flush()
            self.audit(
                session,
                actor,
                "scoring.post_scheme.set",
                "scoring_post_scheme",
                row.id,
                {"post": post, "scheme_name": [old, scheme_name]},
            )
            count = session.scalar(select(func.count()).where(Staff.active, Staff.post == post)) or 0
            return PostSchemeInfo(post, scheme_name, int(count))

    def rule_on(self, month: str) -> RuleInfo:
        check_month(month)
        with self.db.session() as session:
            row = _in_force(_rule_rows(session), month)
            if row is None:
                raise NotFound("尚未设置考核等次规则。")
            return rule_info(row)

    def rules(self) -> list[RuleInfo]:
        with self.db.session() as session:
            return [rule_info(r) for r in _rule_rows(session)]

    def save_rule(
        self,
        actor: CurrentUser,
        data: RuleInput,
        rule_id: int | None = None,
        expected_version: int | None = None,
    ) -> RuleInfo:
        """A new version of the bands and quota from a month on (``rule_id`` None), or that version
        corrected."""
        actor.require(Permission.ADMIN_SETTINGS)
        values = _checked_rule(data)
        clash = "这个月份已有等次规则版本：请修改那个版本，或另选生效月份。"
        with self.write(clash, "effective_from") as session:
            if rule_id is None:
                row = ScoringRuleRow(updated_by=actor.username, **values)
                session.add(row)
                summary: dict[str, Any] = dict(values)
            else:
                row = self.get_or_404(session, ScoringRuleRow, rule_id, "该等次规则版本")
                self.check_version(row, expected_version)
                summary = {"effective_from": values["effective_from"], **changes(row, values)}
                touch(row, actor, self.db)
            session.flush()
            self.audit(session, actor, "scoring.rule.save", "scoring_rule", row.id, summary)
            return rule_info(row)
