"""The monthly scoring's papers, numbered and archived by the notices engine: a department's
月度考核评分表 (table report, signature lines for the 科室负责人 and the 分管领导), the 考核结果通知
to a staff member (official-notice layout, like the evaluations' result notice) and the quarterly
服务示范岗标兵通报 (official notice listing the chosen candidates).

The builders (``sheet_document``, ``result_document``, ``honours_document``) take the service
boundary's plain data and write every value in words; ``PapersOps`` reads it through the module's
public reads (which decide who may see what), checks the rows the paper rests on against their MACs
and issues it. A paper whose content was issued before is not numbered again: the archived one is
reprinted (补打).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, cast

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from desktop_app.domain.dates import chinese_datetime
from desktop_app.domain.errors import Conflict, DataCheckFailed, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.scoring import (
    AUTO_SOURCE_LABELS,
    DIMENSION_LABELS,
    SHEET_STATE_LABELS,
    ContestState,
    Dimension,
    ItemKind,
    SheetState,
    check_month,
    quarter_months,
)
from desktop_app.services.base import Service
from desktop_app.services.center import read_settings
from desktop_app.services.context import CurrentUser
from desktop_app.services.notices import IssuedDocument, NoticeService
from desktop_app.services.scoring.sheets import load_in, sheet_info
from desktop_app.services.scoring.types import (
    Candidate,
    DepartmentMonthInfo,
    EntryInfo,
    RuleInfo,
    SheetInfo,
    SheetRow,
)
from desktop_app.store.notice_models import IssuedNotice
from desktop_app.store.scoring_models import ScoringDepartmentMonth, ScoringEntry, ScoringSheet
from desktop_app.store.sealing import TAMPERED, failing_ids

if TYPE_CHECKING:
    from desktop_app.notices.official import OfficialNotice
    from desktop_app.notices.table_report import TableReport

SHEET_TITLE = "月度考核评分表"
RESULT_TITLE = "考核结果通知"
HONOURS_TITLE = "服务示范岗标兵通报"
SIGNATURES = ("科室负责人", "分管领导")
QUARTER_WORDS = ("一", "二", "三", "四")
APPEAL = (
    "如对考核结果有异议，可自收到本通知之日起5个工作日内向所在科室负责人或中心人事部门书面申请复核；"
    "逾期未提出的，视为无异议。"
)


# -- words ----------------------------------------------------------------------------------------
def points_text(value: float) -> str:
    """95 → "95", 94.5 → "94.5" (never "95.0")."""
    rounded = round(value, 2)
    return f"{rounded:g}" if rounded != int(rounded) else str(int(rounded))


def month_words(month: str) -> str:
    """ "2026-10" → "2026年10月"."""
    check_month(month)
    return f"{int(month[:4])}年{int(month[5:])}月"


def quarter_words(year: int, quarter: int) -> str:
    return f"{year}年第{QUARTER_WORDS[quarter - 1]}季度"


def _numbered(index: int) -> str:
    words = "一二三四五六七八九十"
    return f"（{words[index - 1]}）" if index <= len(words) else f"（{index}）"


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def source_words(entry: EntryInfo) -> str:
    """Where an automatic line came from: 投诉属实（TS2026-000123）."""
    if entry.auto_source is None:
        return ""
    label = AUTO_SOURCE_LABELS[entry.auto_source]
    return f"{label}（{entry.source_ref}）" if entry.source_ref else label


def _signed(entry: EntryInfo) -> str:
    sign = "+" if entry.kind == ItemKind.BONUS else "−"
    return f"{sign}{points_text(abs(entry.points))}"


def _adjustments(sheet: SheetInfo) -> list[EntryInfo]:
    """The lines a reader must be told of: deductions and bonuses, and base lines below full."""
    return [
        e
        for e in sheet.entries
        if (e.kind != ItemKind.BASE and (e.points or e.auto_source is not None))
        or (e.kind == ItemKind.BASE and e.points < e.max_points)
    ]


def capped_words(sheet: SheetInfo) -> str:
    if sheet.total >= sheet.maximum:
        return f"超出{sheet.maximum}分的部分不计"
    return "低于0分的按0分计"


def _veto_text(entry: EntryInfo) -> str:
    return entry.text.replace("（一票否决）", "").replace("(一票否决)", "")


def sheet_remark(sheet: SheetInfo) -> str:
    """The 备注 cell of a staff member's row: what moved the total, vetoes, contests, the remark."""
    parts: list[str] = []
    for entry in _adjustments(sheet):
        if entry.kind == ItemKind.BASE:
            parts.append(f"{entry.text}{points_text(entry.points)}/{points_text(entry.max_points)}")
            continue
        source = f"（{entry.source_ref}）" if entry.source_ref else ""
        if entry.contest_state == ContestState.WITHDRAWN:
            parts.append(f"{entry.text}{source}已撤销")
        elif entry.contest_state == ContestState.CONTESTED:
            parts.append(f"{entry.text}{_signed(entry)}{source}申诉中")
        else:
            parts.append(f"{entry.text}{_signed(entry)}{source}")
        if entry.veto and entry.counts and "一票否决" not in entry.text:
            parts[-1] += "（一票否决）"
    if sheet.capped:
        parts.append(capped_words(sheet))
    remark = _clean(sheet.remark)
    if remark:
        parts.append(remark)
    return "；".join(parts)


def sheet_document(
    info: DepartmentMonthInfo, remarks: dict[int, str], center_name: str, veto_cap: str = ""
) -> TableReport:
    """A department's 月度考核评分表: a row per staff member (by employee number), the averages, the
    grade counts, and the lines the 科室负责人 and the 分管领导 sign on."""
    from desktop_app.notices.table_report import Column, TableReport

    rows = sorted(info.rows, key=lambda r: (r.employee_no, r.staff_name))
    dimensions = tuple(Dimension)
    lines = tuple(
        (
            str(index),
            row.staff_name,
            row.employee_no,
            row.post,
            *(points_text(row.by_dimension.get(d, 0.0)) for d in dimensions),
            points_text(row.total),
            row.grade,
            "是" if row.veto else "",
            remarks.get(row.staff_id, ""),
        )
        for index, row in enumerate(rows, start=1)
    )
    count = len(rows)

    def average(values: Iterable[float]) -> str:
        figures = list(values)
        return points_text(sum(figures) / len(figures)) if figures else ""

    totals = (
        "平均",
        f"{count} 人",
        "",
        "",
        *(average(r.by_dimension.get(d, 0.0) for r in rows) for d in dimensions),
        average(r.total for r in rows),
        "",
        str(sum(1 for r in rows if r.veto)) if any(r.veto for r in rows) else "",
        "",
    )
    year, number = int(info.month[:4]), int(info.month[5:])
    state = SHEET_STATE_LABELS[info.state]
    about = [f"第{info.revision}版"] if info.revision > 1 else []
    if info.state == SheetState.LOCKED and info.locked_at is not None:
        about.append(f"{info.locked_by} {chinese_datetime(info.locked_at)}锁定")
    subtitle = f"考核月份：{year}年{number}月　人数：{count}　状态：{state}" + (
        f"（{'，'.join(about)}）" if about else ""
    )
    return TableReport(
        center_name=center_name,
        title=f"{info.department_name}{SHEET_TITLE}（{year}年{number}月）",
        columns=(
            # Widths so that an employee number (TH20150011), 基本合格 and a three-figure total
            # stay on one line on landscape A4.
            Column("序号", 0.55, "right"),
            Column("姓名", 0.95),
            Column("工号", 1.05),
            Column("岗位", 1.2),
            *(Column(DIMENSION_LABELS[d], 0.55, "right") for d in dimensions),
            Column("总分", 0.7, "right"),
            Column("等次", 0.95, "center"),
            Column("否决", 0.55, "center"),
            Column("备注", 3.9),
        ),
        rows=lines,
        subtitle=subtitle,
        totals=totals if rows else None,
        landscape=True,
        footnotes=sheet_notes(info, rows, veto_cap),
        signatures=SIGNATURES,
    )


def sheet_notes(info: DepartmentMonthInfo, rows: Sequence[SheetRow], veto_cap: str = "") -> tuple[str, ...]:
    grades = Counter(r.grade for r in rows if r.grade)
    order = ("优秀", "良好", "合格", "基本合格", "不合格")
    named = [g for g in order if grades[g]] + sorted(g for g in grades if g not in order)
    counts = "、".join(f"{g} {grades[g]} 人" for g in named) or "无"
    notes = [
        f"等次分布：{counts}；优秀限额 {info.excellent_quota} 人"
        + (f"，一票否决 {sum(1 for r in rows if r.veto)} 人" if any(r.veto for r in rows) else "")
        + "。"
    ]
    cap = f"当月等次不高于{veto_cap}" if veto_cap else "当月等次按考核规则封顶"
    notes.append(
        "注：德、能、勤、绩、廉为各维度得分（含该维度的加分、扣分），总分按考核方案的最高分封顶；"
        f"有一票否决项的，{cap}。"
    )
    if info.state != SheetState.LOCKED:
        notes.append(f"本表打印时考核状态为“{SHEET_STATE_LABELS[info.state]}”，锁定前分数仍可能调整。")
    if info.override_reason:
        notes.append(f"优秀人数超出限额，经分管领导同意锁定，理由：{_clean(info.override_reason)}。")
    if info.revision > 1 and info.reopen_reason:
        notes.append(
            f"本月考核经重新打开更正（理由：{_clean(info.reopen_reason)}），本表为第{info.revision}版。"
        )
    return tuple(notes)


def result_paragraphs(sheet: SheetInfo, veto_cap: str = "") -> tuple[str, ...]:
    month = month_words(sheet.month)
    dimensions = "、".join(
        f"{DIMENSION_LABELS[d]}{points_text(sheet.by_dimension.get(d, 0.0))}分" for d in Dimension
    )
    lines = [
        f"根据本中心月度考核办法，{sheet.department_name}对您{month}的工作进行了考核，"
        "经中心审定，现将考核结果通知如下：",
        f"一、考核总分{points_text(sheet.total)}分，等次为{sheet.grade}。各维度得分：{dimensions}。"
        + (f"{capped_words(sheet)}。" if sheet.capped else ""),
    ]
    adjustments = _adjustments(sheet)
    if not adjustments:
        lines.append("二、本月无加分、扣分事项。")
    else:
        lines.append("二、加分、扣分情况：")
        for index, entry in enumerate(adjustments, start=1):
            lines.append(_numbered(index) + entry_sentence(entry))
    number = 3
    if sheet.veto:
        vetoes = "、".join(_veto_text(e) for e in sheet.entries if e.veto and e.counts) or "一票否决项"
        cap = f"不高于{veto_cap}" if veto_cap else "按规定封顶"
        lines.append(f"{'一二三四'[number - 1]}、因存在{vetoes}，本月考核等次{cap}。")
        number += 1
    if sheet.revision > 1:
        lines.append(
            f"{'一二三四'[number - 1]}、本结果为本月考核重新打开更正后的第{sheet.revision}版，"
            "此前通知的本月考核结果同时作废。"
        )
    lines += [APPEAL, "特此通知。"]
    return tuple(lines)


def entry_sentence(entry: EntryInfo) -> str:
    """One adjustment in words: the item, the points, the reason and its source."""
    dimension = f"“{DIMENSION_LABELS[entry.dimension]}”项："
    if entry.kind == ItemKind.BASE:
        text = (
            f"{dimension}{entry.text}满分{points_text(entry.max_points)}分，得{points_text(entry.points)}分。"
        )
    else:
        verb = "加" if entry.kind == ItemKind.BONUS else "扣"
        text = f"{dimension}{entry.text}，{verb}{points_text(abs(entry.points))}分"
        text += "，一票否决。" if entry.veto and "一票否决" not in entry.text else "。"
    reason = "；".join(part for part in (_clean(entry.evidence), _clean(entry.remark)) if part)
    if reason:
        text += f"事由：{reason.rstrip('。')}。"
    if entry.auto_source is not None:
        text += f"来源：{source_words(entry)}，由系统自动计入。"
    if entry.contest_state == ContestState.WITHDRAWN:
        text += "经申诉已撤销，不计入总分。"
    elif entry.contest_state == ContestState.UPHELD:
        text += "经申诉复核，维持。"
    return text


def result_document(
    sheet: SheetInfo, center_name: str, doc_number_prefix: str, today: date, veto_cap: str = ""
) -> OfficialNotice:
    from desktop_app.notices.official import OfficialNotice

    year, number = int(sheet.month[:4]), int(sheet.month[5:])
    addressee = f"{sheet.staff_name}（工号：{sheet.employee_no}）" if sheet.employee_no else sheet.staff_name
    return OfficialNotice(
        issuer=center_name,
        doc_number=f"{doc_number_prefix}考核〔{year}〕{sheet.id}号",
        title=f"关于{year}年{number}月份月度考核结果的通知",
        addressee=addressee,
        paragraphs=result_paragraphs(sheet, veto_cap),
        issued_on=today,
    )


def chosen_candidates(
    candidates: Sequence[Candidate], staff_ids: Sequence[int] | None = None
) -> list[Candidate]:
    """The honoured: the staff asked for (each eligible), else the best eligible of each
    department (ties all honoured); in order of average, best first."""
    if staff_ids is not None:
        by_id = {c.staff_id: c for c in candidates}
        chosen: list[Candidate] = []
        for staff_id in dict.fromkeys(staff_ids):
            found = by_id.get(staff_id)
            if found is None:
                raise ValidationError(
                    "所选人员不在本季度的候选名单中（季度内没有已锁定的月度考核）。", field="staff"
                )
            if not found.eligible:
                why = "；".join(found.reasons) or "不符合条件"
                raise ValidationError(f"{found.staff_name}不符合服务示范岗标兵条件：{why}。", field="staff")
            chosen.append(found)
    else:
        best: dict[str, float] = {}
        for c in candidates:
            if c.eligible:
                best[c.department_name] = max(best.get(c.department_name, c.average), c.average)
        chosen = [c for c in candidates if c.eligible and c.average == best.get(c.department_name)]
    return sorted(chosen, key=lambda c: (-c.average, c.rank, c.staff_name))


def honours_paragraphs(year: int, quarter: int, chosen: Sequence[Candidate]) -> tuple[str, ...]:
    first, _, last = quarter_months(year, quarter)
    span = f"{int(first[5:])}月至{int(last[5:])}月"
    lines = [
        f"为树立先进典型，提升服务大厅服务质量，根据本中心月度考核办法，经对{quarter_words(year, quarter)}"
        f"（{span}）各科室工作人员月度考核结果综合评定，以下{len(chosen)}名同志季度月度考核平均分位居前列，"
        "且季度内无一票否决事项、无属实投诉、无政务失信记录，现决定授予“服务示范岗标兵”称号：",
    ]
    for index, c in enumerate(chosen, start=1):
        about = "，".join(part for part in (c.post, f"{points_text(c.average)}分") if part)
        end = "。" if index == len(chosen) else "；"
        lines.append(f"{index}．{c.department_name}　{c.staff_name}（{about}）{end}")
    lines += [
        "希望受表彰的同志珍惜荣誉、再接再厉，充分发挥示范引领作用。全体工作人员要以先进为榜样，"
        "恪尽职守、热情服务，共同提升服务大厅的服务水平。",
        "特此通报。",
    ]
    return tuple(lines)


def honours_document(
    year: int,
    quarter: int,
    chosen: Sequence[Candidate],
    center_name: str,
    doc_number_prefix: str,
    today: date,
) -> OfficialNotice:
    from desktop_app.notices.official import OfficialNotice

    return OfficialNotice(
        issuer=center_name,
        doc_number=f"{doc_number_prefix}通〔{year}〕{quarter}号",
        title=f"关于{quarter_words(year, quarter)}服务示范岗标兵的通报",
        addressee="中心各科室",
        paragraphs=honours_paragraphs(year, quarter, chosen),
        issued_on=today,
    )


# -- the service ---------------------------------------------------------------------------------
class _Reads(Protocol):
    """The module's reads the papers are built from (each decides who may read what)."""

    def department_month(self, actor: CurrentUser, department_id: int, month: str) -> DepartmentMonthInfo: ...

    def sheet(
        self, actor: CurrentUser, staff_id: int, month: str, revision: int | None = None
    ) -> SheetInfo: ...

    def candidates(self, actor: CurrentUser, year: int, quarter: int) -> list[Candidate]: ...

    def rule_on(self, month: str) -> RuleInfo: ...


def check_sheets_in(session: Session, where: ColumnElement[bool], what: str) -> None:
    """Refuse a paper resting on sheets (or their lines) changed behind the program's back."""
    sheet_ids = select(ScoringSheet.id).where(where).scalar_subquery()
    bad = failing_ids(session, ScoringSheet, where) or failing_ids(
        session, ScoringEntry, ScoringEntry.sheet_id.in_(sheet_ids)
    )
    if bad:
        raise DataCheckFailed(f"{TAMPERED}：{what}的考核记录与其校验码不符，不能打印。")


def issued_before_in(session: Session, doc_type: str, content_sha256: str) -> str | None:
    return session.scalar(
        select(IssuedNotice.number)
        .where(IssuedNotice.doc_type == doc_type, IssuedNotice.content_sha256 == content_sha256)
        .order_by(IssuedNotice.id)
        .limit(1)
    )


def _quarter(year: int, quarter: int) -> None:
    if not 1990 <= year <= 2100:
        raise ValidationError(f"年度“{year}”不在 1990 年至 2100 年之间。", field="year")
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(f"季度“{quarter}”不是 1 至 4。", field="quarter")


class PapersOps(Service):
    def _paper_reads(self) -> _Reads:
        return cast(_Reads, self)

    def _issue_checked(
        self,
        actor: CurrentUser,
        doc_type: str,
        document: TableReport | OfficialNotice,
        title: str,
        where: ColumnElement[bool],
        what: str,
        extra: ColumnElement[bool] | None = None,
    ) -> IssuedDocument:
        """Issue ``document`` (the sheets it rests on checked in the same transaction), or reprint
        the paper issued before with the same content."""
        from desktop_app.notices import documents

        content_sha = documents.content_hash(documents.to_content(document))
        notices = NoticeService(self.db)
        with self.write() as session:
            check_sheets_in(session, where, what)
            if extra is not None and failing_ids(session, ScoringDepartmentMonth, extra):
                raise DataCheckFailed(f"{TAMPERED}：{what}的考核记录与其校验码不符，不能打印。")
            earlier = issued_before_in(session, doc_type, content_sha)
            if earlier is None:
                return notices.issue_in(session, actor, doc_type, document, title)
        return notices.reprint(actor, earlier)

    def _settings(self) -> dict[str, Any]:
        with self.db.session() as session:
            return read_settings(session).values

    def _veto_cap(self, month: str) -> str:
        return self._paper_reads().rule_on(month).veto_cap

    def department_paper(self, actor: CurrentUser, department_id: int, month: str) -> IssuedDocument:
        """A department's 月度考核评分表 for ``month`` (its current revision, in whatever state: the
        state is printed), for whoever may read the department's month."""
        check_month(month)
        info = self._paper_reads().department_month(actor, department_id, month)
        if not info.rows:
            raise Conflict(f"{info.department_name}{month_words(month)}没有评分表，无法打印月度考核评分表。")
        with self.db.session() as session:
            # The sheets department_month has just read (in the actor's right), in one load.
            loaded = load_in(session, department_id, month)
            remarks = {
                sheet.staff_id: sheet_remark(
                    sheet_info(
                        sheet,
                        loaded.entries[sheet.id],
                        loaded.schemes[sheet.scheme_id],
                        loaded.rule,
                        loaded.staff[sheet.staff_id],
                        loaded.department.name,
                        {},
                    )
                )
                for sheet in loaded.sheets
            }
        document = sheet_document(info, remarks, str(self._settings()["center_name"]), self._veto_cap(month))
        where = (
            (ScoringSheet.department_id == department_id)
            & (ScoringSheet.month == month)
            & ScoringSheet.current.is_(True)
        )
        month_row = (ScoringDepartmentMonth.department_id == department_id) & (
            ScoringDepartmentMonth.month == month
        )
        return self._issue_checked(
            actor,
            "scoring_sheet",
            document,
            f"{info.department_name}{SHEET_TITLE} {month_words(month)}",
            where,
            f"{info.department_name}{month_words(month)}",
            month_row,
        )

    def result_notice(self, actor: CurrentUser, staff_id: int, month: str) -> IssuedDocument:
        """The 考核结果通知 of a staff member's locked month (the current revision)."""
        check_month(month)
        sheet = self._paper_reads().sheet(actor, staff_id, month)
        if sheet.state != SheetState.LOCKED:
            raise Conflict(
                f"{sheet.staff_name}{month_words(month)}的考核尚未锁定（{SHEET_STATE_LABELS[sheet.state]}），"
                "锁定后才能出具考核结果通知。"
            )
        settings = self._settings()
        document = result_document(
            sheet,
            str(settings["center_name"]),
            str(settings["doc_number_prefix"]),
            self.db.today(),
            self._veto_cap(month),
        )
        return self._issue_checked(
            actor,
            "scoring_result",
            document,
            f"{RESULT_TITLE} {sheet.staff_name} {month_words(month)}",
            ScoringSheet.id == sheet.id,
            f"{sheet.staff_name}{month_words(month)}",
        )

    def honours_notice(
        self, actor: CurrentUser, year: int, quarter: int, staff_ids: Sequence[int] | None = None
    ) -> IssuedDocument:
        """The quarter's 服务示范岗标兵通报 (a leader's): ``staff_ids`` the honoured (each must be an
        eligible candidate); None: the best eligible candidate of each department."""
        actor.require(Permission.SCORING_LOCK)
        _quarter(year, quarter)
        candidates = self._paper_reads().candidates(actor, year, quarter)
        chosen = chosen_candidates(candidates, staff_ids)
        if not chosen:
            raise Conflict(f"{quarter_words(year, quarter)}没有符合条件的服务示范岗标兵人选，无法出具通报。")
        settings = self._settings()
        document = honours_document(
            year,
            quarter,
            chosen,
            str(settings["center_name"]),
            str(settings["doc_number_prefix"]),
            self.db.today(),
        )
        months = quarter_months(year, quarter)
        where = ScoringSheet.month.in_(months) & ScoringSheet.current.is_(True)
        return self._issue_checked(
            actor,
            "scoring_honours",
            document,
            f"{quarter_words(year, quarter)}{HONOURS_TITLE}",
            where,
            quarter_words(year, quarter),
        )
