"""Importing rows from Excel (.xlsx) and CSV files: what every batch import of the center shares.

A module's import (credit subjects and records, 12345 transfers ...) describes its table once
(``TableSpec``: the Chinese headers, which are required, help and examples for the template) and
says how a batch of rows is checked (a ``RowEvaluator``) and how the good rows are written. This
module does the rest, the same way for all of them:

- reading: ``.xlsx`` streamed by openpyxl in read-only mode, ``.csv`` in UTF-8 or GB18030 (what
  Chinese Excel saves); the header row found by its headers (a title line or two above it is fine),
  columns in any order, extra columns ignored and listed;
- the row-level report: each row's status (new, already present, wrong), the row number as Excel
  shows it, the column at fault and a Chinese reason;
- the preview/confirm cycle: ``preview`` only reads; ``commit`` reads and checks the file again
  (still the file previewed: SHA-256) and prepares the rows in a read transaction, then takes the
  write lock only to look up what another workstation may have stored meanwhile and insert every good
  row in bulk — or nothing while a row is wrong unless ``skip_bad``; one audit entry names the file
  and the counts. The lock is held seconds, not minutes (``benchmarks/import_lock_bench.py``), so
  a sign-in or a lookup at another desk waits at most that long;
- templates: an ``.xlsx`` with bold, sized headers, drop-down lists and a 说明 sheet, or a ``.csv``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import unicodedata
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import text_problem
from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.store.backup_files import ensure_room_for_import

HEADER_SEARCH_ROWS = 10  # a title line or two above the headers is allowed
BATCH = 500  # rows looked up in the database at once
# Limits of what is read (README, 批量导入): a file of 100,000 rows is a few MB; Excel's own cell limit.
FILE_SIZE_LIMIT = 50 * 1024 * 1024
XLSX_EXPANDED_LIMIT = 100 * 1024 * 1024  # all parts of an .xlsx unpacked, as its zip directory states
CELL_LIMIT = 32_767

# The csv module refuses a field over 128 KiB with an English error; cells are judged by CELL_LIMIT
# (a Chinese row-level message) and the file by FILE_SIZE_LIMIT, so the module's own limit goes up.
csv.field_size_limit(max(csv.field_size_limit(), FILE_SIZE_LIMIT))


class FormulaCell(str):
    """An .xlsx cell holding a formula (its text, =A1&B1): refused, its value is not in the file
    unless Excel computed it, and a value that changes with other cells is not a record."""


# -- describing a table ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnSpec:
    header: str
    field: str  # the service's field name (ValidationError.field)
    required: bool  # the header must be present
    help: str
    example: str
    width: int = 16
    text_format: bool = False  # identifiers: kept as text so Excel does not turn them into numbers


@dataclass(frozen=True)
class TableSpec:
    kind: str  # as the command line names it: subjects, records, complaints ...
    label: str  # what one row is, in Chinese: 信用主体
    columns: tuple[ColumnSpec, ...]
    template_name: str
    template_notes: tuple[str, ...] = ()
    # Fields the service may blame that have no column of their own → the column to point at.
    extra_field_columns: Mapping[str, str] = field(default_factory=dict)
    # Groups of headers of which the file must have at least one (统一社会信用代码 or 身份证号).
    one_of: tuple[tuple[str, ...], ...] = ()
    # Drop-down lists of the template, by header.
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def column_for(self, field_name: str | None) -> str:
        """The header of the column a service field comes from ('' when the whole row is to blame)."""
        for spec in self.columns:
            if spec.field == field_name:
                return spec.header
        return self.extra_field_columns.get(field_name or "", "")


_HEADER_MARKS = re.compile(r"\*|\(必填\)|\(选填\)")


def normalize_header(text: Any) -> str:
    """Headers compare after NFKC (full-width → half-width) and without spaces or required-marks."""
    value = unicodedata.normalize("NFKC", "" if text is None else str(text))
    value = "".join(value.split())
    return _HEADER_MARKS.sub("", value)


# -- results ------------------------------------------------------------------------------------
class RowStatus(StrEnum):
    NEW = "new"
    PRESENT = "present"
    ERROR = "error"


ROW_STATUS_LABELS = {RowStatus.NEW: "新增", RowStatus.PRESENT: "已存在，跳过", RowStatus.ERROR: "有误"}


@dataclass(frozen=True)
class RowOutcome:
    row: int  # as Excel numbers it (the header is usually row 1)
    status: RowStatus
    summary: str  # what the row is: a name and identifier (ID numbers masked), or a record
    column: str = ""  # the header of the column at fault
    reason: str = ""  # Chinese, for an error or a skipped row

    @property
    def status_label(self) -> str:
        return ROW_STATUS_LABELS[self.status]

    @property
    def bad(self) -> bool:
        return self.status == RowStatus.ERROR


@dataclass(frozen=True)
class ImportPreview:
    kind: str
    path: Path
    sha256: str
    rows: tuple[RowOutcome, ...]
    file_errors: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # the recognised headers, in file order
    ignored_columns: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if r.status == RowStatus.NEW)

    @property
    def present_count(self) -> int:
        return sum(1 for r in self.rows if r.status == RowStatus.PRESENT)

    @property
    def bad_count(self) -> int:
        return sum(1 for r in self.rows if r.status == RowStatus.ERROR)

    @property
    def bad_rows(self) -> tuple[RowOutcome, ...]:
        return tuple(r for r in self.rows if r.bad)

    def importable(self, skip_bad: bool) -> bool:
        """Whether ``commit`` with this choice would import something."""
        if self.file_errors or self.new_count == 0:
            return False
        return skip_bad or self.bad_count == 0


@dataclass(frozen=True)
class ImportReport:
    kind: str
    file_name: str
    sha256: str
    committed: bool  # False: nothing was written (bad rows without skip_bad, file errors, nothing new)
    created: int
    present: int
    bad: int
    rows: tuple[RowOutcome, ...]
    file_errors: tuple[str, ...] = ()
    created_ids: tuple[int, ...] = ()
    pending: int = 0  # created rows that wait for someone's confirmation before they count

    @property
    def bad_rows(self) -> tuple[RowOutcome, ...]:
        return tuple(r for r in self.rows if r.bad)


class RowError(Exception):
    """A row is wrong: the column at fault and why, in Chinese."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


# -- reading ------------------------------------------------------------------------------------
def file_sha256_and_encoding(path: Path) -> tuple[str, str]:
    """SHA-256 of the file and, for a CSV, the encoding it is in (UTF-8 when it decodes as such)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > FILE_SIZE_LIMIT:
                raise ValidationError(
                    f"文件 {path.name} 有 {megabytes(size)}，超过导入文件 {megabytes(FILE_SIZE_LIMIT)} 的上限："
                    "请分成几个文件导入。",
                    field="file",
                )
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                if utf8:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        utf8 = False
        if utf8:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        utf8 = False
    except FileNotFoundError:
        raise ValidationError(f"找不到文件 {path}。", field="file") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} 是一个文件夹，请选择要导入的文件。", field="file") from None
    except OSError as exc:
        raise ValidationError(
            f"无法读取文件 {path}：{exc.strerror or type(exc).__name__}。", field="file"
        ) from None
    return digest.hexdigest(), "utf-8-sig" if utf8 else "gb18030"


JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


@contextmanager
def read_table(
    path: Path, encoding: str, json_lines: bool = False
) -> Iterator[Iterator[tuple[int, Sequence[Any]]]]:
    """(row number as Excel shows it, cell values) of the data sheet, streamed. With ``json_lines``,
    a ``.jsonl`` file too: one object per line, read as a table (``json_lines_rows``)."""
    suffix = path.suffix.lower()
    if json_lines and suffix in JSON_LINES_SUFFIXES:
        with path.open("r", encoding=encoding, newline="") as handle:
            yield json_lines_rows(path, handle)
        return
    if suffix == ".csv":
        with path.open("r", encoding=encoding, newline="") as handle:
            yield ((number, row) for number, row in enumerate(csv.reader(handle), start=1))
        return
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        check_expanded_size(path)
        try:
            # Not data_only: a formula cell must be seen as one (data_only reads a value Excel may never
            # have computed, an empty cell for a file written by another program).
            book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError...: not an .xlsx
            raise ValidationError(
                f"无法作为 Excel 文件读取 {path.name}（{type(exc).__name__}）。请确认文件完好、格式为 .xlsx。",
                field="file",
            ) from None
        try:
            sheets = [s for s in book.worksheets if s.title.strip() != "说明"] or list(book.worksheets)
            sheet: Any = sheets[0]
            # A file from another program may state a wrong size: read what is really there.
            sheet.reset_dimensions()
            yield _sheet_rows(path, sheet)
        finally:
            book.close()
        return
    if suffix == ".xls":
        raise ValidationError("不支持旧版 .xls 文件：请在 Excel 中另存为 .xlsx 后导入。", field="file")
    kinds = ".xlsx、.csv 或 .jsonl" if json_lines else ".xlsx 或 .csv"
    raise ValidationError(
        f"不支持的文件类型“{path.suffix or '无扩展名'}”：请使用 {kinds} 文件。", field="file"
    )


def json_lines_rows(path: Path, lines: Iterable[str]) -> Iterator[tuple[int, Sequence[Any]]]:
    """A JSON-lines file as a table, so the same evaluator checks it: first a header row of every key
    met (in the order first met, numbered 0), then each object's values in that order, numbered by
    its line. Blank lines are skipped; a line that is not a JSON object stops the file (such a file
    comes from another system, not from a person's hand: the line number is what its author needs)."""
    objects: list[tuple[int, dict[str, Any]]] = []
    keys: dict[str, None] = {}
    for number, line in enumerate(lines, start=1):
        text = line.strip().lstrip("\ufeff")
        if not text:
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"文件 {path.name} 第 {number} 行不是有效的 JSON（{exc.msg}，第 {exc.colno} 个字符）："
                "未导入任何数据。每行应是一个 JSON 对象。",
                field="file",
            ) from None
        if not isinstance(value, dict):
            raise ValidationError(
                f"文件 {path.name} 第 {number} 行不是 JSON 对象：未导入任何数据。每行应是一个 {{…}} 对象。",
                field="file",
            )
        for key in value:
            keys.setdefault(str(key), None)
        objects.append((number, {str(k): v for k, v in value.items()}))
    if not objects:
        return
    names = list(keys)
    yield 0, names
    for number, value in objects:
        yield number, [_json_cell(value.get(name)) for name in names]


def _json_cell(value: Any) -> Any:
    """A JSON value as a cell: scalars as they are, lists and objects as their JSON text."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:,.0f} KB"


def check_expanded_size(path: Path) -> None:
    """Refuse an .xlsx whose parts unpack to more than XLSX_EXPANDED_LIMIT — before openpyxl reads
    it (a few KB of zip can state hundreds of MB). The sizes are the zip directory's; a part that
    unpacks to more than it states fails its check when read."""
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: openpyxl's refusal names the file
    if expanded > XLSX_EXPANDED_LIMIT:
        raise ValidationError(
            f"文件 {path.name} 解压后有 {megabytes(expanded)}，超过 {megabytes(XLSX_EXPANDED_LIMIT)} 的上限"
            "（文件可能已损坏或被刻意构造）：未导入任何数据。请在 Excel 中另存为新的 .xlsx，或分成几个文件。",
            field="file",
        )


def _sheet_rows(path: Path, sheet: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    """(row number, values) of a read-only sheet; a formula cell as a ``FormulaCell``; a part of the
    file that cannot be parsed (malformed XML...) as a Chinese refusal naming the last row read."""
    number = 0
    rows = iter(sheet.iter_rows())
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # the XML parser's errors, a bad cell reference, a wrong type...
            where = f"第 {number} 行之后" if number else "工作表"
            raise ValidationError(
                f"文件 {path.name} 的{where}内容已损坏，无法读取（{type(exc).__name__}）："
                "未导入任何数据。请在 Excel 中打开并另存为 .xlsx 后重新导入。",
                field="file",
            ) from None
        number += 1
        yield (
            number,
            tuple(FormulaCell(cell.value) if cell.data_type == "f" else cell.value for cell in cells),
        )


def shown_text(value: Any, limit: int = 60) -> str:
    """A cell as a row's summary may show it: one line, invisible characters escaped, shortened."""
    text = cell_text(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def cell_problem(value: Any, header: str) -> RowError | None:
    """Why a cell cannot be read as data at all, whatever its column: a formula, more than
    CELL_LIMIT characters, a control character (NUL...). Line breaks are the field's to judge."""
    if isinstance(value, FormulaCell):
        return RowError(header, f"{header}是公式单元格：请粘贴为数值（复制后“选择性粘贴 → 数值”）。")
    if isinstance(value, str):
        if len(value) > CELL_LIMIT:
            return RowError(
                header, f"{header}有 {len(value):,} 个字符，超过单元格 {CELL_LIMIT:,} 个字符的上限。"
            )
        problem = text_problem(value, header, multiline=True)
        if problem:
            return RowError(header, problem)
    return None


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any, header: str) -> date | None:
    """A date from an Excel date cell, 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日 or 20260301."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its date format: Excel's serial day number.
        if 20000 <= value <= 80000:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        text = cell_text(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise RowError(header, f"日期“{text}”不存在。") from None
    raise RowError(header, f"无法识别的日期“{text}”：请写成 2026-03-01、2026/3/1 或 2026年3月1日。")


def parse_integer(value: Any, header: str) -> int | None:
    """A whole number, or None for an empty cell."""
    text = cell_text(value)
    if not text:
        return None
    try:
        number = float(unicodedata.normalize("NFKC", text))
    except ValueError:
        raise RowError(header, f"{header}“{text}”不是数字。") from None
    if not number.is_integer():
        raise RowError(header, f"{header}“{text}”应为整数。")
    return int(number)


def identifier_text(value: Any, header: str) -> str:
    """A USCC or ID number cell; one Excel turned into a rounded number cannot be trusted."""
    if isinstance(value, float) and abs(value) >= 1e15:
        raise RowError(
            header,
            f"{header}被 Excel 存成了数字，末几位已丢失：请把该列设为“文本”格式后重新填写。",
        )
    return cell_text(value)


@dataclass
class Header:
    row: int
    index: dict[str, int]  # header → column position
    columns: tuple[str, ...]
    ignored: tuple[str, ...]
    errors: tuple[str, ...]


def find_header(spec: TableSpec, rows: Iterator[tuple[int, Sequence[Any]]]) -> Header | None:
    """The header row: the first with the first column's header or two known headers (else the first
    non-empty row, so its missing columns are reported)."""
    known = {s.header for s in spec.columns}
    first = spec.columns[0].header
    fallback: tuple[int, Sequence[Any]] | None = None
    for number, values in rows:
        names = [normalize_header(v) for v in values]
        if not any(names):
            if number >= HEADER_SEARCH_ROWS and fallback is not None:
                break
            continue
        if fallback is None:
            fallback = (number, values)
        if first in names or len(known.intersection(names)) >= 2:
            return _header_from(spec, number, names)
        if number >= HEADER_SEARCH_ROWS:
            break
    if fallback is None:
        return None
    return _header_from(spec, fallback[0], [normalize_header(v) for v in fallback[1]])


def _header_from(spec: TableSpec, number: int, names: list[str]) -> Header:
    known = {s.header for s in spec.columns}
    index: dict[str, int] = {}
    errors: list[str] = []
    ignored: list[str] = []
    for position, name in enumerate(names):
        if not name:
            continue
        if name in known:
            if name in index:
                errors.append(f"列“{name}”出现了不止一次（第 {number} 行）。")
            else:
                index[name] = position
        else:
            ignored.append(name)
    missing = [s.header for s in spec.columns if s.required and s.header not in index]
    if missing:
        errors.append(f"缺少必需的列：{'、'.join(missing)}（表头应在第 {number} 行）。")
    for group in spec.one_of:
        if not any(header in index for header in group):
            errors.append(f"缺少必需的列：{'或'.join(group)}（至少要有其中一列）。")
    columns = tuple(sorted(index, key=index.__getitem__))
    return Header(number, index, columns, tuple(ignored), tuple(errors))


def choose_spec(specs: Mapping[str, TableSpec], kind: str) -> TableSpec:
    """The table a kind names, or a message listing the kinds there are."""
    spec = specs.get(kind)
    if spec is None:
        allowed = "、".join(f"{k}（{s.label}）" for k, s in specs.items())
        raise ValidationError(f"导入类型“{kind}”无效，可选：{allowed}。")
    return spec


# -- evaluating rows ----------------------------------------------------------------------------
@dataclass
class Evaluated:
    outcome: RowOutcome
    payload: Any = None  # what the module writes for a NEW row (validated values, an input record)


class RowEvaluator(ABC):
    """Checks the rows of one file, a batch at a time (so database look-ups can be batched)."""

    def __init__(self, spec: TableSpec, header: Header) -> None:
        self.spec = spec
        self.header = header

    def cell(self, values: Sequence[Any], column: str) -> Any:
        position = self.header.index.get(column)
        if position is None or position >= len(values):
            return None
        return values[position]

    def text(self, values: Sequence[Any], column: str) -> str:
        return cell_text(self.cell(values, column))

    def check_cells(self, values: Sequence[Any]) -> None:
        """RowError for the first cell of the table's columns that is no data (``cell_problem``):
        a module's row parser calls this first."""
        for header in self.header.columns:
            problem = cell_problem(self.cell(values, header), header)
            if problem is not None:
                raise problem

    def error(self, number: int, summary: str, exc: RowError | DomainError) -> Evaluated:
        if isinstance(exc, RowError):
            column, reason = exc.column, exc.reason
        else:
            column, reason = self.spec.column_for(exc.field), exc.message
        return Evaluated(RowOutcome(number, RowStatus.ERROR, shown_text(summary), column, reason))

    @abstractmethod
    def evaluate(self, batch: list[tuple[int, Sequence[Any]]]) -> list[Evaluated]:
        """One outcome per row of the batch, in order."""

    def prepare(self, rows: list[Evaluated]) -> list[Evaluated]:
        """The NEW rows made ready to insert (rows, search keys...) — before the write lock is taken,
        so the lock is held only for the insert itself. By default the payload is ready as it is."""
        return rows

    def recheck(self, session: Session, rows: list[Evaluated]) -> list[Evaluated]:
        """Inside the write transaction: the prepared rows again, those another workstation stored
        meanwhile turned PRESENT. Only what can change between the read and the write is looked up
        (codes, keys), in batches, so this is quick."""
        return rows


@dataclass
class Written:
    created_ids: list[int] = field(default_factory=list)
    pending: int = 0


@dataclass
class _Run:
    header: Header | None
    rows: list[Evaluated] = field(default_factory=list)
    evaluator: RowEvaluator | None = None

    @property
    def file_errors(self) -> tuple[str, ...]:
        if self.header is None:
            return ("文件中没有数据：找不到表头行。",)
        return self.header.errors


class TabularImportService(Service, ABC):
    """Preview and commit a file of one of the module's tables; write its template."""

    permission: Permission
    audit_action_prefix: str  # "credit.import": the commit's entry is "credit.import.subjects"
    audit_object_type: str
    json_lines = False  # whether .jsonl files are read too (one JSON object per line)
    conflict_message = "导入时与其他工作站同时登记的数据冲突，未导入任何数据，请重新预览后再导入。"

    @property
    @abstractmethod
    def specs(self) -> Mapping[str, TableSpec]:
        """The module's tables by kind."""

    @abstractmethod
    def evaluator(
        self, session: Session, actor: CurrentUser, spec: TableSpec, header: Header, source: Path
    ) -> RowEvaluator: ...

    @abstractmethod
    def write_rows(
        self, session: Session, actor: CurrentUser, spec: TableSpec, rows: list[Evaluated]
    ) -> Written:
        """Write the prepared NEW rows inside the commit's transaction (each with its own audit entry),
        in bulk: this is the time the write lock is held."""

    # -- the cycle -------------------------------------------------------------------------------
    def spec(self, kind: str) -> TableSpec:
        return choose_spec(self.specs, kind)

    def preview(self, actor: CurrentUser, kind: str, path: str | Path) -> ImportPreview:
        actor.require(self.permission)
        spec = self.spec(kind)
        source = Path(path)
        sha256, encoding = file_sha256_and_encoding(source)
        with self.db.session() as session:
            run = self._evaluate(session, actor, spec, source, encoding)
        header = run.header
        return ImportPreview(
            spec.kind,
            source,
            sha256,
            tuple(e.outcome for e in run.rows),
            run.file_errors,
            header.columns if header else (),
            header.ignored if header else (),
        )

    def commit(
        self,
        actor: CurrentUser,
        preview_or_path: ImportPreview | str | Path,
        skip_bad: bool,
        kind: str | None = None,
    ) -> ImportReport:
        """Import the good rows in one transaction (nothing when a row is bad, unless ``skip_bad``).

        Given a preview, the file must still be the one previewed (same SHA-256); given a path,
        ``kind`` says what the file holds. Every row is checked again; what another workstation may
        have stored since (codes, records) is looked up once more under the write lock.
        """
        actor.require(self.permission)
        if isinstance(preview_or_path, ImportPreview):
            source, kind, expected = preview_or_path.path, preview_or_path.kind, preview_or_path.sha256
        else:
            if kind is None:
                labels = "还是".join(s.label for s in self.specs.values())
                raise ValidationError(f"请说明导入的是{labels}。")
            source, expected = Path(preview_or_path), None
        spec = self.spec(kind)
        sha256, encoding = file_sha256_and_encoding(source)
        # Before any row is written: a disk that fills half-way must not be met inside the transaction.
        ensure_room_for_import(self.db.url, source)
        if expected is not None and sha256 != expected:
            raise ValidationError(
                f"文件 {source.name} 在预览之后被修改过：请重新预览后再导入。", field="file"
            )
        # Read, check and prepare in a read transaction, which blocks no other workstation (WAL on
        # SQLite, MVCC on PostgreSQL); only the insert itself runs under the write lock below.
        with self.db.session() as session:
            run = self._evaluate(session, actor, spec, source, encoding)
        present = sum(1 for e in run.rows if e.outcome.status == RowStatus.PRESENT)
        bad = sum(1 for e in run.rows if e.outcome.bad)
        good = [e for e in run.rows if e.outcome.status == RowStatus.NEW]
        if run.file_errors or not good or (bad and not skip_bad) or run.evaluator is None:
            outcomes = tuple(e.outcome for e in run.rows)
            return ImportReport(
                spec.kind, source.name, sha256, False, 0, present, bad, outcomes, run.file_errors
            )
        evaluator = run.evaluator
        prepared = evaluator.prepare(good)
        with self.write(self.conflict_message) as session:
            checked = {e.outcome.row: e for e in evaluator.recheck(session, prepared)}
            rows = [checked.get(e.outcome.row, e) for e in run.rows]
            outcomes = tuple(e.outcome for e in rows)
            good = [e for e in rows if e.outcome.status == RowStatus.NEW]
            present = sum(1 for e in rows if e.outcome.status == RowStatus.PRESENT)
            if not good:  # another workstation stored them all meanwhile
                return ImportReport(spec.kind, source.name, sha256, False, 0, present, bad, outcomes)
            written = self.write_rows(session, actor, spec, good)
            self.audit(
                session,
                actor,
                f"{self.audit_action_prefix}.{spec.kind}",
                self.audit_object_type,
                sha256[:16],
                {
                    "file": source.name,
                    "sha256": sha256,
                    "kind": spec.kind,
                    "rows": len(rows),
                    "created": len(written.created_ids),
                    "present": present,
                    "skipped_bad": bad,
                    "pending": written.pending,
                },
            )
            return ImportReport(
                spec.kind,
                source.name,
                sha256,
                True,
                len(written.created_ids),
                present,
                bad,
                outcomes,
                (),
                tuple(written.created_ids),
                written.pending,
            )

    def _evaluate(
        self, session: Session, actor: CurrentUser, spec: TableSpec, source: Path, encoding: str
    ) -> _Run:
        try:
            with read_table(source, encoding, self.json_lines) as table:
                header = find_header(spec, table)
                run = _Run(header)
                if header is None or header.errors:
                    return run
                evaluator = self.evaluator(session, actor, spec, header, source)
                run.evaluator = evaluator
                batch: list[tuple[int, Sequence[Any]]] = []
                for number, values in table:
                    if not any(cell_text(v) for v in values):
                        continue  # blank lines are not rows
                    batch.append((number, values))
                    if len(batch) >= BATCH:
                        run.rows.extend(evaluator.evaluate(batch))
                        batch = []
                if batch:
                    run.rows.extend(evaluator.evaluate(batch))
                return run
        except UnicodeDecodeError:
            raise ValidationError(
                f"无法识别文件 {source.name} 的文字编码：请在 Excel 中另存为“CSV UTF-8”或 .xlsx。",
                field="file",
            ) from None
        except csv.Error as exc:
            raise ValidationError(f"CSV 文件格式有误：{exc}。", field="file") from None

    def write_template(self, kind: str, path: str | Path) -> Path:
        return write_template(self.spec(kind), path)


# -- templates ----------------------------------------------------------------------------------
def write_template(spec: TableSpec, path: str | Path) -> Path:
    """An empty import file with the headers (.xlsx: bold, sized, with a 说明 sheet; .csv: headers only)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerow([s.header for s in spec.columns])
        write_file(target, buffer.getvalue().encode("utf-8-sig"))
        return target
    if suffix != ".xlsx":
        raise ValidationError("模板文件名应以 .xlsx 或 .csv 结尾。", field="file")
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet: Any = book.active
    sheet.title = spec.label
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    sheet.append([s.header for s in spec.columns])
    for position, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position)
        cell.font = bold
        cell.fill = required_fill if column.required else fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[letter].width = column.width
        if column.text_format:
            # Typed codes stay text: an 18-digit ID number would otherwise lose its last digits.
            sheet.column_dimensions[letter].number_format = "@"
        if column.header in spec.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(spec.choices[column.header]) + '"', allow_blank=True
            )
            validation.error = f"请从列表中选择{column.header}。"
            validation.errorTitle = column.header
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}10000")
    sheet.freeze_panes = "A2"

    notes = book.create_sheet("说明")
    notes.append(["列名", "是否必需", "说明", "示例"])
    for cell in notes[1]:
        cell.font = bold
        cell.fill = fill
    for column in spec.columns:
        notes.append([column.header, "必需" if column.required else "可选", column.help, column.example])
    notes.append([])
    for line in spec.template_notes:
        notes.append([line])
    for letter, width in (("A", 18), ("B", 10), ("C", 70), ("D", 30)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2, max_col=3):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    buffer_bytes = io.BytesIO()
    book.save(buffer_bytes)
    write_file(target, buffer_bytes.getvalue())
    return target


def write_file(target: Path, content: bytes) -> None:
    """Write a file whole or not at all; a failure is the user's to fix (folder, rights, space)."""
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(content)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationError(
            f"无法写入文件 {target}：{exc.strerror or type(exc).__name__}。", field="file"
        ) from None
