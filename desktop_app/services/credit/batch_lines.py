"""Reading a bid opening's list of bidders (批量核验) and naming each line's subject.

How a line names its subject (one rule for the dialog, ``credit certify QUERY`` and ``--list``):
- an exact 统一社会信用代码 or 身份证号 names the subject registered under it; a name on the same
  line must then be that subject's name or one of its former/short names, else the line is a
  *conflict*. A code that is not on file: 未找到, unless the name on the line names a subject (a
  conflict: the list's code is not that subject's);
- without a code, a name or alias equal to the line's name names its subject when exactly one
  subject has it; several: *ambiguous*; names that only contain it: *similar*;
- names compare folded (full/half width, traditional/simplified, spaces and punctuation ignored);
- nothing found: 未找到;
- the same subject (or the same unknown name) on a later line: a *repeat* of the earlier line.
A malformed code, or a line with neither name nor code, is an *error*. ``batch`` decides, records
and prints; this module only reads (the list through ``services.tabular_import``, the credit files
through the lookup's ``candidates_in``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import search_text as st
from desktop_app.domain.credit import SUBJECT_KIND_LABELS, VERDICT_LABELS, SubjectKind, Verdict
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.domain.identifiers import USCC_ALPHABET, looks_like_id_number, mask_id_number
from desktop_app.services.credit.search import QUERY_LIMIT, candidates_in
from desktop_app.services.credit.verdicts import assessments_in
from desktop_app.services.tabular_import import (
    BATCH,
    ColumnSpec,
    Evaluated,
    Header,
    RowError,
    RowEvaluator,
    RowOutcome,
    RowStatus,
    TableSpec,
    cell_text,
    find_header,
    identifier_text,
    read_table,
    shown_text,
    write_template,
)
from desktop_app.store.credit_models import CreditSubject
from desktop_app.store.database import Database

LIST_KIND = "bidders"
NAME, USCC, ID_NUMBER = "名称", "统一社会信用代码", "身份证号"
CANDIDATE_LIMIT = 20  # candidates shown for a line the clerk decides
NAME_PROBE = 200  # subjects a name is compared with (exact names rank first)

LIST_SPEC = TableSpec(
    LIST_KIND,
    "核验名单",
    (
        ColumnSpec(
            NAME,
            "name",
            False,
            "单位全称或个人姓名。只有名称时，须与档案中的名称或曾用名完全一致（不区分全角半角、繁简体、"
            "空格和标点），且只对应一个主体。",
            "天河华建建筑工程有限公司",
            34,
        ),
        ColumnSpec(USCC, "uscc", False, "单位填写，18 位。请保持文本格式。", "91440101MA5CXXXX0X", 22, True),
        ColumnSpec(
            ID_NUMBER,
            "id_number",
            False,
            "个人填写，18 位，末位 X 大小写均可。请保持文本格式。",
            "",
            22,
            True,
        ),
    ),
    "批量核验名单模板",
    (
        "在第一个工作表中从第 2 行起每行填写一个投标人（竞买人、供应商）；列的顺序可以调整，多余的列（如序号、"
        "标段、联系人）会被忽略。",
        "有统一社会信用代码或身份证号时按代码核验，同一行的名称须与档案一致；没有代码时按名称核验。",
        "名称对应多个主体、代码与名称不符或只有相近名称的行，须由查询人逐行确认后才能登记核验。",
        "确认后每行登记一次核验、出具一份信用查询结果告知单，并出具一份汇总表。",
    ),
    {"query": NAME},
    ((NAME, USCC, ID_NUMBER),),
)


def write_list_template(path: str | Path) -> Path:
    """An empty list with the headers (.xlsx with a 说明 sheet, or .csv)."""
    return write_template(LIST_SPEC, path)


# -- what a line is ----------------------------------------------------------------------------
class LineState(StrEnum):
    MATCHED = "matched"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    AMBIGUOUS = "ambiguous"
    CONFLICT = "conflict"
    SIMILAR = "similar"
    ERROR = "error"


LINE_STATE_LABELS = {
    LineState.MATCHED: "已确定主体",
    LineState.NOT_FOUND: "未找到",
    LineState.DUPLICATE: "重复",
    LineState.AMBIGUOUS: "名称对应多个主体",
    LineState.CONFLICT: "代码与名称不符",
    LineState.SIMILAR: "只有相近名称",
    LineState.ERROR: "有误",
}
UNDECIDED = frozenset({LineState.AMBIGUOUS, LineState.CONFLICT, LineState.SIMILAR, LineState.ERROR})


@dataclass(frozen=True)
class Candidate:
    """A subject a line names, or may name."""

    subject_id: int
    name: str
    kind: SubjectKind
    identifier: str  # USCC in full, ID number masked
    verdict: Verdict
    reason: str
    how: str  # uscc / id / name / alias: what on the line found it

    @property
    def kind_label(self) -> str:
        return SUBJECT_KIND_LABELS[self.kind]

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def shown(self) -> str:
        return f"{self.name}（{self.identifier}）" if self.identifier else self.name


@dataclass(frozen=True)
class BatchLine:
    row: int  # as Excel numbers it
    name: str  # as listed
    code: str  # as listed: a USCC in full, an ID number masked
    state: LineState
    subject: Candidate | None = None  # MATCHED and DUPLICATE
    candidates: tuple[Candidate, ...] = ()  # for the clerk to decide between
    note: str = ""  # why the line needs a decision, or what is wrong with it
    column: str = ""  # ERROR: the column at fault
    same_as: int | None = None  # DUPLICATE: the earlier line
    match_count: int = 0  # subjects the line's name found, for the record of a 未找到

    @property
    def listed(self) -> str:
        if self.name and self.code:
            return f"{self.name}（{self.code}）"
        return self.name or self.code

    @property
    def state_label(self) -> str:
        return LINE_STATE_LABELS[self.state]

    @property
    def needs_decision(self) -> bool:
        return self.state in UNDECIDED

    @property
    def verdict(self) -> Verdict | None:
        """The verdict the line would get now (None until decided)."""
        if self.subject is not None:
            return self.subject.verdict
        # A repeat without a subject repeats a line that found nothing.
        return Verdict.NOT_FOUND if self.state in (LineState.NOT_FOUND, LineState.DUPLICATE) else None

    @property
    def outcome(self) -> str:
        """The line's outcome as one Chinese phrase."""
        if self.state == LineState.MATCHED and self.subject is not None:
            return f"{self.subject.verdict_label}：{self.subject.shown}"
        if self.state == LineState.NOT_FOUND:
            return "未找到：档案中没有与名单相符的主体"
        if self.state == LineState.DUPLICATE:
            return f"与第 {self.same_as} 行为同一主体，不重复核验"
        return self.note

    def signature(self) -> tuple[Any, ...]:
        """What must not change between the preview and the confirmation (verdicts may)."""
        return (
            self.row,
            self.state,
            self.subject.subject_id if self.subject else None,
            tuple(c.subject_id for c in self.candidates),
            self.same_as,
        )


# -- reading a list ----------------------------------------------------------------------------
@dataclass(frozen=True)
class LineQueries:
    """What a line's check records, unmasked (kept apart from the line, which may be shown; out of
    its repr, which a traceback may print, since an ID number is personal data)."""

    by_code: Mapping[int, str] = field(default_factory=dict, repr=False)  # subject id → the code
    name: str = ""
    not_found: str = field(default="", repr=False)


@dataclass(frozen=True)
class _Parsed:
    row: int
    name: str
    uscc: str = field(repr=False)
    id_number: str = field(repr=False)

    @property
    def code(self) -> str:
        """The code as it may be shown: an ID number (in either column) masked."""
        code = self.uscc or self.id_number
        return mask_id_number(code) if looks_like_id_number(code) else code


def _code_cell(value: Any, column: str) -> str:
    text = st.fold(identifier_text(value, column)).upper()
    if not text:
        return ""
    if column == USCC and (len(text) != 18 or any(c not in USCC_ALPHABET for c in text)):
        raise RowError(USCC, f"统一社会信用代码“{text[:40]}”应为 18 位数字或大写字母（不含 I、O、S、V、Z）。")
    if column == ID_NUMBER and not looks_like_id_number(text):
        raise RowError(ID_NUMBER, "身份证号应为 18 位：17 位数字加 1 位数字或 X。")
    return text


class ListRows(RowEvaluator):
    """Matches the lines of a list, a batch at a time (codes looked up together)."""

    def __init__(self, spec: TableSpec, header: Header, session: Session, db: Database, on: date) -> None:
        super().__init__(spec, header)
        self.session = session
        self.db = db
        self.on = on
        self.seen_subjects: dict[int, int] = {}  # subject id → first line naming it
        self.seen_not_found: dict[str, int] = {}  # folded query → first line

    def parse(self, number: int, values: Sequence[Any]) -> _Parsed:
        self.check_cells(values)
        name = " ".join(self.text(values, NAME).split())
        if len(name) > QUERY_LIMIT:
            raise RowError(NAME, f"名称不能超过 {QUERY_LIMIT} 个字。")
        uscc = _code_cell(self.cell(values, USCC), USCC)
        id_number = _code_cell(self.cell(values, ID_NUMBER), ID_NUMBER)
        if not (name or uscc or id_number):
            raise RowError(NAME, "请填写名称、统一社会信用代码或身份证号。")
        return _Parsed(number, name, uscc, id_number)

    def evaluate(self, batch: list[tuple[int, Sequence[Any]]]) -> list[Evaluated]:
        return [Evaluated(line_outcome(line), (line, queries)) for line, queries in self.lines(batch)]

    def lines(self, batch: list[tuple[int, Sequence[Any]]]) -> list[tuple[BatchLine, LineQueries]]:
        parsed: list[_Parsed | BatchLine] = []
        for number, values in batch:
            try:
                parsed.append(self.parse(number, values))
            except (RowError, DomainError) as exc:
                column, reason = (
                    (exc.column, exc.reason) if isinstance(exc, RowError) else (NAME, exc.message)
                )
                listed = shown_text(" ".join(self.text(values, NAME).split()), QUERY_LIMIT)
                parsed.append(BatchLine(number, listed, "", LineState.ERROR, note=reason, column=column))
        by_uscc, by_id = self._by_code([p for p in parsed if isinstance(p, _Parsed)])
        matched: list[tuple[_Parsed, dict[str, Any]]] = []
        for item in parsed:
            if isinstance(item, _Parsed):
                matched.append((item, self._match(item, by_uscc, by_id)))
        subjects = self._candidates({sid for _, m in matched for sid, _ in m["ids"]})
        results: list[tuple[BatchLine, LineQueries]] = []
        found = iter(matched)
        for item in parsed:
            if isinstance(item, BatchLine):
                results.append((item, LineQueries()))
            else:
                line, queries = self._line(*next(found), subjects)
                results.append((line, queries))
        return results

    def _by_code(self, parsed: list[_Parsed]) -> tuple[dict[str, int], dict[str, int]]:
        """Subject ids registered under the codes of the batch (USCC cells holding an ID number too)."""
        usccs = {p.uscc for p in parsed if p.uscc}
        id_numbers = {p.id_number for p in parsed if p.id_number}
        id_numbers |= {code for code in usccs if looks_like_id_number(code)}
        by_uscc: dict[str, int] = {}
        if usccs:
            for sid, code in self.session.execute(
                select(CreditSubject.id, CreditSubject.uscc).where(CreditSubject.uscc.in_(usccs))
            ):
                by_uscc[str(code)] = sid
        by_id: dict[str, int] = {}
        if id_numbers:
            lookups = {self.db.keyring.lookup_hash("id_number", n): n for n in id_numbers}
            for sid, lookup in self.session.execute(
                select(CreditSubject.id, CreditSubject.id_number_lookup).where(
                    CreditSubject.id_number_lookup.in_(list(lookups))
                )
            ):
                by_id[lookups[str(lookup)]] = sid
        return by_uscc, by_id

    def _names(self, name: str) -> tuple[list[tuple[int, str]], list[int]]:
        """(subject, 'name'|'alias') whose name or alias equals the folded name; those only containing it."""
        folded = st.fold(name)[:QUERY_LIMIT]
        if not folded:
            return [], []
        found = candidates_in(self.session, self.db, folded, NAME_PROBE)
        ranked = [
            sid for sid, (_, how) in sorted(found.items(), key=lambda i: i[1][0]) if how in ("name", "alias")
        ]
        if not ranked:
            return [], []
        texts: dict[int, str] = {
            sid: text
            for sid, text in self.session.execute(
                select(CreditSubject.id, CreditSubject.search_text).where(CreditSubject.id.in_(ranked))
            )
        }
        exact: list[tuple[int, str]] = []
        partial: list[int] = []
        for sid in ranked:
            names = texts[sid].split("\x01")
            if folded == names[0]:
                exact.append((sid, "name"))
            elif folded in names[1:]:
                exact.append((sid, "alias"))
            else:
                partial.append(sid)
        return exact, partial

    def _match(self, p: _Parsed, by_uscc: dict[str, int], by_id: dict[str, int]) -> dict[str, Any]:
        """The subjects the line's codes and name find, and the state that follows (no rows read yet)."""
        by_code: dict[int, tuple[str, str]] = {}  # subject id → (how, the code)
        if p.uscc and p.uscc in by_uscc:
            by_code[by_uscc[p.uscc]] = ("uscc", p.uscc)
        elif p.uscc and p.uscc in by_id:
            by_code[by_id[p.uscc]] = ("id", p.uscc)
        if p.id_number and p.id_number in by_id:
            by_code.setdefault(by_id[p.id_number], ("id", p.id_number))
        exact, partial = self._names(p.name) if p.name else ([], [])
        exact_ids = [sid for sid, _ in exact]
        result: dict[str, Any] = {"by_code": by_code, "exact": exact, "partial": partial}
        if len(by_code) > 1:
            ids = [(sid, how) for sid, (how, _) in by_code.items()]
            result.update(
                state=LineState.CONFLICT, ids=ids, note="统一社会信用代码与身份证号分别对应档案中不同的主体。"
            )
        elif by_code:
            ((sid, (how, _)),) = by_code.items()
            if not p.name or sid in exact_ids:
                result.update(state=LineState.MATCHED, ids=[(sid, how)])
            else:
                others = [(s, h) for s, h in exact if s != sid]
                result.update(state=LineState.CONFLICT, ids=[(sid, how), *others], note="")
        elif p.uscc or p.id_number:
            if exact:
                result.update(state=LineState.CONFLICT, ids=exact, note="")
            else:
                result.update(state=LineState.NOT_FOUND, ids=[])
        elif len(exact) == 1:
            result.update(state=LineState.MATCHED, ids=exact)
        elif exact:
            result.update(state=LineState.AMBIGUOUS, ids=exact)
        elif partial:
            result.update(state=LineState.SIMILAR, ids=[(sid, "name") for sid in partial[:CANDIDATE_LIMIT]])
        else:
            result.update(state=LineState.NOT_FOUND, ids=[])
        return result

    def _candidates(self, ids: set[int]) -> dict[int, tuple[Any, Any]]:
        """Subject id → (its row, its assessment on the day)."""
        if not ids:
            return {}
        rows = {
            row.id: row
            for row in self.session.execute(
                select(
                    CreditSubject.id,
                    CreditSubject.kind,
                    CreditSubject.name,
                    CreditSubject.uscc,
                    CreditSubject.id_number_masked,
                ).where(CreditSubject.id.in_(ids))
            )
        }
        assessments = assessments_in(self.session, list(rows), self.on, verify=True)
        return {sid: (rows[sid], assessments[sid]) for sid in rows}

    def _line(
        self, p: _Parsed, match: dict[str, Any], subjects: dict[int, tuple[Any, Any]]
    ) -> tuple[BatchLine, LineQueries]:
        def candidate(sid: int, how: str) -> Candidate:
            row, assessment = subjects[sid]
            return Candidate(
                sid,
                row.name,
                SubjectKind(row.kind),
                row.uscc or row.id_number_masked or "",
                assessment.verdict,
                assessment.reason,
                how,
            )

        state: LineState = match["state"]
        candidates = tuple(candidate(sid, how) for sid, how in match["ids"])
        code = p.code
        not_found_query = p.name or code
        if p.name and code:
            not_found_query = f"{p.name[: QUERY_LIMIT - len(code) - 2]}（{code}）"
        if not p.name and not p.uscc:
            not_found_query = p.id_number  # entry_check_in masks an ID number standing alone
        queries = LineQueries(
            {sid: text for sid, (_, text) in match["by_code"].items()}, p.name, not_found_query
        )
        line = BatchLine(p.row, p.name, code, state, match_count=len(match["exact"]) + len(match["partial"]))
        if state == LineState.MATCHED:
            subject = candidates[0]
            first = self.seen_subjects.setdefault(subject.subject_id, p.row)
            if first != p.row:
                return replace(line, state=LineState.DUPLICATE, subject=subject, same_as=first), queries
            return replace(line, subject=subject), queries
        if state == LineState.NOT_FOUND:
            key = st.fold(not_found_query)
            first = self.seen_not_found.setdefault(key, p.row)
            if first != p.row:
                return replace(line, state=LineState.DUPLICATE, same_as=first), queries
            return line, queries
        return replace(line, candidates=candidates, note=_why(state, p, candidates, match)), queries


def _why(state: LineState, p: _Parsed, candidates: tuple[Candidate, ...], match: dict[str, Any]) -> str:
    names = "、".join(c.shown for c in candidates[:5]) + ("等" if len(candidates) > 5 else "")
    if state == LineState.AMBIGUOUS:
        return f"名称“{p.name}”对应 {len(candidates)} 个主体（{names}），请确认是哪一个，或补上代码。"
    if state == LineState.SIMILAR:
        total = len(match["partial"])
        return f"档案中没有名称为“{p.name}”的主体，名称相近的有 {total} 个（{names}），请确认。"
    if match["note"]:
        return str(match["note"])
    if match["by_code"]:
        return f"代码对应“{candidates[0].name}”，与名单上的名称“{p.name}”不符，请确认。"
    return f"名单上的代码不在档案中，而名称“{p.name}”对应{names}，请确认。"


def line_outcome(line: BatchLine) -> RowOutcome:
    """The line as a row of the shared import report: NEW is checked, PRESENT repeats, ERROR decide."""
    status = {
        LineState.MATCHED: RowStatus.NEW,
        LineState.NOT_FOUND: RowStatus.NEW,
        LineState.DUPLICATE: RowStatus.PRESENT,
    }.get(line.state, RowStatus.ERROR)
    column = line.column or (NAME if line.needs_decision else "")
    return RowOutcome(line.row, status, line.listed, column, line.outcome)


@dataclass
class ListRead:
    header: Header | None
    lines: list[tuple[BatchLine, LineQueries]]

    @property
    def file_errors(self) -> tuple[str, ...]:
        if self.header is None:
            return ("文件中没有数据：找不到表头行。",)
        return self.header.errors


def read_list(session: Session, db: Database, source: Path, encoding: str, on: date) -> ListRead:
    """Every line of a list file, matched (reads only)."""
    try:
        with read_table(source, encoding) as table:
            header = find_header(LIST_SPEC, table)
            read = ListRead(header, [])
            if header is None or header.errors:
                return read
            evaluator = ListRows(LIST_SPEC, header, session, db, on)
            for batch in _batches(table):
                read.lines.extend(evaluator.lines(batch))
            return read
    except UnicodeDecodeError:
        raise ValidationError(
            f"无法识别文件 {source.name} 的文字编码：请在 Excel 中另存为“CSV UTF-8”或 .xlsx。", field="file"
        ) from None
    except csv.Error as exc:
        raise ValidationError(f"CSV 文件格式有误：{exc}。", field="file") from None


def _batches(table: Iterator[tuple[int, Sequence[Any]]]) -> Iterator[list[tuple[int, Sequence[Any]]]]:
    batch: list[tuple[int, Sequence[Any]]] = []
    for number, values in table:
        if not any(cell_text(v) for v in values):
            continue  # blank lines are not lines
        batch.append((number, values))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
