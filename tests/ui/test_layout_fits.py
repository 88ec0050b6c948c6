"""Every page and every dialog fits the hall's screens (1280×800 and 1366×768): the main window at
that size with each page of each role in view (each tab of a page too), and every dialog reachable
from them, built directly and shown at the size it opens with. Nothing overflows its parent,
overlaps a sibling or is squeezed below the size its content needs (tests/ui/layout_support.py says
exactly what counts).

A problem in a widget that another change is reworking now is named in ALLOWED below, with the
reason; the test fails as soon as an allowed problem is gone too (so the list only shrinks).
Run with LAYOUT_SHOTS=FOLDER to save a picture of every state checked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import app as app_module
from desktop_app import clock
from desktop_app.domain.complaints import Outcome, RespondentKind, Satisfaction
from desktop_app.domain.roles import Role
from desktop_app.services.complaints import Assignment, Closure, ComplaintInfo
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.about import AboutDialog
from desktop_app.ui.auth_dialogs import ChangePasswordDialog, FirstAdminDialog, LoginDialog
from desktop_app.ui.lock import LockDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings_dialog import SettingsDialog
from desktop_app.ui.shell import ShellContext
from desktop_app.ui.widgets.forms import FormDialog
from tests.builders import bad, ban, company
from tests.complaint_builders import People, people, phone_complaint

from .layout_support import Problem, layout_problems, window_problems

pytestmark = pytest.mark.usefixtures("message_boxes", "hall_look")

SIZES = [QSize(1280, 800), QSize(1366, 768)]
SIZE_IDS = ["1280x800", "1366x768"]
ROLES = [Role.HALL_STAFF, Role.SUPERVISOR, Role.LEADER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN]

# (where: the page key or the dialog's name, regular expression on the problem) → why it is allowed.
# Every entry is a widget of a page or dialog that another change of issue 9 is reworking now; the
# integrator removes the entries that change fixes (an entry that matches nothing fails the test).
ALLOWED: dict[tuple[str, str], str] = {}


@dataclass
class Found:
    where: str
    problem: Problem

    @property
    def place(self) -> str:
        return self.where.split("/", 1)[0]

    def allowed_by(self) -> tuple[str, str] | None:
        for key in ALLOWED:
            place, pattern = key
            if place == self.place and re.search(pattern, str(self.problem)):
                return key
        return None


def settle(widget: QWidget) -> None:
    for _ in range(3):  # layouts that depend on other layouts (wrapped labels) settle in a few rounds
        QApplication.processEvents()
    widget.updateGeometry()
    QApplication.processEvents()


def tab_states(widget: QWidget) -> Iterator[str]:
    """Show each tab of every tab widget in ``widget`` in turn (nested ones too), yielding its name."""
    yield ""
    for tabs in widget.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.currentIndex() != index:
                tabs.setCurrentIndex(index)
                settle(widget)
                yield f"{tabs.objectName()}:{index}"


def check(where: str, found: list[Found], problems: list[Problem], window: QWidget) -> None:
    found.extend(Found(where, problem) for problem in problems)
    folder = os.environ.get("LAYOUT_SHOTS")
    if folder:
        name = re.sub(r"[^\w.-]+", "-", where)
        window.grab().save(f"{folder}/{name}-{window.width()}x{window.height()}.png")


def verdict(found: list[Found], places: set[str]) -> None:
    """No problem outside ALLOWED; and no entry of ALLOWED for a place checked here that matched nothing."""
    unexpected = [f"{f.where}: {f.problem}" for f in found if f.allowed_by() is None]
    assert unexpected == [], "\n".join(unexpected)
    used = {f.allowed_by() for f in found}
    stale = [key for key in ALLOWED if key[0] in places and key not in used]
    assert stale == [], f"fixed meanwhile, remove from ALLOWED: {stale}"


@pytest.fixture(params=["zh_CN", "en"])
def hall_look(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The application as the hall sees it: the bundled font, the style sheet, the language."""
    font = qapp.font()
    app_module.install_font(qapp)
    app_module.apply_style(qapp)
    app_module.apply_language(qapp, request.param)
    yield str(request.param)
    app_module.apply_language(qapp, "en")
    qapp.setStyleSheet("")
    qapp.setFont(font)


# -- data that fills the pages and lets every dialog open ------------------------------------------
@dataclass
class Sample:
    subject_id: int
    pending_id: int
    confirmed_id: int
    repair_id: int


@pytest.fixture
def sample(services: Services, leader: CurrentUser, supervisor: CurrentUser) -> Sample:
    sid = company(services, leader, "天河华建工程咨询有限公司")
    pending = services.credit.add_record(supervisor, ban(sid))
    confirmed = services.credit.add_record(leader, bad(sid))
    repair = services.credit.request_repair(leader, confirmed.id, clock.today(), "天河华建", "整改报告")
    return Sample(sid, pending.id, confirmed.id, repair.id)


def actor_of(
    role: Role, services: Services, admin: CurrentUser, core: ModuleType, **named: CurrentUser
) -> CurrentUser:
    if role is Role.SYSTEM_ADMIN:
        return admin
    if role is Role.LEADER:
        return named["leader"]
    if role is Role.SUPERVISOR:
        return named["supervisor"]
    return core.make_user(services, admin, role.value.replace("-", ""), role)  # type: ignore[no-any-return]


# -- the main window and its pages -----------------------------------------------------------------
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # layout does not depend on the backend
@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_every_page_fits_the_screen(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    leader: CurrentUser,
    supervisor: CurrentUser,
    sample: Sample,
    shell_context: ShellContext,
    core: ModuleType,
    role: Role,
    size: QSize,
) -> None:
    actor = actor_of(role, services, admin, core, leader=leader, supervisor=supervisor)
    window = MainWindow(services, actor, shell_context)
    window.remember_layout = False
    qtbot.addWidget(window)
    window.resize(size)
    window.show()
    qtbot.waitExposed(window)
    found: list[Found] = []
    assert window.size() == size, "the main window cannot be made as small as the screen"
    for key in window.page_keys():
        page = window.open_page(key)
        if key == "credit":
            page.run_search_now("华建")  # type: ignore[attr-defined]
            page.select_row(0)  # type: ignore[attr-defined]
        settle(window)
        for state in tab_states(page):
            check(
                f"{actor.username}-{key}{'/' + state if state else ''}",
                found,
                layout_problems(window),
                window,
            )
        assert window.size() == size, f"{key} makes the window larger than the screen"
    verdict(found, set(window.page_keys()))


# -- dialogs ---------------------------------------------------------------------------------------
DialogMaker = Callable[[Services, CurrentUser, Sample, ShellContext, QWidget], QDialog]


def shell_dialogs() -> dict[str, DialogMaker]:
    return {
        "login": lambda s, a, x, c, p: LoginDialog(s, c, parent=p),
        "first_admin": lambda s, a, x, c, p: FirstAdminDialog(s, p),
        "change_password": lambda s, a, x, c, p: ChangePasswordDialog(
            s,
            a.username,
            "x",
            "这是您第一次登录。管理员设置的初始密码只用于首次登录，请先设置您自己的新密码。",
            p,
        ),
        "lock": lambda s, a, x, c, p: LockDialog(s, a, p),
        "settings_admin": lambda s, a, x, c, p: SettingsDialog(c, p, admin=True),
        "settings_clerk": lambda s, a, x, c, p: SettingsDialog(c, p),
        "settings_nobody": lambda s, a, x, c, p: SettingsDialog(c, p, signed_in=False),
        "about": lambda s, a, x, c, p: AboutDialog(
            p, "SQLite /home/hall/.local/share/IntegrityDesk/integrity-desk.sqlite3"
        ),
    }


def notice_dialogs() -> dict[str, DialogMaker]:
    from desktop_app.ui.notices.test_page import issue_test_page
    from desktop_app.ui.notices.verify import VerifyNoticeDialog

    def preview(s: Services, a: CurrentUser, x: Sample, c: ShellContext, p: QWidget) -> QDialog:
        dialog = issue_test_page(s, a, p)
        assert dialog is not None
        return dialog

    return {
        "notice_preview": preview,
        "verify_notice": lambda s, a, x, c, p: VerifyNoticeDialog(s, a, p),
    }


def credit_dialogs() -> dict[str, DialogMaker]:
    from desktop_app.ui.credit.editing.decisions import ReasonDialog
    from desktop_app.ui.credit.editing.records import RecordDialog
    from desktop_app.ui.credit.editing.repairs import RepairDecisionDialog, RepairRequestDialog
    from desktop_app.ui.credit.editing.reveal import RevealDialog
    from desktop_app.ui.credit.editing.subjects import SubjectDialog
    from desktop_app.ui.credit.importing import ImportDialog

    return {
        "subject_new": lambda s, a, x, c, p: SubjectDialog(s, a, None, p),
        "subject_edit": lambda s, a, x, c, p: SubjectDialog(s, a, x.subject_id, p),
        "record_new": lambda s, a, x, c, p: RecordDialog(s, a, x.subject_id, p),
        "repair_request": lambda s, a, x, c, p: RepairRequestDialog(s, a, x.confirmed_id, p),
        "repair_decision": lambda s, a, x, c, p: RepairDecisionDialog(s, a, x.repair_id, x.confirmed_id, p),
        "reveal": lambda s, a, x, c, p: RevealDialog(s, a, x.subject_id, "uscc", p),
        "reason": lambda s, a, x, c, p: ReasonDialog(
            "不予确认",
            "不予确认：天河华建工程咨询有限公司 禁止入场 天建罚〔2026〕3号",
            "理由：",
            lambda r: None,
            "不予确认",
            p,
        ),
        "import_subjects": lambda s, a, x, c, p: ImportDialog(s, a, "subjects", p),
        "import_records": lambda s, a, x, c, p: ImportDialog(s, a, "records", p),
    }


def admin_dialogs() -> dict[str, DialogMaker]:
    from desktop_app.ui.admin.calendar import DayDialog, calendar_import_dialog
    from desktop_app.ui.admin.complaint_rules import RuleValueDialog, figure_rows
    from desktop_app.ui.admin.credit_catalogue import RuleDialog, ScoreRuleDialog
    from desktop_app.ui.admin.departments import DepartmentDialog
    from desktop_app.ui.admin.evaluation_catalogue import ItemDialog
    from desktop_app.ui.admin.evaluation_catalogue import RuleDialog as ThresholdDialog
    from desktop_app.ui.admin.scoring_schemes import BandsDialog, PostSchemeDialog, SchemeDialog
    from desktop_app.ui.admin.staff import RevealDialog, StaffDialog
    from desktop_app.ui.admin.users import TemporaryPasswordDialog, UserDialog

    def first_staff(s: Services) -> Any:
        return s.organisation.staff()[0]

    return {
        "user_new": lambda s, a, x, c, p: UserDialog(s, a, None, p),
        "user_edit": lambda s, a, x, c, p: UserDialog(s, a, s.users.list()[0], p),
        "temporary_password": lambda s, a, x, c, p: TemporaryPasswordDialog("wangjing", "Kq7#mR2x-9", p),
        "department_new": lambda s, a, x, c, p: DepartmentDialog(s, a, None, p),
        "staff_new": lambda s, a, x, c, p: StaffDialog(s, a, None, p),
        "staff_edit": lambda s, a, x, c, p: StaffDialog(s, a, first_staff(s), p),
        "staff_reveal": lambda s, a, x, c, p: RevealDialog(s, a, first_staff(s), p),
        "rule_new": lambda s, a, x, c, p: RuleDialog(s, a, None, False, [], p),
        "score_rule_new": lambda s, a, x, c, p: ScoreRuleDialog(s, a, None, False, [], p),
        "calendar_day_new": lambda s, a, x, c, p: DayDialog(s, a, None, 2026, p),
        "calendar_import": lambda s, a, x, c, p: calendar_import_dialog(s, a, p),
        "evaluation_item": lambda s, a, x, c, p: ItemDialog(s, a, None, False, [], p),
        "evaluation_threshold": lambda s, a, x, c, p: ThresholdDialog(s, a, None, False, [], p),
        "scoring_scheme": lambda s, a, x, c, p: SchemeDialog(s, a, s.scoring.schemes()[0], ["通用岗位"], p),
        "scoring_post": lambda s, a, x, c, p: PostSchemeDialog(
            s, a, s.scoring.post_schemes()[0], ["通用岗位"], p
        ),
        "scoring_bands": lambda s, a, x, c, p: BandsDialog(s, a, s.scoring.rules()[-1], p),
        "complaint_rule": lambda s, a, x, c, p: RuleValueDialog(
            s, a, figure_rows(s, clock.today()), "general_days", None, p
        ),
    }


def evaluation_dialogs() -> dict[str, DialogMaker]:
    from desktop_app.domain.evaluations import ProposalAction, ProposalReason, ProposalState
    from desktop_app.services.evaluations.types import ProposalInfo
    from desktop_app.ui.evaluations.proposals import ConfirmDialog

    proposal = ProposalInfo(
        1, 1, "欧阳建国", "Z1001", 2026, ProposalAction.SUSPEND, ProposalReason.POINTS, 13, 6,
        ProposalState.PENDING, 1, "KP2026-000001", clock.now(), "", None, "", "", None, None, None, "", None, 1,
    )  # fmt: skip
    return {"evaluation_confirm": lambda s, a, x, c, p: ConfirmDialog(s, a, proposal, p)}


def scoring_dialogs() -> dict[str, DialogMaker]:
    from desktop_app.domain.scoring import ContestState, SheetState
    from desktop_app.services.scoring.types import DepartmentMonthInfo
    from desktop_app.ui.scoring.leader import ContestDecisionDialog, ContestRow, MonthLockDialog

    month = DepartmentMonthInfo(
        1, "综合业务科", "2026-10", SheetState.SUBMITTED, 1, (), 12, 4, 2, True, clock.now(), "罗浩",
        None, "", "", "", "", (), 1,
    )  # fmt: skip

    def contest(s: Services, a: CurrentUser, p: QWidget) -> Any:
        from desktop_app.domain.scoring import AutoSource, Dimension, ItemKind
        from desktop_app.services.scoring.types import EntryInfo, SheetRow

        row = SheetRow(
            1, 1, "王静静", "E001", 1, "综合业务科", "窗口受理", "2026-10", 1, SheetState.SUBMITTED, {}, 92.0,
            "良好", False, 1, 1, 1, 1,
        )  # fmt: skip
        entry = EntryInfo(
            1, "D04", Dimension.PERFORMANCE, ItemKind.DEDUCTION, "投诉属实", 5.0, 0.0, 10.0, False, False, "",
            "", AutoSource.COMPLAINT_TRUE, "complaint", 1, "TS-2026-0001", ContestState.CONTESTED,
            "该投诉由窗口同事受理，非本人责任，请予撤销", "", "",
        )  # fmt: skip
        return ContestDecisionDialog(s, a, ContestRow(1, row, entry), False, p)

    return {
        "scoring_lock": lambda s, a, x, c, p: MonthLockDialog(s, a, month, p),
        "scoring_decide": lambda s, a, x, c, p: contest(s, a, p),
    }


@dataclass
class Cases:
    """A case in each state the handling dialogs open on."""

    registered: ComplaintInfo
    investigating: ComplaintInfo  # against a staff member (the deduction rows show), an extension asked
    closed: ComplaintInfo  # found true against the sample's company (the credit record dialog)
    visited: ComplaintInfo  # rated 不满意: the follow-up with its deadlines


def complaint_cases(services: Services, crew: People, subject_id: int) -> Cases:
    complaints = services.complaints
    now = clock.now()
    facts = "窗口工作人员态度生硬，拒绝一次性告知所需材料，要求投诉人来回跑了三趟，并且在大厅内大声呵斥。"

    def investigating(phone: str, **changes: Any) -> ComplaintInfo:
        case = complaints.register(
            crew.clerk, phone_complaint(now, phone=phone, facts=facts, **changes)
        ).complaint
        case = complaints.accept(
            crew.supervisor, case.id, case.version, Assignment(crew.department_id, crew.handler.staff_id)
        )
        return complaints.investigate(crew.handler, case.id, case.version)

    registered = complaints.register(crew.clerk, phone_complaint(now, facts=facts)).complaint
    staff = investigating(
        "13900000002", respondent_kind=RespondentKind.STAFF, respondent_staff_id=crew.respondent_staff_id
    )
    staff = complaints.request_extension(
        crew.handler, staff.id, 5, "需调取大厅监控录像并向当班的评审专家核实情况"
    )
    company_case = investigating(
        "13900000003",
        respondent_kind=RespondentKind.SUBJECT,
        respondent_subject_id=subject_id,
        respondent_text="",
    )
    closed = complaints.close(
        crew.handler, company_case.id, company_case.version, Closure(Outcome.TRUE, "经核实，投诉属实。")
    )
    visited = investigating("13900000004")
    visited = complaints.close(
        crew.handler, visited.id, visited.version, Closure(Outcome.FALSE, "经核实不属实。")
    )
    visited = complaints.visit(
        crew.handler, visited.id, visited.version, Satisfaction.DISSATISFIED, "对答复不满意"
    )
    return Cases(registered, staff, closed, visited)


def complaint_dialogs(cases: Cases) -> dict[str, DialogMaker]:
    from desktop_app.ui.complaints import handling
    from desktop_app.ui.complaints.reveal import ComplaintRevealDialog

    pending = next(x.id for x in cases.investigating.extensions)
    return {
        "complaint_accept": lambda s, a, x, c, p: handling.AssignmentDialog(s, a, cases.registered, True, p),
        "complaint_assign": lambda s, a, x, c, p: handling.AssignmentDialog(
            s, a, cases.investigating, False, p
        ),
        "complaint_reject": lambda s, a, x, c, p: handling.RejectDialog(s, a, cases.registered, p),
        "complaint_transfer": lambda s, a, x, c, p: handling.TransferDialog(s, a, cases.registered, p),
        "complaint_investigate": lambda s, a, x, c, p: handling.NoteDialog(s, a, cases.registered, True, p),
        "complaint_note": lambda s, a, x, c, p: handling.NoteDialog(s, a, cases.investigating, False, p),
        "complaint_close": lambda s, a, x, c, p: handling.CloseDialog(s, a, cases.investigating, p),
        "complaint_visit": lambda s, a, x, c, p: handling.VisitDialog(s, a, cases.closed, p),
        "complaint_followup": lambda s, a, x, c, p: handling.FollowupDialog(s, a, cases.visited, p),
        "complaint_extension": lambda s, a, x, c, p: handling.ExtensionRequestDialog(
            s, a, cases.registered, p
        ),
        "complaint_extension_decision": lambda s, a, x, c, p: handling.ExtensionDecisionDialog(
            s, a, cases.investigating, pending, p
        ),
        "complaint_credit_record": lambda s, a, x, c, p: handling.credit_record_dialog(s, a, cases.closed, p),
        "complaint_reveal": lambda s, a, x, c, p: ComplaintRevealDialog(s, a, cases.registered, p),
    }


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_every_dialog_fits_the_screen(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    leader: CurrentUser,
    sample: Sample,
    shell_context: ShellContext,
    size: QSize,
) -> None:
    services.organisation.save_staff(
        admin,
        employee_no="S001",
        name="王静",
        department_id=services.organisation.departments()[0].id,
        phone="13812345678",
    )
    crew = people(services, admin)
    cases = complaint_cases(services, crew, sample.subject_id)
    found: list[Found] = []
    host = QWidget()
    qtbot.addWidget(host)
    groups = [
        (shell_dialogs(), leader),
        (notice_dialogs(), leader),
        (credit_dialogs(), leader),
        (admin_dialogs(), admin),
        (complaint_dialogs(cases), crew.leader),
        (evaluation_dialogs(), leader),
        (scoring_dialogs(), leader),
    ]
    for makers, actor in groups:
        for name, make in makers.items():
            dialog = make(services, actor, sample, shell_context, host)
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            settle(dialog)
            focus = dialog.focusWidget()
            if isinstance(dialog, FormDialog) and (focus is None or dialog.buttons.isAncestorOf(focus)):
                # A form waits in its first field: typed text would go nowhere, Enter would save it empty.
                pytest.fail(f"{name} opens with the focus on its buttons, not in its first field")
            for state in tab_states(dialog):
                where = f"{name}{'/' + state if state else ''}"
                check(where, found, window_problems(dialog, size) + layout_problems(dialog), dialog)
            dialog.hide()
    verdict(found, {name for makers, _actor in groups for name in makers})


# -- the check itself ------------------------------------------------------------------------------
def test_the_check_finds_overflow_overlap_and_squeezed_text(qtbot: Any) -> None:
    top = QWidget()
    qtbot.addWidget(top)
    top.resize(300, 200)
    first = QLabel("甲", top)
    first.setObjectName("first")
    first.setGeometry(10, 10, 100, 30)
    second = QLabel("乙", top)
    second.setGeometry(100, 20, 100, 30)  # ten pixels into the first
    caption = QPushButton("登记核验并打印告知单", top)
    caption.setObjectName("caption")
    caption.setGeometry(10, 100, 30, 30)  # far narrower than its caption
    wrapped = QLabel("一段需要折行显示的较长说明文字，" * 4, top)
    wrapped.setObjectName("wrapped")
    wrapped.setWordWrap(True)
    wrapped.setGeometry(120, 100, 150, 20)  # one line's height for several lines
    outside = QLabel("外", top)
    outside.setObjectName("outside")
    outside.setGeometry(250, 180, 100, 40)  # past the right and bottom edges
    top.show()
    qtbot.waitExposed(top)
    found = {(p.kind, p.path.rsplit(" > ", 1)[-1]) for p in layout_problems(top)}
    assert found == {
        ("overlap", "QLabel#first"),
        ("squeezed", "QPushButton#caption"),
        ("squeezed", "QLabel#wrapped"),
        ("overflow", "QLabel#outside"),
    }
    assert [p.kind for p in window_problems(top, QSize(280, 200))] == ["window"]


def test_what_layouts_place_side_by_side_and_scrolled_content_do_not_count(qtbot: Any) -> None:
    top = QWidget()
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    layout.setSpacing(0)
    layout.setContentsMargins(0, 0, 0, 0)
    row = QHBoxLayout()
    row.setSpacing(0)
    for text in ("保存", "取消", "重新载入"):
        row.addWidget(QPushButton(text, top))
    layout.addLayout(row)
    scroll = QScrollArea(top)
    content = QLabel("很长的内容\n" * 80)
    scroll.setWidget(content)  # far taller than the area: it scrolls
    layout.addWidget(scroll)
    stack = QStackedWidget(top)
    stack.addWidget(QLabel("第一页"))
    stack.addWidget(QLabel("第二页"))  # hidden while the first is shown
    layout.addWidget(stack)
    top.resize(400, 300)
    top.show()
    qtbot.waitExposed(top)
    assert layout_problems(top) == []
