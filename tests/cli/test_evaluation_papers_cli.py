"""``notice evaluation-form`` / ``notice evaluation-result`` and ``evaluation ranking`` / ``evaluation
export``: the papers of a finalised session written where asked, the form issued once then reprinted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from desktop_app.services.evaluations.types import GridInput, GridMark
from tests.complaint_builders import people
from tests.conftest import DEFAULT_PASSWORD
from tests.evaluation_builders import experts, session_input
from tests.notices.support import pdf_text

from .conftest import ROOT_PASSWORD, Cli


def test_the_papers_of_a_session_and_the_year(admin_cli: Cli, tmp_path: Path) -> None:
    with admin_cli.services() as services:
        team = people(services, services.auth.login("root", ROOT_PASSWORD))
        zhang, li = experts(services, team.leader, 2)
        info = services.evaluations.create_session(team.clerk, session_input(date(2026, 11, 16), [zhang, li]))
        grid = GridInput((GridMark(zhang, "E04", 5, "手机未交存"),))
        services.evaluations.finalise(team.clerk, info.id, grid, info.version)

    def run(*args: str) -> str:
        result = admin_cli(*args, user="xiao", password=DEFAULT_PASSWORD)
        assert result.code == 0, result.text
        return result.out

    form = tmp_path / "form.pdf"
    said = run("notice", "evaluation-form", info.number.lower(), "-o", str(form))
    assert said.startswith("已出具评标专家现场考评表 KB2026-") and "手机未交存" in pdf_text(form)
    assert run("notice", "evaluation-form", info.number, "-o", str(form)).startswith("已补打")
    notice = tmp_path / "notice.pdf"
    assert "KG2026-" in run("notice", "evaluation-result", info.number, "Z1001", "-o", str(notice))
    assert "评标专家现场考评结果告知书" in pdf_text(notice)
    ranking = tmp_path / "ranking.pdf"
    assert "KM2026-" in run("evaluation", "ranking", "2026", "-o", str(ranking))
    assert "张三" in pdf_text(ranking)
    run("evaluation", "export", "2026", "-o", str(tmp_path / "year.xlsx"))
    rows = list(load_workbook(tmp_path / "year.xlsx")["扣分明细"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[12], r[15]) for r in rows] == [(info.number, "E04", 5)]
    refused = admin_cli(
        "notice", "evaluation-form", "KP2026-999999", "-o", str(form), user="xiao", password=DEFAULT_PASSWORD
    )
    assert refused.code == 2 and "查无考评编号为 KP2026-999999 的考评" in refused.err
