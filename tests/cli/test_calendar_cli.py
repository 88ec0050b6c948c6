"""``integrity-desk calendar``: a year's schedule, a deadline (provisional in a year without one), and
the system admin's import of a year with its row report and exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .conftest import ROOT_PASSWORD, USER_PASSWORD


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_show_a_year(any_cli) -> None:
    assert any_cli.init().code == 0
    result = any_cli("calendar", "show", "2026")
    assert result.code == 0, result.text
    lines = result.out.splitlines()
    assert lines[0].split() == ["日期", "星期", "类型", "名称"]
    assert lines[1].split() == ["2026-01-01", "星期四", "休", "元旦"]
    assert "2026-02-14  星期六  班    春节" in result.out
    assert lines[-1] == "2026 年：放假 33 天，调休上班 6 天。"
    as_json = json.loads(any_cli("calendar", "show", "2026", "--json").out)
    assert as_json["has_schedule"] is True and len(as_json["days"]) == 39
    assert as_json["days"][3] == {"date": "2026-01-04", "kind": "work", "kind_label": "班", "name": "元旦"}
    missing = any_cli("calendar", "show", "2027")
    assert missing.code == 0 and "2027 年尚未登记放假安排" in missing.out and "暂定" in missing.out
    assert json.loads(any_cli("calendar", "show", "2027", "--json").out)["has_schedule"] is False


def test_deadlines(admin_cli) -> None:
    result = admin_cli("calendar", "deadline", "2026-09-30", "5")
    assert result.code == 0, result.text
    assert result.out == "2026-09-30 收到，5 个工作日：期限 2026-10-13（星期二）\n"
    on_holiday = admin_cli("calendar", "deadline", "2026年2月17日", "1")
    assert "期限 2026-02-24（星期二）" in on_holiday.out
    provisional = admin_cli("calendar", "deadline", "2026/12/31", "2")
    assert provisional.code == 0
    assert provisional.out.splitlines() == [
        "2026-12-31 收到，2 个工作日：期限 2027-01-04（星期一）（暂定）",
        "暂定：2027 年尚未登记放假安排，按周一至周五计算；登记后请重新核对。",
    ]
    as_json = json.loads(admin_cli("calendar", "deadline", "2026-12-31", "2", "--json").out)
    assert as_json == {
        "received": "2026-12-31",
        "working_days": 2,
        "deadline": "2027-01-04",
        "provisional": True,
    }
    bad_date = admin_cli("calendar", "deadline", "2026-02-30", "1")
    assert bad_date.code == 2 and "不存在" in bad_date.err
    bad_n = admin_cli("calendar", "deadline", "2026-02-03", "0")
    assert bad_n.code == 2 and "1 至 1000 之间的整数" in bad_n.err


def test_import_a_year(admin_cli, tmp_path: Path) -> None:
    good = write_csv(
        tmp_path / "2027.csv",
        [["日期", "类型", "名称"], ["2027-01-01", "休", "元旦"], ["2027-02-20", "班", "春节"]],
    )
    # Only the system admin imports.
    assert admin_cli.add_user("lead", "leader").code == 0
    refused = admin_cli("calendar", "import", str(good), user="lead", password=USER_PASSWORD)
    assert refused.code == 2 and "权限" in refused.err
    no_user = admin_cli("calendar", "import", str(good))
    assert no_user.code == 2 and "--user" in no_user.err

    bad = write_csv(
        tmp_path / "有误.csv",
        [["日期", "类型", "名称"], ["2027-01-01", "休", "元旦"], ["2027-02-22", "班", "春节"]],
    )
    result = admin_cli("calendar", "import", str(bad), user="root", password=ROOT_PASSWORD)
    assert result.code == 1, result.text
    assert "第 3 行  类型" in result.out and "周六或周日" in result.out
    assert "未导入任何数据" in result.out
    assert json.loads(admin_cli("calendar", "show", "2027", "--json").out)["has_schedule"] is False
    skipped = admin_cli("calendar", "import", str(bad), "--skip-bad", user="root", password=ROOT_PASSWORD)
    assert skipped.code == 0 and "已导入 1 天" in skipped.out

    result = admin_cli("calendar", "import", str(good), user="root", password=ROOT_PASSWORD)
    assert result.code == 0, result.text
    assert "已导入 1 天；已登记跳过 1 天；有误跳过 0 行。" in result.out
    again = admin_cli("calendar", "import", str(good), user="root", password=ROOT_PASSWORD)
    assert again.code == 0 and "没有需要导入的新日期：已登记跳过 2 天。" in again.out
    assert admin_cli("calendar", "deadline", "2026-12-31", "1").out.startswith(
        "2026-12-31 收到，1 个工作日：期限 2027-01-04（星期一）\n"
    )
    wrong_file = admin_cli(
        "calendar", "import", str(tmp_path / "无.csv"), user="root", password=ROOT_PASSWORD
    )
    assert wrong_file.code == 2 and "找不到文件" in wrong_file.err


def test_template(cli, tmp_path: Path) -> None:
    target = tmp_path / "模板.csv"
    result = cli("calendar", "template", str(target))
    assert result.code == 0, result.text
    assert target.read_text(encoding="utf-8-sig").strip() == "日期,类型,名称"
