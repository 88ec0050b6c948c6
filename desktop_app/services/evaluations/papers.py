"""The evaluation's papers, numbered and archived by the notices engine: the 评标专家现场考评表 of a
session (its own landscape layout, ``notices/evaluation_form.py``), the 考评结果告知书 to an expert
with deductions (official-notice layout, like the complaints' reply letter) and the yearly ranking of
the experts by points (table report).

The builders (``form_document``, ``notice_document``, ``ranking_document``) take the service
boundary's plain data and write every value in words; ``PapersOps`` reads it through the module's
public reads, checks the rows the paper rests on against their MACs, and issues it. A form or
notice whose content was issued before is not numbered again: the archived one is reprinted (补打).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.dates import chinese_date, chinese_datetime
from desktop_app.domain.errors import Conflict, DataCheckFailed, NotFound, ValidationError
from desktop_app.domain.evaluations import TRADE_CATEGORY_LABELS, SessionState
from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service
from desktop_app.services.center import read_settings
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import (
    ExpertStatus,
    ItemLine,
    RankingRow,
    RevisionInfo,
    SessionGrid,
    SessionInfo,
)
from desktop_app.services.notices import IssuedDocument, NoticeService
from desktop_app.store.evaluation_models import EvaluationMark, EvaluationRevision, EvaluationSession
from desktop_app.store.notice_models import IssuedNotice
from desktop_app.store.sealing import TAMPERED, failing_ids

if TYPE_CHECKING:
    from desktop_app.notices.evaluation_form import EvaluationForm
    from desktop_app.notices.official import OfficialNotice
    from desktop_app.notices.table_report import TableReport

FORM_TITLE = "评标专家现场考评表"
NOTICE_TITLE = "评标专家现场考评结果告知书"
RANKING_TITLE = "评标专家考评扣分排名表"
DRAFT_STATUS = "草稿（未定稿）"
FORM_NOTES = (
    "注：扣分栏填写该项扣分分值（须在扣分标准范围内），未扣分的留空；★为严重违规项。"
    "本表经见证人定稿后，各项扣分记入专家信用档案，年度累计扣分达到规定分值的，按规定提出处理建议。",
)


@dataclass(frozen=True)
class Mark:
    """A mark as the paper shows it, from a draft's cell or a finalised revision's row."""

    subject_id: int
    code: str
    text: str
    points: int
    serious: bool
    remark: str


# -- words ----------------------------------------------------------------------------------------
def points_range(item: ItemLine) -> str:
    if item.min_points == item.max_points:
        return f"{item.min_points}分"
    return f"{item.min_points}–{item.max_points}分"


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo is not None else moment


def time_span(start: datetime | None, end: datetime | None, day: date) -> str:
    """09:00—11:30 on the evaluation's day; the date is written when a time falls on another day."""
    if start is None:
        return "—"

    def moment(value: datetime) -> str:
        local = _local(value)
        return local.strftime("%H:%M") if local.date() == day else chinese_datetime(local)

    return moment(start) + ("—" + moment(end) if end is not None else "—    ")


def expert_label(name: str, expert_no: str) -> str:
    return f"{name}（{expert_no}）" if expert_no else name


def revision_status(info: SessionInfo, shown: RevisionInfo | None) -> str:
    """The red label beside the title: which version of the form this is."""
    if shown is None:
        return DRAFT_STATUS if info.revision <= 1 else f"第{info.revision}版草稿（更正中，未定稿）"
    if shown.reopened_at is not None:
        return f"第{shown.revision}版（已被更正，仅供查阅）"
    return f"第{shown.revision}版（更正）" if shown.revision > 1 else ""


def revision_notes(shown: RevisionInfo | None, revisions: Sequence[RevisionInfo]) -> list[str]:
    notes: list[str] = []
    earlier = [r for r in revisions if shown is None or r.revision < shown.revision]
    if earlier and earlier[-1].reopened_at is not None:
        before = earlier[-1]
        reopened_at = before.reopened_at
        assert reopened_at is not None
        notes.append(
            f"第{before.revision}版于{chinese_datetime(reopened_at)}由{before.reopened_by}重新打开更正，"
            f"理由：{before.reopen_reason}。"
        )
    if shown is not None:
        notes.append(f"定稿：{shown.finalised_by}，{chinese_datetime(shown.finalised_at)}。")
        if shown.reopened_at is not None:
            notes.append(
                f"本版于{chinese_datetime(shown.reopened_at)}由{shown.reopened_by}重新打开，"
                f"理由：{shown.reopen_reason}；其扣分已由更正后的版本取代。"
            )
    return notes


def _rows(items: Sequence[ItemLine], marks: Sequence[Mark]) -> list[tuple[str, str, str, bool]]:
    """The grid's rows: the catalogue's items on the session's day, then any code a mark has that
    the catalogue no longer lists (a finalised mark keeps its item's text)."""
    rows = [(item.code, item.text, points_range(item), item.serious) for item in items]
    known = {item.code for item in items}
    for mark in sorted(marks, key=lambda m: m.code):
        if mark.code not in known:
            known.add(mark.code)
            rows.append((mark.code, mark.text, "—", mark.serious))
    return rows


def form_document(
    info: SessionInfo,
    items: Sequence[ItemLine],
    marks: Sequence[Mark],
    expert_remarks: dict[int, str],
    center_name: str,
    status: str = "",
    notes: Iterable[str] = (),
) -> EvaluationForm:
    from desktop_app.notices.evaluation_form import EvaluationForm

    experts = sorted(info.experts, key=lambda e: e.position)
    rows = _rows(items, marks)
    points = {(m.subject_id, m.code): m for m in marks}
    cells = tuple(
        tuple(
            str(points[(e.subject_id, code)].points) if (e.subject_id, code) in points else ""
            for e in experts
        )
        for code, _, _, _ in rows
    )
    totals = tuple(
        str(sum(m.points for m in marks if m.subject_id == e.subject_id))
        if any(m.subject_id == e.subject_id for m in marks)
        else "0"
        for e in experts
    )
    order = {code: index for index, (code, _, _, _) in enumerate(rows)}
    remarks: list[str] = []
    for expert in experts:
        own = sorted(
            (m for m in marks if m.subject_id == expert.subject_id and m.remark.strip()),
            key=lambda m: order[m.code],
        )
        remarks += [f"{expert.name} {m.code}：{' '.join(m.remark.split())}" for m in own]
        general = " ".join(expert_remarks.get(expert.subject_id, "").split())
        if general:
            remarks.append(f"{expert.name}（总体）：{general}")
    day = info.evaluation_date
    return EvaluationForm(
        center_name=center_name,
        number=info.number,
        project_code=info.project_code,
        project_name=info.project_name,
        category=TRADE_CATEGORY_LABELS[info.category],
        room=info.room,
        evaluation_date=chinese_date(day),
        scheduled=time_span(info.scheduled_start, info.scheduled_end, day),
        actual=time_span(info.actual_start, info.actual_end, day) if info.actual_start else "",
        witness=info.witness_name,
        experts=tuple((e.name, e.expert_no) for e in experts),
        items=tuple(rows),
        cells=cells,
        totals=totals,
        remarks=tuple(f"{index}．{text}" for index, text in enumerate(remarks, start=1)),
        notes=(*FORM_NOTES, *notes),
        status=status,
        title=FORM_TITLE,
    )


def _numbered(index: int) -> str:
    words = "一二三四五六七八九十"
    return f"（{words[index - 1]}）" if index <= len(words) else f"（{index}）"


def notice_paragraphs(
    info: SessionInfo, marks: Sequence[Mark], status: ExpertStatus, today: date
) -> tuple[str, ...]:
    total = sum(m.points for m in marks)
    lines = [
        f"您于{chinese_date(info.evaluation_date)}参加{info.project_name}（项目编号：{info.project_code}）"
        f"的评标活动。本中心见证人员依照评标专家现场考评项目对评标现场进行了考评（考评编号 {info.number}），"
        "现将考评结果告知如下：",
    ]
    for index, mark in enumerate(marks, start=1):
        remark = " ".join(mark.remark.split())
        lines.append(
            f"{_numbered(index)}{mark.code} {mark.text}{'（严重违规项）' if mark.serious else ''}，"
            f"扣{mark.points}分。" + (f"现场记录：{remark}。" if remark else "")
        )
    period = (
        f"{status.year}年度"
        if (status.period_start, status.period_end) == (date(status.year, 1, 1), date(status.year, 12, 31))
        else f"{chinese_date(status.period_start)}至{chinese_date(status.period_end)}"
    )
    lines.append(
        f"本次考评合计扣{total}分。截至{chinese_date(today)}，您{period}累计扣{status.points}分"
        f"（参加考评{status.sessions}场次）。"
    )
    if status.reached:
        reached = "；".join(r.text for r in status.reached)
        lines.append(f"依照评标专家考评规则，{reached}，本中心将按规定提出处理建议，报请主管部门决定。")
    lines.append(
        "上述扣分已记入您的信用档案。如对考评结果有异议，可自收到本告知书之日起5个工作日内向本中心书面申请复核。"
    )
    lines.append("特此告知。")
    return tuple(lines)


def notice_document(
    info: SessionInfo,
    expert_name: str,
    expert_no: str,
    marks: Sequence[Mark],
    status: ExpertStatus,
    center_name: str,
    doc_number_prefix: str,
    today: date,
) -> OfficialNotice:
    from desktop_app.notices.official import OfficialNotice

    serial = int(info.number.rsplit("-", 1)[-1]) if info.number[-1:].isdigit() else 0
    position = next((e.position for e in info.experts if e.subject_id == marks[0].subject_id), 0) + 1
    return OfficialNotice(
        issuer=center_name,
        doc_number=f"{doc_number_prefix}考评〔{info.evaluation_date.year}〕{serial}-{position}号",
        title=NOTICE_TITLE,
        addressee=f"{expert_name}（专家编号：{expert_no}）" if expert_no else expert_name,
        paragraphs=notice_paragraphs(info, marks, status, today),
        issued_on=today,
    )


def ranking_document(
    year: int, rows: Sequence[RankingRow], center_name: str, generated_at: datetime
) -> TableReport:
    from desktop_app.notices.table_report import Column, TableReport

    marked = [row for row in rows if row.points > 0]
    lines = tuple(
        (
            str(row.rank),
            row.name,
            row.expert_no,
            row.specialty,
            str(row.points),
            str(row.marks),
            str(row.serious_marks) if row.serious_marks else "",
            str(row.sessions),
            row.pool.label(),
        )
        for row in marked
    )
    totals = (
        "合计",
        f"{len(marked)} 名",
        "",
        "",
        str(sum(r.points for r in marked)),
        str(sum(r.marks for r in marked)),
        str(sum(r.serious_marks for r in marked)),
        "",
        "",
    )
    return TableReport(
        center_name=center_name,
        title=f"{year}年度{RANKING_TITLE}",
        columns=(
            # Widths so that an expert number (THZJ20150011) and 暂停至2027年12月31日 stay on one line.
            Column("名次", 0.6, "right"),
            Column("姓名", 0.9),
            Column("专家编号", 1.55),
            Column("专业", 1.5),
            Column("扣分", 0.7, "right"),
            Column("扣分项", 0.75, "right"),
            Column("严重项", 0.75, "right"),
            Column("场次", 0.7, "right"),
            Column("库内状态", 2.2),
        ),
        rows=lines,
        subtitle=(
            f"统计范围：{year}年1月1日至12月31日已定稿的现场考评　有扣分的专家 {len(marked)} 名"
            f"（参加考评的专家 {len(rows)} 名）　统计时间：{chinese_datetime(generated_at)}"
        ),
        totals=totals if marked else None,
        generated_at=generated_at,
        footnotes=(
            "注：按年度扣分从高到低排列，扣分相同的按严重违规次数、姓名排列；未列出的专家本年度无扣分。"
            "库内状态为统计时的状态。",
        ),
    )


# -- the service ---------------------------------------------------------------------------------
class _Reads(Protocol):
    """The module's reads the papers are built from (sessions, grid, standing)."""

    def grid(self, session_id: int) -> SessionGrid: ...

    def revisions(self, session_id: int) -> list[RevisionInfo]: ...

    def expert_status(self, subject_id: int, year: int | None = None) -> ExpertStatus: ...

    def ranking(self, year: int, limit: int | None = None) -> list[RankingRow]: ...


def revision_marks(revision: RevisionInfo) -> list[Mark]:
    return [
        Mark(m.subject_id, m.item_code, m.item_text, m.points, m.serious, m.remark) for m in revision.marks
    ]


def grid_marks(grid: SessionGrid) -> list[Mark]:
    items = {item.code: item for item in grid.items}
    return [
        Mark(
            m.subject_id,
            m.item_code,
            items[m.item_code].text if m.item_code in items else m.item_code,
            m.points,
            items[m.item_code].serious if m.item_code in items else False,
            m.remark,
        )
        for m in grid.grid.marks
    ]


def check_rows_in(session: Session, info: SessionInfo) -> None:
    """Refuse a paper resting on a session row, revision or mark changed behind the program's back."""
    bad = (
        failing_ids(session, EvaluationSession, EvaluationSession.id == info.id)
        or failing_ids(session, EvaluationRevision, EvaluationRevision.session_id == info.id)
        or failing_ids(session, EvaluationMark, EvaluationMark.session_id == info.id)
    )
    if bad:
        raise DataCheckFailed(f"{TAMPERED}：考评 {info.number} 的记录与其校验码不符，不能打印。")


def issued_before_in(session: Session, doc_type: str, content_sha256: str) -> str | None:
    """The number of a notice of ``doc_type`` already issued with exactly this content."""
    return session.scalar(
        select(IssuedNotice.number)
        .where(IssuedNotice.doc_type == doc_type, IssuedNotice.content_sha256 == content_sha256)
        .order_by(IssuedNotice.id)
        .limit(1)
    )


class PapersOps(Service):
    def _reads(self) -> _Reads:
        return cast(_Reads, self)

    def _issue_once(
        self,
        actor: CurrentUser,
        info: SessionInfo,
        doc_type: str,
        document: EvaluationForm | OfficialNotice,
        title: str,
    ) -> IssuedDocument:
        """Issue ``document`` (the session's rows checked in the same transaction), or reprint the
        notice issued before with the same content."""
        from desktop_app.notices import documents

        content_sha = documents.content_hash(documents.to_content(document))
        notices = NoticeService(self.db)
        with self.write() as session:
            check_rows_in(session, info)
            earlier = issued_before_in(session, doc_type, content_sha)
            if earlier is None:
                return notices.issue_in(session, actor, doc_type, document, title)
        return notices.reprint(actor, earlier)

    def evaluation_form(
        self, actor: CurrentUser, session_id: int, revision: int | None = None
    ) -> IssuedDocument:
        """The 评标专家现场考评表 of a session: the current version (a draft's as typed, marked 草稿),
        or the finalised ``revision`` asked for (an earlier one marked as corrected)."""
        actor.require(Permission.EXPERT_EVALUATE)
        reads = self._reads()
        grid = reads.grid(session_id)
        info = grid.session
        revisions = sorted(reads.revisions(session_id), key=lambda r: r.revision)
        shown: RevisionInfo | None
        if revision is not None:
            shown = next((r for r in revisions if r.revision == revision), None)
            if shown is None:
                raise NotFound(f"考评 {info.number} 没有第{revision}版定稿。")
        elif info.state == SessionState.FINALISED:
            shown = next((r for r in revisions if r.revision == info.revision), None)
            if shown is None:
                raise NotFound(f"考评 {info.number} 的定稿版本未找到。")
        else:
            shown = None
        if shown is not None:
            marks, remarks = revision_marks(shown), shown.expert_remarks
        else:
            marks, remarks = grid_marks(grid), grid.grid.expert_remarks
        with self.db.session() as session:
            center_name = str(read_settings(session)["center_name"])
        document = form_document(
            info,
            grid.items,
            marks,
            remarks,
            center_name,
            revision_status(info, shown),
            revision_notes(shown, revisions),
        )
        version = f" 第{shown.revision}版" if shown is not None else " 草稿"
        return self._issue_once(
            actor, info, "evaluation_form", document, f"{FORM_TITLE} {info.number}{version}"
        )

    def result_notice(self, actor: CurrentUser, session_id: int, subject_id: int) -> IssuedDocument:
        """The 考评结果告知书 to one expert of a finalised session with deductions in it."""
        actor.require(Permission.EXPERT_EVALUATE)
        reads = self._reads()
        grid = reads.grid(session_id)
        info = grid.session
        expert = next((e for e in info.experts if e.subject_id == subject_id), None)
        if expert is None:
            raise ValidationError(f"该专家未参加考评 {info.number}。", field="expert")
        if info.state != SessionState.FINALISED:
            raise Conflict(f"考评 {info.number} 尚未定稿，定稿后才能出具考评结果告知书。")
        current = next((r for r in reads.revisions(session_id) if r.revision == info.revision), None)
        marks = [m for m in revision_marks(current) if m.subject_id == subject_id] if current else []
        if not marks:
            raise Conflict(f"{expert.name}在考评 {info.number} 中没有扣分，无需出具考评结果告知书。")
        order = {item.code: index for index, item in enumerate(grid.items)}
        marks.sort(key=lambda m: (order.get(m.code, len(order)), m.code))
        status = reads.expert_status(subject_id, info.evaluation_date.year)
        with self.db.session() as session:
            settings = read_settings(session)
        document = notice_document(
            info,
            expert.name,
            expert.expert_no,
            marks,
            status,
            str(settings["center_name"]),
            str(settings["doc_number_prefix"]),
            self.db.today(),
        )
        return self._issue_once(
            actor, info, "evaluation_notice", document, f"{NOTICE_TITLE} {info.number} {expert.name}"
        )

    def ranking_report(self, actor: CurrentUser, year: int) -> IssuedDocument:
        """The year's ranking of the experts by points, as a numbered table report."""
        actor.require(Permission.EXPERT_EVALUATE)
        if not 1990 <= year <= 2100:
            raise ValidationError(f"年度“{year}”不在 1990 年至 2100 年之间。", field="year")
        rows = self._reads().ranking(year)
        with self.write() as session:
            center_name = str(read_settings(session)["center_name"])
            document = ranking_document(year, rows, center_name, self.db.now())
            return NoticeService(self.db).issue_in(
                session, actor, "evaluation_ranking", document, f"{year}年度{RANKING_TITLE}"
            )
