"""Import of earlier paper evaluation forms (评标专家现场考评表) from ``.xlsx`` or ``.csv``: one row per mark.

Columns: 项目编号, 项目名称, 交易类别, 评标日期, 专家 (专家编号, 身份证号 or exact name), 考评项 (a code such as
E04, or the item's text as the catalogue in force that day has it; empty: the expert sat without a
mark), 扣分 (empty: the item's default), 备注, 见证人 (a staff member's name; ``姓名（科室）`` when two share
it). The rows of one project code and date form one session, imported finalised through the same
in-transaction calls the witness's sign-off makes (``create_session_in`` then ``finalise_in``): the
same credit records, points and proposals as a session finalised in the app.

The reading, the row report and the preview/commit cycle are ``services.tabular_import``'s. A session
is imported whole or not at all: a bad row makes every row of its session bad (``--skip-bad`` skips
the session, never a mark of it — a session imported without a mark could not be completed by
importing again). Re-importing adds nothing: a session carries the folded project code and date as its
``import_key``, and a session already entered in the app for that code and day is not imported again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from desktop_app.domain.credit import SubjectKind
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.domain.evaluations import (
    PROPOSAL_ACTION_LABELS,
    TRADE_CATEGORY_LABELS,
    Item,
    PoolStatus,
    ProposalAction,
    TradeCategory,
)
from desktop_app.domain.identifiers import looks_like_id_number, mask_id_number
from desktop_app.domain.roles import Permission
from desktop_app.services import tabular_import
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.catalogue import items_in
from desktop_app.services.evaluations.grid import finalise_in
from desktop_app.services.evaluations.sessions import create_session_in
from desktop_app.services.evaluations.standing import pool_status_in
from desktop_app.services.evaluations.types import GridInput, GridMark, SessionInput
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
    identifier_text,
    parse_date,
    parse_integer,
)
from desktop_app.store.credit_models import CreditSubject
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import (
    EvaluationMark,
    EvaluationSession,
    EvaluationSessionExpert,
    ExpertProposal,
)
from desktop_app.store.models import Department, Staff

KIND = "sessions"
EXPERT_COLUMN = "专家"
ITEM_COLUMN = "考评项"
# The paper forms do not say when the evaluation started: the session is put at 9:00 that day.
ASSUMED_START = time(9, 0)
IMPORT_KEY_LIMIT = 64

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "项目编号",
        "project_code",
        True,
        "必填。同一项目编号和评标日期的行合为一场考评。",
        "TH-JS-2026-0101",
        20,
        True,
    ),
    ColumnSpec(
        "项目名称", "project_name", True, "必填。同一场考评的各行应一致。", "天河市滨江路改造工程施工", 30
    ),
    ColumnSpec(
        "交易类别",
        "category",
        True,
        "必填。" + "、".join(TRADE_CATEGORY_LABELS.values()) + " 之一。",
        "建设工程",
        10,
    ),
    ColumnSpec(
        "评标日期",
        "evaluation_date",
        True,
        "必填。如 2026-03-01、2026/3/1 或 2026年3月1日。",
        "2026-03-01",
        12,
    ),
    ColumnSpec(
        EXPERT_COLUMN,
        "experts",
        True,
        "必填。专家编号、身份证号或与专家库一致的姓名（重名时请填专家编号）。请保持文本格式。",
        "Z1001",
        20,
        True,
    ),
    ColumnSpec(
        ITEM_COLUMN,
        "item",
        True,
        "考评项代码（如 E04）或与当日考评表一致的考评项内容；不填表示该专家参加了评标、没有扣分。",
        "E04",
        24,
    ),
    ColumnSpec("扣分", "points", False, "选填。不填按该考评项的默认扣分；须在该项的扣分范围内。", "", 8),
    ColumnSpec("备注", "remark", False, "选填。该项扣分的具体情况。", "上午 10:20 在评标室使用手机", 30),
    ColumnSpec(
        "见证人",
        "witness_staff_id",
        True,
        "必填。见证的工作人员姓名（同名时写“姓名（科室）”）；同一场考评的各行应一致。",
        "王静",
        12,
    ),
)
SPEC = TableSpec(
    KIND,
    "专家考评",
    COLUMNS,
    "专家现场考评导入模板",
    (
        "在第一个工作表中从第 2 行起每行填写一项扣分；列的顺序可以调整，多余的列会被忽略。",
        "项目编号和评标日期相同的行合为一场考评，导入后即为已定稿：扣分记入专家的信用档案，累计扣分达到阈值的生成处理建议。",
        "没有扣分的专家也可各填一行（考评项留空），以记录其参加了该场评标。",
        "一场考评中有一行有误时，整场都不导入；修正后可重新导入同一文件，已导入的场次不会重复导入。",
    ),
    {"session": "项目编号", "expert_ids": EXPERT_COLUMN, "scheduled_start": "评标日期", "grid": ITEM_COLUMN},
    (),
    {"交易类别": list(TRADE_CATEGORY_LABELS.values())},
)
SPECS: dict[str, TableSpec] = {KIND: SPEC}

_ITEM_CODE = re.compile(r"E0*(\d{1,3})")
_NAME_WITH_DEPARTMENT = re.compile(r"^(.+?)[（(](.+?)[)）]$")


def folded(text: str) -> str:
    """A code as compared: NFKC, upper case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).upper().split())


def import_key(project_code: str, day: date) -> str:
    """The key of the session a paper form of this project and day becomes (re-imports find it)."""
    key = f"{day:%Y%m%d}|{folded(project_code)}"
    if len(key) > IMPORT_KEY_LIMIT:
        key = f"{day:%Y%m%d}|#" + hashlib.sha256(folded(project_code).encode()).hexdigest()[:48]
    return key


def shown_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def refusal_text(name: str, expert_no: str, pool: PoolStatus, day: date) -> str:
    """Why an expert could not have sat that day (as the session form refuses it)."""
    who = f"专家{name}（{expert_no}）" if expert_no else f"专家{name}"
    why = f"（{pool.reason}）" if pool.reason else ""
    return f"{who}{pool.label()}{why}，不能参加{shown_day(day)}的评标。"


def parse_category(text: str) -> TradeCategory:
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        raise RowError("交易类别", "请填写交易类别。")
    for member, label in TRADE_CATEGORY_LABELS.items():
        if value in (member.value, label, label.removesuffix("工程")):
            return member
    raise RowError("交易类别", f"交易类别“{text}”无效，可选：{'、'.join(TRADE_CATEGORY_LABELS.values())}。")


@dataclass(frozen=True)
class Expert:
    subject_id: int
    name: str
    expert_no: str
    id_number_masked: str

    @property
    def shown(self) -> str:
        return f"{self.name}（{self.expert_no or self.id_number_masked}）"


@dataclass(frozen=True)
class CheckedMark:
    """A good row: its session's key and what it says."""

    key: str
    row: int
    project_code: str
    project_name: str
    category: TradeCategory
    day: date
    witness: tuple[int | None, str]  # the staff member, or only a name (no longer on the staff list)
    expert: Expert
    item_code: str  # '' for an expert present without a mark
    points: int
    remark: str


@dataclass
class Group:
    """The rows of one session in the file so far; the first good one (``first``) sets the project's
    name, category and witness the others must repeat."""

    first: CheckedMark | None = None
    members: list[Evaluated] = field(default_factory=list)
    cells: dict[tuple[int, str], int] = field(default_factory=dict)
    bad_row: int | None = None


class SessionRows(RowEvaluator):
    def __init__(
        self, spec: TableSpec, header: Header, session: Session, db: Database, actor: CurrentUser
    ) -> None:
        super().__init__(spec, header)
        self.session = session
        self.db = db
        self.actor = actor
        self.today = db.today()
        self.groups: dict[str, Group] = {}
        self.on_file: dict[str, str | None] = {}  # key → the session's number, None: not on file
        self.experts: dict[str, Expert | RowError] = {}
        self.items: dict[date, list[Item]] = {}
        self.pools: dict[tuple[int, date], PoolStatus] = {}
        self.staff: dict[str, list[tuple[int, str, str]]] | None = None
        self.witnesses: dict[str, tuple[int | None, str] | RowError] = {}

    # -- look-ups --------------------------------------------------------------------------------
    def expert(self, text: str) -> Expert:
        if not text:
            raise RowError(EXPERT_COLUMN, "请填写专家编号、身份证号或姓名。")
        found = self.experts.get(text)
        if found is None:
            try:
                found = self._expert(text)
            except RowError as exc:
                found = exc
            self.experts[text] = found
        if isinstance(found, RowError):
            raise found
        return found

    def _expert(self, text: str) -> Expert:
        columns = (
            CreditSubject.id,
            CreditSubject.name,
            CreditSubject.expert_no,
            CreditSubject.id_number_masked,
        )
        experts = select(*columns).where(CreditSubject.kind == SubjectKind.EXPERT.value)
        code = folded(text)
        if len(code) == 18 and looks_like_id_number(code):
            lookup = self.db.keyring.lookup_hash("id_number", code)
            row = self.session.execute(experts.where(CreditSubject.id_number_lookup == lookup)).first()
            if row is None:
                raise RowError(EXPERT_COLUMN, f"专家库中没有身份证号为 {mask_id_number(code)} 的评标专家。")
            return Expert(row[0], row[1], row[2] or "", row[3] or "")
        stripped = unicodedata.normalize("NFKC", text).strip()
        for number in dict.fromkeys((stripped, code)):
            row = self.session.execute(experts.where(CreditSubject.expert_no == number)).first()
            if row is not None:
                return Expert(row[0], row[1], row[2] or "", row[3] or "")
        named = self.session.execute(experts.where(CreditSubject.name == stripped)).all()
        if len(named) == 1:
            row = named[0]
            return Expert(row[0], row[1], row[2] or "", row[3] or "")
        if named:
            numbers = "、".join(sorted(r[2] or r[3] or "无编号" for r in named))
            raise RowError(
                EXPERT_COLUMN,
                f"专家库中有 {len(named)} 位“{stripped}”（{numbers}）：请改填专家编号或身份证号。",
            )
        raise RowError(EXPERT_COLUMN, f"专家库中没有专家编号或姓名为“{stripped}”的评标专家。")

    def item(self, text: str, day: date) -> Item:
        if day not in self.items:
            self.items[day] = items_in(self.session, day)
        items = self.items[day]
        value = unicodedata.normalize("NFKC", text).strip()
        match = _ITEM_CODE.fullmatch(folded(value))
        if match:
            code = f"E{int(match.group(1)):02d}"
            for item in items:
                if item.code == code:
                    return item
            raise RowError(ITEM_COLUMN, f"{shown_day(day)}的考评表中没有考评项 {code}。")
        squeezed = "".join(value.split())
        found = [i for i in items if "".join(i.text.split()) == squeezed or folded(i.code) == folded(value)]
        if len(found) == 1:
            return found[0]
        raise RowError(
            ITEM_COLUMN,
            f"考评项“{text}”不在{shown_day(day)}的考评表中：请填写考评项代码（如 E04）或与考评表一致的内容。",
        )

    def pool(self, expert: Expert, day: date) -> PoolStatus:
        key = (expert.subject_id, day)
        if key not in self.pools:
            self.pools[key] = pool_status_in(self.session, expert.subject_id, day)
        return self.pools[key]

    def witness(self, text: str) -> tuple[int | None, str]:
        if not text:
            raise RowError("见证人", "请填写见证人（工作人员姓名）。")
        found = self.witnesses.get(text)
        if found is None:
            try:
                found = self._witness(text)
            except RowError as exc:
                found = exc
            self.witnesses[text] = found
        if isinstance(found, RowError):
            raise found
        return found

    def _witness(self, text: str) -> tuple[int | None, str]:
        """The active staff member of that name; a name no active staff member has is kept as written
        (an earlier form's witness may have left the center)."""
        if self.staff is None:
            self.staff = {}
            query = (
                select(Staff.id, Staff.name, Staff.employee_no, Department.name)
                .join(Department, Department.id == Staff.department_id)
                .where(Staff.active)
                .order_by(Staff.employee_no)
            )
            for staff_id, name, employee_no, department in self.session.execute(query):
                self.staff.setdefault(name, []).append((staff_id, employee_no, department))
        name = unicodedata.normalize("NFKC", text).strip()
        named = _NAME_WITH_DEPARTMENT.match(name)
        if named and named.group(1).strip() in self.staff:
            person, department = named.group(1).strip(), named.group(2).strip()
            matches = [s for s in self.staff[person] if department in (s[2], s[1])]
            if len(matches) == 1:
                return matches[0][0], person
            raise RowError("见证人", f"{department}没有名为“{person}”的在职工作人员。")
        matches = self.staff.get(name, [])
        if len(matches) == 1:
            return matches[0][0], name
        if matches:
            candidates = "、".join(f"{name}（{dept}，工号 {no}）" for _, no, dept in matches)
            raise RowError(
                "见证人", f"在职工作人员中有 {len(matches)} 位“{name}”：{candidates}。请写成“姓名（科室）”。"
            )
        if len(name) > 50:
            raise RowError("见证人", "见证人姓名过长（不超过 50 个字）。")
        return None, name

    def sessions_on_file(self, session: Session, keys: Mapping[str, tuple[str, date]]) -> dict[str, str]:
        """The sessions already stored for these keys (imported, or entered in the app for the same
        project code and day): key → session number."""
        if not keys:
            return {}
        found: dict[str, str] = {}
        wanted = list(keys)
        for start in range(0, len(wanted), tabular_import.BATCH):
            part = wanted[start : start + tabular_import.BATCH]
            for key, number in session.execute(
                select(EvaluationSession.import_key, EvaluationSession.number).where(
                    EvaluationSession.import_key.in_(part)
                )
            ):
                found[str(key)] = number
            pairs = [keys[k] for k in part if k not in found]
            if pairs:
                by_pair = {(folded(code), day): k for k, (code, day) in keys.items()}
                for code, day, number in session.execute(
                    select(
                        EvaluationSession.project_code,
                        EvaluationSession.evaluation_date,
                        EvaluationSession.number,
                    ).where(
                        tuple_(EvaluationSession.project_code, EvaluationSession.evaluation_date).in_(pairs)
                    )
                ):
                    key = by_pair.get((folded(code), day))
                    if key is not None:
                        found.setdefault(key, number)
        return found

    # -- rows ------------------------------------------------------------------------------------
    def where(self, values: Sequence[Any]) -> tuple[str, date]:
        code = self.text(values, "项目编号")
        if not code:
            raise RowError("项目编号", "请填写项目编号。")
        day = parse_date(self.cell(values, "评标日期"), "评标日期")
        if day is None:
            raise RowError("评标日期", "请填写评标日期。")
        if day > self.today:
            raise RowError("评标日期", f"评标日期 {day.isoformat()} 晚于今天。")
        return code, day

    def parse(self, number: int, key: str, code: str, day: date, values: Sequence[Any]) -> CheckedMark:
        name = self.text(values, "项目名称")
        if not name:
            raise RowError("项目名称", "请填写项目名称。")
        category = parse_category(self.text(values, "交易类别"))
        witness = self.witness(self.text(values, "见证人"))
        group = self.groups.get(key)
        first = group.first if group is not None else None
        if first is not None:
            for column, differs in (
                ("项目名称", name != first.project_name),
                ("交易类别", category != first.category),
                ("见证人", witness != first.witness),
            ):
                if differs:
                    raise RowError(column, f"与同一场考评的第 {first.row} 行不一致。")
        expert = self.expert(identifier_text(self.cell(values, EXPERT_COLUMN), EXPERT_COLUMN))
        pool = self.pool(expert, day)
        if not pool.may_evaluate:
            raise RowError(EXPERT_COLUMN, refusal_text(expert.name, expert.expert_no, pool, day))
        item_text = self.text(values, ITEM_COLUMN)
        points = parse_integer(self.cell(values, "扣分"), "扣分")
        remark = self.text(values, "备注")
        if not item_text:
            if points is not None:
                raise RowError(ITEM_COLUMN, "填写了扣分，请同时填写考评项。")
            code_of_item, points = "", 0
        else:
            item = self.item(item_text, day)
            if points is None:
                points = item.default_points
            elif not item.accepts(points):
                raise RowError(
                    "扣分", f"{item.code} {item.text}的扣分应在 {item.min_points}–{item.max_points} 分之间。"
                )
            code_of_item = item.code
        if group is not None and code_of_item:
            earlier = group.cells.get((expert.subject_id, code_of_item))
            if earlier is not None:
                raise RowError(ITEM_COLUMN, f"与第 {earlier} 行是同一专家的同一考评项。")
        return CheckedMark(
            key, number, code, name, category, day, witness, expert, code_of_item, points, remark
        )

    def summary(self, values: Sequence[Any]) -> str:
        parts = (
            self.text(values, "项目编号"),
            self.text(values, "评标日期"),
            self.text(values, EXPERT_COLUMN),
            self.text(values, ITEM_COLUMN),
        )
        return " · ".join(p for p in parts if p)

    def evaluate(self, batch: list[tuple[int, Sequence[Any]]]) -> list[Evaluated]:
        located: list[tuple[int, Sequence[Any], str, tuple[str, date] | None, Evaluated | None]] = []
        for number, values in batch:
            summary = self.summary(values)
            try:
                self.check_cells(values)
                located.append((number, values, summary, self.where(values), None))
            except RowError as exc:
                located.append((number, values, summary, None, self.error(number, summary, exc)))
        keys = {import_key(*w): w for _, _, _, w, _ in located if w is not None}
        unknown = {k: w for k, w in keys.items() if k not in self.on_file}
        stored = self.sessions_on_file(self.session, unknown)
        for key in unknown:
            self.on_file[key] = stored.get(key)
        results: list[Evaluated] = []
        for number, values, summary, place, failed in located:
            if place is None:
                assert failed is not None
                results.append(failed)
                continue
            key = import_key(*place)
            shown = tabular_import.shown_text(summary)
            on_file = self.on_file[key]
            if on_file is not None:
                reason = f"该场考评已登记为 {on_file}，跳过"
                results.append(Evaluated(RowOutcome(number, RowStatus.PRESENT, shown, "", reason)))
                continue
            try:
                mark = self.parse(number, key, place[0], place[1], values)
            except (RowError, DomainError) as exc:
                evaluated = self.error(number, summary, exc)
                self.join(key, number, evaluated, None)
                results.append(evaluated)
                continue
            shown = (
                f"{place[0]} · {place[1].isoformat()} · {mark.expert.shown} · {mark.item_code or '无扣分'}"
            )
            evaluated = Evaluated(RowOutcome(number, RowStatus.NEW, tabular_import.shown_text(shown)), mark)
            self.join(key, number, evaluated, mark)
            results.append(evaluated)
        return results

    def join(self, key: str, number: int, row: Evaluated, mark: CheckedMark | None) -> None:
        """Add a row to its session; a bad row makes every row of the session bad (earlier ones too:
        the Evaluated objects are those the import holds)."""
        group = self.groups.setdefault(key, Group())
        if mark is not None and group.first is None:
            group.first = mark
        group.members.append(row)
        if mark is not None and mark.item_code:
            group.cells.setdefault((mark.expert.subject_id, mark.item_code), number)
        if row.outcome.bad and group.bad_row is None:
            group.bad_row = number
        if group.bad_row is not None:
            reason = f"同一场考评的第 {group.bad_row} 行有误，整场未导入。"
            for member in group.members:
                if member.outcome.status == RowStatus.NEW:
                    outcome = member.outcome
                    member.outcome = RowOutcome(outcome.row, RowStatus.ERROR, outcome.summary, "", reason)
                    member.payload = None

    def recheck(self, session: Session, rows: list[Evaluated]) -> list[Evaluated]:
        keys = {e.payload.key: (e.payload.project_code, e.payload.day) for e in rows}
        stored = self.sessions_on_file(session, keys)
        checked: list[Evaluated] = []
        for evaluated in rows:
            number = stored.get(evaluated.payload.key)
            if number is not None:
                outcome = evaluated.outcome
                note = f"该场考评已登记为 {number}（导入期间由其他工作站登记），跳过"
                evaluated = Evaluated(RowOutcome(outcome.row, RowStatus.PRESENT, outcome.summary, "", note))
            checked.append(evaluated)
        return checked


@dataclass(frozen=True)
class ImportedProposal:
    expert_name: str
    expert_no: str
    action: ProposalAction
    points: int

    @property
    def action_label(self) -> str:
        return PROPOSAL_ACTION_LABELS[self.action]


@dataclass(frozen=True)
class ImportedSession:
    """A session an import created: what ``evaluation import`` prints for it."""

    id: int
    number: str
    project_code: str
    project_name: str
    evaluation_date: date
    experts: int
    marks: int
    points: int
    proposals: tuple[ImportedProposal, ...]


class EvaluationImportService(TabularImportService):
    """Preview and commit a file of paper evaluation forms; write its template."""

    permission = Permission.EXPERT_EVALUATE
    audit_action_prefix = "evaluation.import"
    audit_object_type = "evaluation_import"

    @property
    def specs(self) -> Mapping[str, TableSpec]:
        return SPECS

    def evaluator(
        self, session: Session, actor: CurrentUser, spec: TableSpec, header: Header, source: Path
    ) -> RowEvaluator:
        return SessionRows(spec, header, session, self.db, actor)

    def write_rows(
        self, session: Session, actor: CurrentUser, spec: TableSpec, rows: list[Evaluated]
    ) -> Written:
        """Each session created and finalised, in the order of its day (then of its first row), so the
        numbers and the year's points come as they would have."""
        groups: dict[str, list[CheckedMark]] = {}
        for evaluated in rows:
            mark: CheckedMark = evaluated.payload
            groups.setdefault(mark.key, []).append(mark)
        written = Written()
        for key, marks in sorted(groups.items(), key=lambda g: (g[1][0].day, g[1][0].row)):
            first = marks[0]
            experts = tuple(dict.fromkeys(m.expert.subject_id for m in marks))
            data = SessionInput(
                project_code=first.project_code,
                project_name=first.project_name,
                category=first.category,
                room="",
                scheduled_start=datetime.combine(first.day, ASSUMED_START).astimezone(),
                witness_staff_id=first.witness[0],
                witness_name="" if first.witness[0] is not None else first.witness[1],
                expert_ids=experts,
            )
            grid = GridInput(
                tuple(
                    GridMark(m.expert.subject_id, m.item_code, m.points, m.remark)
                    for m in marks
                    if m.item_code
                )
            )
            try:
                row = create_session_in(session, self.db, actor, data, source="import", import_key=key)
                result = finalise_in(session, self.db, actor, row, grid)
            except DomainError as exc:
                raise ValidationError(
                    f"第 {first.row} 行起的考评（{first.project_code}，{first.day.isoformat()}）未能导入：{exc.message}",
                    field="file",
                ) from None
            written.created_ids.append(row.id)
            written.pending += len(result.proposals)
        return written

    def sessions_created(
        self, actor: CurrentUser, report: tabular_import.ImportReport
    ) -> list[ImportedSession]:
        """The sessions a commit created, with their marks and the proposals they produced, by day."""
        actor.require(self.permission)
        if not report.created_ids:
            return []
        ids = list(report.created_ids)
        with self.db.session() as session:
            sessions = session.scalars(select(EvaluationSession).where(EvaluationSession.id.in_(ids))).all()
            marks = {
                sid: (int(count), int(points or 0))
                for sid, count, points in session.execute(
                    select(EvaluationMark.session_id, func.count(), func.sum(EvaluationMark.points))
                    .where(EvaluationMark.session_id.in_(ids), EvaluationMark.current)
                    .group_by(EvaluationMark.session_id)
                )
            }
            experts = dict(
                session.execute(
                    select(EvaluationSessionExpert.session_id, func.count())
                    .where(EvaluationSessionExpert.session_id.in_(ids))
                    .group_by(EvaluationSessionExpert.session_id)
                ).all()
            )
            proposals: dict[int, list[ImportedProposal]] = {}
            for sid, name, expert_no, action, points in session.execute(
                select(
                    ExpertProposal.session_id,
                    CreditSubject.name,
                    CreditSubject.expert_no,
                    ExpertProposal.action,
                    ExpertProposal.points,
                )
                .join(CreditSubject, CreditSubject.id == ExpertProposal.subject_id)
                .where(ExpertProposal.session_id.in_(ids))
                .order_by(ExpertProposal.id)
            ):
                proposals.setdefault(sid or 0, []).append(
                    ImportedProposal(name, expert_no or "", ProposalAction(action), points)
                )
            created = [
                ImportedSession(
                    s.id,
                    s.number,
                    s.project_code,
                    s.project_name,
                    s.evaluation_date,
                    int(experts.get(s.id, 0)),
                    marks.get(s.id, (0, 0))[0],
                    marks.get(s.id, (0, 0))[1],
                    tuple(proposals.get(s.id, ())),
                )
                for s in sessions
            ]
        return sorted(created, key=lambda s: (s.evaluation_date, s.number))

    def import_file(
        self, actor: CurrentUser, path: str | Path, skip_bad: bool
    ) -> tuple[tabular_import.ImportReport, list[ImportedSession]]:
        """Commit a file of paper forms and return the report with the sessions created."""
        report = self.commit(actor, path, skip_bad, kind=KIND)
        return report, self.sessions_created(actor, report)


def write_template(path: str | Path) -> Path:
    """An empty evaluation-forms file with the headers and, in an .xlsx, a 说明 sheet."""
    return tabular_import.write_template(SPEC, path)
