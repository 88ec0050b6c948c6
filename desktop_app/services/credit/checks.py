"""登记核验 at the entry desk: who checked which subject, when, with what query, and the answer, with
the 信用查询结果告知单 issued in the same transaction (also for "not found")."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.credit import (
    BARRING_KINDS,
    SUBJECT_KIND_LABELS,
    VERDICT_LABELS,
    Assessment,
    SubjectKind,
    Verdict,
)
from desktop_app.domain.dates import chinese_date, chinese_datetime
from desktop_app.domain.errors import DataCheckFailed, ValidationError
from desktop_app.domain.identifiers import mask_id_query
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, audit_in, get_or_404
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.records import record_info
from desktop_app.services.credit.search import QUERY_LIMIT, fold_query, query_names_subject_in, search_in
from desktop_app.services.credit.types import EntryCheckInfo, EntryCheckResult, RecordInfo
from desktop_app.services.credit.verdicts import assessments_in, data_as_of_in
from desktop_app.store.credit_models import CreditRecord, CreditSubject, EntryCheck
from desktop_app.store.database import Database
from desktop_app.store.sealing import failing_ids

CERTIFICATE_RECORDS = 12
# A second Ctrl+P for the same subject within this time is most likely the same visitor (a jammed
# printer, a second copy): the desk asks whether to reprint that 告知单 rather than number a new one.
REPEAT_WINDOW = timedelta(minutes=10)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DATE_RANGE = re.compile(r"日 至 ")
VERDICT_TONES = {
    Verdict.CLEAR: "ok",
    Verdict.RECORDS: "warning",
    Verdict.BANNED: "danger",
    Verdict.NOT_FOUND: "",
    Verdict.TAMPERED: "danger",
}


def check_info(row: EntryCheck) -> EntryCheckInfo:
    return EntryCheckInfo(
        row.id,
        row.checked_at,
        row.checked_on,
        row.operator,
        row.operator_name,
        row.workstation,
        row.query,
        row.subject_id,
        row.subject_name,
        Verdict(row.verdict),
        row.reason,
        row.match_count,
        row.data_as_of,
        row.notice_number,
    )


def subject_checks_in(session: Session, subject_id: int, limit: int = 100) -> list[EntryCheckInfo]:
    """The entry checks of one subject, newest first."""
    rows = session.scalars(
        select(EntryCheck)
        .where(EntryCheck.subject_id == subject_id)
        .order_by(EntryCheck.checked_at.desc(), EntryCheck.id.desc())
        .limit(limit)
    )
    return [check_info(r) for r in rows]


# The hall's stub of a 告知单 repeats who asked what, when, and the answer; the party signs it for
# receipt. The full copy handed out carries the seal.
COUNTERFOIL_FIELDS = (
    "查询内容",
    "查询时间",
    "查询人",
    "主体名称",
    "统一社会信用代码",
    "身份证号",
    "查询结果",
)


def certificate(
    center_name: str,
    actor: CurrentUser,
    check: EntryCheck,
    subject: CreditSubject | None,
    assessment: Assessment | None,
    records: list[RecordInfo],
) -> Any:
    """The 信用查询结果告知单 of one check, as the notices engine's receipt layout: the hall's stub
    (存根) and the party's copy, with Chinese dates and the operator by name. The login name and the
    workstation are kept in the archived content (verification shows them), not printed."""
    from desktop_app.notices.receipt import COUNTERFOIL, Receipt

    verdict = assessment.verdict if assessment else Verdict.NOT_FOUND
    as_of = check.data_as_of or check.checked_at
    fields: list[tuple[str, str]] = [
        ("查询内容", check.query),
        ("查询时间", chinese_datetime(check.checked_at, seconds=True)),
        ("核验日期", chinese_date(check.checked_on)),
        ("查询人", actor.display_name or actor.username),
        ("数据截至", chinese_datetime(as_of, seconds=True)),
    ]
    if subject is None or assessment is None:
        explanation = (
            f"按查询内容找到 {check.match_count} 个名称相近的主体，经查询人核对均非被查询主体。"
            if check.match_count
            else "本中心信用档案中未找到与查询内容相符的主体。"
        )
        fields += [("查询结果", "未找到"), ("说明", explanation)]
    else:
        identifier = subject.uscc or subject.id_number_masked or ""
        id_label = "统一社会信用代码" if subject.uscc else "身份证号"
        fields += [
            ("主体名称", subject.name),
            ("主体类型", SUBJECT_KIND_LABELS[SubjectKind(subject.kind)]),
            (id_label, identifier),
            ("查询结果", VERDICT_LABELS[assessment.verdict]),
            ("信用分 / 等级", _score_text(assessment)),
            ("理由", paper_dates(assessment.reason)),
            ("有效记录", _records_text(records)),
        ]
    notes = (
        "本告知单根据查询时本中心信用档案的数据出具，仅反映“数据截至”时点的记录情况。",
        "禁止入场仅依据有效的禁止入场决定或严重失信名单；信用分和等级仅供参考。",
        "如对查询结果有异议，可向本中心提出书面申请。",
    )
    return Receipt(
        center_name=center_name,
        title="信用查询结果告知单",
        fields=tuple(fields),
        notes=notes,
        signatures=("查询人签字",),
        # The visitor's copy on top (the preview opens on its verdict), the hall's stub below the cut.
        copies=("当事人收执", COUNTERFOIL),
        headline=f"查询结果：{VERDICT_LABELS[verdict]}",
        headline_tone=VERDICT_TONES[verdict],
        issued_on=check.checked_at.astimezone().date(),
        counterfoil=COUNTERFOIL,
        counterfoil_fields=COUNTERFOIL_FIELDS,
        counterfoil_signatures=("查询人签字", "当事人签收"),
        archive_fields=(("查询人登录名", actor.username), ("工作站", check.workstation)),
    )


def _score_text(assessment: Assessment) -> str:
    # A barred subject's grade is the worst one whatever its score: say so, or "85 分 / E 级" reads
    # as a mistake beside a grade table where 85 is B.
    forced = "禁止入场期间等级按最低级计；" if assessment.grade_overridden else ""
    return f"{assessment.score} 分 / {assessment.grade} 级（{forced}仅供参考，不作为入场条件）"


def paper_dates(text: str) -> str:
    """Dates in a sentence written for the screen (2026-07-19 至 2027-07-14) as paper writes them
    (2026年7月19日至2027年7月14日)."""
    text = ISO_DATE.sub(lambda m: chinese_date(date.fromisoformat(m.group(0))), text)
    return DATE_RANGE.sub("日至", text)


def _records_text(records: list[RecordInfo]) -> str:
    """Barring records first; the page holds a dozen, the rest are counted (the file has them)."""
    if not records:
        return "无"
    shown = sorted(records, key=lambda r: (r.kind not in BARRING_KINDS, r.id))
    lines = []
    for index, record in enumerate(shown[:CERTIFICATE_RECORDS], 1):
        number = f"，{record.decision_number}" if record.decision_number else ""
        authority = f"，{record.authority}" if record.authority else ""
        facts = record.facts if len(record.facts) <= 120 else record.facts[:119] + "…"
        lines.append(
            f"{index}. {record.kind_label}（{record.severity_label}{authority}{number}）"
            f"{record.printed_period}：{facts}"
        )
    if len(shown) > CERTIFICATE_RECORDS:
        lines.append(f"另有 {len(shown) - CERTIFICATE_RECORDS} 条有效记录未列出，详见信用档案。")
    return "\n".join(lines)


def entry_check_in(
    session: Session,
    db: Database,
    actor: CurrentUser,
    query: str,
    subject_id: int | None,
    on: date,
    match_count: int,
    print_notice: bool = True,
) -> EntryCheckResult:
    """Record one 登记核验 inside the caller's transaction and issue its 告知单 (a batch check of a
    whole bid opening records one per line in one transaction).

    ``query`` is what was asked (cleaned); ``subject_id`` the subject it names, or None for "not
    found"; ``match_count`` how many subjects the query found. The caller checks the right."""
    folded_query = fold_query(query)
    # An ID number typed as the query is personal data: the check row, the audit entry and the
    # printed notice keep it masked, like every screen (DOMAIN.md §6).
    query_text = mask_id_query(query)
    now = db.now()
    as_of = data_as_of_in(session) or now
    subject_row = None
    assessment = None
    behind: list[RecordInfo] = []
    if subject_id is not None:
        subject_row = get_or_404(session, CreditSubject, subject_id, "该主体")
        # The notice certifies "this query found this subject": never another one.
        if not query_names_subject_in(session, db, subject_row, folded_query):
            raise ValidationError("所选主体与查询内容不符，请按名称、代码或证件号重新查询。", field="query")
        assessment = assessments_in(session, [subject_id], on, verify=True)[subject_id]
        if assessment.verdict == Verdict.TAMPERED:
            # Nothing is certified from rows changed behind the program's back, not even "checked".
            raise DataCheckFailed(f"{assessment.reason[:-1]}，不能登记核验或出具告知单。")
        for record in session.scalars(
            select(CreditRecord).where(CreditRecord.id.in_(assessment.adverse_record_ids))
        ):
            behind.append(record_info(record, on))
    verdict = assessment.verdict if assessment else Verdict.NOT_FOUND
    reason = assessment.reason if assessment else "按查询内容未找到信用档案。"
    check = EntryCheck(
        checked_at=now,
        checked_on=on,
        operator=actor.username,
        operator_name=actor.display_name,
        workstation=db.workstation,
        query=query_text,
        subject_id=subject_row.id if subject_row else None,
        subject_name=subject_row.name if subject_row else "",
        verdict=verdict.value,
        reason=reason,
        match_count=match_count,
        data_as_of=as_of,
    )
    session.add(check)
    session.flush()
    notice = None
    if print_notice:
        from desktop_app.services.center import read_settings
        from desktop_app.services.notices import NoticeService

        document = certificate(
            str(read_settings(session)["center_name"]),
            actor,
            check,
            subject_row,
            assessment,
            sorted(behind, key=lambda r: r.id),
        )
        notice = NoticeService(db).issue_in(session, actor, "credit_check", document, "信用查询结果告知单")
        check.notice_number = notice.number
    audit_in(
        session,
        actor,
        "credit.entry_check",
        "credit_subject" if subject_row else "",
        subject_row.id if subject_row else "",
        {
            "query": query_text,
            "verdict": verdict.value,
            "on": on.isoformat(),
            "notice": check.notice_number or "",
        },
    )
    return EntryCheckResult(check_info(check), notice)


class CheckOps(Service):
    def entry_check(
        self,
        actor: CurrentUser,
        query: str,
        subject_id: int | None,
        on: date | None = None,
        print_notice: bool = True,
    ) -> EntryCheckResult:
        """登记核验: record who checked what and the answer, and issue the 信用查询结果告知单.

        ``subject_id`` is the subject the clerk picked from the results, or None for "no match".
        """
        actor.require(Permission.CREDIT_LOOKUP)
        query_text = clean_text(query, "query", "查询内容", QUERY_LIMIT, required=True)
        on = on or self.db.today()
        with self.db.session() as session:
            result = search_in(session, self.db, query_text, on)
        with self.write() as session:
            return entry_check_in(
                session, self.db, actor, query_text, subject_id, on, len(result.hits), print_notice
            )

    def repeat_of(self, actor: CurrentUser, query: str, subject_id: int | None) -> EntryCheckInfo | None:
        """This operator's check of the same subject (or of the same query, not found) in the last
        ``REPEAT_WINDOW``, with its 告知单, while the answer it gave still holds: its notice may be
        reprinted (补打) instead of a new one issued. None when there is none."""
        actor.require(Permission.CREDIT_LOOKUP)
        query_text = mask_id_query(clean_text(query, "query", "查询内容", QUERY_LIMIT, required=True))
        since = self.db.now() - REPEAT_WINDOW
        with self.db.session() as session:
            statement = select(EntryCheck).where(
                EntryCheck.checked_at >= since,
                EntryCheck.operator == actor.username,
                EntryCheck.notice_number.is_not(None),
            )
            if subject_id is None:
                statement = statement.where(EntryCheck.subject_id.is_(None), EntryCheck.query == query_text)
            else:
                statement = statement.where(EntryCheck.subject_id == subject_id)
            row = session.scalar(
                statement.order_by(EntryCheck.checked_at.desc(), EntryCheck.id.desc()).limit(1)
            )
            # A check row changed behind the program's back vouches for nothing (its notice is
            # checked again when it is reprinted).
            if row is None or failing_ids(session, EntryCheck, EntryCheck.id == row.id):
                return None
            if subject_id is not None:
                now = assessments_in(session, [subject_id], self.db.today(), verify=True)[subject_id].verdict
                if now.value != row.verdict:  # the file changed since: the old notice no longer says it
                    return None
            return check_info(row)

    def recent_checks(self, actor: CurrentUser, limit: int = 200) -> list[EntryCheckInfo]:
        actor.require(Permission.CREDIT_LOOKUP)
        with self.db.session() as session:
            rows = session.scalars(
                select(EntryCheck).order_by(EntryCheck.checked_at.desc(), EntryCheck.id.desc()).limit(limit)
            )
            return [check_info(r) for r in rows]
