"""The import of earlier paper evaluation forms: one row per mark, a session per project code and day,
finalised as in the app (the same credit records and proposals), whole sessions or none, and nothing
added by a second import."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.domain.credit import ExpertPoolStatus, RecordKind, RecordSource, SubjectKind
from desktop_app.domain.evaluations import ProposalAction, ProposalState
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import SubjectInput
from desktop_app.services.evaluations.importing import COLUMNS
from desktop_app.services.facade import Services
from desktop_app.services.tabular_import import RowStatus
from desktop_app.store.credit_models import CreditRecord
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import EvaluationMark, EvaluationSession, ExpertProposal
from desktop_app.store.models import AuditEntry
from tests.builders import resident_id
from tests.complaint_builders import people

HEADERS = [c.header for c in COLUMNS]
WITNESS = "肖晓雨"  # the clerk of complaint_builders.people


def forms(path: Path, *rows: dict[str, object]) -> Path:
    base = {"项目名称": "滨江路改造工程施工", "交易类别": "建设工程", "见证人": WITNESS}
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([{**base, **row}.get(h, "") for h in HEADERS])
    return path


def experts(services: Services, actor: CurrentUser) -> dict[str, int]:
    made = {}
    for n, (name, number, pool) in enumerate(
        (
            ("张三", "Z1001", None),
            ("李四", "Z1002", None),
            ("王五", "Z1003", None),
            ("赵六", "Z1004", ExpertPoolStatus.SUSPENDED),
            ("同名", "Z1005", None),
            ("同名", "Z1006", None),
        )
    ):
        data = SubjectInput(
            SubjectKind.EXPERT,
            name,
            id_number=id_number(n),
            expert_no=number,
            specialty="房屋建筑工程",
            pool_status=pool,
        )
        made[number] = services.credit.create_subject(actor, data).id
    return made


def id_number(n: int) -> str:
    return resident_id(f"110105198001{n + 10:02d}123")


def test_paper_forms_become_finalised_sessions(
    services: Services, admin: CurrentUser, tmp_path: Path
) -> None:
    crew = people(services, admin)
    ids = experts(services, crew.leader)
    p1 = {"项目编号": "TH-JS-2026-0101", "评标日期": "2026/3/2"}
    p2 = {
        "项目编号": "TH-CG-2026-0042",
        "评标日期": "2026-05-06",
        "项目名称": "办公设备采购",
        "交易类别": "政府采购",
    }
    path = forms(
        tmp_path / "考评表.csv",
        {**p2, "专家": "李四", "考评项": "私下接触投标人", "备注": "午休时与投标人代表交谈"},
        {**p1, "专家": "Z1001", "考评项": "E04"},
        {**p1, "专家": id_number(1), "考评项": "e1", "扣分": "3", "备注": "迟到 20 分钟"},
        {**p1, "专家": "王五", "考评项": ""},  # present, no mark
        {**p1, "专家": "张三", "考评项": "E06", "扣分": 8},
    )
    report, created = services.evaluation_import.import_file(crew.clerk, path, skip_bad=False)
    assert report.committed, report.bad_rows
    assert (report.created, report.present, report.bad, report.pending) == (2, 0, 0, 4)
    # In the order of their days: the numbers come as they would have.
    assert [(s.number, s.project_code, s.experts, s.marks, s.points) for s in created] == [
        ("KP2026-000001", "TH-JS-2026-0101", 3, 3, 16),
        ("KP2026-000002", "TH-CG-2026-0042", 1, 1, 15),
    ]
    assert [(p.expert_name, p.action) for p in created[0].proposals] == [
        ("张三", ProposalAction.NOTIFY),
        ("张三", ProposalAction.SUSPEND),
    ]
    # 李四: 3 points in March, then a serious item of 15 in May: 18 points reach both thresholds.
    assert [(p.expert_name, p.action) for p in created[1].proposals] == [
        ("李四", ProposalAction.NOTIFY),
        ("李四", ProposalAction.SUSPEND),
    ]

    with services.db.session() as session:
        rows = session.scalars(select(EvaluationSession).order_by(EvaluationSession.number)).all()
        assert [(r.state, r.source, r.evaluation_date.isoformat()) for r in rows] == [
            ("finalised", "import", "2026-03-02"),
            ("finalised", "import", "2026-05-06"),
        ]
        assert rows[0].import_key == "20260302|TH-JS-2026-0101"
        records = session.scalars(select(CreditRecord).order_by(CreditRecord.id)).all()
        assert {(r.subject_id, r.kind, r.source, r.source_ref, r.points) for r in records} == {
            (
                ids["Z1001"],
                RecordKind.EXPERT_DEDUCTION.value,
                RecordSource.EXPERT_EVALUATION.value,
                "KP2026-000001",
                5,
            ),
            (
                ids["Z1001"],
                RecordKind.EXPERT_DEDUCTION.value,
                RecordSource.EXPERT_EVALUATION.value,
                "KP2026-000001",
                8,
            ),
            (
                ids["Z1002"],
                RecordKind.EXPERT_DEDUCTION.value,
                RecordSource.EXPERT_EVALUATION.value,
                "KP2026-000001",
                3,
            ),
            (
                ids["Z1002"],
                RecordKind.EXPERT_DEDUCTION.value,
                RecordSource.EXPERT_EVALUATION.value,
                "KP2026-000002",
                15,
            ),
        }
        marks = session.scalars(select(EvaluationMark).where(EvaluationMark.item_code == "E01")).one()
        assert (marks.points, marks.remark, marks.credit_record_id is not None) == (3, "迟到 20 分钟", True)
        proposals = session.scalars(select(ExpertProposal)).all()
        assert {p.state for p in proposals} == {ProposalState.PENDING.value}
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("evaluation.%")).order_by(AuditEntry.seq)
        ).all()
        assert actions[-1] == "evaluation.import.sessions"

    again, none = services.evaluation_import.import_file(crew.clerk, path, skip_bad=False)
    assert not again.committed and none == [] and again.present == 5
    assert again.rows[0].reason == "该场考评已登记为 KP2026-000002，跳过"
    with services.db.session() as session:
        assert len(session.scalars(select(EvaluationSession)).all()) == 2


@pytest.fixture
def sqlite_services(sqlite_database: Database) -> Iterator[Services]:
    yield Services(sqlite_database)


def test_a_bad_row_keeps_its_whole_session_out(sqlite_services: Services, tmp_path: Path) -> None:
    services = sqlite_services
    services.auth.create_first_admin("sysadmin", "Admin#2026pw", "系统管理员")
    crew = people(services, services.auth.login("sysadmin", "Admin#2026pw"))
    experts(services, crew.leader)
    good = {"项目编号": "GOOD-1", "评标日期": "2026-06-01"}
    bad = {"项目编号": "BAD-1", "评标日期": "2026-06-02"}
    path = forms(
        tmp_path / "有误.csv",
        {**bad, "专家": "Z1001", "考评项": "E04"},  # 2: good itself, but its session has bad rows
        {**bad, "专家": "Z1002", "考评项": "E99"},  # 3
        {**good, "专家": "Z1001", "考评项": "E01"},  # 4
        {**bad, "专家": "无此人", "考评项": "E01"},  # 5
        {**bad, "专家": "同名", "考评项": "E01"},  # 6
        {**bad, "专家": "Z1003", "考评项": "E04", "扣分": "20"},  # 7
        {**bad, "专家": "Z1001", "考评项": "E04", "扣分": "4"},  # 8: the same cell as row 2
        {**bad, "专家": "Z1003", "考评项": "E01", "项目名称": "另一个项目"},  # 9
        {**bad, "专家": "赵六", "考评项": "E01"},  # 10: suspended
        {"项目编号": "LATER", "评标日期": "2027-01-05", "专家": "Z1001", "考评项": "E01"},  # 11
        {**bad, "专家": "Z1003", "考评项": "E01", "见证人": "肖晓雨（财务科）"},  # 12
        {**bad, "专家": "Z1003", "考评项": "", "扣分": "2"},  # 13
    )
    preview = services.evaluation_import.preview(crew.clerk, "sessions", path)
    outcome = {r.row: r for r in preview.rows}
    assert outcome[4].status == RowStatus.NEW
    assert all(r.status == RowStatus.ERROR for n, r in outcome.items() if n != 4)
    assert outcome[2].reason == "同一场考评的第 3 行有误，整场未导入。"
    assert [(n, outcome[n].column) for n in range(3, 14) if n != 4] == [
        (3, "考评项"),
        (5, "专家"),
        (6, "专家"),
        (7, "扣分"),
        (8, "考评项"),
        (9, "项目名称"),
        (10, "专家"),
        (11, "评标日期"),
        (12, "见证人"),
        (13, "考评项"),
    ]
    assert "Z1005、Z1006" in outcome[6].reason and "3–8" in outcome[7].reason
    assert "第 2 行" in outcome[8].reason and "暂停" in outcome[10].reason

    refused, _ = services.evaluation_import.import_file(crew.clerk, path, skip_bad=False)
    assert not refused.committed
    report, created = services.evaluation_import.import_file(crew.clerk, path, skip_bad=True)
    assert report.committed and [s.project_code for s in created] == ["GOOD-1"]
