"""``integrity-desk evaluation import|show|template`` and ``expert status``: a line (or a JSON object) per
imported session with its number and proposals, bad rows by row and column with nothing imported, the
session shown with its marks, and an expert's year: points, the actions the thresholds call for, the
proposals and the pool status."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl

from desktop_app.domain.credit import SubjectKind
from desktop_app.services.credit import SubjectInput
from tests.builders import resident_id
from tests.complaint_builders import people
from tests.conftest import DEFAULT_PASSWORD

from .conftest import ROOT_PASSWORD, Cli

HEADERS = ["项目编号", "项目名称", "交易类别", "评标日期", "专家", "考评项", "扣分", "备注", "见证人"]
EXPERT_ID = resident_id("11010519800112123")


def forms(path: Path, *rows: list[str]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def crew_and_experts(cli: Cli) -> None:
    with cli.services() as services:
        crew = people(services, services.auth.login("root", ROOT_PASSWORD))
        for name, number, id_number in (
            ("张三", "Z1001", EXPERT_ID),
            ("李四", "Z1002", resident_id("11010519800113123")),
        ):
            data = SubjectInput(
                SubjectKind.EXPERT, name, id_number=id_number, expert_no=number, specialty="公路工程"
            )
            services.credit.create_subject(crew.leader, data)


def test_import_then_show_and_expert_status(admin_cli: Cli, tmp_path: Path) -> None:
    crew_and_experts(admin_cli)
    path = forms(
        tmp_path / "考评表.csv",
        ["GL-2026-07", "环城公路养护", "交通水利", "2026-04-08", "Z1001", "E04", "", "手机未存放", "肖晓雨"],
        ["GL-2026-07", "环城公路养护", "交通水利", "2026-04-08", "李四", "", "", "", "肖晓雨"],
        ["GL-2026-09", "环城公路二期", "交通水利", "2026-09-10", EXPERT_ID, "E06", "8", "", "刘已调离"],
    )
    result = admin_cli("evaluation", "import", str(path), user="xiao", password=DEFAULT_PASSWORD)
    assert result.code == 0, result.text
    lines = result.out.splitlines()
    assert lines[1] == "KP2026-000001  2026-04-08  GL-2026-07  专家 2 名  扣分 1 项共 5 分"
    assert lines[2] == "KP2026-000002  2026-09-10  GL-2026-09  专家 1 名  扣分 1 项共 8 分"
    assert lines[3] == "  处理建议：张三（Z1001） 通报并公开（当年累计 13 分）"
    assert lines[-1].startswith(
        "已导入考评 2 场（扣分 2 项）；已登记跳过 0 行；有误跳过 0 行；新的处理建议 2 条。"
    )
    again = admin_cli("evaluation", "import", str(path), "--json", user="xiao", password=DEFAULT_PASSWORD)
    assert again.code == 0 and again.out == ""  # nothing new

    shown = admin_cli("evaluation", "show", "kp2026-000001", "--json", user="xiao", password=DEFAULT_PASSWORD)
    assert shown.code == 0, shown.text
    session = json.loads(shown.out)
    assert (session["state"], session["source"], session["points"]) == ("finalised", "import", 5)
    assert [(m["expert"], m["item"], m["remark"]) for m in session["marks"]] == [
        ("张三", "E04", "手机未存放")
    ]
    assert all("*" in e["id_number"] for e in session["experts"])  # masked
    text = admin_cli("evaluation", "show", "KP2026-000001", user="xiao", password=DEFAULT_PASSWORD)
    assert "项目：环城公路养护（GL-2026-07）" in text.out and "E04" in text.out
    later = admin_cli("evaluation", "show", "KP2026-000002", "--json", user="xiao", password=DEFAULT_PASSWORD)
    assert json.loads(later.out)["witness"] == "刘已调离"  # a witness no longer on the staff list, by name

    status = admin_cli(
        "expert", "status", "张三", "--year", "2026", "--json", user="xiao", password=DEFAULT_PASSWORD
    )
    assert status.code == 0, status.text
    data = json.loads(status.out)
    assert data["points"] == 13 and data["pool_status"] == "active"
    assert len(data["actions"]) == 2 and len(data["marks"]) == 2
    assert {p["state"] for p in data["proposals"]} == {"pending"}
    plain = admin_cli("expert", "status", EXPERT_ID, user="xiao", password=DEFAULT_PASSWORD)
    assert plain.code == 0 and "累计扣分：13 分" in plain.out and "待确认的处理建议（2）" in plain.out
    assert EXPERT_ID not in plain.out  # the ID number asked by is shown masked
    unknown = admin_cli("expert", "status", "Z9999", user="xiao", password=DEFAULT_PASSWORD)
    assert unknown.code == 2


def test_bad_rows_are_listed_and_the_template_needs_no_sign_in(admin_cli: Cli, tmp_path: Path) -> None:
    crew_and_experts(admin_cli)
    path = forms(
        tmp_path / "有误.csv",
        ["GL-1", "某项目", "交通水利", "2026-04-08", "Z1001", "E04", "", "", "肖晓雨"],
        ["GL-1", "某项目", "交通水利", "2026-04-08", "Z1002", "E88", "", "", "肖晓雨"],
    )
    result = admin_cli("evaluation", "import", str(path), user="xiao", password=DEFAULT_PASSWORD)
    assert result.code == 1 and "未导入任何数据" in result.out
    assert "第 3 行  考评项" in result.out and "KP2026-" not in result.out
    as_json = admin_cli("evaluation", "import", str(path), "--json", user="xiao", password=DEFAULT_PASSWORD)
    assert [(e["row"], e["column"]) for e in map(json.loads, as_json.out.splitlines())] == [
        (2, ""),
        (3, "考评项"),
    ]

    template = admin_cli("evaluation", "template", str(tmp_path / "模板.xlsx"))
    assert template.code == 0, template.text
    book = openpyxl.load_workbook(tmp_path / "模板.xlsx")
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
