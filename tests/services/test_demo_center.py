"""A demo center is never mistaken for a real one: the demo build marks the database, and every
paper the notices engine makes of it says 演示数据 on every page."""

from __future__ import annotations

import subprocess

from conftest import ADMIN_PASSWORD

from desktop_app.notices import test_page
from desktop_app.notices.base import DEMO_MARK
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


def page(services: Services, actor: CurrentUser) -> test_page.TestPage:
    return test_page.TestPage("演示中心", services.db.now(), "ws-test", actor.username)


def test_a_demo_center_marks_every_paper(services: Services) -> None:
    services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员", demo=True)
    admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
    assert services.center.is_demo()
    issued = services.notices.issue(admin, "test_page", page(services, admin))
    assert DEMO_MARK in pdf_text(issued.pdf)
    assert DEMO_MARK in pdf_text(services.notices.reprint(admin, issued.number).pdf)
    assert DEMO_MARK in pdf_text(services.notices.archived(issued.number).pdf)
    assert services.notices.verify(admin, issued.number, issued.verify_code, issued.pdf).genuine


def test_a_real_center_is_not_marked(services: Services, admin: CurrentUser) -> None:
    assert not services.center.is_demo()
    issued = services.notices.issue(admin, "test_page", page(services, admin))
    assert DEMO_MARK not in pdf_text(issued.pdf)
