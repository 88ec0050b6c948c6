"""Bad characters and bad files (issue 10, item 12), on SQLite and PostgreSQL: each refused with a
Chinese message — at its row and column where it is one cell — and nothing imported.

The files are made here: NUL and other control characters, a line break in a name, a 200,000-character
cell, a formula cell, an .xlsx with malformed XML, a small .xlsx that unpacks to 200 MB, a file over the
size limit."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop_app.domain.credit import SubjectKind
from desktop_app.domain.errors import ValidationError
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import SubjectInput
from desktop_app.services.facade import Services
from desktop_app.services.tabular_import import CELL_LIMIT, FILE_SIZE_LIMIT, XLSX_EXPANDED_LIMIT, RowStatus
from desktop_app.store.credit_models import CreditRecord, CreditSubject
from tests.builders import company, company_code

HEADERS = ["主体类型", "名称", "统一社会信用代码", "曾用名", "法定代表人"]
RECORD_HEADERS = ["主体名称或代码", "记录类别", "严重程度", "事实", "决定日期"]


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def subjects(services: Services) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(CreditSubject)) or 0)


def refused_rows(services: Services, actor: CurrentUser, kind: str, path: Path) -> dict[int, tuple[str, str]]:
    """The bad rows of a file (row → column, reason), after checking a commit imports nothing."""
    preview = services.credit_import.preview(actor, kind, path)
    report = services.credit_import.commit(actor, preview, skip_bad=False)
    assert not report.committed and report.created == 0
    return {r.row: (r.column, r.reason) for r in preview.bad_rows}


def test_control_characters_in_cells(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "主体.csv",
        [
            HEADERS,
            ["投标人", "天河华建\x00建筑工程有限公司", company_code(1), "", ""],
            ["投标人", "启航招标代理有限公司", company_code(2), "", "张\x07三"],
            ["投标人", "某某公司", company_code(3), "旧名\x1b[2J", ""],
            ["投标人", "正常的公司", company_code(4), "", ""],
        ],
    )
    bad = refused_rows(services, leader, "subjects", path)
    assert set(bad) == {2, 3, 4}
    assert bad[2][0] == "名称" and "控制字符（NUL）" in bad[2][1]
    assert bad[3][0] == "法定代表人" and "U+0007" in bad[3][1]
    assert bad[4][0] == "曾用名" and "ESC" in bad[4][1]
    assert all("\x00" not in reason and "\x1b" not in reason for _, reason in bad.values())
    assert subjects(services) == 0


def test_a_control_character_in_a_record_and_a_form(
    services: Services, leader: CurrentUser, tmp_path: Path
) -> None:
    company(services, leader, "天河华建建筑工程有限公司", 1)
    path = write_csv(
        tmp_path / "记录.csv",
        [RECORD_HEADERS, [company_code(1), "不良行为", "一般", "迟到\x00\x00", "2026-02-01"]],
    )
    bad = refused_rows(services, leader, "records", path)
    assert bad[2][0] == "事实" and "NUL" in bad[2][1]
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(CreditRecord)) == 0
    with pytest.raises(ValidationError, match="名称含有不可见的控制字符（NUL）") as refused:
        services.credit.create_subject(
            leader, SubjectInput(SubjectKind.BIDDER, "华建\x00公司", uscc=company_code(5))
        )
    assert refused.value.field == "name"


def test_line_breaks_only_where_a_field_has_lines(
    services: Services, leader: CurrentUser, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "主体.csv",
        [
            HEADERS,
            ["投标人", "天河华建\n建筑工程有限公司", company_code(1), "", ""],
            ["投标人", "启航招标代理有限公司", company_code(2), "", "张三\r\n李四"],
            ["投\n标人", "某某公司", company_code(3), "", ""],
        ],
    )
    bad = refused_rows(services, leader, "subjects", path)
    assert bad[2] == ("名称", "名称不能换行：请写在一行内。")
    assert bad[3] == ("法定代表人", "法定代表人不能换行：请写在一行内。")
    assert bad[4][0] == "主体类型"
    with pytest.raises(ValidationError, match="不能换行"):
        services.credit.create_subject(
            leader, SubjectInput(SubjectKind.BIDDER, "华建\n公司", uscc=company_code(5))
        )
    # Facts are several lines by nature: kept as typed.
    company(services, leader, "天河华建建筑工程有限公司", 1)
    records = write_csv(
        tmp_path / "记录.csv",
        [RECORD_HEADERS, [company_code(1), "不良行为", "一般", "一、迟到\n二、早退", "2026-02-01"]],
    )
    report = services.credit_import.commit(leader, records, skip_bad=False, kind="records")
    assert report.created == 1
    assert services.credit.record(report.created_ids[0]).facts == "一、迟到\n二、早退"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_cell_of_200000_characters(
    services: Services, leader: CurrentUser, tmp_path: Path, suffix: str
) -> None:
    rows: list[list[object]] = [
        HEADERS,
        ["投标人", "华" * 200_000, company_code(1), "", ""],
        ["投标人", "正常的公司", company_code(2), "", ""],
    ]
    path = (write_csv if suffix == ".csv" else write_xlsx)(tmp_path / f"主体{suffix}", rows)
    preview = services.credit_import.preview(leader, "subjects", path)
    assert preview.file_errors == ()
    assert [r.status for r in preview.rows] == [RowStatus.ERROR, RowStatus.NEW]
    bad = preview.rows[0]
    assert bad.column == "名称"
    if suffix == ".csv":
        assert f"有 200,000 个字符，超过单元格 {CELL_LIMIT:,} 个字符的上限" in bad.reason
    else:  # an .xlsx holds Excel's 32,767 characters at most (openpyxl cuts there): the field's limit
        assert bad.reason == "名称不能超过 200 个字。"
    assert len(bad.summary) < 100  # the row's summary is not the whole cell
    assert not services.credit_import.commit(leader, preview, skip_bad=False).committed
    assert subjects(services) == 0


def test_a_formula_cell(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "主体.xlsx",
        [HEADERS, ["投标人", '=CONCATENATE("天河","华建")', company_code(1), "", ""]],
    )
    bad = refused_rows(services, leader, "subjects", path)
    assert bad[2][0] == "名称" and "公式单元格：请粘贴为数值" in bad[2][1]
    assert subjects(services) == 0


def rewrite_sheet(path: Path, change: bytes, to: bytes) -> Path:
    """The same .xlsx with one replacement in its first worksheet's XML."""
    target = path.with_name("changed-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert change in data
                data = data.replace(change, to, 1)
            out.writestr(info.filename, data)
    return target


def test_malformed_xml(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADERS]
    rows += [["投标人", f"第{n}号公司", company_code(n), "", ""] for n in range(1, 6)]
    path = write_xlsx(tmp_path / "主体.xlsx", rows)
    broken = rewrite_sheet(path, b'<row r="4"', b'<row r="4" <<broken')
    with pytest.raises(ValidationError, match="内容已损坏，无法读取") as refused:
        services.credit_import.preview(leader, "subjects", broken)
    assert refused.value.field == "file" and "第 3 行之后" in refused.value.message
    with pytest.raises(ValidationError, match="已损坏"):
        services.credit_import.commit(leader, broken, skip_bad=False, kind="subjects")
    assert subjects(services) == 0


def zip_bomb(path: Path, expanded: int) -> Path:
    """An .xlsx of one row whose worksheet unpacks to ``expanded`` bytes (blank padding after it)."""
    write_xlsx(path, [HEADERS, ["投标人", "天河华建建筑工程有限公司", company_code(1), "", ""]])
    bomb = path.with_name("bomb-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, data)
                continue
            body, end = data.rsplit(b"</worksheet>", 1)
            with out.open(info.filename, "w", force_zip64=True) as member:
                member.write(body)
                chunk = b" " * (1 << 20)
                for _ in range(expanded // len(chunk)):
                    member.write(chunk)
                member.write(b"</worksheet>" + end)
    return bomb


def test_a_small_xlsx_that_unpacks_to_200_mb(
    services: Services, leader: CurrentUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = zip_bomb(tmp_path / "主体.xlsx", 200 * 1024 * 1024)
    assert bomb.stat().st_size < 1024 * 1024  # small on disk

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open a file that unpacks past the limit")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(ValidationError, match="解压后有 200 MB") as refused:
        services.credit_import.preview(leader, "subjects", bomb)
    assert f"{XLSX_EXPANDED_LIMIT // (1024 * 1024)} MB 的上限" in refused.value.message
    assert subjects(services) == 0


def test_a_file_over_the_size_limit(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    path = tmp_path / "主体.csv"
    with path.open("wb") as handle:
        handle.write(",".join(HEADERS).encode() + b"\n")
        handle.truncate(FILE_SIZE_LIMIT + 1)  # sparse: no 50 MB written
    with pytest.raises(ValidationError, match="超过导入文件 50 MB 的上限"):
        services.credit_import.preview(leader, "subjects", path)
