"""``integrity-desk credit check`` and ``integrity-desk import``: verdicts as exit codes, row reports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from desktop_app.domain.identifiers import id_check_char, uscc_check_char
from desktop_app.store.credit_models import CreditRecord, CreditSubject

from .conftest import USER_PASSWORD


def uscc(body: str) -> str:
    return body + uscc_check_char(body)


HUAJIAN = uscc("91440101MA5CXXXX0")
QIHANG = uscc("91440101MA5CQQQQ0")
EXPERT_ID = "11010519800101123" + id_check_char("11010519800101123")
RECORD_HEADERS = ["主体名称或代码", "记录类别", "严重程度", "事实", "决定机关", "决定文号", "决定日期"]
RECORD_HEADERS += ["禁入开始日期", "禁入截止日期", "公示截止日期"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def counts(cli) -> tuple[int, int]:
    with cli.services() as services, services.db.session() as session:
        subjects = session.scalar(select(func.count()).select_from(CreditSubject)) or 0
        records = session.scalar(select(func.count()).select_from(CreditRecord)) or 0
    return subjects, records


def leader(cli, *args: str, **kwargs):
    return cli(*args, user="lead", password=USER_PASSWORD, **kwargs)


def setup_files(cli, tmp_path: Path) -> None:
    assert cli.add_user("lead", "leader").code == 0
    subjects = write_csv(
        tmp_path / "主体.csv",
        [
            ["主体类型", "名称", "统一社会信用代码", "身份证号", "曾用名"],
            ["投标人", "天河华建建筑工程有限公司", HUAJIAN, "", "华建建设集团"],
            ["代理机构", "启航招标代理有限公司", QIHANG, "", ""],
            ["评标专家", "张三丰", "", EXPERT_ID, ""],
        ],
    )
    result = leader(cli, "import", "subjects", str(subjects))
    assert result.code == 0, result.text
    assert "已导入信用主体 3 条" in result.out
    records = write_csv(
        tmp_path / "记录.csv",
        [
            RECORD_HEADERS,
            [
                HUAJIAN,
                "禁止入场",
                "一般",
                "串通投标",
                "天河市住建局",
                "天建罚〔2026〕3号",
                "2026-03-01",
                "2026-03-10",
                "2026-09-09",
                "",
            ],
            ["启航招标代理有限公司", "不良行为", "一般", "迟到", "", "", "2026-02-01", "", "", "2026-08-01"],
        ],
    )
    result = leader(cli, "import", "records", str(records))
    assert result.code == 0, result.text


def test_help_lists_the_new_commands(cli):
    out = cli("--help").out
    for command in ("credit check", "import subjects|records", "import template"):
        assert command in out
    check_help = cli("credit", "check", "--help").out
    assert "退出码" in check_help and "--json" in check_help and "禁止入场" in check_help


def test_credit_check_exit_codes(admin_cli, tmp_path):
    setup_files(admin_cli, tmp_path)
    banned = leader(admin_cli, "credit", "check", HUAJIAN, "--on", "2026-05-01")
    assert banned.code == 3, banned.text
    assert "结论：禁止入场" in banned.out and "天建罚〔2026〕3号" in banned.out and HUAJIAN in banned.out
    # Around the ban: the day before it starts, its last day, the day after.
    assert leader(admin_cli, "credit", "check", HUAJIAN, "--on", "2026/3/9").code == 0
    assert leader(admin_cli, "credit", "check", HUAJIAN, "--on", "2026年9月9日").code == 3
    after = leader(admin_cli, "credit", "check", HUAJIAN, "--on", "2026-09-10")
    assert after.code == 0 and "禁止入场" not in after.out.split("\n")[2]

    records = leader(admin_cli, "credit", "check", "启航招标代理有限公司", "--on", "2026-05-01")
    assert records.code == 0 and "结论：有不良记录" in records.out
    person = leader(admin_cli, "credit", "check", EXPERT_ID, "--on", "2026-05-01")
    assert person.code == 0 and "结论：可入场" in person.out
    assert EXPERT_ID not in person.out and "1101**********" in person.out  # masked
    missing = leader(admin_cli, "credit", "check", "没有这家公司", "--on", "2026-05-01")
    assert missing.code == 4 and "结论：未找到" in missing.out

    # A partial name: every match listed; a banned one among them makes the answer strict.
    partial = leader(admin_cli, "credit", "check", "华建", "--on", "2026-05-01")
    assert partial.code == 3 and "天河华建建筑工程有限公司" in partial.out

    assert leader(admin_cli, "credit", "check", HUAJIAN, "--on", "2026-13-01").code == 2
    assert admin_cli("credit", "check", HUAJIAN).code == 2  # no --user
    assert "权限" in admin_cli("credit", "check", HUAJIAN, user="root", password="Boss#2026pw").err


def test_credit_check_json(admin_cli, tmp_path):
    setup_files(admin_cli, tmp_path)
    result = leader(admin_cli, "credit", "check", "华建建设集团", "--on", "2026-05-01", "--json")
    assert result.code == 3
    assert "\\u" not in result.out  # ensure_ascii=False
    data = json.loads(result.out)
    assert data["verdict"] == "banned" and data["verdict_label"] == "禁止入场" and data["exit_code"] == 3
    assert data["decided_by"] == "name" and data["on"] == "2026-05-01"
    match = data["matches"][0]
    assert match["name"] == "天河华建建筑工程有限公司" and match["identifier"] == HUAJIAN
    assert match["matched_by"] == "alias" and match["decisive"] is True
    nothing = json.loads(leader(admin_cli, "credit", "check", "没有这家公司", "--json").out)
    assert nothing["verdict"] == "not_found" and nothing["matches"] == []


def test_import_with_bad_rows(admin_cli, tmp_path):
    setup_files(admin_cli, tmp_path)
    before = counts(admin_cli)
    path = write_csv(
        tmp_path / "新记录.csv",
        [
            RECORD_HEADERS,
            ["张三丰", "良好", "轻微", "评审认真", "", "", "2026-01-10", "", "", "2026-04-09"],
            ["不存在的公司", "不良行为", "一般", "迟到", "", "", "2026-02-01", "", "", "2026-08-01"],
            [QIHANG, "黑名单", "一般", "迟到", "", "", "2026-02-01", "", "", "2026-08-01"],
        ],
    )
    refused = leader(admin_cli, "import", "records", str(path))
    assert refused.code == 1, refused.text
    assert "第 3 行" in refused.out and "主体名称或代码" in refused.out and "不存在的公司" in refused.out
    assert "第 4 行" in refused.out and "记录类别" in refused.out and "黑名单" in refused.out
    assert "未导入任何数据" in refused.out and "--skip-bad" in refused.out
    assert counts(admin_cli) == before

    skipped = leader(admin_cli, "import", "records", str(path), "--skip-bad")
    assert skipped.code == 0, skipped.text
    assert "已导入信用记录 1 条" in skipped.out and "有误跳过 2 条" in skipped.out
    assert counts(admin_cli) == (before[0], before[1] + 1)
    again = leader(admin_cli, "import", "records", str(path), "--skip-bad")
    assert again.code == 1 and counts(admin_cli) == (before[0], before[1] + 1)  # nothing twice


def test_import_refusals(admin_cli, tmp_path):
    assert admin_cli.add_user("clerk", "hall-staff").code == 0
    path = write_csv(
        tmp_path / "s.csv", [["主体类型", "名称", "统一社会信用代码"], ["投标人", "甲公司", HUAJIAN]]
    )
    denied = admin_cli("import", "subjects", str(path), user="clerk", password=USER_PASSWORD)
    assert denied.code == 2 and "权限" in denied.err
    assert admin_cli.add_user("lead", "leader").code == 0
    missing = leader(admin_cli, "import", "subjects", str(tmp_path / "none.xlsx"))
    assert missing.code == 2 and "找不到文件" in missing.err
    headerless = write_csv(tmp_path / "h.csv", [["名字", "代码"], ["甲公司", HUAJIAN]])
    wrong = leader(admin_cli, "import", "subjects", str(headerless))
    assert wrong.code == 1 and "缺少必需的列" in wrong.out and "主体类型" in wrong.out


def test_import_template(cli, tmp_path):
    target = tmp_path / "模板.xlsx"
    result = cli("import", "template", "records", str(target))
    assert result.code == 0, result.text
    book = openpyxl.load_workbook(target)
    assert [c.value for c in book.worksheets[0][1]][:2] == ["主体名称或代码", "记录类别"]
    assert "说明" in book.sheetnames
    csv_target = tmp_path / "模板.csv"
    assert cli("import", "template", "subjects", str(csv_target)).code == 0
    assert csv_target.read_text("utf-8-sig").startswith("主体类型,名称,统一社会信用代码")
    assert cli("import", "template", "subjects", str(tmp_path / "模板.txt")).code == 2
