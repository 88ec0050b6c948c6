"""``integrity-desk complaint import|show|template`` and ``notice complaint-receipt``: a line (or a JSON
object) per created case with its number and deadline, bad rows by row and column with nothing
imported, the case shown masked (internal notes only to those who may handle it), and the receipt
printed once and then as a 补打."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from desktop_app import clock
from desktop_app.domain.complaints import State
from desktop_app.services.complaints import Assignment
from tests.builders import resident_id
from tests.complaint_builders import People, people, phone_complaint
from tests.conftest import DEFAULT_PASSWORD
from tests.notices.support import pdf_text

from .conftest import ROOT_PASSWORD, Cli

HEADERS = [
    "渠道",
    "收到时间",
    "投诉人",
    "联系电话",
    "身份证号",
    "被投诉对象",
    "类别",
    "时限类别",
    "事实",
    "诉求",
]


def transfers(path: Path, *rows: dict[str, str]) -> Path:
    base = {
        "渠道": "12345转办",
        "收到时间": "2026-11-17 09:30",
        "投诉人": "李四",
        "联系电话": "13912345678",
        "身份证号": "",
        "被投诉对象": "评审科",
        "类别": "服务态度",
        "时限类别": "一般",
        "事实": "评审科工作人员接听电话态度生硬。",
        "诉求": "要求道歉",
    }
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for changes in rows:
            writer.writerow([{**base, **changes}[h] for h in HEADERS])
    return path


def crew_of(cli: Cli) -> People:
    with cli.services() as services:
        root = services.auth.login("root", ROOT_PASSWORD)
        return people(services, root)


def test_import_prints_number_and_deadline_per_case(admin_cli: Cli, tmp_path: Path) -> None:
    crew_of(admin_cli)
    good = transfers(
        tmp_path / "good.csv",
        {},
        {"事实": "王五推诿。", "被投诉对象": "王五", "时限类别": "简易", "收到时间": "2026/11/18 9:00"},
    )
    result = admin_cli("complaint", "import", str(good), user="xiao", password=DEFAULT_PASSWORD)
    assert result.code == 0, result.text
    lines = result.out.splitlines()
    assert lines[1].startswith("TS2026-000001  办理期限 2026-11-24  第 2 行  查询码 ")
    assert lines[2].startswith("TS2026-000002  办理期限 2026-11-20  第 3 行  查询码 ")
    assert lines[-1] == "已导入投诉 2 件；已登记跳过 0 件；有误跳过 0 行。"

    year_end = transfers(
        tmp_path / "late.csv", {"收到时间": "2026-11-18 08:00", "时限类别": "40", "事实": "另一件"}
    )
    as_json = admin_cli(
        "complaint", "import", str(year_end), "--json", user="xiao", password=DEFAULT_PASSWORD
    )
    assert as_json.code == 0, as_json.text
    (line,) = [json.loads(x) for x in as_json.out.splitlines()]
    # Forty working days from 19 November run into 2027, which has no schedule yet: provisional.
    assert line["number"] == "TS2026-000003" and line["provisional"] is True
    assert line["deadline"].startswith("2027-01-") and line["row"] == 2

    again = admin_cli("complaint", "import", str(good), "--json", user="xiao", password=DEFAULT_PASSWORD)
    assert again.code == 0 and again.out == ""  # nothing new: the same file creates nothing twice


def test_bad_rows_are_listed_and_nothing_is_imported(admin_cli: Cli, tmp_path: Path) -> None:
    crew_of(admin_cli)
    path = transfers(
        tmp_path / "bad.csv",
        {},
        {"联系电话": "123", "事实": "第二件"},
        {"被投诉对象": "查无此人", "事实": "第三件"},
    )
    result = admin_cli("complaint", "import", str(path), user="xiao", password=DEFAULT_PASSWORD)
    assert result.code == 1, result.text
    assert "有误的行（2）：" in result.out
    assert "第 3 行  联系电话" in result.out and "第 4 行  被投诉对象" in result.out
    assert "TS2026-" not in result.out
    assert "未导入任何数据" in result.out
    as_json = admin_cli("complaint", "import", str(path), "--json", user="xiao", password=DEFAULT_PASSWORD)
    assert as_json.code == 1
    errors = [json.loads(x) for x in as_json.out.splitlines()]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "联系电话"), (4, "被投诉对象")]
    skipped = admin_cli(
        "complaint", "import", str(path), "--skip-bad", user="xiao", password=DEFAULT_PASSWORD
    )
    assert skipped.code == 0 and "TS2026-000001  办理期限 2026-11-24" in skipped.out
    assert "有误跳过 2 行" in skipped.out
    no_rights = admin_cli("complaint", "import", str(path), user="root", password=ROOT_PASSWORD)
    assert no_rights.code == 2


def test_show_masks_personal_data_and_keeps_notes_inside(admin_cli: Cli, tmp_path: Path) -> None:
    crew = crew_of(admin_cli)
    with admin_cli.services() as services:
        data = phone_complaint(
            clock.now(), id_number=resident_id("11010519491231002"), address="天河市人民东路 88 号 3 栋"
        )
        info = services.complaints.register(crew.clerk, data).complaint
        supervisor = services.auth.login("luo", DEFAULT_PASSWORD)
        info = services.complaints.accept(
            supervisor, info.id, info.version, Assignment(crew.department_id, None, "")
        )
        services.complaints.add_note(supervisor, info.id, "投诉人曾多次来电，注意语气。")
    shown = admin_cli("complaint", "show", info.number, user="xiao", password=DEFAULT_PASSWORD)
    assert shown.code == 0, shown.text
    assert f"投诉编号：{info.number}" in shown.out and "状态：受理" in shown.out
    assert "138****5678" in shown.out and "13812345678" not in shown.out
    assert "1101**********002X" in shown.out and resident_id("11010519491231002") not in shown.out
    assert "88 号 3 栋" not in shown.out
    assert "注意语气" not in shown.out and "（不含内部备注）" in shown.out
    by_code = admin_cli(
        "complaint", "show", info.lookup_code.replace("-", "").lower(), user="luo", password=DEFAULT_PASSWORD
    )
    assert by_code.code == 0 and "注意语气" in by_code.out  # the supervisor of its department
    as_json = json.loads(
        admin_cli("complaint", "show", info.number, "--json", user="xiao", password=DEFAULT_PASSWORD).out
    )
    assert as_json["state"] == State.ACCEPTED.value and as_json["phone"] == "138****5678"
    assert [h["action"] for h in as_json["history"]] == ["register", "accept"]
    assert as_json["internal_shown"] is False
    missing = admin_cli("complaint", "show", "TS2026-009999", user="xiao", password=DEFAULT_PASSWORD)
    assert missing.code == 2 and "未找到该投诉" in missing.err


def test_receipt_is_issued_then_reprinted(admin_cli: Cli, tmp_path: Path) -> None:
    crew_of(admin_cli)
    path = transfers(tmp_path / "one.csv", {"身份证号": resident_id("11010519491231002")})
    assert admin_cli("complaint", "import", str(path), user="xiao", password=DEFAULT_PASSWORD).code == 0
    first = tmp_path / "receipt.pdf"
    issued = admin_cli(
        "notice",
        "complaint-receipt",
        "TS2026-000001",
        "-o",
        str(first),
        user="xiao",
        password=DEFAULT_PASSWORD,
    )
    assert issued.code == 0, issued.text
    assert issued.out.startswith("已出具投诉受理回执 TH2026-")
    text = pdf_text(first)
    assert "TS2026-000001" in text and "补打" not in text
    assert "139****5678" in text and "13912345678" not in text and "1101**********002X" in text
    second = tmp_path / "again.pdf"
    reprinted = admin_cli(
        "notice",
        "complaint-receipt",
        "TS2026-000001",
        "-o",
        str(second),
        user="xiao",
        password=DEFAULT_PASSWORD,
    )
    assert reprinted.code == 0 and reprinted.out.startswith("已补打投诉受理回执 TH2026-")
    again = pdf_text(second)
    assert "TS2026-000001" in again and "补打" in again


def test_template_needs_no_sign_in(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    result = cli("complaint", "template", str(target))
    assert result.code == 0 and target.read_text(encoding="utf-8-sig").strip() == ",".join(HEADERS)
