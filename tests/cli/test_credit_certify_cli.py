"""``integrity-desk credit certify``: one recorded check and its 告知单, or a bid opening's whole list."""

from __future__ import annotations

import csv
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.domain.roles import Role
from desktop_app.store.credit_models import EntryCheck
from tests.builders import bad, ban, born_on, company, company_code, expert

from .conftest import USER_PASSWORD, Cli

EXPERT_ID = born_on(date(1975, 3, 9))
ON = "2026-05-06"  # inside the ban of tests.builders.ban


@pytest.fixture
def desk(any_cli: Cli) -> Cli:
    """A center with a banned company, one with a record, a clear one, two of one name, an expert;
    a leader ``lead`` and a hall clerk ``desk``."""
    assert any_cli.init().code == 0
    assert any_cli.add_user("lead", "leader").code == 0
    assert any_cli.add_user("desk", "hall-staff").code == 0
    with any_cli.services() as services:
        leader = services.auth.login("lead", USER_PASSWORD)
        assert Role.LEADER in leader.roles
        huajian = company(services, leader, "天河华建建筑工程有限公司", 1, "华建建设集团")
        services.credit.add_record(leader, ban(huajian))
        qihang = company(services, leader, "启航招标代理有限公司", 2)
        services.credit.add_record(leader, bad(qihang))
        company(services, leader, "清风建设有限公司", 3)
        company(services, leader, "同名建设有限公司", 4)
        company(services, leader, "同名建设有限公司", 5)
        expert(services, leader, "张三丰", EXPERT_ID)
    return any_cli


def clerk(cli: Cli, *args: str):
    return cli(*args, user="desk", password=USER_PASSWORD)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def checks(cli: Cli) -> int:
    with cli.services() as services, services.db.session() as session:
        return session.scalar(select(func.count()).select_from(EntryCheck)) or 0


def write_list(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["序号", "名称", "统一社会信用代码", "身份证号"], *rows])
    return path


def test_certify_one_query_writes_its_certificate(desk: Cli, tmp_path: Path) -> None:
    target = tmp_path / "告知单.pdf"
    banned = clerk(desk, "credit", "certify", company_code(1), "-o", str(target), "--on", ON)
    assert banned.code == 3, banned.text
    assert "结论：禁止入场" in banned.out and "告知单编号：XY2026-000001" in banned.out
    text = pdf_text(target)
    assert "信用查询结果告知单" in text and "禁止入场" in text and "XY2026-000001" in text
    assert "天河华建建筑工程有限公司" in text

    records = clerk(desk, "credit", "certify", "启航招标代理有限公司", "-o", str(tmp_path / "b.pdf"))
    assert records.code == 0 and "结论：有不良记录" in records.out
    clear = clerk(desk, "credit", "certify", company_code(3), "-o", str(tmp_path / "c.pdf"), "--on", ON)
    assert clear.code == 0 and "结论：可入场" in clear.out
    person = clerk(desk, "credit", "certify", EXPERT_ID, "-o", str(tmp_path / "p.pdf"), "--on", ON)
    assert person.code == 0 and EXPERT_ID not in person.out and "*" in person.out
    assert EXPERT_ID not in pdf_text(tmp_path / "p.pdf")
    missing = clerk(desk, "credit", "certify", "没有这家公司", "-o", str(tmp_path / "n.pdf"), "--on", ON)
    assert missing.code == 4 and "结论：未找到" in missing.out
    assert "未找到" in pdf_text(tmp_path / "n.pdf")
    assert checks(desk) == 5


def test_certify_refuses_a_query_that_names_several_subjects(desk: Cli, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    result = clerk(desk, "credit", "certify", "同名建设有限公司", "-o", str(target))
    assert result.code == 1, result.text
    assert "名称对应多个主体" in result.out and result.out.count("候选：同名建设有限公司") == 2
    assert company_code(4) in result.out and "未登记核验" in result.out
    assert not target.exists() and checks(desk) == 0


def test_certify_refusals(desk: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    assert clerk(desk, "credit", "certify", company_code(1), "-o", str(folder)).code == 2
    assert clerk(desk, "credit", "certify", "-o", str(tmp_path / "a.pdf")).code == 2
    both = clerk(desk, "credit", "certify", "甲", "--list", str(tmp_path / "l.csv"), "-o", str(folder))
    assert both.code == 2 and "其中之一" in both.err
    assert (
        clerk(
            desk, "credit", "certify", company_code(1), "-o", str(tmp_path / "a.pdf"), "--on", "2026-13-01"
        ).code
        == 2
    )
    root = desk(
        "credit",
        "certify",
        company_code(1),
        "-o",
        str(tmp_path / "a.pdf"),
        user="root",
        password="Boss#2026pw",
    )
    assert root.code == 2 and "权限" in root.err
    assert checks(desk) == 0


def test_certify_a_list(desk: Cli, tmp_path: Path) -> None:
    path = write_list(
        tmp_path / "开标名单.csv",
        [
            ["1", "启航招标代理有限公司", company_code(2), ""],
            ["2", "天河华建建筑工程有限公司", "", ""],
            ["3", "没有这家公司", "", ""],
            ["4", "", company_code(3), ""],
            ["5", "张三丰", "", EXPERT_ID],
            ["6", "华建建设集团", "", ""],  # the alias of line 3's subject: checked once
        ],
    )
    out = tmp_path / "告知单"
    result = clerk(desk, "credit", "certify", "--list", str(path), "-o", str(out), "--on", ON)
    assert result.code == 3, result.text
    assert "禁止入场 2，未找到 1，有不良记录 1，可入场 2" in result.out
    assert EXPERT_ID not in result.out
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "汇总表_BB2026-000001.pdf",
        "第002行_XY2026-000001.pdf",
        "第003行_XY2026-000002.pdf",
        "第004行_XY2026-000003.pdf",
        "第005行_XY2026-000004.pdf",
        "第006行_XY2026-000005.pdf",
    ]
    assert "同第 3 行" in result.out
    summary = pdf_text(out / "汇总表_BB2026-000001.pdf")
    assert "批量信用核验汇总表" in summary and "开标名单.csv" in summary
    assert summary.index("禁止入场") < summary.index("未找到") < summary.index("有不良记录")
    assert EXPERT_ID not in summary
    first = pdf_text(out / "第002行_XY2026-000001.pdf")
    assert "启航招标代理有限公司" in first and "有不良记录" in first
    assert checks(desk) == 5


def test_certify_a_list_exit_codes(desk: Cli, tmp_path: Path) -> None:
    clear = write_list(tmp_path / "a.csv", [["1", "清风建设有限公司", "", ""]])
    assert (
        clerk(desk, "credit", "certify", "--list", str(clear), "-o", str(tmp_path / "a"), "--on", ON).code
        == 0
    )
    not_found = write_list(tmp_path / "b.csv", [["1", "清风建设有限公司", "", ""], ["2", "无名公司", "", ""]])
    result = clerk(desk, "credit", "certify", "--list", str(not_found), "-o", str(tmp_path / "b"), "--on", ON)
    assert result.code == 4, result.text


def test_certify_a_list_with_lines_to_decide_records_nothing(desk: Cli, tmp_path: Path) -> None:
    path = write_list(
        tmp_path / "名单.csv",
        [
            ["1", "清风建设有限公司", "", ""],
            ["2", "同名建设有限公司", "", ""],
            ["3", "华建建设集团", company_code(3), ""],
            ["4", "坏代码", "123", ""],
        ],
    )
    out = tmp_path / "out"
    result = clerk(desk, "credit", "certify", "--list", str(path), "-o", str(out), "--on", ON)
    assert result.code == 1, result.text
    assert "有 3 行无法确定" in result.out
    assert "第 3 行" in result.out and "名称对应多个主体" in result.out
    assert "第 4 行" in result.out and "代码与名称不符" in result.out and "清风建设有限公司" in result.out
    assert "第 5 行" in result.out and "统一社会信用代码" in result.out
    assert "未登记任何核验" in result.out
    assert checks(desk) == 0 and list(out.iterdir()) == []


def test_certify_a_list_with_a_wrong_header(desk: Cli, tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("投标人,代码\n甲公司,123\n", encoding="utf-8")
    result = clerk(desk, "credit", "certify", "--list", str(path), "-o", str(tmp_path / "o"))
    assert result.code == 1 and "缺少必需的列" in result.out
    assert checks(desk) == 0
