"""批量核验: the registered bidders of a bid opening checked at once, and ``credit certify``.

Before an opening the desk receives the list of registered bidders from the trading platform. The
clerk loads it (.xlsx/.csv, read by ``services.tabular_import``), every line is checked and recorded
as a 登记核验 with its own 信用查询结果告知单 (``entry_check_in``), and one summary sheet (the table
report) lists the lines, banned and not-found lines first.

How a line names its subject is ``batch_lines``' rule (an exact code; else a name or alias equal
to the line's when exactly one subject has it). Lines that find nothing are recorded as 未找到 with
their own 告知单, as a single "not found" query is. Conflicting, ambiguous and similar lines are
never certified silently: the preview marks them and the clerk decides (one of the candidates,
未找到 after checking them, or leave the line out: the summary then lists it as 未核验); the command
line refuses the list. A subject on two lines is checked once; the later line refers to the earlier
one's certificate.

Preview first (reads only), then confirm: the file must be unchanged (SHA-256) and read as
previewed, the lines are matched again outside the write transaction, and then the checks, the
numbers and archive rows of their certificates and of the summary, and the audit entries are written
in one transaction (all or nothing). The PDFs are drawn after it (``notices.render_later_in``) and
stored in a second, short one. Measured with 300 lines on a shared 2-core machine
(benchmarks/credit_batch_bench.py): the write transaction lasts 1.0 s on SQLite and 2.1 s on
PostgreSQL, against 5.6 s and 6.6 s with the drawing inside it; drawing and storing the PDFs after
it takes about 2.8 s; the preview 0.6 s (SQLite) and 1.6 s (PostgreSQL).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain import search_text as st
from desktop_app.domain.credit import VERDICT_LABELS, Verdict
from desktop_app.domain.dates import chinese_date, chinese_datetime
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.identifiers import USCC_ALPHABET, looks_like_id_number
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, audit_in
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.batch_lines import (
    ID_NUMBER,
    LIST_KIND,
    LIST_SPEC,
    NAME,
    USCC,
    BatchLine,
    Candidate,
    LineQueries,
    LineState,
    ListRows,
    line_outcome,
    read_list,
)
from desktop_app.services.credit.checks import entry_check_in
from desktop_app.services.credit.search import QUERY_LIMIT
from desktop_app.services.credit.types import EntryCheckInfo, EntryCheckResult
from desktop_app.services.tabular_import import Header, ImportPreview, file_sha256_and_encoding

SUMMARY_DOC_TYPE = "table_report"
SUMMARY_TITLE = "批量信用核验汇总表"


class Decision(StrEnum):
    """What the clerk decided for a line other than one of its candidates."""

    NOT_FOUND = "not_found"  # none of the candidates is the bidder: record 未找到
    LEAVE_OUT = "leave_out"  # not checked now (the summary lists it as 未核验)


Choice = int | Decision  # a candidate's subject id, or a decision


@dataclass(frozen=True)
class BatchPreview:
    file: ImportPreview  # the shared import preview: NEW will be checked, PRESENT repeats, ERROR decide
    on: date
    lines: tuple[BatchLine, ...]

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def file_name(self) -> str:
        return self.file.file_name

    @property
    def sha256(self) -> str:
        return self.file.sha256

    @property
    def file_errors(self) -> tuple[str, ...]:
        return self.file.file_errors

    def count(self, state: LineState) -> int:
        return sum(1 for line in self.lines if line.state == state)

    @property
    def undecided(self) -> tuple[BatchLine, ...]:
        return tuple(line for line in self.lines if line.needs_decision)

    def missing_choices(self, choices: Mapping[int, Choice]) -> tuple[BatchLine, ...]:
        return tuple(line for line in self.undecided if line.row not in choices)

    def ready(self, choices: Mapping[int, Choice]) -> bool:
        """Whether confirming with these choices would record something."""
        if self.file_errors or self.missing_choices(choices):
            return False
        return any(choices.get(line.row) != Decision.LEAVE_OUT for line in self.lines)


@dataclass(frozen=True)
class CertifiedLine:
    line: BatchLine
    choice: Choice | None  # what the clerk decided for it, if anything
    verdict: Verdict | None = None  # None: left out (未核验)
    subject: Candidate | None = None  # the subject checked (None: not found, or left out)
    check: EntryCheckInfo | None = None  # None: left out, or the same as an earlier line
    notice: Any = None  # IssuedDocument of the line's own 告知单
    same_as: int | None = None  # the earlier line whose check and 告知单 this line shares
    notice_number: str = ""  # its 告知单 (the earlier line's for a repeat)
    reason: str = ""

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict] if self.verdict else "未核验"

    def summary_row(self) -> tuple[str, ...]:
        line = self.line
        if self.verdict is None:
            note = f"未核验：{line.note or '查询人选择本次不核验。'}须在窗口单独核验。"
        elif self.same_as is not None:
            note = f"与第 {self.same_as} 行为同一主体，不重复出具告知单。"
        else:
            note = ("经查询人确认。" if self.choice is not None else "") + self.reason
        found = self.subject.shown if self.subject else "—"
        return (str(line.row), line.listed, found, self.verdict_label, note, self.notice_number)


@dataclass(frozen=True)
class BatchResult:
    file_name: str
    sha256: str
    on: date
    lines: tuple[CertifiedLine, ...]  # in file order
    summary: Any  # IssuedDocument of the summary sheet
    write_seconds: float = 0.0  # how long the write transaction (checks, numbers, archive) lasted
    pdf_seconds: float = 0.0  # drawing the PDFs after it, and storing them in a short one

    def count(self, verdict: Verdict | None) -> int:
        return sum(1 for line in self.lines if line.verdict == verdict)

    @property
    def certificates(self) -> tuple[CertifiedLine, ...]:
        """The lines that have a certificate of their own, in file order."""
        return tuple(line for line in self.lines if line.notice is not None)

    def in_summary_order(self) -> list[CertifiedLine]:
        return sorted(self.lines, key=summary_key)


# Banned first, then not found, lines not checked, records, clear.
SUMMARY_ORDER: dict[Verdict | None, int] = {
    Verdict.BANNED: 0,
    Verdict.NOT_FOUND: 1,
    None: 2,
    Verdict.RECORDS: 3,
    Verdict.CLEAR: 4,
}


def summary_key(line: CertifiedLine) -> tuple[int, int]:
    return SUMMARY_ORDER[line.verdict], line.line.row


class UndecidedQuery(ValidationError):
    """``certify``: the query does not name one subject by the list's rule; ``line`` says why."""

    def __init__(self, line: BatchLine) -> None:
        super().__init__(f"无法确定要核验的主体：{line.note}", field="query")
        self.line = line


# -- confirming ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Planned:
    line: BatchLine
    choice: Choice | None
    query: str = field(default="", repr=False)  # recorded unmasked: entry_check_in masks an ID number
    subject_id: int | None = None
    match_count: int = 0
    record: bool = True  # False: left out, or the same subject as an earlier line
    same_as: int | None = None


def plan_lines(
    lines: Sequence[tuple[BatchLine, LineQueries]], choices: Mapping[int, Choice]
) -> list[_Planned]:
    """What is recorded for each line, after the clerk's choices (refused when one is missing or wrong)."""
    planned: list[_Planned] = []
    first_of: dict[int, int] = {}
    first_not_found: dict[str, int] = {}
    missing: list[int] = []
    for line, queries in lines:
        choice = choices.get(line.row)
        if choice == Decision.LEAVE_OUT:
            planned.append(_Planned(line, choice, record=False))
            continue
        if line.state in (LineState.MATCHED, LineState.NOT_FOUND, LineState.DUPLICATE):
            if choice is not None:
                raise ValidationError(f"第 {line.row} 行无需确认，只能选择不核验。", field="choices")
            subject_id = line.subject.subject_id if line.subject else None
            count = 0
        elif choice is None:
            missing.append(line.row)
            continue
        elif line.state == LineState.ERROR:
            raise ValidationError(f"第 {line.row} 行有误（{line.note}），只能选择不核验。", field="choices")
        elif choice == Decision.NOT_FOUND:
            subject_id, count = None, max(line.match_count, len(line.candidates))
        elif isinstance(choice, int) and choice in {c.subject_id for c in line.candidates}:
            subject_id, count = choice, line.match_count
        else:
            raise ValidationError(f"第 {line.row} 行所选的主体不在候选之中。", field="choices")
        if subject_id is None:
            query = queries.not_found
            earlier = first_not_found.setdefault(st.fold(query), line.row)
        else:
            query = queries.by_code.get(subject_id) or queries.name
            earlier = first_of.setdefault(subject_id, line.row)
        if earlier != line.row:
            planned.append(_Planned(line, choice, subject_id=subject_id, record=False, same_as=earlier))
            continue
        planned.append(_Planned(line, choice, query, subject_id, count))
    if missing:
        shown = "、".join(str(r) for r in missing[:10]) + ("等" if len(missing) > 10 else "")
        raise ValidationError(f"第 {shown} 行须先确认核验哪个主体。", field="choices")
    return planned


# -- the service ----------------------------------------------------------------------------------
class BatchOps(Service):
    def preview_check_list(
        self, actor: CurrentUser, path: str | Path, on: date | None = None
    ) -> BatchPreview:
        """Read a list and match every line (nothing is recorded)."""
        actor.require(Permission.CREDIT_LOOKUP)
        on = on or self.db.today()
        source = Path(path)
        sha256, encoding = file_sha256_and_encoding(source)
        with self.db.session() as session:
            read = read_list(session, self.db, source, encoding, on)
        header = read.header
        lines = tuple(line for line, _ in read.lines)
        preview = ImportPreview(
            LIST_KIND,
            source,
            sha256,
            tuple(line_outcome(line) for line in lines),
            read.file_errors,
            header.columns if header else (),
            header.ignored if header else (),
        )
        return BatchPreview(preview, on, lines)

    def certify_list(
        self, actor: CurrentUser, preview: BatchPreview, choices: Mapping[int, Choice] | None = None
    ) -> BatchResult:
        """Record a check and issue a 告知单 for every line, and the summary sheet: all or nothing.

        ``choices`` decide the lines that need it (row → a candidate's subject id, or a Decision);
        any line may be left out."""
        actor.require(Permission.CREDIT_LOOKUP)
        choices = dict(choices or {})
        source = preview.path
        sha256, encoding = file_sha256_and_encoding(source)
        if sha256 != preview.sha256:
            raise ValidationError(
                f"文件 {source.name} 在预览之后被修改过：请重新预览后再确认。", field="file"
            )
        if preview.file_errors:
            raise ValidationError("名单文件有误：" + "；".join(preview.file_errors), field="file")
        # Matched again before the write (outside its lock): the archive may have changed since.
        with self.db.session() as session:
            read = read_list(session, self.db, source, encoding, preview.on)
        if [line.signature() for line, _ in read.lines] != [line.signature() for line in preview.lines]:
            raise Conflict("预览之后信用档案有变动（主体新增或改名），请重新预览后再确认。", field="file")
        planned = plan_lines(read.lines, choices)
        if not any(p.record for p in planned):
            raise ValidationError("名单中没有要核验的行。", field="choices")
        from desktop_app.services.notices import NoticeService, render_later_in

        started = time.perf_counter()
        with self.write() as session:
            # Numbers, checks and archive rows here; the PDFs are drawn after the commit (hundreds
            # of them would hold the write lock, and with it every workstation, for seconds).
            pending = render_later_in(session)
            result = self._record(session, actor, preview, planned)
        written = time.perf_counter()
        pdfs = NoticeService(self.db).complete(actor, pending)
        lines = tuple(
            replace(line, notice=pdfs.get(line.notice.number, line.notice))
            if line.notice is not None
            else line
            for line in result.lines
        )
        return replace(
            result,
            lines=lines,
            summary=pdfs.get(result.summary.number, result.summary),
            write_seconds=written - started,
            pdf_seconds=time.perf_counter() - written,
        )

    def _record(
        self, session: Session, actor: CurrentUser, preview: BatchPreview, planned: list[_Planned]
    ) -> BatchResult:
        from desktop_app.services.center import read_settings
        from desktop_app.services.notices import NoticeService

        done: dict[int, CertifiedLine] = {}
        lines: list[CertifiedLine] = []
        for item in planned:
            line = item.line
            subject = next(
                (c for c in (line.subject, *line.candidates) if c and c.subject_id == item.subject_id), None
            )
            if item.record:
                result = entry_check_in(
                    session, self.db, actor, item.query, item.subject_id, preview.on, item.match_count
                )
                check = result.check
                certified = CertifiedLine(
                    line,
                    item.choice,
                    check.verdict,
                    subject,
                    check,
                    result.notice,
                    None,
                    check.notice_number or "",
                    check.reason,
                )
                done[line.row] = certified
            elif item.same_as is not None:
                earlier = done[item.same_as]
                certified = replace(
                    earlier, line=line, choice=item.choice, check=None, notice=None, same_as=item.same_as
                )
            else:
                certified = CertifiedLine(line, item.choice)
            lines.append(certified)
        counts = {v: sum(1 for c in lines if c.verdict == v) for v in (*Verdict, None)}
        settings = read_settings(session)
        document = self._summary(str(settings["center_name"]), actor, preview, lines, counts)
        summary = NoticeService(self.db).issue_in(session, actor, SUMMARY_DOC_TYPE, document, SUMMARY_TITLE)
        audit_in(
            session,
            actor,
            "credit.batch_check",
            "notice",
            summary.number,
            {
                "file": preview.file_name,
                "sha256": preview.sha256,
                "on": preview.on.isoformat(),
                "rows": len(lines),
                "checked": len(done),
                "banned": counts[Verdict.BANNED],
                "not_found": counts[Verdict.NOT_FOUND],
                "records": counts[Verdict.RECORDS],
                "clear": counts[Verdict.CLEAR],
                "left_out": counts[None],
                "decided": sum(1 for p in planned if p.choice is not None),
                "notice": summary.number,
            },
        )
        return BatchResult(preview.file_name, preview.sha256, preview.on, tuple(lines), summary)

    def _summary(
        self,
        center_name: str,
        actor: CurrentUser,
        preview: BatchPreview,
        lines: list[CertifiedLine],
        counts: Mapping[Verdict | None, int],
    ) -> Any:
        from desktop_app.notices.table_report import Column, TableReport

        tally = "，".join(
            f"{label} {counts[v]}"
            for v, label in (
                (Verdict.BANNED, "禁止入场"),
                (Verdict.NOT_FOUND, "未找到"),
                (Verdict.RECORDS, "有不良记录"),
                (Verdict.CLEAR, "可入场"),
                (None, "未核验"),
            )
            if counts[v] or v is not None
        )
        now = self.db.now()
        return TableReport(
            center_name=center_name,
            title=SUMMARY_TITLE,
            columns=(
                Column("行号", 0.45, "right"),
                Column("名单所列", 2.3),
                Column("核验主体", 2.3),
                Column("结论", 0.85, "center"),
                Column("说明", 3.0),
                Column("告知单编号", 1.35),
            ),
            rows=tuple(c.summary_row() for c in sorted(lines, key=summary_key)),
            subtitle=f"名单：{preview.file_name}　核验日期：{chinese_date(preview.on)}　共 {len(lines)} 行：{tally}",
            landscape=True,
            generated_at=now,
            footnotes=(
                f"查询人：{actor.display_name}　核验时间：{chinese_datetime(now)}。"
                "每行的信用查询结果告知单另行出具，编号见上表；行号为名单文件中的行号。",
                "禁止入场仅依据有效的禁止入场决定或严重失信名单；信用分和等级仅供参考，不作为入场条件。",
                "“未核验”的行未登记核验，须在窗口按名称或代码单独核验。",
            ),
        )

    def certify(self, actor: CurrentUser, query: str, on: date | None = None) -> EntryCheckResult:
        """One recorded check and its 告知单 for a query, naming its subject by the list's rule
        (``UndecidedQuery`` when the query does not name one subject: nothing is recorded)."""
        actor.require(Permission.CREDIT_LOOKUP)
        text = clean_text(query, "query", "查询内容", QUERY_LIMIT, required=True)
        on = on or self.db.today()
        line, queries = self.query_line(text, on)
        if line.needs_decision:
            raise UndecidedQuery(line)
        subject_id = line.subject.subject_id if line.subject else None
        recorded = queries.by_code.get(subject_id, queries.name) if subject_id else queries.not_found
        with self.write() as session:
            return entry_check_in(session, self.db, actor, recorded, subject_id, on, line.match_count)

    def query_line(self, text: str, on: date) -> tuple[BatchLine, LineQueries]:
        """A typed query as a one-line list: a code when it has the shape of one, else a name."""
        code = st.fold(text).upper()
        is_id = looks_like_id_number(code)
        is_uscc = len(code) == 18 and all(c in USCC_ALPHABET for c in code)
        values = ["", "", code] if is_id else ["", code, ""] if is_uscc else [text, "", ""]
        header = Header(1, {NAME: 0, USCC: 1, ID_NUMBER: 2}, (NAME, USCC, ID_NUMBER), (), ())
        with self.db.session() as session:
            ((line, queries),) = ListRows(LIST_SPEC, header, session, self.db, on).lines([(1, values)])
        if line.state == LineState.ERROR:
            raise ValidationError(line.note, field="query")
        return line, queries
