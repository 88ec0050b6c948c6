"""Evaluation sessions (考评场次): what the session form says, checked at its fields; the number; the
experts present (credit subjects of kind expert, each allowed to sit on the session's day); the
procurement deadline; reading one and the list; the experts offered to the form (the lookup's
search, experts only) and a drawn-experts list pasted or read from a file."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import search_text as st
from desktop_app.domain.credit import SubjectKind
from desktop_app.domain.errors import DataCheckFailed, NotFound, Refusals, ValidationError
from desktop_app.domain.evaluations import (
    NUMBER_PREFIX,
    PROCUREMENT_DAYS,
    PoolStatus,
    SessionState,
    TradeCategory,
)
from desktop_app.domain.identifiers import looks_like_id_number, mask_id_number
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.domain.workdays import local_date
from desktop_app.services.base import Service, audit_in, changes, check_version, touch
from desktop_app.services.calendar import deadline_in
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import candidates_in
from desktop_app.services.evaluations.standing import pool_status_in, pool_statuses_in
from desktop_app.services.evaluations.types import (
    Candidate,
    DrawnLine,
    GridInput,
    GridMark,
    SessionExpert,
    SessionFilter,
    SessionInfo,
    SessionInput,
)
from desktop_app.services.notices import next_serial
from desktop_app.store.credit_models import CreditSubject
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import (
    EvaluationDraft,
    EvaluationMark,
    EvaluationSession,
    EvaluationSessionExpert,
)
from desktop_app.store.models import Staff, User
from desktop_app.store.sealing import failing_ids

NUMBER_COUNTER = "evaluation_session"  # the notices' counter table keeps the per-year sequence
LOCKED = "已定稿的考评不能修改；如需更正，请中心领导重新打开。"
NOT_FOUND = "未找到该考评场次：请核对编号（如 KP2026-000123）。"
EXPERTS_LIMIT = 60


# -- small helpers ----------------------------------------------------------------------------------
def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def expert_label(name: str, expert_no: str | None) -> str:
    return f"专家{name}（{expert_no}）" if expert_no else f"专家{name}"


def refusal_of(name: str, expert_no: str | None, status: PoolStatus, day: date) -> str:
    """Why an expert may not sit on ``day``: 专家张三（Z1001）暂停至2027年5月17日（市财政局 财采〔2026〕8号），
    不能参加2026年11月18日的评标。"""
    reason = f"（{status.reason}）" if status.reason else ""
    label = status.label()
    label = label if status.until is not None else f"已{label}"  # 已暂停, 已清退
    return f"{expert_label(name, expert_no)}{label}{reason}，不能参加{day_text(day)}的评标。"


def session_number(year: int, serial: int) -> str:
    return f"{NUMBER_PREFIX}{year}-{serial:06d}"


def normalize_number(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).upper().split())


def grid_to_json(grid: GridInput) -> str:
    return json.dumps(
        {
            "marks": [
                {"subject_id": m.subject_id, "item_code": m.item_code, "points": m.points, "remark": m.remark}
                for m in grid.marks
            ],
            "expert_remarks": {str(k): v for k, v in grid.expert_remarks.items() if v},
        },
        ensure_ascii=False,
    )


def grid_from_json(text: str) -> GridInput:
    data = json.loads(text or "{}")
    marks = tuple(
        GridMark(int(m["subject_id"]), str(m["item_code"]), int(m["points"]), str(m.get("remark", "")))
        for m in data.get("marks", ())
    )
    remarks = {int(k): str(v) for k, v in data.get("expert_remarks", {}).items()}
    return GridInput(marks, remarks)


def remarks_from_json(text: str) -> dict[int, str]:
    return {int(k): str(v) for k, v in json.loads(text or "{}").items()}


def account_names_in(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    wanted = {u for u in usernames if u}
    if not wanted:
        return {}
    rows = session.execute(select(User.username, User.display_name).where(User.username.in_(wanted)))
    return {username: name for username, name in rows if name}


def require_evaluate(actor: CurrentUser) -> None:
    actor.require(Permission.EXPERT_EVALUATE)


def get_session_in(session: Session, session_id: int, lock: bool = False) -> EvaluationSession:
    row = session.get(EvaluationSession, session_id, with_for_update=lock)
    if row is None:
        raise NotFound("该考评场次不存在。")
    return row


def check_sealed_in(session: Session, row: EvaluationSession) -> None:
    """What a session decides (its state, revision, day, experts' marks) rests on rows that verify."""
    if failing_ids(session, EvaluationSession, EvaluationSession.id == row.id) or failing_ids(
        session, EvaluationMark, EvaluationMark.session_id == row.id
    ):
        raise DataCheckFailed(
            f"数据校验失败 — 请联系审计管理员：考评场次 {row.number} 的记录在程序之外被改动过，"
            "其扣分和状态不能作为依据。"
        )


def require_draft(row: EvaluationSession) -> None:
    if row.state != SessionState.DRAFT.value:
        raise ValidationError(LOCKED)


# -- the form's input -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckedSession:
    project_code: str
    project_name: str
    category: TradeCategory
    room: str
    scheduled_start: datetime
    scheduled_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    evaluation_date: date
    witness_staff_id: int | None
    witness_name: str
    experts: tuple[CreditSubject, ...]


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("session times must be aware datetimes")
    return value


def experts_in(
    session: Session, ids: Sequence[int], day: date, refusals: Refusals, allowed: Iterable[int] = ()
) -> tuple[CreditSubject, ...]:
    """The experts named, in order; every problem (not an expert, twice, not allowed to sit on
    ``day``) in one refusal at ``experts``. ``allowed``: experts already in the session, not checked
    again against their pool status (a suspension decided since does not undo who sat)."""
    problems: list[str] = []
    if len(ids) > EXPERTS_LIMIT:
        problems.append(f"一场评标最多 {EXPERTS_LIMIT} 位专家。")
    rows = {r.id: r for r in session.scalars(select(CreditSubject).where(CreditSubject.id.in_(set(ids))))}
    seen: set[int] = set()
    found: list[CreditSubject] = []
    kept = set(allowed)
    for sid in ids:
        row = rows.get(sid)
        if row is None:
            problems.append("所选专家不存在或已被删除。")
            continue
        if row.kind != SubjectKind.EXPERT.value:
            problems.append(f"{row.name}不是评标专家。")
            continue
        if sid in seen:
            problems.append(f"{expert_label(row.name, row.expert_no)}重复添加。")
            continue
        seen.add(sid)
        if sid not in kept:
            status = pool_status_in(session, sid, day)
            if not status.may_evaluate:
                problems.append(refusal_of(row.name, row.expert_no, status, day))
                continue
        found.append(row)
    if problems:
        refusals.add("\n".join(problems), "experts")
    return tuple(found)


def check_session_in(
    session: Session,
    db: Database,
    actor: CurrentUser,
    data: SessionInput,
    sitting: tuple[date, Iterable[int]] | None = None,
) -> CheckedSession:
    """Every fault of the input at once (``ValidationErrors``, one per field)."""
    refusals = Refusals()
    code = refusals.check(
        lambda: clean_text(data.project_code, "project_code", "项目编号", 60, required=True), ""
    )
    name = refusals.check(
        lambda: clean_text(data.project_name, "project_name", "项目名称", 200, required=True), ""
    )
    if data.category is None:
        refusals.add("请选择交易类别。", "category")
    room = refusals.check(lambda: clean_text(data.room, "room", "评标室", 50), "")
    start = _aware(data.scheduled_start)
    end, actual_start, actual_end = (
        _aware(data.scheduled_end),
        _aware(data.actual_start),
        _aware(data.actual_end),
    )
    if start is None:
        refusals.add("请填写评标开始时间。", "scheduled_start")
    elif start.astimezone().year < 2000:
        refusals.add("评标开始时间不正确。", "scheduled_start")
    elif local_date(start) > db.today() + timedelta(days=366):
        # A session is entered the day it sits or shortly before: a year ahead is a mistyped year.
        refusals.add("评标开始时间在一年以后，请检查年份。", "scheduled_start")
    elif end is not None and end < start:
        refusals.add("结束时间不能早于开始时间。", "scheduled_end")
    if actual_start is not None and actual_end is not None and actual_end < actual_start:
        refusals.add("实际结束时间不能早于实际开始时间。", "actual_end")
    named = refusals.check(lambda: clean_text(data.witness_name, "witness", "见证人", 50), "")
    witness_id = data.witness_staff_id
    if witness_id is None and not named:
        witness_id = actor.staff_id
    witness_name = named or actor.display_name or actor.username
    if witness_id is not None:
        staff = session.get(Staff, witness_id)
        if staff is None or not staff.active:
            refusals.add("见证人须是在职工作人员。", "witness")
        else:
            witness_name = staff.name
    first = actual_start or start
    day = local_date(first) if first is not None else db.today()
    # Experts already in the session on the same day are not refused for a suspension decided since.
    allowed = sitting[1] if sitting is not None and sitting[0] == day else ()
    experts = experts_in(session, data.expert_ids, day, refusals, allowed)
    refusals.raise_any()
    assert start is not None and data.category is not None
    return CheckedSession(
        code,
        name,
        TradeCategory(data.category),
        room,
        start,
        end,
        actual_start,
        actual_end,
        day,
        witness_id,
        witness_name,
        experts,
    )


def _search_text(row: EvaluationSession, names: Iterable[str]) -> str:
    return st.fold(" ".join((row.number, row.project_code, row.project_name, row.room, *names)))


def _apply_in(
    session: Session, db: Database, row: EvaluationSession, checked: CheckedSession
) -> dict[str, Any]:
    """Write the checked values, the due day and the experts; return what changed (for the audit)."""
    values: dict[str, Any] = {
        "project_code": checked.project_code,
        "project_name": checked.project_name,
        "category": checked.category.value,
        "room": checked.room,
        "scheduled_start": checked.scheduled_start,
        "scheduled_end": checked.scheduled_end,
        "actual_start": checked.actual_start,
        "actual_end": checked.actual_end,
        "evaluation_date": checked.evaluation_date,
        "witness_staff_id": checked.witness_staff_id,
        "witness_name": checked.witness_name,
    }
    due_on, provisional = None, False
    if checked.category == TradeCategory.PROCUREMENT:
        end = checked.actual_end or checked.scheduled_end or checked.scheduled_start
        deadline = deadline_in(session, db, local_date(end), PROCUREMENT_DAYS)
        due_on, provisional = deadline.day, deadline.provisional
    values["due_on"] = due_on
    values["due_provisional"] = provisional
    changed = changes(row, values)
    row.search_text = _search_text(row, [e.name for e in checked.experts])
    if row.id is None:
        session.add(row)
        session.flush()
    wanted = [e.id for e in checked.experts]
    present = list(
        session.scalars(
            select(EvaluationSessionExpert)
            .where(EvaluationSessionExpert.session_id == row.id)
            .order_by(EvaluationSessionExpert.position)
        )
    )
    if [p.subject_id for p in present] != wanted:
        before = [p.subject_id for p in present]
        for link in present:
            session.delete(link)
        session.flush()
        for position, sid in enumerate(wanted):
            session.add(EvaluationSessionExpert(session_id=row.id, subject_id=sid, position=position))
        changed["experts"] = [len(before), len(wanted)]
    return changed


def create_session_in(
    session: Session,
    db: Database,
    actor: CurrentUser,
    data: SessionInput,
    *,
    source: str = "app",
    import_key: str | None = None,
) -> EvaluationSession:
    """Number and store a session with its experts inside the caller's transaction, with its audit
    entry. The caller checks the actor's right."""
    checked = check_session_in(session, db, actor, data)
    now = db.now()
    year = now.astimezone().year
    row = EvaluationSession(
        number=session_number(year, next_serial(session, NUMBER_COUNTER, year)),
        state=SessionState.DRAFT.value,
        revision=1,
        source=source,
        import_key=import_key,
        created_at=now,
        created_by=actor.username,
        updated_at=now,
        updated_by=actor.username,
    )
    _apply_in(session, db, row, checked)
    session.flush()
    audit_in(
        session,
        actor,
        "evaluation.session.create",
        "evaluation_session",
        row.number,
        {
            "project_code": row.project_code,
            "category": row.category,
            "evaluation_date": row.evaluation_date.isoformat(),
            "experts": len(checked.experts),
            "imported": source != "app",
        },
    )
    return row


# -- reading ----------------------------------------------------------------------------------------
def infos_in(session: Session, db: Database, rows: Sequence[EvaluationSession]) -> list[SessionInfo]:
    """Detached copies of sessions, read in a handful of queries whatever their number."""
    if not rows:
        return []
    ids = [r.id for r in rows]
    experts: dict[int, list[SessionExpert]] = {i: [] for i in ids}
    query = (
        select(
            EvaluationSessionExpert.session_id,
            EvaluationSessionExpert.position,
            CreditSubject.id,
            CreditSubject.name,
            CreditSubject.expert_no,
            CreditSubject.specialty,
            CreditSubject.id_number_masked,
        )
        .join(CreditSubject, CreditSubject.id == EvaluationSessionExpert.subject_id)
        .where(EvaluationSessionExpert.session_id.in_(ids))
        .order_by(EvaluationSessionExpert.session_id, EvaluationSessionExpert.position)
    )
    for sid, position, subject_id, name, expert_no, specialty, masked in session.execute(query):
        experts[sid].append(
            SessionExpert(subject_id, name, expert_no or "", specialty or "", masked or "", position)
        )
    totals: dict[int, tuple[int, int]] = {}
    marked = select(
        EvaluationMark.session_id,
        func.count(EvaluationMark.id),
        func.coalesce(func.sum(EvaluationMark.points), 0),
    ).where(EvaluationMark.session_id.in_(ids), EvaluationMark.current.is_(True))
    for sid, count, points in session.execute(marked.group_by(EvaluationMark.session_id)):
        totals[sid] = (int(count), int(points))
    drafts = {
        sid: content
        for sid, content in session.execute(
            select(EvaluationDraft.session_id, EvaluationDraft.content).where(
                EvaluationDraft.session_id.in_(ids)
            )
        )
    }
    names = account_names_in(session, [r.finalised_by for r in rows] + [r.created_by for r in rows])
    today = db.today()
    infos = []
    for row in rows:
        if row.id in drafts and row.state == SessionState.DRAFT.value:
            grid = grid_from_json(drafts[row.id])
            count, points = len(grid.marks), sum(m.points for m in grid.marks)
        else:
            count, points = totals.get(row.id, (0, 0))
        draft = row.state == SessionState.DRAFT.value
        infos.append(
            SessionInfo(
                id=row.id,
                number=row.number,
                project_code=row.project_code,
                project_name=row.project_name,
                category=TradeCategory(row.category),
                room=row.room,
                scheduled_start=row.scheduled_start,
                scheduled_end=row.scheduled_end,
                actual_start=row.actual_start,
                actual_end=row.actual_end,
                evaluation_date=row.evaluation_date,
                witness_staff_id=row.witness_staff_id,
                witness_name=row.witness_name,
                state=SessionState(row.state),
                revision=row.revision,
                finalised_at=row.finalised_at,
                finalised_by=names.get(row.finalised_by, row.finalised_by),
                due_on=row.due_on,
                due_provisional=row.due_provisional,
                overdue=draft and row.due_on is not None and today > row.due_on,
                source=row.source,
                experts=tuple(experts[row.id]),
                marks_count=count,
                points_total=points,
                created_by=names.get(row.created_by, row.created_by),
                version=row.version,
            )
        )
    return infos


def session_info_in(session: Session, db: Database, row: EvaluationSession) -> SessionInfo:
    return infos_in(session, db, [row])[0]


def find_in(session: Session, number: str) -> EvaluationSession | None:
    key = normalize_number(number)
    if not key:
        return None
    return session.scalar(select(EvaluationSession).where(EvaluationSession.number == key))


def _filtered(query: Any, flt: SessionFilter, today: date) -> Any:
    if flt.date_from is not None:
        query = query.where(EvaluationSession.evaluation_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(EvaluationSession.evaluation_date <= flt.date_to)
    if flt.category is not None:
        query = query.where(EvaluationSession.category == TradeCategory(flt.category).value)
    if flt.room.strip():
        query = query.where(EvaluationSession.room == flt.room.strip())
    if flt.witness_staff_id is not None:
        query = query.where(EvaluationSession.witness_staff_id == flt.witness_staff_id)
    if flt.state is not None:
        query = query.where(EvaluationSession.state == SessionState(flt.state).value)
    if flt.overdue_only:
        query = query.where(
            EvaluationSession.state == SessionState.DRAFT.value,
            EvaluationSession.due_on.is_not(None),
            EvaluationSession.due_on < today,
        )
    folded = st.fold(flt.text)
    if folded:
        like = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(EvaluationSession.search_text.like(f"%{like}%", escape="\\"))
    if flt.expert_id is not None:
        query = query.where(
            exists().where(
                EvaluationSessionExpert.session_id == EvaluationSession.id,
                EvaluationSessionExpert.subject_id == flt.expert_id,
            )
        )
    return query


# -- drawn lists --------------------------------------------------------------------------------------
_HEADER_WORDS = ("专家编号", "身份证号", "身份证", "姓名", "编号")


def _line_cells(text: str) -> list[str]:
    for separator in ("\t", ",", "，", ";", "；"):
        if separator in text:
            return [c.strip() for c in text.split(separator) if c.strip()]
    return text.split()


def _looks_like_code(text: str) -> bool:
    """An expert number as pools write them (Z1001, 2019-0345): ASCII letters and digits, a digit in it."""
    return text.isascii() and any(c.isdigit() for c in text) and all(c.isalnum() or c in "-_/" for c in text)


def _id_of(cell: str) -> str:
    code = st.fold(cell, simplify=False).upper()
    return code if looks_like_id_number(code) else ""


class SessionOps(Service):
    def create_session(self, actor: CurrentUser, data: SessionInput) -> SessionInfo:
        require_evaluate(actor)
        with self.write() as session:
            row = create_session_in(session, self.db, actor, data)
            return session_info_in(session, self.db, row)

    def update_session(
        self, actor: CurrentUser, session_id: int, data: SessionInput, expected_version: int | None
    ) -> SessionInfo:
        """Correct a draft session's details or experts (a finalised one is locked). Marks of an
        expert taken out of the session leave the draft with them."""
        require_evaluate(actor)
        with self.write() as session:
            row = get_session_in(session, session_id, lock=True)
            check_version(row, expected_version)
            require_draft(row)
            present = session.scalars(
                select(EvaluationSessionExpert.subject_id).where(EvaluationSessionExpert.session_id == row.id)
            )
            checked = check_session_in(session, self.db, actor, data, (row.evaluation_date, list(present)))
            changed = _apply_in(session, self.db, row, checked)
            draft = session.get(EvaluationDraft, row.id)
            if draft is not None:
                grid = grid_from_json(draft.content)
                wanted = {e.id for e in checked.experts}
                kept = GridInput(
                    tuple(m for m in grid.marks if m.subject_id in wanted),
                    {k: v for k, v in grid.expert_remarks.items() if k in wanted},
                )
                if kept != grid:
                    draft.content = grid_to_json(kept)
            if changed:
                touch(row, actor, self.db)
                session.flush()
                summary = {
                    k: [v.isoformat() if isinstance(v, date | datetime) else v for v in pair]
                    for k, pair in changed.items()
                }
                audit_in(
                    session, actor, "evaluation.session.update", "evaluation_session", row.number, summary
                )
            return session_info_in(session, self.db, row)

    def session(self, session_id: int) -> SessionInfo:
        with self.db.session() as session:
            return session_info_in(session, self.db, get_session_in(session, session_id))

    def find_session(self, number: str) -> SessionInfo | None:
        with self.db.session() as session:
            row = find_in(session, number)
            return None if row is None else session_info_in(session, self.db, row)

    def sessions(
        self, actor: CurrentUser, flt: SessionFilter | None = None, limit: int = 1000
    ) -> list[SessionInfo]:
        """Sessions matching the filter, newest first."""
        require_evaluate(actor)
        flt = flt or SessionFilter()
        with self.db.session() as session:
            query = _filtered(select(EvaluationSession), flt, self.db.today())
            rows = session.scalars(
                query.order_by(
                    EvaluationSession.evaluation_date.desc(),
                    EvaluationSession.scheduled_start.desc(),
                    EvaluationSession.id.desc(),
                ).limit(limit)
            ).all()
            return infos_in(session, self.db, rows)

    def candidates(self, actor: CurrentUser, query: str, on: date, limit: int = 20) -> list[Candidate]:
        """Experts a query finds (name, former name, pinyin initials, ID number, expert number), best
        first, each with whether they may sit on ``on``."""
        require_evaluate(actor)
        folded = st.fold(query)[:200]
        if not folded:
            return []
        with self.db.session() as session:
            ids: list[int] = []
            number = normalize_number(query)
            if number:
                ids.extend(
                    session.scalars(
                        select(CreditSubject.id)
                        .where(
                            CreditSubject.kind == SubjectKind.EXPERT.value,
                            or_(
                                CreditSubject.expert_no == number, CreditSubject.expert_no.like(f"{number}%")
                            ),
                        )
                        .order_by(CreditSubject.expert_no)
                        .limit(limit)
                    )
                )
            found = candidates_in(session, self.db, folded, max(limit * 10, 200))
            ranked = [sid for sid, _ in sorted(found.items(), key=lambda item: item[1][0])]
            experts = set(
                session.scalars(
                    select(CreditSubject.id).where(
                        CreditSubject.id.in_(ranked), CreditSubject.kind == SubjectKind.EXPERT.value
                    )
                )
            )
            ids.extend(sid for sid in ranked if sid in experts and sid not in ids)
            ids = ids[:limit]
            rows = {r.id: r for r in session.scalars(select(CreditSubject).where(CreditSubject.id.in_(ids)))}
            pools = pool_statuses_in(session, ids, on)
            return [
                Candidate(
                    sid,
                    rows[sid].name,
                    rows[sid].expert_no or "",
                    rows[sid].specialty or "",
                    rows[sid].id_number_masked or "",
                    pools[sid],
                )
                for sid in ids
            ]

    def drawn_list(self, actor: CurrentUser, text: str, on: date) -> list[DrawnLine]:
        """The experts a pasted drawn list names, line by line: 专家编号 or 身份证号, then 姓名, separated by
        tabs, commas or spaces (a header line is skipped)."""
        require_evaluate(actor)
        lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        return self._drawn_lines(lines, on)

    def drawn_file(self, actor: CurrentUser, path: str | Path, on: date) -> list[DrawnLine]:
        """The same from an .xlsx or .csv with the headers 专家编号 or 身份证号, and 姓名."""
        from desktop_app.services.tabular_import import (
            cell_text,
            file_sha256_and_encoding,
            normalize_header,
            read_table,
        )

        require_evaluate(actor)
        path = Path(path)
        _, encoding = file_sha256_and_encoding(path)
        lines: list[tuple[int, str]] = []
        with read_table(path, encoding) as rows:
            columns: list[int] | None = None
            for number, cells in rows:
                values = [cell_text(c) for c in cells]
                if columns is None:
                    headers = [normalize_header(v) for v in values]
                    wanted = [i for i, h in enumerate(headers) if h in ("专家编号", "身份证号", "姓名")]
                    if wanted:
                        columns = wanted
                    continue
                picked = [values[i] for i in columns if i < len(values) and values[i]]
                if picked:
                    lines.append((number, "\t".join(picked)))
            if columns is None:
                raise ValidationError("文件中没有“专家编号”“身份证号”或“姓名”列。", field="file")
        return self._drawn_lines(lines, on)

    def _drawn_lines(self, lines: list[tuple[int, str]], on: date) -> list[DrawnLine]:
        result: list[DrawnLine] = []
        seen: set[int] = set()
        with self.db.session() as session:
            for number, text in lines:
                cells = _line_cells(text)
                if not result and any(word in cell for cell in cells for word in _HEADER_WORDS):
                    continue  # the header line
                result.append(self._drawn_line(session, number, text, cells, on, seen))
        return result

    def _drawn_line(
        self, session: Session, number: int, text: str, cells: list[str], on: date, seen: set[int]
    ) -> DrawnLine:
        shown = " ".join(mask_id_number(c) if _id_of(c) else c for c in cells)
        subject: CreditSubject | None = None
        names: list[str] = []
        code_given = False
        for cell in cells:
            if cell.isdigit() and len(cell) <= 4:
                continue  # the line's serial number (序号)
            id_number = _id_of(cell)
            if id_number:
                code_given = True
                lookup = self.db.keyring.lookup_hash("id_number", id_number)
                subject = subject or session.scalar(
                    select(CreditSubject).where(CreditSubject.id_number_lookup == lookup)
                )
                continue
            expert_no = normalize_number(cell)
            by_number = session.scalar(
                select(CreditSubject).where(
                    CreditSubject.expert_no == expert_no, CreditSubject.kind == SubjectKind.EXPERT.value
                )
            )
            if by_number is not None or _looks_like_code(expert_no):
                code_given = True
                subject = subject or by_number
            else:
                names.append(cell.strip())
        name = names[0] if names else ""
        if subject is None and code_given:
            return DrawnLine(number, shown, None, name, "专家库中没有这个专家编号或身份证号。")
        if subject is None:
            if not name:
                return DrawnLine(number, shown, None, "", "这一行没有专家编号、身份证号或姓名。")
            matches = list(
                session.scalars(
                    select(CreditSubject)
                    .where(CreditSubject.name == name, CreditSubject.kind == SubjectKind.EXPERT.value)
                    .limit(2)
                )
            )
            if not matches:
                return DrawnLine(number, shown, None, name, f"专家库中没有名为“{name}”的专家。")
            if len(matches) > 1:
                return DrawnLine(
                    number, shown, None, name, f"专家库中有多位“{name}”：请写明专家编号或身份证号。"
                )
            subject = matches[0]
        if subject.kind != SubjectKind.EXPERT.value:
            return DrawnLine(number, shown, None, subject.name, f"{subject.name}不是评标专家。")
        if name and st.fold(name) != st.fold(subject.name):
            return DrawnLine(
                number, shown, None, name, f"编号对应的专家是“{subject.name}”，与所填姓名“{name}”不符。"
            )
        if subject.id in seen:
            return DrawnLine(number, shown, subject.id, subject.name, "名单中重复出现。")
        seen.add(subject.id)
        status = pool_status_in(session, subject.id, on)
        problem = "" if status.may_evaluate else refusal_of(subject.name, subject.expert_no, status, on)
        return DrawnLine(number, shown, subject.id, subject.name, problem)
