"""Import of 12345 hotline transfers (and any list of complaints) from ``.xlsx``, ``.csv`` or JSON lines.

The reading, the row report and the preview/commit cycle are ``services.tabular_import``'s (JSON lines
are read as a table there, so one evaluator checks all three). Each row becomes a ``ComplaintInput``
checked by the intake's own ``check_input_in`` — the import refuses exactly what the intake form
refuses, and a refusal names the column of each field at fault. 被投诉对象 is resolved to a department,
an active staff member (by name, unique among the active staff; ``姓名（科室）`` when two share it), a
market subject (by USCC, exact name or former name) or, for a text ending in 窗口, a window.

Rows are checked and resolved in a read transaction; the write lock is held only to number and store
the good rows (``register_in``, which writes each case's history and audit entry). No 回执 is issued:
the cases come by transfer; ``notice complaint-receipt`` prints one when it is wanted. A row whose
case is already on file (same received time, facts and phone) is skipped as present, so importing a
file twice creates nothing twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.complaints import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    TIME_LIMIT_LABELS,
    Category,
    Channel,
    RespondentKind,
    TimeLimit,
)
from desktop_app.domain.errors import DomainError, refusals_of
from desktop_app.domain.identifiers import USCC_ALPHABET
from desktop_app.domain.roles import Permission
from desktop_app.services import tabular_import
from desktop_app.services.center import read_settings
from desktop_app.services.complaints.intake import CheckedInput, check_input_in, register_in
from desktop_app.services.complaints.types import ComplaintInput
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import find_subject_by_code
from desktop_app.services.tabular_import import (
    ColumnSpec,
    Evaluated,
    Header,
    RowError,
    RowEvaluator,
    RowOutcome,
    RowStatus,
    TableSpec,
    TabularImportService,
    Written,
    cell_text,
    identifier_text,
)
from desktop_app.store.complaint_models import Complaint
from desktop_app.store.credit_models import CreditSubject, SubjectAlias
from desktop_app.store.database import Database
from desktop_app.store.models import Department, Staff

KIND = "complaints"
RESPONDENT_COLUMN = "被投诉对象"
ANONYMOUS_WORDS = frozenset({"", "匿名", "无", "不详"})

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "渠道",
        "channel",
        False,
        "选填，默认 12345转办。" + "、".join(CHANNEL_LABELS.values()) + " 之一。",
        "12345转办",
        12,
    ),
    ColumnSpec(
        "收到时间",
        "received_at",
        True,
        "必填。如 2026-11-17 09:30 或 2026/11/17 9:30；只写日期时按当天 0 时。期限从次日起算。",
        "2026-11-17 09:30",
        18,
    ),
    ColumnSpec("投诉人", "complainant_name", True, "姓名；不填或填“匿名”为匿名投诉。", "张三", 12),
    ColumnSpec(
        "联系电话",
        "phone",
        False,
        "实名投诉须留电话（或在事实中注明地址）。请保持文本格式。",
        "13812345678",
        16,
        True,
    ),
    ColumnSpec(
        "身份证号", "id_number", False, "选填。18 位，末位 X 大小写均可。请保持文本格式。", "", 22, True
    ),
    ColumnSpec(
        RESPONDENT_COLUMN,
        "respondent",
        False,
        "选填。科室名称、在职工作人员姓名（重名时写“姓名（科室）”）、市场主体名称或统一社会信用代码，"
        "或以“窗口”结尾的窗口名称。",
        "建设工程科",
        24,
    ),
    ColumnSpec(
        "类别", "category", True, "必填。" + "、".join(CATEGORY_LABELS.values()) + " 之一。", "服务态度", 12
    ),
    ColumnSpec(
        "时限类别",
        "time_limit",
        False,
        "选填，默认一般。" + "、".join(TIME_LIMIT_LABELS.values()) + " 之一，或工作日天数（1–60）。",
        "一般",
        10,
    ),
    ColumnSpec("事实", "facts", True, "必填。投诉反映的事实。", "窗口工作人员拒绝一次性告知所需材料", 40),
    ColumnSpec("诉求", "request", False, "选填。", "要求说明情况", 24),
)
SPEC = TableSpec(
    KIND,
    "投诉",
    COLUMNS,
    "12345转办投诉导入模板",
    (
        "在第一个工作表中从第 2 行起每行填写一件投诉；列的顺序可以调整，多余的列会被忽略。",
        "也可导入 JSON lines 文件（.jsonl）：每行一个对象，键为上述列名。",
        "收到时间、事实和联系电话都与已登记投诉相同的行视为已导入，跳过。",
        "导入的投诉不出具受理回执；需要时用 notice complaint-receipt 打印。",
        "导入前会逐行检查，有误的行会标出行号、列名和原因；有误时不导入任何数据，除非选择跳过有误的行。",
    ),
    {
        "anonymous": "投诉人",
        "receiver": "",
        "complainant_unit": "投诉人",
        "address": "联系电话",
        "time_limit_days": "时限类别",
        "project_code": "",
        "evidence": "",
        "statutory": "",
    },
    (),
    {
        "渠道": list(CHANNEL_LABELS.values()),
        "类别": list(CATEGORY_LABELS.values()),
        "时限类别": list(TIME_LIMIT_LABELS.values()),
    },
)
SPECS: dict[str, TableSpec] = {KIND: SPEC}

_DATETIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?"
)
_NAME_WITH_DEPARTMENT = re.compile(r"^(.+?)[（(](.+?)[)）]$")
_CHANNEL_ALIASES = {"12345": Channel.HOTLINE, "12345热线": Channel.HOTLINE, "差评": Channel.RATING}


def parse_received_at(value: Any) -> datetime | None:
    """An aware instant from an Excel date cell or a text, in the hall's time zone when none is given."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.astimezone()
    if isinstance(value, date):
        return datetime.combine(value, time()).astimezone()
    text = unicodedata.normalize("NFKC", cell_text(value)).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        match = _DATETIME.fullmatch(text)
        if match is None:
            raise RowError(
                "收到时间", f"无法识别的收到时间“{text}”：请写成 2026-11-17 09:30 或 2026/11/17 9:30。"
            ) from None
        parts = [int(p) if p else 0 for p in match.groups()]
        try:
            parsed = datetime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])
        except ValueError:
            raise RowError("收到时间", f"收到时间“{text}”不存在。") from None
    return parsed if parsed.tzinfo is not None else parsed.astimezone()


def parse_label(enum_labels: Mapping[Any, str], text: str, header: str) -> Any:
    value = unicodedata.normalize("NFKC", text).strip()
    for member, label in enum_labels.items():
        if value in (member.value, label):
            return member
    raise RowError(header, f"{header}“{text}”无效，可选：{'、'.join(enum_labels.values())}。")


@dataclass(frozen=True)
class Respondent:
    kind: RespondentKind
    staff_id: int | None = None
    department_id: int | None = None
    subject_id: int | None = None
    text: str = ""


@dataclass(frozen=True)
class CheckedRow:
    data: ComplaintInput
    checked: CheckedInput


class ComplaintRows(RowEvaluator):
    def __init__(
        self, spec: TableSpec, header: Header, session: Session, db: Database, actor: CurrentUser
    ) -> None:
        super().__init__(spec, header)
        self.session = session
        self.db = db
        self.actor = actor
        self.departments = {
            name: i
            for i, name in session.execute(select(Department.id, Department.name).where(Department.active))
        }
        self.staff: dict[str, list[tuple[int, str, str]]] = {}
        for staff_id, name, employee_no, department in session.execute(
            select(Staff.id, Staff.name, Staff.employee_no, Department.name)
            .join(Department, Department.id == Staff.department_id)
            .where(Staff.active)
            .order_by(Staff.employee_no)
        ):
            self.staff.setdefault(name, []).append((staff_id, employee_no, department))
        self.resolved: dict[str, Respondent | RowError] = {}
        self.seen: dict[tuple[datetime, str, str], int] = {}

    # -- the respondent ----------------------------------------------------------------------------
    def respondent(self, text: str) -> Respondent:
        if not text:
            return Respondent(RespondentKind.NONE)
        found = self.resolved.get(text)
        if found is None:
            try:
                found = self._respondent(text)
            except RowError as exc:
                found = exc
            self.resolved[text] = found
        if isinstance(found, RowError):
            raise found
        return found

    def _respondent(self, text: str) -> Respondent:
        if text in self.departments:
            return Respondent(RespondentKind.DEPARTMENT, department_id=self.departments[text])
        named = _NAME_WITH_DEPARTMENT.match(text)
        if named and named.group(1).strip() in self.staff:
            name, department = named.group(1).strip(), named.group(2).strip()
            matches = [s for s in self.staff[name] if department in (s[2], s[1])]
            if len(matches) == 1:
                return Respondent(RespondentKind.STAFF, staff_id=matches[0][0])
            raise RowError(RESPONDENT_COLUMN, f"{department}没有名为“{name}”的在职工作人员。")
        if text in self.staff:
            matches = self.staff[text]
            if len(matches) == 1:
                return Respondent(RespondentKind.STAFF, staff_id=matches[0][0])
            candidates = "、".join(f"{text}（{dept}，工号 {no}）" for _, no, dept in matches)
            raise RowError(
                RESPONDENT_COLUMN,
                f"在职工作人员中有 {len(matches)} 位“{text}”：{candidates}。请写成“姓名（科室）”。",
            )
        code = unicodedata.normalize("NFKC", text).strip().upper()
        if len(code) == 18 and all(c in USCC_ALPHABET for c in code):
            subject = find_subject_by_code(self.session, self.db, code, None)
            if subject is None:
                raise RowError(RESPONDENT_COLUMN, f"信用档案中没有统一社会信用代码为 {code} 的市场主体。")
            return Respondent(RespondentKind.SUBJECT, subject_id=subject.id)
        subjects = self._subjects_named(text)
        if len(subjects) == 1:
            return Respondent(RespondentKind.SUBJECT, subject_id=next(iter(subjects)))
        if len(subjects) > 1:
            names = "、".join(f"{name}（{uscc or '无代码'}）" for name, uscc in sorted(subjects.values()))
            raise RowError(
                RESPONDENT_COLUMN,
                f"“{text}”对应 {len(subjects)} 个市场主体：{names}。请改填统一社会信用代码。",
            )
        if text.endswith("窗口"):
            return Respondent(RespondentKind.WINDOW, text=text)
        raise RowError(
            RESPONDENT_COLUMN,
            f"找不到“{text}”：不是科室、在职工作人员的姓名，也不是信用档案中市场主体的名称或代码"
            "（窗口请写成“…窗口”）。",
        )

    def _subjects_named(self, text: str) -> dict[int, tuple[str, str]]:
        """Subjects whose name or a former name is exactly ``text``: id → (name, USCC)."""
        by_name = select(CreditSubject.id, CreditSubject.name, CreditSubject.uscc).where(
            CreditSubject.name == text
        )
        by_alias = (
            select(CreditSubject.id, CreditSubject.name, CreditSubject.uscc)
            .join(SubjectAlias, SubjectAlias.subject_id == CreditSubject.id)
            .where(SubjectAlias.name == text)
        )
        found: dict[int, tuple[str, str]] = {}
        for query in (by_name, by_alias):
            for subject_id, name, uscc in self.session.execute(query):
                found[subject_id] = (name, uscc or "")
        return found

    # -- a row ---------------------------------------------------------------------------------------
    def parse(self, values: Sequence[Any]) -> ComplaintInput:
        self.check_cells(values)
        channel_text = self.text(values, "渠道")
        channel = (
            Channel.HOTLINE
            if not channel_text
            else _CHANNEL_ALIASES.get(channel_text) or parse_label(CHANNEL_LABELS, channel_text, "渠道")
        )
        received_at = parse_received_at(self.cell(values, "收到时间"))
        if received_at is None:
            raise RowError("收到时间", "请填写收到时间。")
        name = self.text(values, "投诉人")
        anonymous = name in ANONYMOUS_WORDS
        category_text = self.text(values, "类别")
        if not category_text:
            raise RowError("类别", "请填写类别。")
        category = parse_label(CATEGORY_LABELS, category_text, "类别")
        limit_text = unicodedata.normalize("NFKC", self.text(values, "时限类别")).removesuffix("件")
        time_limit, days = TimeLimit.GENERAL, None
        if limit_text.isdigit():
            days = int(limit_text)
        elif limit_text:
            time_limit = parse_label(TIME_LIMIT_LABELS, limit_text, "时限类别")
        respondent = self.respondent(self.text(values, RESPONDENT_COLUMN))
        return ComplaintInput(
            channel=channel,
            received_at=received_at,
            facts=self.text(values, "事实"),
            category=Category(category),
            anonymous=anonymous,
            complainant_name="" if anonymous else name,
            id_number=identifier_text(self.cell(values, "身份证号"), "身份证号"),
            phone=identifier_text(self.cell(values, "联系电话"), "联系电话"),
            respondent_kind=respondent.kind,
            respondent_staff_id=respondent.staff_id,
            respondent_department_id=respondent.department_id,
            respondent_subject_id=respondent.subject_id,
            respondent_text=respondent.text,
            request=self.text(values, "诉求"),
            time_limit=time_limit,
            time_limit_days=days,
        )

    def refusal(self, number: int, summary: str, exc: DomainError) -> Evaluated:
        """Every field the intake refused, each named by its column."""
        columns: list[str] = []
        for error in refusals_of(exc):
            column = self.spec.column_for(error.field)
            if column and column not in columns:
                columns.append(column)
        outcome = RowOutcome(
            number, RowStatus.ERROR, tabular_import.shown_text(summary), "、".join(columns), exc.message
        )
        return Evaluated(outcome)

    def evaluate(self, batch: list[tuple[int, Sequence[Any]]]) -> list[Evaluated]:
        parsed: list[tuple[int, str, CheckedRow | None, Evaluated | None]] = []
        for number, values in batch:
            summary = self._summary(values)
            try:
                data = self.parse(values)
                checked = check_input_in(self.session, self.db, self.actor, data)
                parsed.append((number, summary, CheckedRow(data, checked), None))
            except RowError as exc:
                parsed.append((number, summary, None, self.error(number, summary, exc)))
            except DomainError as exc:
                parsed.append((number, summary, None, self.refusal(number, summary, exc)))
        on_file = self.on_file(self.session, [row.checked for _, _, row, _ in parsed if row is not None])
        results: list[Evaluated] = []
        for number, summary, row, failed in parsed:
            if row is None:
                assert failed is not None
                results.append(failed)
                continue
            key = self.key(row.checked)
            if key in on_file:
                results.append(
                    Evaluated(
                        RowOutcome(number, RowStatus.PRESENT, summary, "", f"已登记为 {on_file[key]}，跳过")
                    )
                )
            elif key in self.seen:
                reason = f"与第 {self.seen[key]} 行是同一件投诉，跳过"
                results.append(Evaluated(RowOutcome(number, RowStatus.PRESENT, summary, "", reason)))
            else:
                self.seen[key] = number
                results.append(Evaluated(RowOutcome(number, RowStatus.NEW, summary), row))
        return results

    def _summary(self, values: Sequence[Any]) -> str:
        parts = (
            self.text(values, "投诉人") or "匿名",
            self.text(values, RESPONDENT_COLUMN),
            self.text(values, "类别"),
        )
        return " · ".join(p for p in parts if p)

    @staticmethod
    def key(checked: CheckedInput) -> tuple[datetime, str, str]:
        return (checked.received_at, checked.facts, checked.phone or "")

    def on_file(self, session: Session, rows: list[CheckedInput]) -> dict[tuple[datetime, str, str], str]:
        """The cases already stored with a row's received time, facts and phone: key → number."""
        if not rows:
            return {}
        wanted: dict[datetime, list[tuple[datetime, str, str]]] = {}
        for r in rows:
            wanted.setdefault(r.received_at, []).append(self.key(r))
        found: dict[tuple[datetime, str, str], str] = {}
        instants = sorted(wanted)
        for start in range(0, len(instants), tabular_import.BATCH):
            part = instants[start : start + tabular_import.BATCH]
            for number, received_at, facts, phone_lookup in session.execute(
                select(
                    Complaint.number,
                    Complaint.received_at,
                    Complaint.facts,
                    Complaint.complainant_phone_lookup,
                ).where(Complaint.received_at.in_(part))
            ):
                for key in wanted.get(received_at, ()):
                    if key[1] == facts and self._same_phone(key[2], phone_lookup):
                        found[key] = number
        return found

    def _same_phone(self, phone: str, lookup: str | None) -> bool:
        if not phone:
            return lookup is None
        return lookup == self.db.keyring.lookup_hash("phone", phone)

    def recheck(self, session: Session, rows: list[Evaluated]) -> list[Evaluated]:
        on_file = self.on_file(session, [e.payload.checked for e in rows])
        checked: list[Evaluated] = []
        for evaluated in rows:
            key = self.key(evaluated.payload.checked)
            if key in on_file:
                outcome = evaluated.outcome
                note = f"已登记为 {on_file[key]}（导入期间由其他工作站登记），跳过"
                evaluated = Evaluated(RowOutcome(outcome.row, RowStatus.PRESENT, outcome.summary, "", note))
            checked.append(evaluated)
        return checked


@dataclass(frozen=True)
class ImportedCase:
    """A case an import created: what ``complaint import`` prints for it."""

    row: int
    id: int
    number: str
    lookup_code: str
    received_at: datetime
    deadline: date
    provisional: bool
    respondent_text: str
    state: str


class ComplaintImportService(TabularImportService):
    """Preview and commit a file of 12345 transfers; write its template."""

    permission = Permission.COMPLAINT_TAKE
    audit_action_prefix = "complaint.import"
    audit_object_type = "complaint_import"
    json_lines = True

    @property
    def specs(self) -> Mapping[str, TableSpec]:
        return SPECS

    def evaluator(
        self, session: Session, actor: CurrentUser, spec: TableSpec, header: Header, source: Path
    ) -> RowEvaluator:
        return ComplaintRows(spec, header, session, self.db, actor)

    def write_rows(
        self, session: Session, actor: CurrentUser, spec: TableSpec, rows: list[Evaluated]
    ) -> Written:
        """Number and store each case in file order (numbers follow the rows), no receipt."""
        written = Written()
        prefix = str(read_settings(session)["complaint_number_prefix"])
        for evaluated in rows:
            row: CheckedRow = evaluated.payload
            case = register_in(session, self.db, actor, row.data, checked=row.checked, prefix=prefix)
            written.created_ids.append(case.id)
        return written

    def cases(self, actor: CurrentUser, report: tabular_import.ImportReport) -> list[ImportedCase]:
        """The cases a commit created, with the file row each came from, in file order."""
        actor.require(self.permission)
        if not report.created_ids:
            return []
        rows = [r.row for r in report.rows if r.status == RowStatus.NEW]
        by_id = dict(zip(report.created_ids, rows, strict=False))
        with self.db.session() as session:
            found = session.scalars(select(Complaint).where(Complaint.id.in_(report.created_ids)))
            cases = [
                ImportedCase(
                    by_id[c.id],
                    c.id,
                    c.number,
                    c.lookup_code,
                    c.received_at,
                    c.deadline,
                    c.deadline_provisional,
                    c.respondent_text,
                    c.state,
                )
                for c in found
            ]
        return sorted(cases, key=lambda c: c.row)

    def import_file(
        self, actor: CurrentUser, path: str | Path, skip_bad: bool
    ) -> tuple[tabular_import.ImportReport, list[ImportedCase]]:
        """Commit a file of transfers and return the report with the cases created."""
        report = self.commit(actor, path, skip_bad, kind=KIND)
        return report, self.cases(actor, report)


def write_template(path: str | Path) -> Path:
    """An empty transfers file with the headers and, in an .xlsx, a 说明 sheet."""
    return tabular_import.write_template(SPEC, path)
