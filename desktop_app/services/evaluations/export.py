"""A year's evaluations to ``.xlsx`` (openpyxl, write-only): a sheet with a row per mark and its
session's data (扣分明细), a row per session (考评场次, clean ones too), and one sheet per summary —
the experts by points (专家排名, the yearly ranking), the items (考评项汇总) and the trade categories
(交易类别汇总).

The marks are the current ones (a reopened session's earlier version is not listed; its correction
is, once finalised). The export is audited (what left the system: the year, the counts, the file)
and the file lands at its path only once that entry is committed.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy import func, select

from desktop_app.domain.dates import chinese_datetime
from desktop_app.domain.errors import DataCheckFailed, ValidationError
from desktop_app.domain.evaluations import (
    SESSION_STATE_LABELS,
    TRADE_CATEGORY_LABELS,
    SessionState,
    TradeCategory,
)
from desktop_app.domain.roles import Permission
from desktop_app.notices.files import write_atomic
from desktop_app.services.base import Service, audit_in
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import RankingRow
from desktop_app.store.credit_models import CreditSubject
from desktop_app.store.evaluation_models import EvaluationMark, EvaluationSession, EvaluationSessionExpert
from desktop_app.store.sealing import TAMPERED, failing_ids

CELL_LIMIT = 32_767


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    headers: tuple[tuple[str, float], ...]  # (header, width in Excel characters)
    rows: list[list[Any]]


def _text(value: str | None) -> str:
    text = value or ""
    # A cell starting with = + - @ is a formula to a spreadsheet: an exported text never runs.
    if text[:1] in ("=", "+", "-", "@"):
        text = "'" + text
    return text[:CELL_LIMIT]


def _local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: the hall's wall clock time, naive."""
    return moment.astimezone().replace(tzinfo=None, microsecond=0) if moment is not None else None


def workbook_bytes(sheets: Sequence[Sheet], subtitle: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    header_fill = PatternFill("solid", fgColor="DDE5EE")
    for spec in sheets:
        sheet: Any = book.create_sheet(spec.name)
        for index, (_, width) in enumerate(spec.headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A4"

        def styled(value: Any, sheet: Any = sheet, **style: Any) -> Any:
            cell = WriteOnlyCell(sheet, value=value)
            for name, setting in style.items():
                setattr(cell, name, setting)
            return cell

        sheet.append([styled(spec.title, font=Font(bold=True, size=13))])
        sheet.append([styled(subtitle, font=Font(color="555555", size=9))])
        centred = Alignment(horizontal="center", vertical="center")
        sheet.append(
            [styled(h, font=Font(bold=True), fill=header_fill, alignment=centred) for h, _ in spec.headers]
        )
        for row in spec.rows:
            sheet.append(
                [
                    styled(v, number_format="yyyy-mm-dd hh:mm")
                    if isinstance(v, datetime)
                    else (None if v == "" else v)
                    for v in row
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _Ranking(Protocol):
    def ranking(self, year: int, limit: int | None = None) -> list[RankingRow]: ...


MARK_HEADERS = (
    ("考评编号", 16),
    ("评标日期", 11),
    ("项目编号", 18),
    ("项目名称", 30),
    ("交易类别", 10),
    ("评标室", 10),
    ("见证人", 9),
    ("场次状态", 9),
    ("版次", 6),
    ("专家编号", 11),
    ("专家姓名", 10),
    ("专业", 14),
    ("考评项", 7),
    ("考评内容", 30),
    ("严重违规", 9),
    ("扣分", 6),
    ("备注", 36),
    ("信用记录号", 10),
)
SESSION_HEADERS = (
    ("考评编号", 16),
    ("评标日期", 11),
    ("项目编号", 18),
    ("项目名称", 30),
    ("交易类别", 10),
    ("评标室", 10),
    ("计划开始", 17),
    ("实际开始", 17),
    ("实际结束", 17),
    ("见证人", 9),
    ("状态", 9),
    ("版次", 6),
    ("专家人数", 9),
    ("扣分项数", 9),
    ("扣分合计", 9),
    ("定稿时间", 17),
    ("定稿人", 10),
    ("定稿期限", 11),
    ("超期", 6),
    ("来源", 8),
)
RANKING_HEADERS = (
    ("名次", 6),
    ("姓名", 10),
    ("专家编号", 11),
    ("专业", 16),
    ("年度扣分", 9),
    ("扣分次数", 9),
    ("严重违规", 9),
    ("参加场次", 9),
    ("库内状态", 18),
)
ITEM_HEADERS = (("考评项", 8), ("考评内容", 34), ("扣分次数", 9), ("扣分合计", 9), ("涉及专家", 9))
CATEGORY_HEADERS = (
    ("交易类别", 12),
    ("场次", 8),
    ("已定稿", 8),
    ("有扣分场次", 11),
    ("扣分项数", 9),
    ("扣分合计", 9),
)


class ExportOps(Service):
    def export_year(self, actor: CurrentUser, year: int, path: Path | str) -> Path:
        """Write ``year``'s evaluations to the .xlsx at ``path`` (``.xlsx`` added when missing);
        the path written."""
        actor.require(Permission.EXPERT_EVALUATE)
        if not 1990 <= year <= 2100:
            raise ValidationError(f"年度“{year}”不在 1990 年至 2100 年之间。", field="year")
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        first, last = date(year, 1, 1), date(year, 12, 31)
        ranking = cast(_Ranking, self).ranking(year)
        today = self.db.today()
        with self.db.session() as session:
            in_year = EvaluationSession.evaluation_date.between(first, last)
            bad = failing_ids(session, EvaluationSession, in_year)
            marks_in_year = EvaluationMark.current.is_(True) & EvaluationMark.evaluation_date.between(
                first, last
            )
            bad += failing_ids(session, EvaluationMark, marks_in_year)
            if bad:
                raise DataCheckFailed(f"{TAMPERED}：{year}年度的考评记录中有与校验码不符的，不能导出。")
            sessions = list(
                session.scalars(
                    select(EvaluationSession)
                    .where(in_year)
                    .order_by(EvaluationSession.evaluation_date, EvaluationSession.number)
                )
            )
            experts: dict[int, int] = dict(
                session.execute(
                    select(EvaluationSessionExpert.session_id, func.count())
                    .join(EvaluationSession, EvaluationSession.id == EvaluationSessionExpert.session_id)
                    .where(in_year)
                    .group_by(EvaluationSessionExpert.session_id)
                ).all()
            )
            marks = session.execute(
                select(EvaluationMark, CreditSubject.name, CreditSubject.expert_no, CreditSubject.specialty)
                .join(CreditSubject, CreditSubject.id == EvaluationMark.subject_id)
                .where(marks_in_year)
                .order_by(
                    EvaluationMark.evaluation_date,
                    EvaluationMark.session_id,
                    EvaluationMark.subject_id,
                    EvaluationMark.item_code,
                )
            ).all()
            by_id = {row.id: row for row in sessions}
            mark_rows: list[list[Any]] = []
            for mark, name, expert_no, specialty in marks:
                row = by_id.get(mark.session_id)
                if row is None:  # a mark dated in the year of a session dated otherwise: never written
                    continue
                mark_rows.append(
                    [
                        row.number,
                        mark.evaluation_date,
                        _text(row.project_code),
                        _text(row.project_name),
                        TRADE_CATEGORY_LABELS[TradeCategory(row.category)],
                        _text(row.room),
                        _text(row.witness_name),
                        SESSION_STATE_LABELS[SessionState(row.state)],
                        mark.revision,
                        expert_no or "",
                        _text(name),
                        _text(specialty),
                        mark.item_code,
                        _text(mark.item_text),
                        "是" if mark.serious else "",
                        mark.points,
                        _text(mark.remark),
                        mark.credit_record_id or "",
                    ]
                )
            per_session: dict[int, list[int]] = defaultdict(list)
            for mark, *_ in marks:
                per_session[mark.session_id].append(mark.points)
            session_rows = [
                [
                    row.number,
                    row.evaluation_date,
                    _text(row.project_code),
                    _text(row.project_name),
                    TRADE_CATEGORY_LABELS[TradeCategory(row.category)],
                    _text(row.room),
                    _local(row.scheduled_start),
                    _local(row.actual_start),
                    _local(row.actual_end),
                    _text(row.witness_name),
                    SESSION_STATE_LABELS[SessionState(row.state)],
                    row.revision,
                    experts.get(row.id, 0),
                    len(per_session[row.id]),
                    sum(per_session[row.id]),
                    _local(row.finalised_at),
                    row.finalised_by,
                    row.due_on,
                    "是"
                    if row.due_on is not None and row.state == SessionState.DRAFT.value and today > row.due_on
                    else "",
                    "导入" if row.source == "import" else "",
                ]
                for row in sessions
            ]
            item_rows = _item_rows(mark for mark, *_ in marks)
            category_rows = _category_rows(sessions, per_session)
        ranking_rows = [
            [
                r.rank,
                _text(r.name),
                r.expert_no,
                _text(r.specialty),
                r.points,
                r.marks,
                r.serious_marks,
                r.sessions,
                r.pool.label(),
            ]
            for r in ranking
        ]
        exported_at = self.db.now()
        subtitle = (
            f"{year}年1月1日至12月31日　导出人：{actor.display_name or actor.username}　"
            f"导出时间：{chinese_datetime(exported_at)}　场次 {len(session_rows)} 个　扣分 {len(mark_rows)} 项"
        )
        sheets = (
            Sheet("扣分明细", f"{year}年度评标专家现场考评扣分明细", MARK_HEADERS, mark_rows),
            Sheet("考评场次", f"{year}年度评标专家现场考评场次", SESSION_HEADERS, session_rows),
            Sheet("专家排名", f"{year}年度评标专家考评扣分排名", RANKING_HEADERS, ranking_rows),
            Sheet("考评项汇总", f"{year}年度各考评项扣分汇总", ITEM_HEADERS, item_rows),
            Sheet("交易类别汇总", f"{year}年度各交易类别考评汇总", CATEGORY_HEADERS, category_rows),
        )
        data = workbook_bytes(sheets, subtitle)
        with self.write() as session:
            audit_in(
                session,
                actor,
                "evaluation.export",
                "evaluation_year",
                str(year),
                {
                    "exported_sessions": len(session_rows),
                    "exported_marks": len(mark_rows),
                    "file": target.name,
                },
            )
            # Inside the transaction: a file that cannot be written leaves no entry behind.
            write_atomic(target, data)
        return target


def _item_rows(marks: Iterable[EvaluationMark]) -> list[list[Any]]:
    counts: Counter[str] = Counter()
    points: Counter[str] = Counter()
    experts: dict[str, set[int]] = defaultdict(set)
    texts: dict[str, str] = {}
    for mark in marks:
        counts[mark.item_code] += 1
        points[mark.item_code] += mark.points
        experts[mark.item_code].add(mark.subject_id)
        texts.setdefault(mark.item_code, mark.item_text)
    return [
        [code, _text(texts[code]), counts[code], points[code], len(experts[code])] for code in sorted(counts)
    ]


def _category_rows(
    sessions: Sequence[EvaluationSession], per_session: dict[int, list[int]]
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for category in TradeCategory:
        own = [s for s in sessions if s.category == category.value]
        rows.append(
            [
                TRADE_CATEGORY_LABELS[category],
                len(own),
                sum(1 for s in own if s.state == SessionState.FINALISED.value),
                sum(1 for s in own if per_session.get(s.id)),
                sum(len(per_session.get(s.id, [])) for s in own),
                sum(sum(per_session.get(s.id, [])) for s in own),
            ]
        )
    rows.append(
        [
            "合计",
            len(sessions),
            sum(r[2] for r in rows),
            sum(r[3] for r in rows),
            sum(r[4] for r in rows),
            sum(r[5] for r in rows),
        ]
    )
    return rows
