"""The complaint services the page needs besides the core: reply templates filled from a case, the
complainant's personal data in clear (right, reason, audit), and an evidence file's bytes."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop_app.domain.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.services.complaints import EvidenceInput
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from tests.builders import audit_entries
from tests.complaint_builders import People, people, phone_complaint

HALL = datetime.fromisoformat("2026-11-18T10:30:00+08:00")


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


def test_reply_templates_are_seeded_and_filled_from_the_case(services: Services, crew: People) -> None:
    templates = services.complaints.reply_templates()
    assert [t.title for t in templates] == ["属实", "部分属实", "不属实", "转办告知"]
    info = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    text = services.complaints.fill_reply("true", info)
    assert text.startswith("张三：")
    assert info.number in text and "2026年11月18日" in text and "3号窗口" in text
    assert "属实" in text and "{" not in text
    # The phone never reaches a reply: it is printed for the complainant.
    assert "13812345678" not in text and "138****5678" not in text
    transferred = services.complaints.transfer(crew.supervisor, info.id, info.version, "市市场监管局")
    notice = services.complaints.fill_reply("transfer", transferred)
    assert "市市场监管局" in notice and "2026年11月18日" in notice
    with pytest.raises(NotFound):
        services.complaints.fill_reply("nope", info)


def test_reply_of_an_anonymous_case_names_no_one(services: Services, crew: People) -> None:
    info = services.complaints.register(
        crew.clerk, phone_complaint(HALL, anonymous=True, complainant_name="", phone="")
    ).complaint
    assert services.complaints.fill_reply("false", info).startswith("投诉人：")


def test_personal_data_in_clear_needs_the_right_and_a_reason_and_is_audited(
    services: Services, crew: People
) -> None:
    info = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    with pytest.raises(PermissionDenied):
        services.complaints.reveal_personal_data(crew.clerk, info.id, "phone", "核对投诉人身份")
    with pytest.raises(ValidationError) as refused:
        services.complaints.reveal_personal_data(crew.supervisor, info.id, "phone", "看看")
    assert refused.value.field == "reason"
    with pytest.raises(ValidationError):
        services.complaints.reveal_personal_data(crew.supervisor, info.id, "facts", "核对投诉人身份")
    assert services.complaints.reveal_personal_data(crew.supervisor, info.id, "phone", "回电核实情况") == (
        "13812345678"
    )
    entries = audit_entries(services.db, "pii.unmask")
    assert entries == [
        {"object_id": info.number, "username": "luo", "field": "phone", "reason": "回电核实情况"}
    ]
    assert "13812345678" not in str(entries)


def test_evidence_content_gives_the_stored_file(services: Services, crew: People) -> None:
    data = phone_complaint(HALL, evidence=(EvidenceInput("录音.txt", "通话记录".encode(), "电话录音摘要"),))
    info = services.complaints.register(crew.clerk, data).complaint
    (evidence,) = info.evidence
    assert services.complaints.evidence_content(crew.clerk, evidence.id) == ("录音.txt", "通话记录".encode())
    with pytest.raises(NotFound):
        services.complaints.evidence_content(crew.clerk, evidence.id + 99)
