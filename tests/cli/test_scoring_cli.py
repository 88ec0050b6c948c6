"""``export scores`` and ``notice scores-sheet`` / ``scores-result`` / ``honours`` on a locked month:
the files written where asked; a supervisor exports their own department and is refused another."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.complaint_builders import people
from tests.conftest import DEFAULT_PASSWORD
from tests.notices.support import pdf_text
from tests.services.test_scoring_papers import OCTOBER, locked_month

from .conftest import ROOT_PASSWORD, Cli


def test_the_month_exported_and_its_papers_printed(admin_cli: Cli, tmp_path: Path) -> None:
    with admin_cli.services() as services:
        crew = people(services, services.auth.login("root", ROOT_PASSWORD))
        locked_month(services, crew)

    def run(user: str, *args: str) -> str:
        result = admin_cli(*args, user=user, password=DEFAULT_PASSWORD)
        assert result.code == 0, result.text
        return result.out

    book = tmp_path / "scores.xlsx"
    assert run("tsleader", "export", "scores", OCTOBER, "-o", str(book)).startswith(
        "已导出2026年10月月度考核结果"
    )
    rows = list(load_workbook(book)["月度考核"].iter_rows(min_row=4, values_only=True))
    assert sorted((r[0], r[2], r[9], r[10]) for r in rows) == [
        ("评审科", "周敏", 100, "优秀"),
        ("评审科", "王五", 94, "良好"),
        ("评审科", "罗浩", 100, "优秀"),
    ]
    run("luo", "export", "scores", OCTOBER, "-o", str(tmp_path / "own.xlsx"), "--department", "评审科")
    refused = admin_cli(
        "export",
        "scores",
        OCTOBER,
        "-o",
        str(tmp_path / "x.xlsx"),
        "--department",
        "办公室",
        user="luo",
        password=DEFAULT_PASSWORD,
    )
    assert refused.code == 2 and "只能导出本科室" in refused.err and not (tmp_path / "x.xlsx").exists()

    sheet = tmp_path / "sheet.pdf"
    said = run("luo", "notice", "scores-sheet", "评审科", OCTOBER, "-o", str(sheet))
    assert said.startswith("已出具月度考核评分表 KH2026-") and "分管领导" in pdf_text(sheet)
    notice = tmp_path / "notice.pdf"
    assert "KT2026-" in run("tsleader", "notice", "scores-result", "E-resp", OCTOBER, "-o", str(notice))
    assert "等次为良好" in "".join(pdf_text(notice).split())
    honours = tmp_path / "honours.pdf"
    assert "BZ2026-" in run(
        "tsleader", "notice", "honours", "2026", "4", "--staff", "周敏", "-o", str(honours)
    )
    flat = "".join(pdf_text(honours).split())
    assert "周敏" in flat and "罗浩" not in flat
    bad = admin_cli(
        "notice",
        "scores-result",
        "无此人",
        OCTOBER,
        "-o",
        str(notice),
        user="tsleader",
        password=DEFAULT_PASSWORD,
    )
    assert bad.code == 2 and "找不到工号或姓名为“无此人”的人员" in bad.err
