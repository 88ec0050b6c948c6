"""The 信用查询结果告知单 as the visitor and the hall get it: Chinese dates, the operator by name, the
hall's stub and the sealed copy with its 落款; the login name and the workstation only in the archive."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain.dates import chinese_date, chinese_datetime
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.notice_models import IssuedNotice
from tests.builders import BAN_FIRST, BAN_LAST, ban, company
from tests.conftest import DEFAULT_PASSWORD, confirm_pending

from . import support

ISO_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
CLERK_NAME = "李晓珺"
CLERK_LOGIN = "lixj"


def named_clerk(services: Services, admin: CurrentUser) -> CurrentUser:
    services.users.create(
        admin,
        username=CLERK_LOGIN,
        display_name=CLERK_NAME,
        roles={Role.HALL_STAFF},
        password=DEFAULT_PASSWORD,
        must_change_password=False,
    )
    confirm_pending(services, CLERK_LOGIN)  # a leader confirms (separation of duties)
    return services.auth.login(CLERK_LOGIN, DEFAULT_PASSWORD)


def flat(text: str) -> str:
    return "".join(text.split())


def certify_banned(services: Services, admin: CurrentUser, leader: CurrentUser, tmp_path: Path) -> tuple:
    sid = company(services, leader, "天河华建建筑工程有限公司")
    services.credit.add_record(leader, ban(sid))
    clerk = named_clerk(services, admin)
    result = services.credit.entry_check(clerk, "华建建筑", sid, on=date(2026, 5, 6))
    return result, support.save(result.notice.pdf, tmp_path, "certificate.pdf")


def test_the_certificate_speaks_chinese_and_names_the_operator(services, admin, leader, tmp_path):
    result, pdf = certify_banned(services, admin, leader, tmp_path)
    text = flat(support.pdf_text(pdf))
    check = result.check
    for expected in (
        chinese_datetime(check.checked_at, seconds=True),  # 查询时间, to the second
        "核验日期2026年5月6日",
        chinese_datetime(check.data_as_of, seconds=True),  # 数据截至
        f"禁入{chinese_date(BAN_FIRST)}至{chinese_date(BAN_LAST)}",  # the record's period
        f"{chinese_date(BAN_FIRST)}至{chinese_date(BAN_LAST)}",  # the reason
        f"查询人{CLERK_NAME}",
    ):
        assert flat(expected) in text, expected
    assert ISO_DATE.search(text) is None, ISO_DATE.search(text)
    assert CLERK_LOGIN not in text  # the login name is the archive's, not the visitor's
    assert services.db.workstation not in text and "工作站" not in text


def test_the_hall_keeps_a_stub_and_the_visitor_gets_the_sealed_copy(services, admin, leader, tmp_path):
    result, pdf = certify_banned(services, admin, leader, tmp_path)
    text = support.pdf_text(pdf)
    assert "存根（大厅留存）" in text and "当事人收执" in text
    assert text.count("当事人签收") == 1  # the visitor signs the stub for receipt
    assert text.count("盖章处") == 1  # only the copy handed out is sealed
    issued_on = chinese_date(result.check.checked_at.astimezone().date())
    pages = support.pdf_words(pdf)
    sealed = [p for p in pages if any(w.text == "盖章处" for w in p.words)]
    assert len(sealed) == 1
    page = sealed[0]
    (seal,) = [w for w in page.words if w.text == "盖章处"]
    centre = (seal.x0 + seal.x1) / 2
    # The 落款 under the seal guide: the center's name over the Chinese date, both centred on it, at
    # the right of the sheet and below everything else of the copy but the verification block.
    center = str(services.center.get()["center_name"])
    name = next(w for w in page.words if w.text == center and w.y0 > seal.y1)
    day = next(w for w in page.words if w.text == issued_on and w.y0 > name.y1)
    for word in (name, day):
        assert abs((word.x0 + word.x1) / 2 - centre) < 2
        assert word.x0 > page.width / 2 and word.x1 < page.width - 12 * 72 / 25.4
    objection = next(w for w in page.words if w.text.startswith("如对查询结果有异议"))
    assert seal.y0 > objection.y0
    # The visitor's copy first (the preview opens on its verdict), the stub after it, unsealed.
    copy_label = next(w for w in pages[0].words if w.text == "当事人收执")
    stub_page = next(p for p in pages if any(w.text == "存根（大厅留存）" for w in p.words))
    stub_label = next(w for w in stub_page.words if w.text == "存根（大厅留存）")
    assert stub_page is not pages[0] or stub_label.y0 > copy_label.y1
    assert all(w.text != "盖章处" for w in stub_page.words if w.y0 > stub_label.y0)


def test_the_login_name_and_the_workstation_are_kept_in_the_archive(services, admin, leader, tmp_path):
    result, _ = certify_banned(services, admin, leader, tmp_path)
    with services.db.session() as session:
        notice = session.scalar(select(IssuedNotice).where(IssuedNotice.number == result.notice.number))
        assert notice is not None
        content = json.loads(notice.content)
        assert notice.workstation == services.db.workstation and notice.issued_by == CLERK_LOGIN
    assert dict(map(tuple, content["archive_fields"])) == {
        "查询人登录名": CLERK_LOGIN,
        "工作站": services.db.workstation,
    }
    verification = services.notices.verify(admin, result.notice.number, result.notice.verify_code)
    assert verification.genuine and verification.issued_by == CLERK_NAME
    kept = [line for line in verification.content if line.startswith("存档信息")]
    assert kept == [f"存档信息（未打印）：查询人登录名：{CLERK_LOGIN}；工作站：{services.db.workstation}"]


def test_a_reprint_is_marked_with_a_chinese_time(services, admin, leader, tmp_path):
    result, _ = certify_banned(services, admin, leader, tmp_path)
    copy = services.notices.reprint(admin, result.notice.number)
    text = flat(support.pdf_text(support.save(copy.pdf, tmp_path, "reprint.pdf")))
    assert text.count("补打") == 2  # above each copy
    assert ISO_DATE.search(text) is None
