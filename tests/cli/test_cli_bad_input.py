"""Bad characters, bad files and impossible dates on the command line (issue 10, item 12): refused in
Chinese with the documented exit codes (never 70, a crash), and no stored or typed line break or control
character breaks the output's lines."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from desktop_app.domain.identifiers import uscc_check_char
from desktop_app.store.credit_models import CreditSubject

from .conftest import USER_PASSWORD

HEADERS = ["主体类型", "名称", "统一社会信用代码"]


def uscc(body: str) -> str:
    return body + uscc_check_char(body)


HUAJIAN = uscc("91440101MA5CXXXX0")
QIHANG = uscc("91440101MA5CQQQQ0")


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def leader(cli, *args: str):
    return cli(*args, user="lead", password=USER_PASSWORD)


def subjects(cli) -> int:
    with cli.services() as services, services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(CreditSubject)) or 0)


def test_control_characters_and_line_breaks_in_an_import(any_cli, tmp_path):
    any_cli.init()
    assert any_cli.add_user("lead", "leader").code == 0
    path = write_csv(
        tmp_path / "主体.csv",
        [
            HEADERS,
            ["投标人", "天河华建\x00建筑工程有限公司", HUAJIAN],
            ["投\n标人", "启航招标代理有限公司", QIHANG],
            ["投标人", "某某\r公司", uscc("91440101MA5CAAAA0")],
        ],
    )
    result = leader(any_cli, "import", "subjects", str(path))
    assert result.code == 1, result.text  # rows at fault: nothing imported (PostgreSQL crashed: 70)
    assert "未导入任何数据" in result.out
    lines = result.out.splitlines()
    assert any(line.strip().startswith("第 2 行") and "控制字符（NUL）" in line for line in lines)
    # The cell's own text in a reason is shown on its row's line, its line break escaped.
    assert any(line.strip().startswith("第 3 行") and "投\\n标人" in line for line in lines)
    assert any(line.strip().startswith("第 4 行") and "不能换行" in line for line in lines)
    assert not any(line.startswith("标人") for line in lines)
    assert "\x00" not in result.text and "\r" not in result.text
    assert subjects(any_cli) == 0


def test_a_stored_line_break_does_not_break_the_output(admin_cli, tmp_path):
    """Data stored before line breaks were refused (or written around the application) prints escaped."""
    assert admin_cli.add_user("lead", "leader").code == 0
    path = write_csv(tmp_path / "主体.csv", [HEADERS, ["投标人", "天河华建建筑工程有限公司", HUAJIAN]])
    assert leader(admin_cli, "import", "subjects", str(path)).code == 0
    with admin_cli.services() as services, services.db.session(write=True) as session:
        # Through the mapped object, so the row's MAC follows (an older program's data, not a forgery).
        session.scalars(select(CreditSubject)).one().name = "天河华建\n[2] 伪造的公司\x1b[31m"
    result = leader(admin_cli, "credit", "check", HUAJIAN, "--on", "2026-05-01")
    assert result.code == 0, result.text
    assert "[1] 天河华建\\n[2] 伪造的公司\\x1b[31m（投标人）" in result.out
    assert not any(line.startswith("[2]") for line in result.out.splitlines())
    assert "\x1b" not in result.out


def test_malformed_xlsx_is_refused_not_a_crash(admin_cli, tmp_path):
    assert admin_cli.add_user("lead", "leader").code == 0
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append(["投标人", "天河华建建筑工程有限公司", HUAJIAN])
    good = tmp_path / "好.xlsx"
    book.save(good)
    broken = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row><c><v>1</sheetData>")
            out.writestr(info.filename, data)
    result = leader(admin_cli, "import", "subjects", str(broken))
    assert result.code == 2, result.text
    assert "已损坏，无法读取" in result.err and "Traceback" not in result.text
    assert subjects(admin_cli) == 0


def test_check_dates_outside_1990_to_2100_are_refused(admin_cli, tmp_path):
    assert admin_cli.add_user("lead", "leader").code == 0
    for day in ("1989-12-31", "2101-01-01", "0001-01-01"):
        result = leader(admin_cli, "credit", "check", HUAJIAN, "--on", day)
        assert result.code == 2, (day, result.text)
        assert "不在 1990 年至 2100 年之间" in result.err
        certify = leader(admin_cli, "credit", "certify", HUAJIAN, "--on", day, "-o", str(tmp_path / "a.pdf"))
        assert certify.code == 2 and "不在 1990 年至 2100 年之间" in certify.err
    for day in ("1990-01-01", "2100-12-31"):
        assert leader(admin_cli, "credit", "check", HUAJIAN, "--on", day).code == 4  # 未找到: accepted
